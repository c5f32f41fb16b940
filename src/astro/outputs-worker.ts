/**
 * The worker thread of outputs.ts: parses the reports, sends the report index,
 * then stages the build's files, from the previous build's where they are unchanged (`retire`),
 * then says whether it could; last, it deletes what is left of the previous build's files.
 */
import { rmSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerPriority } from '../markdown/thread-priority.ts';
import { jobReports, reportIndexJson, stageOutputFiles, type OutputsMessage, type OutputsWorkerData } from './outputs.ts';

const { staging, job, retired } = workerData as OutputsWorkerData;
const say = (message: OutputsMessage) => parentPort?.postMessage(message);
// beside the build: Astro's threads come first
lowerPriority();
try {
  const reports = jobReports(job);
  if (job.index) say({ indexed: reportIndexJson(job, reports) });
  stageOutputFiles(staging, job, reports, retired);
  say('written');
} catch {
  say('failed'); // the build's thread writes what is missing itself
}
// what is left of the previous build's files (outputs.ts: retire); else moveInto deletes them
if (retired) rmSync(retired, { recursive: true, force: true });
