#!/usr/bin/env node
/**
 * npm run fuzz -- [--runs 100000] [--seed 1] [--threads N] [--slow-ms 1000]
 *
 * Fuzzes the reader and the checker with fast-check: formulas from a LaTeX grammar, real
 * formulas of content/ mutated token by token (delete, insert, swap, replace, duplicate,
 * truncate; in their page context), and raw strings. Properties of every case:
 *   - verifyPage returns a result for the formula (never throws);
 *   - no case costs more than --slow-ms (1 s);
 *   - every `error` has a message, and an error about the LaTeX (parse, unknown macro or symbol,
 *     shape, unsupported, too large) has a `source` span inside the formula;
 *   - no `internal` error (the engine disagreeing with itself or crashing).
 * Cases run on every core, in worker threads watched by the main thread: a case that hangs is
 * reported with its LaTeX and the worker replaced. Exit status 1 when any property fails.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

interface Job {
  seed: number;
  runs: number;
  slowMs: number;
  sab: SharedArrayBuffer;
}

interface Example {
  what: string;
  detail: string;
  kind: string;
  latex: string;
  from?: string;
  file: string;
}

interface Summary {
  runs: number;
  ms: number;
  kinds: Record<string, number>;
  verdicts: Record<string, number>;
  problems: Record<string, number>;
  examples: Example[];
  slowest: { ms: number; latex: string; file: string }[];
}

const MAX_CHARS = 16_384;
const BATCH = 500;

/** [progress, length of the current case] then the case as UTF-16. */
function views(sab: SharedArrayBuffer) {
  return { head: new Int32Array(sab, 0, 2), text: new Uint16Array(sab, 8, MAX_CHARS) };
}

function readCurrent(sab: SharedArrayBuffer): string {
  const { head, text } = views(sab);
  const n = Math.min(Atomics.load(head, 1), MAX_CHARS);
  return String.fromCharCode(...text.subarray(0, n));
}

async function worker(job: Job): Promise<void> {
  const fc = (await import('fast-check')).default;
  const { contextIdentities, loadCorpus } = await import('./lib/corpus.ts');
  const { checkCase, fuzzCase } = await import('./lib/fuzz-cases.ts');
  const pool = contextIdentities(loadCorpus());
  const arb = fuzzCase(pool);
  const { head, text } = views(job.sab);
  const summary: Summary = { runs: 0, ms: 0, kinds: {}, verdicts: {}, problems: {}, examples: [], slowest: [] };
  const perKind = new Map<string, number>();
  const started = performance.now();
  for (let batch = 0; summary.runs < job.runs; batch++) {
    const cases = fc.sample(arb, { numRuns: Math.min(BATCH, job.runs - summary.runs), seed: job.seed * 100_003 + batch });
    for (const c of cases) {
      const current = JSON.stringify({ kind: c.kind, latex: c.latex, file: c.page.file, from: c.from }).slice(0, MAX_CHARS);
      for (let i = 0; i < current.length; i++) text[i] = current.charCodeAt(i);
      Atomics.store(head, 1, current.length);
      const outcome = checkCase(c, job.slowMs);
      Atomics.add(head, 0, 1);
      summary.runs++;
      summary.kinds[c.kind] = (summary.kinds[c.kind] ?? 0) + 1;
      const verdict = `${c.kind} ${outcome.result?.status ?? 'none'}`;
      summary.verdicts[verdict] = (summary.verdicts[verdict] ?? 0) + 1;
      if (summary.slowest.length < 5 || outcome.ms > summary.slowest[summary.slowest.length - 1]!.ms) {
        summary.slowest.push({ ms: outcome.ms, latex: c.latex, file: c.page.file });
        summary.slowest.sort((a, b) => b.ms - a.ms);
        summary.slowest.length = Math.min(summary.slowest.length, 5);
      }
      for (const p of outcome.problems) {
        const key = p.what === 'internal' || p.what === 'no-source' ? `${p.what}: ${p.detail.replace(/\d+(\.\d+)?(e-?\d+)?/g, 'N').slice(0, 60)}` : p.what;
        summary.problems[p.what] = (summary.problems[p.what] ?? 0) + 1;
        const seen = perKind.get(key) ?? 0;
        if (seen < 3) summary.examples.push({ what: p.what, detail: p.detail, kind: c.kind, latex: c.latex, ...(c.from ? { from: c.from } : {}), file: c.page.file });
        perKind.set(key, seen + 1);
      }
    }
  }
  summary.ms = performance.now() - started;
  parentPort!.postMessage(summary);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      runs: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      threads: { type: 'string' },
      'slow-ms': { type: 'string', default: '1000' },
      'hang-s': { type: 'string', default: '60' },
    },
  });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  const threads = Math.max(1, Math.min(Number(values.threads ?? availableParallelism()), runs));
  const slowMs = Number(values['slow-ms']);
  const hangMs = Number(values['hang-s']) * 1000;
  console.log(`fuzz: ${runs} cases, seed ${seed}, ${threads} worker thread(s); a case may take ${slowMs} ms, a worker stuck ${hangMs / 1000} s on one case is a hang`);

  const total: Summary = { runs: 0, ms: 0, kinds: {}, verdicts: {}, problems: {}, examples: [], slowest: [] };
  const hangs: Example[] = [];
  const started = performance.now();
  let nextSeed = seed * 1000;
  const merge = (s: Summary) => {
    total.runs += s.runs;
    for (const key of ['kinds', 'verdicts', 'problems'] as const) for (const [k, v] of Object.entries(s[key])) total[key][k] = (total[key][k] ?? 0) + v;
    total.examples.push(...s.examples);
    total.slowest.push(...s.slowest);
  };

  const start = (share: number): Promise<void> =>
    new Promise((resolve) => {
      const sab = new SharedArrayBuffer(8 + 2 * MAX_CHARS);
      const job: Job = { seed: nextSeed++, runs: share, slowMs, sab };
      const w = new Worker(new URL(import.meta.url), { workerData: job });
      const { head } = views(sab);
      let last = 0;
      let lastChange = performance.now();
      let finished = false;
      const watch = setInterval(() => {
        const progress = Atomics.load(head, 0);
        if (progress !== last) {
          last = progress;
          lastChange = performance.now();
          return;
        }
        if (progress > 0 && performance.now() - lastChange > hangMs) {
          const c = JSON.parse(readCurrent(sab) || '{}') as Example;
          hangs.push({ ...c, what: 'hang', detail: `no answer after ${hangMs / 1000} s` });
          console.log(`  HANG after ${progress} cases of worker seed ${job.seed}: ${JSON.stringify(c.latex)}`);
          finished = true;
          clearInterval(watch);
          total.runs += progress + 1;
          void w.terminate();
          // the rest of this worker's share, on a fresh worker
          void start(share - progress - 1).then(resolve);
        }
      }, 1000);
      w.on('message', (s: Summary) => {
        finished = true;
        clearInterval(watch);
        merge(s);
        resolve();
      });
      w.on('error', (e) => {
        if (finished) return;
        finished = true;
        clearInterval(watch);
        const c = JSON.parse(readCurrent(sab) || '{}') as Example;
        hangs.push({ ...c, what: 'crash', detail: String(e) });
        console.log(`  worker crashed (${e}) on ${JSON.stringify(c.latex)}`);
        const done = Atomics.load(head, 0);
        total.runs += done;
        void start(share - done - 1).then(resolve);
      });
    });

  const progress = setInterval(() => console.log(`  … ${((performance.now() - started) / 1000).toFixed(0)} s`), 30_000);
  await Promise.all(Array.from({ length: threads }, (_, i) => start(Math.floor(runs / threads) + (i < runs % threads ? 1 : 0))));
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;

  console.log(`\n${total.runs} cases in ${seconds.toFixed(1)} s (${(total.runs / seconds).toFixed(0)}/s)`);
  console.log(`cases: ${Object.entries(total.kinds).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  console.log(
    `verdicts: ${Object.entries(total.verdicts)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  total.slowest.sort((a, b) => b.ms - a.ms);
  console.log('slowest cases:');
  for (const s of total.slowest.slice(0, 5)) console.log(`  ${s.ms.toFixed(0).padStart(6)} ms  ${JSON.stringify(s.latex).slice(0, 160)}`);
  const problems = Object.entries(total.problems);
  if (problems.length === 0 && hangs.length === 0) {
    console.log('\nall properties hold: no throw, no hang, no case over the time limit, every error has a message and, when about the LaTeX, a span inside it, no internal error');
    return;
  }
  console.log(`\nPROBLEMS: ${[...problems.map(([k, v]) => `${v} ${k}`), ...(hangs.length ? [`${hangs.length} hang/crash`] : [])].join(', ')}`);
  for (const e of [...hangs, ...total.examples].slice(0, 60)) {
    console.log(`  [${e.what}] ${e.detail.slice(0, 200)}`);
    console.log(`      ${e.kind} case in ${e.file}: ${JSON.stringify(e.latex).slice(0, 300)}`);
    if (e.from) console.log(`      mutated from: ${JSON.stringify(e.from).slice(0, 300)}`);
  }
  process.exitCode = 1;
}

if (isMainThread) await main();
else await worker(workerData as Job);
