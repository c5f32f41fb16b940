/**
 * Verify many Markdown files, on every core when there is enough work: a tinypool of worker
 * threads, one file per task. Unchanged files are answered from the disk cache first, without a
 * worker; the pool is only started when what is left is large enough to repay starting it.
 *
 * `startVerifyFiles` runs in the background: the Astro build starts it before Astro renders the
 * pages and awaits it before anything is written, and the remark plugin asks for the report of
 * the page it renders (`pendingReport`), which moves that file to the front of the queue. So the
 * checking overlaps Astro's own work instead of preceding it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import Tinypool from 'tinypool';
import type { PageReport } from '../engine/api.ts';
import { isCached, reportOf, type CachedReport, type PageResult } from './cache.ts';
import { cachedFileReport, engineOptions, remember, verifyFileReport, type CheckOptions } from './verify.ts';
import type { VerifyTask, VerifyTaskResult } from './worker.ts';
import { workerEnv } from './worker-env.ts';

/** Below this many formulas to check, one thread is faster than starting workers (~0.5 s each). */
export const POOL_MIN_FORMULAS = 500;

/** Tasks queued in each worker (a file moved to the front waits for at most this many). */
const IN_FLIGHT = 4;

export interface FilesOptions extends CheckOptions {
  /** Worker threads: 'auto' (the default) uses every core when the work is large enough; 1 never starts a pool. */
  threads?: number | 'auto';
  /**
   * With 'auto': this thread has its own work meanwhile (the Astro build), so the pool leaves it
   * a core (one worker on two cores). Measured with `npm run bench`: a second worker competing
   * with the build's own thread made the build slower, not faster. The worker also runs at the
   * lowest priority (worker.ts), so that it takes only the time the build leaves.
   */
  beside?: boolean;
  /** Called after each file. */
  progress?: (done: number, total: number, path: string) => void;
}

/** What the last run did, for tests and the benchmark. */
export const poolStats = { threads: 0, fromCache: 0, fallbacks: 0 };

/** A verification under way. */
export interface VerifyRun {
  /** The report of one of the files (checked next when it is still waiting); undefined for any other path. */
  report(path: string): Promise<PageReport> | undefined;
  /** Every report, in the order of the paths. Never rejects for a formula; an unreadable file rejects. */
  all(): Promise<PageReport[]>;
  /**
   * Every result, in the order of the paths, as `all()` but with the disk cache's answers left
   * unparsed (the build's gate needs only their summaries; `reportOf` parses one).
   */
  results(): Promise<PageResult[]>;
}

const DIRECTIVE = /^\s*:::?(identity|definition)\b|:identity\[/gm;

/** Roughly how many formulas a file holds (its formula directives). */
function estimate(path: string): number {
  try {
    return readFileSync(path, 'utf8').match(DIRECTIVE)?.length ?? 0;
  } catch {
    return 0;
  }
}

interface Slot {
  path: string;
  state: 'waiting' | 'running' | 'done';
  /** The disk cache's answer, until `promise` is resolved with it parsed (`parse`). */
  cached?: CachedReport;
  promise: Promise<PageReport>;
  resolve: (report: PageReport) => void;
  reject: (error: unknown) => void;
}

/** Reports of the files, in the order given. Never throws for a formula; an unreadable file throws. */
export function verifyFiles(paths: string[], options: FilesOptions = {}): Promise<PageReport[]> {
  return startVerifyFiles(paths, options).all();
}

/**
 * Start verifying the files. The disk cache answers the unchanged ones first, a few files per
 * turn of the event loop (`answerFromCache`). Then, with one thread, nothing runs until asked
 * for (`report` checks that file, `all` the rest, on this thread); with several, the pool starts.
 */
export function startVerifyFiles(paths: string[], options: FilesOptions = {}): VerifyRun {
  const { threads = 'auto', beside = false, progress, ...check } = options;
  let done = 0;
  const slots = paths.map((path): Slot => {
    let resolve!: Slot['resolve'];
    let reject!: Slot['reject'];
    const promise = new Promise<PageReport>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // awaited through all(); an unawaited rejection must not crash the process
    return { path, state: 'waiting', promise, resolve, reject };
  });
  const byPath = new Map(slots.map((slot) => [resolve(slot.path), slot]));
  const finish = (slot: Slot, report: PageReport | CachedReport) => {
    if (slot.state === 'done') return;
    slot.state = 'done';
    if (isCached(report)) slot.cached = report;
    else slot.resolve(report);
    progress?.(++done, paths.length, slot.path);
  };
  /** Resolve a slot answered by the cache with its report, parsed now (checked again here, should it not parse). */
  const parse = (slot: Slot) => {
    const cached = slot.cached;
    if (!cached) return;
    slot.cached = undefined;
    try {
      slot.resolve(reportOf(cached));
    } catch {
      slot.state = 'waiting';
      here(slot);
    }
  };
  /** Check one file on this thread. */
  const here = (slot: Slot) => {
    if (slot.state === 'done') return;
    try {
      finish(slot, verifyFileReport(slot.path, check).report);
    } catch (error) {
      slot.state = 'done';
      slot.reject(error);
    }
  };

  /** Files asked for (`report`) before the workers had them: handed out first. */
  const urgent: Slot[] = [];
  /** Unset while the cache is read; then whether a pool checks what the cache did not answer. */
  let mode: 'here' | 'pool' | undefined;
  let pump = () => {};
  let finished: Promise<unknown> = Promise.resolve();

  /** Start checking what the cache did not answer: a pool, or this thread when asked. */
  const begin = () => {
    const todo = slots.filter((slot) => slot.state === 'waiting');
    const cores = availableParallelism();
    // 'auto': a pool when the work repays starting it, on every core, or on all but the one this
    // thread keeps busy (`beside`: the Astro build renders pages meanwhile)
    const enough = todo.reduce((n, slot) => n + estimate(slot.path), 0) >= POOL_MIN_FORMULAS;
    const count = threads === 'auto' ? Math.max(1, cores - (beside ? 1 : 0)) : Math.min(threads, todo.length);
    // a single worker only pays beside a busy thread, and only when there is a core for each
    const usePool = todo.length > 1 && (threads === 'auto' ? enough && (count > 1 || (beside && cores > 1)) : threads > 1);
    poolStats.threads = usePool ? count : 1;
    poolStats.fromCache = paths.length - todo.length;
    poolStats.fallbacks = 0;
    if (!usePool) {
      mode = 'here';
      urgent.splice(0).forEach(here);
      return;
    }
    mode = 'pool';
    const engine = engineOptions(check);
    const queue = [...todo];
    let running = 0;
    let broken = false;
    let pool: Tinypool | undefined;
    // no workers here (a bundled or sandboxed runtime): what is left is checked on this thread
    const fallBack = () => {
      if (broken) return;
      broken = true;
      poolStats.fallbacks++;
      for (const slot of slots) if (slot.state !== 'done') here(slot);
    };
    pump = () => {
      // a few tasks per thread in flight, handed to the worker at once: none waits for this
      // thread (busy rendering pages) to send the next one
      while (!broken && running < IN_FLIGHT * count) {
        const slot = urgent.shift() ?? queue.shift();
        if (!slot) break;
        if (slot.state !== 'waiting') continue;
        slot.state = 'running';
        running++;
        const task: VerifyTask = { path: slot.path, options: check, background: beside };
        pool!.run(task).then(
          (result: VerifyTaskResult) => {
            running--;
            if (result.page) remember(result.page, engine, result.report);
            finish(slot, result.report);
            pump();
          },
          () => {
            running--;
            // a worker that failed (an unreadable file, a pool that cannot start threads here):
            // the file is checked again on this thread, which reports its own error
            poolStats.fallbacks++;
            here(slot);
            pump();
          },
        );
      }
    };
    try {
      const env = workerEnv();
      pool = new Tinypool({
        filename: new URL('./worker.ts', import.meta.url).href,
        minThreads: count,
        maxThreads: count,
        concurrentTasksPerWorker: IN_FLIGHT,
        idleTimeout: 1000,
        ...(env ? { env } : {}),
      });
      pump();
    } catch {
      fallBack();
    }
    finished = Promise.allSettled(todo.map((slot) => slot.promise)).finally(() => pool?.destroy());
  };

  // without a cache there is nothing to read first: the pool starts now
  const ready = check.cacheDir ? answerFromCache(slots, check, finish).then(begin) : Promise.resolve(begin());
  /** Every file answered: from the cache, by the pool, or (one thread) checked here now. */
  const settled = async () => {
    await ready;
    if (mode === 'here') slots.forEach(here);
    await finished;
  };
  return {
    report: (path) => {
      const slot = byPath.get(resolve(path));
      if (slot?.cached) parse(slot);
      if (slot?.state === 'waiting') {
        if (mode === 'here') here(slot);
        else {
          urgent.push(slot);
          pump();
        }
      }
      return slot?.promise;
    },
    all: async () => {
      await settled();
      slots.forEach(parse);
      return Promise.all(slots.map((slot) => slot.promise));
    },
    results: async () => {
      await settled();
      return Promise.all(slots.map((slot) => slot.cached ?? slot.promise));
    },
  };
}

/** Unchanged files answered per turn of the event loop (each costs this thread ~0.1 ms). */
const LOOKUPS_PER_TURN = 16;

/**
 * Answer every unchanged file from the disk cache, a few per turn of the event loop: at the start
 * of a build, these reads (about 20 ms for the bench's 301 pages, mostly opening and reading 602
 * files; the reports are not parsed) then fill the time in which the build's thread waits for
 * Astro's own file reads, instead of delaying Astro's start.
 */
function answerFromCache(slots: readonly Slot[], check: CheckOptions, finish: (slot: Slot, report: CachedReport) => void): Promise<void> {
  return new Promise((done) => {
    let next = 0;
    const turn = () => {
      for (const end = Math.min(slots.length, next + LOOKUPS_PER_TURN); next < end; next++) {
        const slot = slots[next]!;
        const cached = slot.state === 'waiting' ? cachedFileReport(slot.path, check) : undefined;
        if (cached) finish(slot, cached);
      }
      if (next < slots.length) setImmediate(turn);
      else done();
    };
    setImmediate(turn);
  });
}

// The run of the current build, for the remark plugin (on globalThis: Astro may load this module twice).
const activeKey = Symbol.for('proofsheet.active-run');
const registry = globalThis as Record<symbol, VerifyRun | undefined>;

/** Make this run the one `pendingReport` answers from (undefined: none). */
export function setActiveRun(run: VerifyRun | undefined): void {
  registry[activeKey] = run;
}

/** The report of a file that the build is verifying, once it is ready; undefined when the build is not verifying it. */
export function pendingReport(path: string): Promise<PageReport> | undefined {
  return registry[activeKey]?.report(path);
}
