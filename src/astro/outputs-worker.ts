/**
 * The worker thread of outputs.ts: parses the reports, writes the report index (and says so),
 * then the build's files into the staging folder, then says whether it could; last, it deletes
 * the previous build's files (`retire`).
 */
import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerPriority } from '../markdown/thread-priority.ts';
import { jobReports, writeOutputs, writeReportIndex, type OutputsMessage, type OutputsWorkerData } from './outputs.ts';

const { staging, job, retired } = workerData as OutputsWorkerData;
const say = (message: OutputsMessage) => parentPort?.postMessage(message);
// beside the build: Astro's threads come first
lowerPriority();
try {
  const reports = jobReports(job);
  if (job.index) {
    writeReportIndex(job, reports);
    say('indexed');
  }
  writeOutputs(staging, job, reports);
  say('written');
} catch {
  say('failed'); // the build's thread writes what is missing itself
}
// the previous build's files, moved out of Astro's way (outputs.ts: retire); else moveInto deletes them
if (retired) rmSync(retired, { recursive: true, force: true });
