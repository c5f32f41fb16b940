/**
 * The checker alone, for `npm run bench`: a fresh process that loads the engine, extracts the
 * pages of a folder (not timed), verifies every page once (timed: the build's work), then times
 * each identity on its own (its page up to it, minus that page without it). Prints JSON.
 */
export {};

const t0 = performance.now();
const { verifyPage } = await import('../../src/engine/index.ts');
const loadMs = performance.now() - t0;
const { parseMarkdownFile } = await import('../../src/markdown/extract.ts');
const { findMarkdownFiles } = await import('../../src/markdown/verify.ts');
const pages = findMarkdownFiles([process.argv[2]!]).map((f) => parseMarkdownFile(f));

// cold pass: every page once, as the build does
let formulas = 0;
let identities = 0;
const statuses: Record<string, number> = {};
const c0 = performance.now();
for (const page of pages) {
  for (const f of verifyPage(page).formulas) {
    formulas++;
    if (f.kind === 'identity') identities++;
    statuses[f.status] = (statuses[f.status] ?? 0) + 1;
  }
}
const checkMs = performance.now() - c0;

// per identity: its page up to it (declarations, definitions) with and without it
const times: { ms: number; latex: string; file: string; id: string }[] = [];
for (const page of pages) {
  const context: typeof page.items = [];
  for (const item of page.items) {
    if (item.type === 'declare' || item.kind === 'definition') {
      context.push(item);
      continue;
    }
    const base = { ...page, items: [...context] };
    const one = { ...page, items: [...context, item] };
    let b = Infinity;
    for (let k = 0; k < 2; k++) {
      const s = performance.now();
      verifyPage(base);
      b = Math.min(b, performance.now() - s);
    }
    const s = performance.now();
    verifyPage(one);
    const ms = Math.max(0, performance.now() - s - b);
    times.push({ ms, latex: item.latex.replace(/\s+/g, ' ').trim(), file: page.file, id: item.id ?? '' });
  }
}
times.sort((a, b) => a.ms - b.ms);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
process.stdout.write(
  `${JSON.stringify({
    loadMs,
    checkMs,
    formulas,
    identities,
    definitions: formulas - identities,
    statuses,
    median: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    slowest: times.slice(-Number(process.env.BENCH_SLOWEST ?? 5)).reverse(),
    sumMs: times.reduce((s, t) => s + t.ms, 0),
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  })}\n`,
);
