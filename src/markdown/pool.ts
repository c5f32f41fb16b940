/**
 * Verify many Markdown files, on every core when there is enough work: a tinypool of worker
 * threads, one file per task. Unchanged files are answered from the disk cache first, without a
 * worker; the pool is only started when what is left is large enough to repay starting it.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import type { PageReport } from '../engine/api.ts';
import { DEFAULT_SEED } from '../engine/api.ts';
import { cachedFileReport, remember, verifyFileReport, type CheckOptions } from './verify.ts';
import type { VerifyTask, VerifyTaskResult } from './worker.ts';

/** Below this many formulas to check, one thread is faster than starting workers (~0.5 s each). */
export const POOL_MIN_FORMULAS = 500;

export interface FilesOptions extends CheckOptions {
  /** Worker threads: 'auto' (the default) uses every core when the work is large enough; 1 never starts a pool. */
  threads?: number | 'auto';
  /** Called after each file. */
  progress?: (done: number, total: number, path: string) => void;
}

/** What the last call did, for tests and the benchmark. */
export const poolStats = { threads: 0, fromCache: 0, fallbacks: 0 };

const DIRECTIVE = /^\s*:::?(identity|definition)\b|:identity\[/gm;

/** Roughly how many formulas a file holds (its formula directives). */
function estimate(path: string): number {
  try {
    return readFileSync(path, 'utf8').match(DIRECTIVE)?.length ?? 0;
  } catch {
    return 0;
  }
}

/** Reports of the files, in the order given. Never throws for a formula; an unreadable file throws. */
export async function verifyFiles(paths: string[], options: FilesOptions = {}): Promise<PageReport[]> {
  const { threads = 'auto', progress, ...check } = options;
  const reports: (PageReport | undefined)[] = paths.map((path) => cachedFileReport(path, check));
  let done = 0;
  const tick = (path: string) => progress?.(++done, paths.length, path);
  const todo: number[] = [];
  reports.forEach((report, index) => (report ? tick(paths[index]!) : todo.push(index)));

  const cores = availableParallelism();
  const wanted = threads === 'auto' ? (todo.reduce((n, i) => n + estimate(paths[i]!), 0) >= POOL_MIN_FORMULAS ? cores : 1) : threads;
  const count = Math.max(1, Math.min(wanted, todo.length));
  poolStats.threads = count;
  poolStats.fromCache = paths.length - todo.length;
  poolStats.fallbacks = 0;
  if (count > 1) {
    let pool: Tinypool | undefined;
    try {
      pool = new Tinypool({ filename: new URL('./worker.ts', import.meta.url).href, minThreads: count, maxThreads: count, idleTimeout: 1000 });
      const engineOptions = { seed: check.seed ?? DEFAULT_SEED, ...(check.trials ? { trials: check.trials } : {}) };
      await Promise.all(
        todo.map(async (index) => {
          const task: VerifyTask = { path: paths[index]!, options: check };
          const result = (await pool!.run(task)) as VerifyTaskResult;
          reports[index] = result.report;
          if (result.page) remember(result.page, engineOptions, result.report);
          tick(paths[index]!);
        }),
      );
    } catch {
      // no workers here (a bundled or sandboxed runtime): the files left are checked below
      poolStats.fallbacks++;
    } finally {
      await pool?.destroy();
    }
  }
  for (const index of todo) {
    if (reports[index]) continue;
    reports[index] = verifyFileReport(paths[index]!, check).report;
    tick(paths[index]!);
  }
  return reports as PageReport[];
}
