/**
 * Proving benchmark: every formula of content/ (or the paths given), verified as the build
 * verifies it, with the time of the symbolic proof alone (symbolic/prove.ts: canonical forms,
 * derivatives re-derived by the rule table) and of the whole verdict (parse, shapes, proof,
 * numeric check). Prints the median, p90 and slowest times per formula, the share proved, and
 * every identity that is not proved with its reason.
 *
 *   node scripts/bench-prove.ts [PATH ...] [--repeat N] [--json FILE]
 *
 * Target: median symbolic proof under 2 ms. `benchProve(paths)` is the same, importable.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormulaItem, FormulaResult, Layout, PageInput, PageItem } from '../src/engine/api.ts';
import type { Relation } from '../src/engine/ast.ts';
import { verifyPage } from '../src/engine/index.ts';
import { parseExpression, parseFormula } from '../src/engine/latex/parser.ts';
import { normalizeName, parseWhere, Scope, type Definition } from '../src/engine/scope.ts';
import { prove, type ProofOutcome } from '../src/engine/symbolic/prove.ts';
import { Typer, type Typed } from '../src/engine/typing.ts';
import { parseMarkdownFile } from '../src/markdown/extract.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface BenchRow {
  file: string;
  line: number;
  id: string;
  latex: string;
  status: FormulaResult['status'];
  message: string | null;
  /** Median time of the symbolic proof alone, ms (null when the formula never reaches it). */
  proveMs: number | null;
  /** Median time of the whole verdict of this formula, ms. */
  totalMs: number;
}

export interface BenchReport {
  rows: BenchRow[];
  pages: number;
  /** The verdicts of `prove` called here agree with verifyPage's `checks.symbolic`. */
  mismatches: string[];
}

function markdownFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    if (statSync(at).isDirectory()) {
      for (const name of readdirSync(at).sort()) walk(join(at, name));
    } else if (['.md', '.mdx'].includes(extname(at))) out.push(at);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : 0;
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : 0;
}

/** Mirrors verify.ts's `defineOne`: a definition `name = body` or `f(X) = body`, typed in its scope. */
function define(item: FormulaItem, scope: Scope, layout: Layout): Definition & { typed: Typed } {
  let depth = 0;
  let at = -1;
  let skip = 1;
  for (let i = 0; i < item.latex.length && at < 0; i++) {
    const ch = item.latex[i];
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if (ch === '}' || ch === ')' || ch === ']') depth--;
    else if (depth === 0 && ch === '=') at = i;
    else if (depth === 0 && item.latex.startsWith('\\coloneqq', i)) {
      at = i;
      skip = '\\coloneqq'.length;
    }
  }
  if (at < 0) throw new Error('not a definition');
  const lhsRaw = item.latex.slice(0, at).replace(/:$/, '').replace(/\\(left|right)/g, '').trim();
  const m = /^(.+?)\s*\((.*)\)$/.exec(lhsRaw);
  const name = normalizeName(m ? m[1]! : lhsRaw);
  const params = m ? m[2]!.split(',').map((p) => normalizeName(p)).filter(Boolean) : [];
  const body = parseExpression(item.latex.slice(at + skip), scope, at + skip);
  const typer = new Typer(scope, layout);
  const shape = typer.type(body);
  const typed = typer.result();
  return { name, params, body, shape: typed.dims.resolveShape(shape), latex: item.latex, typed };
}

/** Parse and type an identity as verify.ts does, then time `prove` alone. */
function timeProve(item: FormulaItem, scope: Scope, layout: Layout, repeat: number): { ms: number; outcome: ProofOutcome } | null {
  let relations: Relation[];
  let typed: Typed;
  try {
    const parsed = parseFormula(item.latex, scope);
    relations = [];
    for (const ch of parsed.chains) for (let i = 0; i < ch.ops.length; i++) relations.push({ lhs: ch.members[i]!, rhs: ch.members[i + 1]!, op: ch.ops[i]!, index: relations.length });
    if (!relations.length) return null;
    const typer = new Typer(scope, layout);
    for (const ch of parsed.chains) {
      let prev: ReturnType<Typer['typeMember']> | null = null;
      for (const member of ch.members) {
        const s = typer.typeMember(member);
        if (prev && (!typer.dims.unify(prev.r, s.r) || !typer.dims.unify(prev.c, s.c))) return null;
        prev = s;
      }
    }
    typed = typer.result();
  } catch {
    return null; // a parse or shape error: the formula never reaches the proof
  }
  const times: number[] = [];
  let outcome!: ProofOutcome;
  for (let k = 0; k < repeat; k++) {
    const t = performance.now();
    outcome = prove({ relations, typed, scope, latex: item.latex });
    times.push(performance.now() - t);
  }
  return { ms: median(times), outcome };
}

export function benchProve(paths: string[] = [join(ROOT, 'content')], repeat = 5): BenchReport {
  const files = markdownFiles(paths);
  const pages: PageInput[] = files.map((f) => parseMarkdownFile(f));
  const rows: BenchRow[] = [];
  const mismatches: string[] = [];
  for (const page of pages) {
    const full = verifyPage(page).formulas;
    const byLoc = new Map(full.map((r) => [`${r.line}:${r.column}:${r.latex}`, r]));
    let scope = new Scope().withLayout(page.layout);
    if (page.symbols) scope = scope.withDecls(parseWhere(page.symbols));
    const context: PageItem[] = [];
    for (const item of page.items) {
      if (item.type === 'declare') {
        try {
          scope = scope.withDecls(parseWhere(item.where));
        } catch {
          /* reported by verifyPage */
        }
        context.push(item);
        continue;
      }
      const result = byLoc.get(`${item.loc.line}:${item.loc.column}:${item.latex}`);
      const layout = item.layout ?? scope.layout;
      let fscope = scope;
      try {
        fscope = (item.where ? scope.withDecls(parseWhere(item.where)) : scope).withLayout(layout);
      } catch {
        /* reported by verifyPage */
      }
      if (item.kind === 'definition') {
        try {
          scope = scope.withDefinition(define(item, fscope, layout));
        } catch {
          /* reported by verifyPage */
        }
        context.push(item);
        continue;
      }
      if (!result) continue;
      // the whole verdict of this formula alone, in its page context (declarations and definitions)
      const single: PageInput = { file: page.file, items: [...context, item], ...(page.symbols ? { symbols: page.symbols } : {}), ...(page.layout ? { layout: page.layout } : {}) };
      const totals: number[] = [];
      for (let k = 0; k < repeat; k++) {
        const t = performance.now();
        verifyPage(single);
        totals.push(performance.now() - t);
      }
      const timed = result.status === 'error' && result.ruleId !== 'internal' ? null : timeProve(item, fscope, layout, repeat);
      if (timed && result.checks.symbolic !== 'not-applicable') {
        const mine = timed.outcome.status === 'proved' ? 'proved' : 'not-established';
        const theirs = result.checks.symbolic === 'proved' ? 'proved' : 'not-established';
        if (mine !== theirs && result.status !== 'failed') mismatches.push(`${page.file}:${item.loc.line} prove() ${mine}, verifyPage ${theirs}`);
      }
      rows.push({ file: page.file, line: item.loc.line, id: result.id, latex: item.latex, status: result.status, message: result.message, proveMs: timed?.ms ?? null, totalMs: median(totals) });
    }
  }
  return { rows, pages: pages.length, mismatches };
}

export function formatBench(r: BenchReport): string {
  const rows = r.rows;
  const proveTimes = rows.flatMap((x) => (x.proveMs === null ? [] : [x.proveMs]));
  const totalTimes = rows.map((x) => x.totalMs);
  const count = (s: string) => rows.filter((x) => x.status === s).length;
  const slowest = (key: 'proveMs' | 'totalMs') => [...rows].filter((x) => x[key] !== null).sort((a, b) => b[key]! - a[key]!)[0];
  const sp = slowest('proveMs');
  const st = slowest('totalMs');
  const pct = (n: number) => `${((100 * n) / Math.max(1, rows.length)).toFixed(1)}%`;
  const lines = [
    `bench-prove: ${rows.length} identities on ${r.pages} pages`,
    `  verdicts: ${count('proved')} proved (${pct(count('proved'))}), ${count('verified')} verified, ${count('failed')} failed, ${count('error')} error`,
    `  symbolic proof alone: median ${median(proveTimes).toFixed(3)} ms, p90 ${percentile(proveTimes, 0.9).toFixed(3)} ms, slowest ${sp?.proveMs?.toFixed(2)} ms (${sp?.file}:${sp?.line})  [target: median < 2 ms — ${median(proveTimes) < 2 ? 'met' : 'NOT met'}]`,
    `  whole verdict:        median ${median(totalTimes).toFixed(3)} ms, p90 ${percentile(totalTimes, 0.9).toFixed(3)} ms, slowest ${st?.totalMs.toFixed(2)} ms (${st?.file}:${st?.line})`,
    `  total: symbolic ${proveTimes.reduce((a, b) => a + b, 0).toFixed(1)} ms, whole ${totalTimes.reduce((a, b) => a + b, 0).toFixed(1)} ms`,
  ];
  if (r.mismatches.length) lines.push(`  MISMATCH between prove() here and verifyPage: ${r.mismatches.length}`, ...r.mismatches.map((m) => `    ${m}`));
  const notProved = rows.filter((x) => x.status !== 'proved');
  if (notProved.length) {
    lines.push(`  not proved (${notProved.length}):`);
    for (const x of notProved) lines.push(`    ${x.file}:${x.line}  ${x.status}  ${x.latex.replace(/\s+/g, ' ').slice(0, 110)}\n      ${(x.message ?? '').replace(/\s+/g, ' ').slice(0, 240)}`);
  }
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const paths: string[] = [];
  let repeat = 5;
  let json: string | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--repeat') repeat = Number(args[++i]);
    else if (args[i] === '--json') json = args[++i]!;
    else paths.push(args[i]!);
  }
  // warm up the JIT on the whole corpus once, then measure
  benchProve(paths.length ? paths : undefined, 1);
  const report = benchProve(paths.length ? paths : undefined, repeat);
  console.log(formatBench(report));
  if (json) writeFileSync(json, JSON.stringify(report, null, 2));
}
