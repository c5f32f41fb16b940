/**
 * The worker thread of outputs.ts: parses the reports, writes the report index (and says so),
 * then the build's files into the staging folder, then says whether it could.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerPriority } from '../markdown/thread-priority.ts';
import { jobReports, writeOutputs, writeReportIndex, type OutputsJob, type OutputsMessage } from './outputs.ts';

const { staging, job } = workerData as { staging: string; job: OutputsJob };
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
