/** A worker thread of the verification pool (pool.ts): one Markdown file per task. */
import type { PageInput, PageReport } from '../engine/api.ts';
import { lowerPriority } from './thread-priority.ts';
import { verifyFileReport, type CheckOptions } from './verify.ts';

export interface VerifyTask {
  path: string;
  options: CheckOptions;
  /** Run this thread at the lowest priority: it checks beside a busy thread (the Astro build). */
  background?: boolean;
}

export interface VerifyTaskResult {
  report: PageReport;
  /** The extracted page, when the file was parsed (the main thread memoizes its report). */
  page?: PageInput;
}

let lowered = false;

export default function verifyTask({ path, options, background }: VerifyTask): VerifyTaskResult {
  if (background && !lowered) {
    lowered = true;
    lowerPriority();
  }
  return verifyFileReport(path, options);
}
