/**
 * The files a build adds to the site: `verification.json` and the per-page steps files.
 *
 * A worker thread writes them into a staging folder in Astro's cache folder while Astro renders
 * the pages (`start`, called when Vite's bundling is done: then the build runs on one thread
 * and the other core is free, whereas the bundler uses both); `astro:build:done` moves them into
 * the output folder (a rename per top-level entry). Written there and then on the build's own
 * thread, they cost a warm build of the bench site about 0.3 s: the files are many and small,
 * and that thread is the one the build waits for. Where no worker can start, or nothing started
 * it, they are written when they are moved.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PageReport } from '../engine/api.ts';
import { writeStepsFiles } from '../markdown/steps-files.ts';
import { workerEnv } from '../markdown/worker-env.ts';
import { toSiteReport } from './site-report.ts';

export interface OutputsJob {
  reports: readonly PageReport[];
  seed: number;
  /** The project root: steps files are named by their page's path from it. */
  rootDir: string;
  builtAt: string;
  /** Path of the JSON report inside the output folder; false: none. */
  report: string | false;
}

/** Write the build's files under `dir`, as they go into the output folder. */
export function writeOutputs(dir: string, job: OutputsJob): void {
  writeStepsFiles(dir, job.rootDir, job.reports, job.seed);
  if (job.report === false) return;
  const path = join(dir, job.report);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(toSiteReport(job.reports, job.seed, job.builtAt), null, 2)}\n`);
}

export interface StagedOutputs {
  /** Start writing them in a worker thread (once; later calls do nothing). */
  start(): void;
  /** Put the files into the output folder (waits for the worker; writes them here if it failed or never started). */
  moveInto(outDir: string): Promise<void>;
}

const STAGING_PREFIX = 'staging-';

/** The build's files, to be written by a worker thread into a folder of this process's under `parent`. */
export function stageOutputs(parent: string, job: OutputsJob): StagedOutputs {
  const staging = join(parent, `${STAGING_PREFIX}${process.pid}`);
  let written: Promise<boolean> = Promise.resolve(false);
  let started = false;
  return {
    start() {
      if (started) return;
      started = true;
      sweepStaging(parent);
      rmSync(staging, { recursive: true, force: true });
      written = writeInWorker(staging, job);
    },
    async moveInto(outDir) {
      try {
        if (await written) moveEntries(staging, outDir);
        else writeOutputs(outDir, job);
      } finally {
        rmSync(staging, { recursive: true, force: true });
      }
    },
  };
}

function writeInWorker(staging: string, job: OutputsJob): Promise<boolean> {
  try {
    const env = workerEnv();
    const worker = new Worker(new URL('./outputs-worker.ts', import.meta.url), { workerData: { staging, job }, ...(env ? { env } : {}) });
    return new Promise((resolve) => {
      let ok = false;
      worker.once('message', (done: boolean) => {
        ok = done;
      });
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(ok));
    });
  } catch {
    return Promise.resolve(false); // no workers in this runtime
  }
}

/** Move each top-level entry of `from` into `to`: a rename, or a copy where one is already there. */
function moveEntries(from: string, to: string): void {
  if (!existsSync(from)) return; // nothing to write: no report, no page with a derivation
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const target = join(to, name);
    if (!existsSync(target)) {
      try {
        renameSync(join(from, name), target);
        continue;
      } catch {
        // another file system: copied below
      }
    }
    cpSync(join(from, name), target, { recursive: true, force: true });
  }
}

/** Remove staging folders left by builds that were killed (their process is gone). */
function sweepStaging(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length));
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
