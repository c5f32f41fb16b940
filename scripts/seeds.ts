#!/usr/bin/env node
/**
 * npm run seeds -- [N] [--from S] [--dir content] [--threads N]
 *
 * Determinism: checks the whole site under N different seeds (S, S+1, …; default 100 from 1) and
 * reports whether every formula gets the same verdict under every seed. `proved` ↔ `verified`
 * changes are reported apart from pass ↔ fail changes (a formula that passes under one seed and
 * fails under another). Also checks that the same seed, run twice in different threads, gives
 * byte-identical reports. Exit status 1 when any verdict depends on the seed.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Tinypool from 'tinypool';
import type { Verdict } from '../src/engine/api.ts';
import { ROOT } from './lib/corpus.ts';
import type { SeedRun } from './lib/seed-worker.ts';

export interface SeedsOutcome {
  seeds: number[];
  formulas: number;
  /** Formulas whose verdict is not the same under every seed: key → verdict → seeds. */
  unstable: Map<string, Map<Verdict, number[]>>;
  sameSeedIdentical: boolean;
  ms: number;
}

const pass = (v: Verdict) => v === 'proved' || v === 'verified';

/** Run the folder under every seed (on a pool of worker threads) and compare the verdicts. */
export async function compareSeeds(dir: string, seeds: number[], threads = availableParallelism()): Promise<SeedsOutcome> {
  const started = performance.now();
  const pool = new Tinypool({ filename: new URL('./lib/seed-worker.ts', import.meta.url).href, minThreads: 1, maxThreads: Math.max(1, threads) });
  try {
    const runs = (await Promise.all(seeds.map((seed) => pool.run({ dir, seed })))) as SeedRun[];
    const again = (await pool.run({ dir, seed: seeds[0]! })) as SeedRun;
    const byKey = new Map<string, Map<Verdict, number[]>>();
    for (const r of runs) {
      for (const [key, verdict] of r.verdicts) {
        const m = byKey.get(key) ?? new Map<Verdict, number[]>();
        byKey.set(key, m);
        m.set(verdict, [...(m.get(verdict) ?? []), r.seed]);
      }
    }
    const unstable = new Map([...byKey].filter(([, m]) => m.size > 1));
    return { seeds, formulas: byKey.size, unstable, sameSeedIdentical: again.json === runs[0]!.json, ms: performance.now() - started };
  } finally {
    await pool.destroy();
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { from: { type: 'string', default: '1' }, dir: { type: 'string', default: join(ROOT, 'content') }, threads: { type: 'string' } },
  });
  const n = Number(positionals[0] ?? 100);
  const from = Number(values.from);
  const seeds = Array.from({ length: n }, (_, i) => from + i);
  console.log(`seeds: checking ${values.dir} under ${n} seeds (${from}…${from + n - 1})`);
  const out = await compareSeeds(values.dir, seeds, values.threads ? Number(values.threads) : undefined);
  console.log(`${out.formulas} formulas × ${n} seeds in ${(out.ms / 1000).toFixed(1)} s`);
  console.log(`same seed twice: ${out.sameSeedIdentical ? 'byte-identical reports' : 'DIFFERENT reports'}`);
  if (out.unstable.size === 0) {
    console.log(`every formula has the same verdict under all ${n} seeds`);
    if (!out.sameSeedIdentical) process.exitCode = 1;
    return;
  }
  const flips = [...out.unstable].filter(([, m]) => [...m.keys()].some(pass) && [...m.keys()].some((v) => !pass(v)));
  console.log(`\n${out.unstable.size} formula(s) whose verdict depends on the seed, ${flips.length} of them passing under some seeds and failing under others:`);
  for (const [key, m] of out.unstable) {
    const parts = [...m].map(([v, s]) => `${v} ×${s.length}${s.length <= 5 ? ` (seed ${s.join(', ')})` : ''}`);
    console.log(`  ${flips.some(([k]) => k === key) ? 'PASS/FAIL' : 'proof    '} ${key}: ${parts.join(', ')}`);
  }
  process.exitCode = 1;
}

if (import.meta.main) await main();
