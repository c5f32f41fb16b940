/**
 * The parallel pool and the CLI's cache options: reports from worker threads are the reports of
 * one thread, and `npm run verify` with a cache, without one (--no-cache) and on two threads
 * prints the same thing.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isCached, reportOf, summaryOf } from '../../src/markdown/cache.ts';
import { poolStats, startVerifyFiles, verifyFiles } from '../../src/markdown/pool.ts';
import { pageSummary } from '../../src/report/summary.ts';
import type { VerifyTask } from '../../src/markdown/worker.ts';
import { findMarkdownFiles, forgetMemo } from '../../src/markdown/verify.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'tests/fixtures/cli');
const scratch = mkdtempSync(join(tmpdir(), 'proofsheet-pool-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'src/cli/verify.ts'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `count` copies of the cheat sheet (13 formulas each) in a folder of the scratch space. */
function cheatSheetCopies(folder: string, count: number): string[] {
  const dir = join(scratch, folder);
  mkdirSync(dir, { recursive: true });
  const files = Array.from({ length: count }, (_, i) => join(dir, `p${String(i).padStart(2, '0')}.md`));
  for (const f of files) copyFileSync(join(root, 'content/cheat-sheet/matrix-derivatives.md'), f);
  return files;
}

describe('verification pool', () => {
  it('gives the same reports on two worker threads as on one thread, in the same order', async () => {
    const files = findMarkdownFiles([fixtures, join(root, 'content/cheat-sheet')]);
    forgetMemo();
    const one = await verifyFiles(files, { threads: 1 });
    forgetMemo();
    const two = await verifyFiles(files, { threads: 2 });
    expect(poolStats).toMatchObject({ threads: 2, fallbacks: 0 });
    expect(two).toEqual(one);
    expect(two.map((r) => r.file)).toEqual(one.map((r) => r.file));
  });

  it('a file asked for while the pool runs is checked before the files queued ahead of it', async () => {
    // the build's remark plugin asks for the page Astro is rendering (pendingReport)
    const files = cheatSheetCopies('queue', 24);
    forgetMemo();
    // the order in which the files are handed to the workers (the order in which they finish
    // depends on how fast each worker runs, which a busy machine decides)
    const handed = vi.spyOn(Tinypool.prototype, 'run');
    try {
      const run = startVerifyFiles(files, { threads: 2 });
      const asked = files[20]!;
      const report = await run.report(asked)!;
      expect(report.formulas.length).toBeGreaterThan(0);
      const reports = await run.all();
      expect(reports).toHaveLength(files.length);
      expect(reports[20]).toBe(report);
      // eight tasks go out at once (four per worker); the file asked for goes next, before the 9th to 24th
      const sent = handed.mock.calls.map(([task]) => (task as VerifyTask).path);
      expect(sent).toEqual([...files.slice(0, 8), asked, ...files.slice(8, 20), ...files.slice(21)]);
      expect(run.report(join(scratch, 'queue', 'not-in-the-run.md'))).toBeUndefined();
    } finally {
      handed.mockRestore();
    }
  });

  it('beside a busy thread (the Astro build), the pool leaves it a core (one worker on two cores), with the same reports', async () => {
    // enough formulas for 'auto' to start a pool (POOL_MIN_FORMULAS)
    const files = cheatSheetCopies('beside', 45);
    forgetMemo();
    const reports = await startVerifyFiles(files, { beside: true }).all();
    expect(poolStats.threads).toBe(Math.max(1, availableParallelism() - 1));
    expect(poolStats.fallbacks).toBe(0);
    forgetMemo();
    expect(reports).toEqual(await verifyFiles(files, { threads: 1 }));
  });

  it('reads the disk cache after it returns, and a file asked for meanwhile gets the cached report', async () => {
    // the build starts the run in astro:config:setup: reading 300 cache entries there would hold up Astro's start
    const files = cheatSheetCopies('cached', 6);
    const cacheDir = join(scratch, 'pool-cache');
    forgetMemo();
    const cold = await verifyFiles(files, { threads: 1, cacheDir });
    forgetMemo();
    let answered = 0;
    const run = startVerifyFiles(files, { cacheDir, progress: () => answered++ });
    expect(answered).toBe(0);
    const asked = run.report(files[3]!)!;
    expect(answered).toBe(0);
    const reports = await run.all();
    expect(await asked).toBe(reports[3]);
    expect(reports).toEqual(cold);
    expect(poolStats).toMatchObject({ threads: 1, fromCache: files.length });
  });

  it('gives the build the cached answers unparsed, with their summaries, beside the reports it checked', async () => {
    const files = cheatSheetCopies('results', 4);
    const cacheDir = join(scratch, 'results-cache');
    forgetMemo();
    const cold = await verifyFiles(files, { threads: 1, cacheDir });
    // one page edited since: it is checked again, the others come from the cache
    appendFileSync(files[2]!, '\nOne more sentence.\n');
    forgetMemo();
    const results = await startVerifyFiles(files, { cacheDir, beside: true }).results();
    expect(results.map(isCached)).toEqual([true, true, false, true]);
    expect(results.map(summaryOf)).toEqual(cold.map(pageSummary));
    expect(results.map(reportOf)).toEqual(cold);
  });

  it('npm run verify: same output with a cold cache, a warm cache, --no-cache and --jobs 2', () => {
    const cacheDir = join(scratch, 'cache');
    const cold = cli(fixtures, '--cache-dir', cacheDir);
    expect(existsSync(join(cacheDir, 'pages'))).toBe(true);
    const warm = cli(fixtures, '--cache-dir', cacheDir);
    const none = cli(fixtures, '--no-cache', '--cache-dir', join(scratch, 'unused'));
    const jobs = cli(fixtures, '--no-cache', '--jobs', '2');
    expect(cold.status).toBe(1);
    for (const r of [warm, none, jobs]) {
      expect(r.status).toBe(cold.status);
      expect(r.stdout).toBe(cold.stdout);
    }
    expect(existsSync(join(scratch, 'unused'))).toBe(false);
    expect(cli(fixtures, '--jobs', '0').status).toBe(2);
  });
});
