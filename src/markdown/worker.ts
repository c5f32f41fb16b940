/** A worker thread of the verification pool (pool.ts): one Markdown file per task. */
import { setPriority } from 'node:os';
import type { PageInput, PageReport } from '../engine/api.ts';
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

/**
 * On Linux a nice value belongs to a thread, and `setPriority(19)` (pid 0) sets this one's: the
 * build's threads then get a core whenever they want it, and this one takes what they leave.
 * Elsewhere it would lower the whole process, the build with it, so nothing changes there.
 */
function lowerPriority(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(19);
  } catch {
    // not permitted here: run at the usual priority
  }
}
