/** The worker thread of outputs.ts: writes the build's files into the staging folder, then says whether it could. */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerPriority } from '../markdown/thread-priority.ts';
import { writeOutputs, type OutputsJob } from './outputs.ts';

const { staging, job } = workerData as { staging: string; job: OutputsJob };
// beside the build: Astro's threads come first
lowerPriority();
let ok = true;
try {
  writeOutputs(staging, job);
} catch {
  ok = false; // the build's thread writes them itself
}
parentPort?.postMessage(ok);
