/** A worker thread of the verification pool (pool.ts): one Markdown file per task. */
import type { PageInput, PageReport } from '../engine/api.ts';
import { verifyFileReport, type CheckOptions } from './verify.ts';

export interface VerifyTask {
  path: string;
  options: CheckOptions;
}

export interface VerifyTaskResult {
  report: PageReport;
  /** The extracted page, when the file was parsed (the main thread memoizes its report). */
  page?: PageInput;
}

export default function verifyTask({ path, options }: VerifyTask): VerifyTaskResult {
  return verifyFileReport(path, options);
}
