#!/usr/bin/env node
/**
 * npm run bench -- [--pages 300] [--per-page 10] [--big 10000] [--reps 3] [--warm-reps 20] [--no-build] [--no-plain] [--no-serial] [--no-pin] [--keep]
 *
 * Generates a synthetic site from the site's own formulas (windows of consecutive identities of
 * content/, with their declarations and definitions, symbols and dimension letters renamed;
 * every renamed window is verified to keep its verdicts) into a temporary folder (.bench/run-…,
 * inside the project so that Astro finds its node_modules; removed afterwards) and measures:
 *
 * 1. the checker alone, in a cold process pinned to one core: formulas per second, and the
 *    median, 90th percentile and slowest formula (with its LaTeX);
 * 2. `astro build` of the site with checking versus the same build with PROOFSHEET_CHECK=0 (the
 *    same pages and cards, badged unchecked: no checking, derivations, report page or gate),
 *    cold (no dist/, no Astro cache, no verdict cache) and warm (everything from the run before),
 *    each mode in its own copy of the site, alternating; medians of --reps cold and --warm-reps
 *    warm runs with a 90% bootstrap interval of their ratio (scripts/lib/interval.ts: how far
 *    this run can tell the overhead), the median and middle half of the on/off pairs' ratios and
 *    their mean with its 90% bootstrap interval, the CPU time of each build (all its threads and processes:
 *    on two cores a thread that checks beside the build slows the build's own thread by about a
 *    tenth, nice or not, so wall and CPU time tell different parts of the cost) and the time the
 *    hypervisor stole from the machine meanwhile (/proc/stat: the host's load, not the build's); and the same
 *    pages built without Proofsheet at all (plain: Astro, Starlight and KaTeX; --no-plain skips it),
 *    the floor of the build's time and peak memory;
 * 3. `npm run verify --no-cache` of 10,000 identities on every core (and on one, for comparison);
 * 4. the peak memory (max RSS, /usr/bin/time) of every process above (the target's peak: those
 *    with Proofsheet, not the plain build), and of the build with V8's old space capped at 1 GB
 *    (NODE_OPTIONS=--max-old-space-size=1024; not counted in the peak): how much of the peak the
 *    build needs, and how much is garbage V8 had not collected.
 *
 * The machine may be shared: the load average before and after is printed with the figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { contention } from './lib/contention.ts';
import { loadCorpus, ROOT, syntheticSite } from './lib/corpus.ts';
import { meanInterval, median, medianRatioInterval } from './lib/interval.ts';

const NODE = process.execPath;
const ASTRO = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const CLI = join(ROOT, 'src/cli/verify.ts');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

const TARGETS = { fps: 1000, coldOverhead: 0.1, warmOverhead: 0.02, bigSeconds: 15, peakMB: 1536 };
/** The old-space cap (MB) of the extra build that shows how much of the peak the build needs. */
const CAP_MB = 1024;
const CAPPED = 'on, heap capped';

interface Run {
  seconds: number;
  /** CPU time of the process and its children (user + system), when /usr/bin/time is there. */
  cpuSeconds: number | null;
  maxRssMB: number | null;
  /**
   * Time the hypervisor ran something else while this machine's CPUs had work (steal, summed over
   * the CPUs, from /proc/stat), during the run; null where there is no /proc/stat.
   */
  stealSeconds: number | null;
  status: number | null;
  output: string;
}

/** The machine's steal time so far, in seconds (/proc/stat's `cpu` line counts it in 1/100 s). */
function stolen(): number | null {
  try {
    const steal = Number(readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/)[8]);
    return Number.isFinite(steal) ? steal / 100 : null;
  } catch {
    return null;
  }
}

/** Run a command, timed, with its peak memory when /usr/bin/time is there. */
function run(cmd: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Run {
  const timeFile = join(tmpdir(), `proofsheet-bench-time-${process.pid}`);
  const argv = TIME ? [TIME, '-f', '%e %M %U %S', '-o', timeFile, ...cmd] : cmd;
  const started = performance.now();
  const stealBefore = stolen();
  const child = spawnSync(argv[0]!, argv.slice(1), {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...childEnv(), ...env },
  });
  let seconds = (performance.now() - started) / 1000;
  const stealAfter = stolen();
  const stealSeconds = stealBefore === null || stealAfter === null ? null : stealAfter - stealBefore;
  let maxRssMB: number | null = null;
  let cpuSeconds: number | null = null;
  if (TIME && existsSync(timeFile)) {
    const [e, m, u, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
    if (Number.isFinite(e)) seconds = e!;
    if (Number.isFinite(m)) maxRssMB = m! / 1024;
    if (Number.isFinite(u) && Number.isFinite(sys)) cpuSeconds = u! + sys!;
    rmSync(timeFile, { force: true });
  }
  return { seconds, cpuSeconds, maxRssMB, stealSeconds, status: child.status, output: `${child.stdout}\n${child.stderr}` };
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|FORCE_COLOR$|PROOFSHEET_CHECK$|npm_)/.test(key)) env[key] = value;
  }
  return env;
}

/** A fraction as a signed percentage: +4.2%. */
function pct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;
}

/** Two fractions as a range of signed percentages: +1.0% … +4.2%. */
function range([lo, hi]: readonly [number, number]): string {
  return `${pct(lo)} … ${pct(hi)}`;
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// The site

const ASTRO_CONFIG = `// Generated by scripts/bench.ts
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import proofsheet from ${JSON.stringify(join(ROOT, 'src/astro/integration.ts'))};

export default defineConfig({
  cacheDir: './.bench-cache',
  markdown: { processor: unified() },
  integrations: [
    // BENCH_REPORT_PAGE=0: without the /verification/ page (to see what it costs)
    proofsheet({ contentDir: 'content', reportPage: process.env.BENCH_REPORT_PAGE === '0' ? false : '/verification' }),
    starlight({ title: 'Bench', markdown: { processedDirs: ['./content'] } }),
  ],
});
`;

/**
 * The same pages without Proofsheet: Astro, Starlight and KaTeX only (remark-math, remark-directive
 * so that the directives are not printed as text, rehype-katex, KaTeX's CSS). What a site of these
 * pages costs without any of our work, for the peak memory and the issue's reference figures.
 */
const PLAIN_ASTRO_CONFIG = `// Generated by scripts/bench.ts
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import remarkDirective from 'remark-directive';
import rehypeKatex from 'rehype-katex';

export default defineConfig({
  cacheDir: './.bench-cache',
  markdown: { processor: unified({ remarkPlugins: [remarkMath, remarkDirective], rehypePlugins: [rehypeKatex] }) },
  integrations: [starlight({ title: 'Bench', customCss: ['katex/dist/katex.min.css'], markdown: { processedDirs: ['./content'] } })],
});
`;

/** The site's own content config (src/content.config.ts), for every mode, plain included. */
const CONTENT_CONFIG = `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}', retainBody: false }),
    schema: docsSchema({
      extend: z.object({ symbols: z.string().optional(), layout: z.enum(['mixed', 'numerator', 'denominator']).optional() }),
    }),
  }),
};
`;

function writeSite(dir: string, files: { name: string; text: string }[], config = ASTRO_CONFIG): void {
  mkdirSync(join(dir, 'content'), { recursive: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'astro.config.mjs'), config);
  writeFileSync(join(dir, 'src/content.config.ts'), CONTENT_CONFIG);
  writeFileSync(join(dir, 'content/index.md'), '---\ntitle: Bench\n---\n\nA synthetic Proofsheet site.\n');
  for (const f of files) writeFileSync(join(dir, 'content', f.name), f.text);
}

/** Set a folder aside (deleted at the end): deleting thousands of files now would slow the next run. */
let trash: string;
function discard(path: string): void {
  if (!existsSync(path)) return;
  mkdirSync(trash, { recursive: true });
  renameSync(path, join(trash, `${Date.now()}-${Math.random().toString(36).slice(2)}`));
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      pin: { type: 'boolean', default: true },
      pages: { type: 'string', default: '300' },
      'per-page': { type: 'string', default: '10' },
      big: { type: 'string', default: '10000' },
      reps: { type: 'string', default: '3' },
      // warm builds differ by less than the machine's drift: twice as many of them by default
      'warm-reps': { type: 'string' },
      build: { type: 'boolean', default: true },
      plain: { type: 'boolean', default: true },
      serial: { type: 'boolean', default: true },
      keep: { type: 'boolean', default: false },
    },
    allowNegative: true,
  });

  const pages = Number(values.pages);
  const perPage = Number(values['per-page']);
  const bigIdentities = Number(values.big);
  const reps = Math.max(1, Number(values.reps));
  // warm builds are short and their on/off pairs scatter by about 3% each: with 6 of them, the 90%
  // interval of the warm overhead spans about ±2 points, wider than its 2% target
  const warmReps = Math.max(1, Number(values['warm-reps'] ?? 20));
  // Inside the project (git ignores .bench/): Astro needs the project's node_modules next to the site.
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const out = mkdtempSync(join(ROOT, '.bench', 'run-'));
  trash = join(out, '.trash');
  const site = join(out, 'site');
  const big = join(out, 'big');
  const peaks: { what: string; mb: number }[] = [];
  /** The capped-heap builds (section 2), printed with the peaks. */
  const capped: string[] = [];
  const lines: string[] = [];
  const say = (line = '') => {
    lines.push(line);
    console.log(line);
  };

  say(`proofsheet bench — ${new Date().toISOString()} — node ${process.version}, ${availableParallelism()} cores, load ${load()}`);
  // what running beside the build costs the build's thread here: the floor of the overhead of
  // any checking that overlaps it (see lib/contention.ts)
  const slow = await contention();
  say(`machine: a busy process on another core slows a single thread by ${(100 * slow.busy).toFixed(0)}% (at nice 19: ${(100 * slow.niced).toFixed(0)}%)`);
  const g0 = performance.now();
  const corpus = loadCorpus();
  const generated = syntheticSite(corpus, pages, perPage, 1);
  writeSite(site, generated.files);
  const bigSite = syntheticSite(corpus, Math.ceil(bigIdentities / perPage), perPage, 2);
  /** Identities of the big site (--big rounded up to whole pages). */
  const bigCount = bigSite.files.length * perPage;
  mkdirSync(big, { recursive: true });
  for (const f of bigSite.files) writeFileSync(join(big, f.name), f.text);
  say(
    `site: ${pages} pages × ${perPage} identities from ${corpus.length} pages of content/ (${generated.renamed} renamed windows, ${generated.kept} as written) in ${out} (${((performance.now() - g0) / 1000).toFixed(1)}s to generate)`,
  );

  // 1. the checker alone
  say(`\n1. checker alone — cold process, one thread${values.pin && TASKSET ? ', pinned to one core (taskset -c 0)' : ''}`);
  const pin = values.pin && TASKSET ? [TASKSET, '-c', '0'] : [];
  const checker = run([...pin, NODE, join(ROOT, 'scripts/lib/checker-child.ts'), join(site, 'content')], ROOT);
  if (checker.status !== 0) throw new Error(`checker child failed:\n${checker.output}`);
  const c = JSON.parse(checker.output.trim().split('\n').find((l) => l.startsWith('{'))!);
  const fps = c.formulas / (c.checkMs / 1000);
  const ips = c.identities / (c.checkMs / 1000);
  peaks.push({ what: 'checker alone', mb: checker.maxRssMB ?? c.maxRssMB });
  say(`   ${c.formulas} formulas (${c.identities} identities, ${c.definitions} definitions): ${JSON.stringify(c.statuses)}`);
  say(`   engine load ${(c.loadMs / 1000).toFixed(2)}s; checking ${(c.checkMs / 1000).toFixed(2)}s → ${fps.toFixed(0)} formulas/s (${ips.toFixed(0)} identities/s)`);
  say(`   whole process (start, load, extract, check, per-formula pass): ${checker.seconds.toFixed(1)}s, peak ${(checker.maxRssMB ?? c.maxRssMB).toFixed(0)} MB`);
  say(`   per identity (warm, page context subtracted): median ${c.median.ms.toFixed(2)} ms, p90 ${c.p90.ms.toFixed(2)} ms, p99 ${c.p99.ms.toFixed(2)} ms`);
  say('   slowest:');
  for (const s of c.slowest) say(`     ${s.ms.toFixed(1).padStart(7)} ms  ${s.file} #${s.id}  ${s.latex.length > 140 ? `${s.latex.slice(0, 137)}…` : s.latex}`);

  // 2. the build, with and without checking: each mode in its own copy of the site, so that
  // builds of the two modes can alternate without one emptying the other's caches (this machine's
  // speed drifts by several percent within minutes: alternating spreads the drift over both)
  const builds: Record<string, number[]> = {};
  /** The overhead of checking (ratio of the medians, minus 1) and its 90% bootstrap interval. */
  const overheads: Partial<Record<'cold' | 'warm', { point: number; interval: [number, number] }>> = {};
  const cpus: Record<string, number[]> = {};
  const steals: Record<string, number[]> = {};
  if (values.build) {
    const siteOff = join(out, 'site-off');
    writeSite(siteOff, generated.files);
    const sitePlain = join(out, 'site-plain');
    if (values.plain) writeSite(sitePlain, generated.files, PLAIN_ASTRO_CONFIG);
    say(
      `\n2. astro build of the site (${pages + 1} pages), checking on versus PROOFSHEET_CHECK=0${values.plain ? ', and the same pages without Proofsheet (plain)' : ''}; ${reps} cold and ${warmReps} warm run(s) each, alternating`,
    );
    type Mode = 'on' | 'off' | 'plain' | 'on, no report page' | typeof CAPPED;
    const ENV: Record<Mode, NodeJS.ProcessEnv> = {
      on: {},
      off: { PROOFSHEET_CHECK: '0' },
      plain: {},
      'on, no report page': { BENCH_REPORT_PAGE: '0' },
      [CAPPED]: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${CAP_MB}`.trim() },
    };
    const build = (mode: Mode, temp: 'cold' | 'warm', quiet = false) => {
      const dir = mode === 'off' ? siteOff : mode === 'plain' ? sitePlain : site;
      if (temp === 'cold') for (const d of ['dist', '.bench-cache', '.astro']) discard(join(dir, d));
      const r = run([NODE, ASTRO, 'build'], dir, ENV[mode]);
      if (r.status !== 0) throw new Error(`astro build (${mode}, ${temp}) failed:\n${r.output.slice(-4000)}`);
      if (quiet) return;
      (builds[`${mode}-${temp}`] ??= []).push(r.seconds);
      if (r.cpuSeconds !== null) (cpus[`${mode}-${temp}`] ??= []).push(r.cpuSeconds);
      if (r.stealSeconds !== null) (steals[`${mode}-${temp}`] ??= []).push(r.stealSeconds);
      if (mode === CAPPED) {
        // not the default build: printed beside the peaks, not one of them
        capped.push(`${temp} ${r.seconds.toFixed(1)}s, peak ${r.maxRssMB?.toFixed(0) ?? '?'} MB`);
        return;
      }
      if (r.maxRssMB !== null) peaks.push({ what: mode === 'plain' ? `astro build, plain, ${temp}` : `astro build, checking ${mode}, ${temp}`, mb: r.maxRssMB });
      const gate = /\[proofsheet\] (\d+ formulas: [^\n]*)/.exec(r.output)?.[1];
      const sync = /\[types\] Generated ([^\n]+)/.exec(r.output)?.[1]?.trim();
      const pages = /generating static routes[\s\S]*?✓ Completed in ([^\n]+?)\.?\s*\n/.exec(r.output)?.[1];
      const detail = [gate && `gate ${gate.replace(/^.*\((.*)\)$/, '$1')}`, sync && `content sync ${sync}`, pages && `pages ${pages}`].filter(Boolean).join('; ');
      const cpu = r.cpuSeconds === null ? '' : ` (CPU ${r.cpuSeconds.toFixed(1)}s${r.stealSeconds === null ? '' : `, stolen ${r.stealSeconds.toFixed(1)}s`})`;
      say(`   ${mode === 'plain' ? 'plain       ' : `checking ${mode.padEnd(3)}`} ${temp}: ${r.seconds.toFixed(2)}s${cpu}, peak ${r.maxRssMB?.toFixed(0) ?? '?'} MB${detail ? ` (${detail})` : ''}`);
    };
    const alternate = (temp: 'cold' | 'warm') => {
      for (let rep = 0; rep < (temp === 'cold' ? reps : warmReps); rep++) {
        for (const mode of rep % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) build(mode, temp);
        if (values.plain) build('plain', temp);
      }
    };
    // the first build in a freshly written site can stall for 10-20 s before Astro starts (wall
    // time far above CPU time, with or without checking): one discarded cold build of each mode
    for (const mode of ['on', 'off'] as const) build(mode, 'cold', true);
    alternate('cold');
    // warm: every build after one of the same mode in the same folder (the last cold one)
    alternate('warm');
    // where the overhead goes: the same with checking but without the report page (the page is
    // not Markdown: the content cache of the "on" folder stays valid)
    build('on, no report page', 'warm', true);
    build('on, no report page', 'warm');
    // how much of the peak the build needs: the same build with V8's old space capped (it
    // collects garbage sooner instead of growing the heap); last, as it starts from cold
    build(CAPPED, 'cold');
    build(CAPPED, 'warm');
    const m = Object.fromEntries(Object.entries(builds).map(([k, v]) => [k, median(v)])) as Record<string, number>;
    const spread = (key: string) => `${Math.min(...builds[key]!).toFixed(1)}–${Math.max(...builds[key]!).toFixed(1)}s`;
    const cold = m['on-cold']! / m['off-cold']! - 1;
    const warm = m['on-warm']! / m['off-warm']! - 1;
    say(`   cold: medians ${m['on-cold']!.toFixed(1)}s (${spread('on-cold')}) / ${m['off-cold']!.toFixed(1)}s (${spread('off-cold')}) = ${(1 + cold).toFixed(3)} → overhead ${(100 * cold).toFixed(1)}% (target ≤ ${100 * TARGETS.coldOverhead}%)`);
    say(`   warm: medians ${m['on-warm']!.toFixed(1)}s (${spread('on-warm')}) / ${m['off-warm']!.toFixed(1)}s (${spread('off-warm')}) = ${(1 + warm).toFixed(3)} → overhead ${(100 * warm).toFixed(1)}% (target ≤ ${100 * TARGETS.warmOverhead}%)`);
    // the runs alternate, so each on run has an off run beside it: the median of those pairs' ratios
    // is less moved by the machine's drift than the ratio of the medians
    const pairRatios = (temp: string) => {
      const on = builds[`on-${temp}`]!;
      const off = builds[`off-${temp}`]!;
      return on.map((s, k) => s / off[k]! - 1).sort((a, b) => a - b);
    };
    const paired = (temp: string) => median(pairRatios(temp));
    /** The middle half of the pairs' ratios: how far one pair can say anything here. */
    const quartiles = (temp: string) => {
      const r = pairRatios(temp);
      const at = (q: number) => r[Math.min(r.length - 1, Math.max(0, Math.round(q * (r.length - 1))))]!;
      return range([at(0.25), at(0.75)]);
    };
    /** Medians of a per-build figure with checking on and off, when both were measured. */
    const onOff = (figures: Record<string, number[]>, temp: string): [number, number] | undefined => {
      const on = figures[`on-${temp}`];
      const off = figures[`off-${temp}`];
      return on?.length && off?.length ? [median(on), median(off)] : undefined;
    };
    const cpuLine = (temp: string) => {
      const both = onOff(cpus, temp);
      if (!both) return '';
      return `: CPU time (all threads and child processes), medians ${both[0].toFixed(1)}s / ${both[1].toFixed(1)}s → ${pct(both[0] / both[1] - 1)}`;
    };
    // how far these medians can be trusted: the builds scatter by several percent, and the same
    // builds measured twice give ratios a few percent apart (a bootstrap of each mode's runs)
    overheads.cold = { point: cold, interval: medianRatioInterval(builds['on-cold']!, builds['off-cold']!) };
    overheads.warm = { point: warm, interval: medianRatioInterval(builds['on-warm']!, builds['off-warm']!) };
    say(`   90% bootstrap interval of the overhead (ratio of medians): cold ${range(overheads.cold.interval)}, warm ${range(overheads.warm.interval)}`);
    say(`   paired runs (median of each on/off pair's ratio): cold ${pct(paired('cold'))} (middle half ${quartiles('cold')}), warm ${pct(paired('warm'))} (middle half ${quartiles('warm')})`);
    // the mean of the pairs' ratios: the tightest estimate of the overhead a run gives (each pair
    // is two builds side by side), with its 90% bootstrap interval
    const pairMean = (temp: string) => {
      const { mean, interval } = meanInterval(pairRatios(temp));
      return `${pct(mean)} (90% interval ${range(interval)})`;
    };
    say(`   paired runs, mean of the pairs' ratios: cold ${pairMean('cold')}, warm ${pairMean('warm')}`);
    say(`   cold${cpuLine('cold')}`);
    say(`   warm${cpuLine('warm')}`);
    // on a VM, the time its host ran other work while a build waited (steal): a slow build with
    // much stolen time was slowed by the host, not by what it did itself
    const stealLine = (temp: string) => {
      const both = onOff(steals, temp);
      return both ? `${temp} ${both[0].toFixed(1)}s / ${both[1].toFixed(1)}s` : undefined;
    };
    const stealing = [stealLine('cold'), stealLine('warm')].filter(Boolean);
    if (stealing.length) say(`   steal time (the hypervisor running other work while a build waits; both CPUs), medians on / off: ${stealing.join(', ')}`);
    const nrWarm = m['on, no report page-warm']! / m['off-warm']! - 1;
    say(`   without the /verification/ page: overhead ${(100 * nrWarm).toFixed(1)}% warm (one run)`);
    if (values.plain) {
      // what Proofsheet costs altogether (cards, checking, report page, search words) next to a
      // site that only renders the same Markdown with KaTeX
      const vsPlain = (temp: string) => `${m[`plain-${temp}`]!.toFixed(1)}s (${spread(`plain-${temp}`)}); checking on ${pct(m[`on-${temp}`]! / m[`plain-${temp}`]! - 1)}, off ${pct(m[`off-${temp}`]! / m[`plain-${temp}`]! - 1)}`;
      say(`   plain (no Proofsheet): cold ${vsPlain('cold')}`);
      say(`   plain (no Proofsheet): warm ${vsPlain('warm')}`);
    }
  }

  // 3. 10,000 identities on both cores
  say(`\n3. npm run verify -- ${bigSite.files.length} pages (${bigCount} identities) --no-cache`);
  const both = run([NODE, CLI, big, '--no-cache'], ROOT);
  const summary = (r: Run) => /^\d+ formulas: .*$/m.exec(r.output)?.[0] ?? '?';
  peaks.push({ what: 'verify, every core', mb: both.maxRssMB ?? 0 });
  say(`   every core (${availableParallelism()}): ${both.seconds.toFixed(1)}s, peak ${both.maxRssMB?.toFixed(0) ?? '?'} MB — ${summary(both)}`);
  let serial: Run | undefined;
  if (values.serial) {
    serial = run([NODE, CLI, big, '--no-cache', '--jobs', '1'], ROOT);
    peaks.push({ what: 'verify, one thread', mb: serial.maxRssMB ?? 0 });
    say(`   one thread (--jobs 1): ${serial.seconds.toFixed(1)}s, peak ${serial.maxRssMB?.toFixed(0) ?? '?'} MB — ${summary(serial)}`);
  }
  const cached = run([NODE, CLI, big, '--cache-dir', join(out, 'cli-cache')], ROOT);
  const warmCli = run([NODE, CLI, big, '--cache-dir', join(out, 'cli-cache')], ROOT);
  say(`   with the verdict cache: cold ${cached.seconds.toFixed(1)}s, warm ${warmCli.seconds.toFixed(1)}s`);

  // 4. peak memory
  // the target is Proofsheet's: the plain build (no Proofsheet) is the reference, not counted
  const ours = peaks.filter((p) => !p.what.startsWith('astro build, plain'));
  const peak = ours.reduce((a, b) => (b.mb > a.mb ? b : a), { what: '-', mb: 0 });
  say(`\n4. peak memory: ${peak.mb.toFixed(0)} MB (${peak.what}; of the processes with Proofsheet, the plain build not counted)`);
  // the largest of each kind of process: what checking adds to a build is on minus off
  const largest = new Map<string, number>();
  for (const p of peaks) {
    const kind = p.what.replace(/, (cold|warm)$/, '');
    largest.set(kind, Math.max(largest.get(kind) ?? 0, p.mb));
  }
  for (const [kind, mb] of largest) say(`   ${kind}: ${mb.toFixed(0)} MB`);
  if (capped.length) say(`   astro build, checking on, V8 heap capped (NODE_OPTIONS=--max-old-space-size=${CAP_MB}): ${capped.join('; ')}`);

  say(`\nload average at the end: ${load()}`);
  say('\ntargets:');
  const verdict = (ok: boolean) => (ok ? 'met   ' : 'MISSED');
  say(`   ${verdict(fps >= TARGETS.fps)} ≥ ${TARGETS.fps} formulas/s on one core: ${fps.toFixed(0)} (identities only: ${ips.toFixed(0)})`);
  if (values.build) {
    // the verdict is the medians'; the interval says whether this run could tell at all
    const overheadLine = (temp: 'cold' | 'warm', target: number) => {
      const { point, interval } = overheads[temp]!;
      const [lo, hi] = interval;
      const where = hi <= target ? 'all of it within the target' : lo > target ? 'all of it above the target' : 'it straddles the target: this run cannot tell';
      say(`   ${verdict(point <= target)} build overhead ≤ ${100 * target}% ${temp}: ${(100 * point).toFixed(1)}% (90% interval ${range(interval)}, ${where})`);
    };
    overheadLine('cold', TARGETS.coldOverhead);
    overheadLine('warm', TARGETS.warmOverhead);
  }
  say(`   ${verdict(both.seconds <= TARGETS.bigSeconds)} 10,000 identities in ≤ ${TARGETS.bigSeconds} s on both cores: ${both.seconds.toFixed(1)}s${bigCount === 10_000 ? '' : ` (for ${bigCount.toLocaleString('en')} identities: --big)`}`);
  say(`   ${verdict(peak.mb <= TARGETS.peakMB)} peak memory ≤ 1.5 GB: ${peak.mb.toFixed(0)} MB`);

  writeFileSync(join(out, 'bench.txt'), `${lines.join('\n')}\n`);
  if (values.keep) console.log(`\nkept ${out}`);
  else rmSync(out, { recursive: true, force: true });
}

await main();
