/**
 * The files a build adds to the site: `verification.json` and the per-page steps files; and,
 * first, the index of the site report that the `/verification/` page reads when it is rendered
 * (as JSON text, handed over in memory: it is never written to disk).
 *
 * The reports the disk cache answered reach this module as JSON (pool.ts): they are parsed in the
 * worker, not on the build's thread.
 *
 * A worker thread writes them into a staging folder in Astro's cache folder while Astro renders
 * the pages (`start`, called when Vite's bundling is done: then the build runs on one thread
 * and the other core is free, whereas the bundler uses both); `astro:build:done` moves them into
 * the output folder (a rename per top-level entry). Written there and then on the build's own
 * thread, they cost a warm build of the bench site about 0.3 s: the files are many and small,
 * and that thread is the one the build waits for. Where no worker can start, or nothing started
 * it, they are written when they are moved.
 *
 * The previous build's copies of these files are in the output folder, which Astro empties on the
 * build's thread before it bundles: `retire` moves them out first (a rename each; the bench site's
 * 301 steps files took that thread 15 ms to delete), and the worker starts from them: the files
 * that have not changed are kept, the rest is deleted (`stageOutputFiles`).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, normalize, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PageReport } from '../engine/api.ts';
import { reportOf, type PageResult } from '../markdown/cache.ts';
import { stepsFiles } from '../markdown/steps-files.ts';
import { workerEnv } from '../markdown/worker-env.ts';
import { toReportIndex, toSiteReport } from './site-report.ts';

export interface OutputsJob {
  reports: readonly PageResult[];
  seed: number;
  /** The project root: steps files are named by their page's path from it. */
  rootDir: string;
  /** When the build started (ISO 8601), for the `/verification/` page; not in `verification.json`. */
  builtAt: string;
  /** Path of the JSON report inside the output folder; false: none. */
  report: string | false;
  /** Whether the `/verification/` page wants the report index. */
  index?: boolean;
}

/** The reports of a job, parsed. */
export function jobReports(job: OutputsJob): PageReport[] {
  return job.reports.map(reportOf);
}

/** The report index for the `/verification/` page, as JSON text. */
export function reportIndexJson(job: OutputsJob, reports: readonly PageReport[] = jobReports(job)): string {
  return JSON.stringify(toReportIndex(toSiteReport(reports, job.seed), job.builtAt));
}

/** The build's files (not the report index), by their path in the output folder (this system's separators). */
export function outputFiles(job: OutputsJob, reports: readonly PageReport[] = jobReports(job)): Map<string, string> {
  const files = stepsFiles(job.rootDir, reports, job.seed);
  if (job.report !== false) files.set(normalize(job.report), `${JSON.stringify(toSiteReport(reports, job.seed), null, 2)}\n`);
  return files;
}

/** Write the build's files under `dir`, as they go into the output folder (not the report index). */
export function writeOutputs(dir: string, job: OutputsJob, reports: readonly PageReport[] = jobReports(job)): void {
  for (const [path, text] of outputFiles(job, reports)) write(join(dir, path), text);
}

/**
 * Make the staging folder hold exactly the build's files, starting from the previous build's
 * (the entries `retire` moved out of the output folder, in `previous`): they are moved in, a file
 * whose bytes are already right is kept, every other file or folder is deleted, and what is
 * missing is written. A warm build mostly rewrites the same files: a kept file costs a read
 * instead of a write and a deletion (on the bench site, 5 ms for 301 steps files instead of about
 * 0.2 s). A changed file is written as a new file, never into the old one.
 */
export function stageOutputFiles(staging: string, job: OutputsJob, reports: readonly PageReport[], previous?: string): void {
  mkdirSync(staging, { recursive: true });
  if (previous && existsSync(previous)) for (const name of readdirSync(previous)) renameSync(join(previous, name), join(staging, name));
  const files = outputFiles(job, reports);
  const kept = new Set<string>();
  /** Sort out a folder of the staging folder (relative path); true when nothing is left in it. */
  const sort = (folder: string): boolean => {
    let empty = true;
    for (const entry of readdirSync(join(staging, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const text = files.get(path);
      if (entry.isFile() && text !== undefined && readFileSync(join(staging, path)).equals(Buffer.from(text))) {
        kept.add(path);
        empty = false;
      } else if (entry.isDirectory() && !sort(path)) {
        empty = false;
      } else {
        rmSync(join(staging, path), { recursive: true, force: true });
      }
    }
    return empty;
  };
  sort('');
  for (const [path, text] of files) if (!kept.has(path)) write(join(staging, path), text);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export interface StagedOutputs {
  /** Start making them in a worker thread, the report index first (once; later calls do nothing). */
  start(): void;
  /** The report index as JSON text (from the worker, or made here when it could not); undefined without `job.index`. */
  index(): Promise<string | undefined>;
  /** Put the files into the output folder (waits for the worker; writes them here if it failed or never started). */
  moveInto(outDir: string): Promise<void>;
  /**
   * Move the top-level entries of the output folder that hold these paths (the previous build's
   * outputs, relative to it) into the staging folder's parent, as Astro is about to empty the
   * output folder: the worker keeps their unchanged files and deletes the rest (without a worker,
   * `moveInto` deletes them). Entries that cannot be moved are left there.
   */
  retire(outDir: string, paths: readonly string[]): void;
  /** Put the retired entries back (the build stopped before Astro emptied the output folder). */
  restore(): void;
}

const STAGING_PREFIX = 'staging-';
const RETIRED_PREFIX = 'retired-';

/** The build's files, to be written by a worker thread into a folder of this process's under `parent`. */
export function stageOutputs(parent: string, job: OutputsJob): StagedOutputs {
  const staging = join(parent, `${STAGING_PREFIX}${process.pid}`);
  const retired = join(parent, `${RETIRED_PREFIX}${process.pid}`);
  /** Entries moved out of the output folder: where they were. */
  const moved: string[] = [];
  let worker: WorkerWrites = { indexed: Promise.resolve(undefined), written: Promise.resolve(false) };
  let started = false;
  let index: Promise<string | undefined> | undefined;
  return {
    start() {
      if (started) return;
      started = true;
      sweepStaging(parent);
      rmSync(staging, { recursive: true, force: true });
      worker = writeInWorker(staging, job, moved.length > 0 ? retired : undefined);
    },
    index() {
      index ??= (async () => {
        if (!job.index) return undefined;
        return (await worker.indexed) ?? reportIndexJson(job);
      })();
      return index;
    },
    async moveInto(outDir) {
      try {
        if (await worker.written) moveEntries(staging, outDir);
        else writeOutputs(outDir, job);
      } finally {
        rmSync(staging, { recursive: true, force: true });
        rmSync(retired, { recursive: true, force: true }); // gone already when the worker deleted it
      }
    },
    retire(outDir, paths) {
      const names = new Set(paths.map((path) => relative(outDir, join(outDir, path)).split(sep)[0]!));
      for (const name of names) {
        const from = join(outDir, name);
        if (name === '' || name === '..' || !existsSync(from)) continue;
        try {
          mkdirSync(retired, { recursive: true });
          renameSync(from, join(retired, name));
          moved.push(from);
        } catch {
          // another file system, or in use: Astro deletes it
        }
      }
    },
    restore() {
      for (const to of moved.splice(0)) {
        const from = join(retired, basename(to));
        if (existsSync(from) && !existsSync(to)) renameSync(from, to);
      }
      rmSync(retired, { recursive: true, force: true });
    },
  };
}

/** What the worker says: `indexed`, the report index's JSON (undefined: none came), `written` once the rest is (false: it could not). */
interface WorkerWrites {
  indexed: Promise<string | undefined>;
  written: Promise<boolean>;
}

/** What the worker is given: where to write, what, and the previous build's files to start from. */
export interface OutputsWorkerData {
  staging: string;
  job: OutputsJob;
  /** The previous build's entries (`retire`): unchanged files are kept, what is left is deleted. */
  retired?: string;
}

/** The worker's messages: the report index (its JSON), then the staged files written (or that it could not). */
export type OutputsMessage = { indexed: string } | 'written' | 'failed';

function writeInWorker(staging: string, job: OutputsJob, retired: string | undefined): WorkerWrites {
  try {
    const env = workerEnv();
    const workerData: OutputsWorkerData = { staging, job, ...(retired ? { retired } : {}) };
    const worker = new Worker(new URL('./outputs-worker.ts', import.meta.url), { workerData, ...(env ? { env } : {}) });
    let written = false;
    let resolveIndexed!: (indexed: string | undefined) => void;
    const indexed = new Promise<string | undefined>((resolve) => (resolveIndexed = resolve));
    worker.on('message', (message: OutputsMessage) => {
      if (typeof message === 'object') resolveIndexed(message.indexed);
      if (message === 'written') written = true;
    });
    const exited = new Promise<void>((resolve) => {
      worker.once('error', () => resolve());
      worker.once('exit', () => resolve());
    });
    void exited.then(() => resolveIndexed(undefined)); // no index message before the worker ended
    return { indexed, written: exited.then(() => written) };
  } catch {
    return { indexed: Promise.resolve(undefined), written: Promise.resolve(false) }; // no workers in this runtime
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

/** Remove staging and retired folders left by builds that were killed (their process is gone). */
function sweepStaging(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const prefix = [STAGING_PREFIX, RETIRED_PREFIX].find((p) => name.startsWith(p));
    if (!prefix) continue;
    const pid = Number(name.slice(prefix.length));
    // this build's retired folder is the worker's to start from (its staging folder is emptied anyway)
    if (pid === process.pid && prefix === RETIRED_PREFIX) continue;
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
