/**
 * Property tests of the symbolic engine on random well-shaped matrix expressions
 * (scripts/lib/expr-gen.ts). For every expression E:
 *
 *   (a) its canonical form P, printed, has E's value: `E = P` must be `proved` (both sides reach
 *       one canonical form and the numeric check passes; derivatives in E are computed by finite
 *       differences there, so this also checks the rules against the numbers);
 *   (b) canonicalising twice changes nothing: the canonical form of P prints as P;
 *   (c) derivative laws true by construction (linearity, product rule, chain rule) are never
 *       `failed` or `error` (an `internal` error is the self-check catching a rule).
 *
 * `npm run properties [-- N [SEED]]` runs N (default 10,000) expressions and prints the count,
 * the disagreements (must be 0) and the timing; exit status 1 on any disagreement.
 * `runProperties(n, seed)` is the same, importable (the benchmark calls it).
 */
import fc from 'fast-check';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormulaResult } from '../src/engine/api.ts';
import { verifyPage } from '../src/engine/index.ts';
import { canonicalForms } from './lib/canonical.ts';
import { derivativeLawArbitrary, expressionArbitrary, WHERE, type DerivativeLaw, type Generated } from './lib/expr-gen.ts';

export type Outcome =
  | { kind: 'ok'; proved: boolean }
  /** The engine did not reach a canonical form or a proof: not a disagreement, counted. */
  | { kind: 'not-established'; reason: string }
  | { kind: 'disagreement'; property: 'a' | 'b' | 'c' | 'generator'; latex: string; detail: string; cause: Cause };

/**
 * What a disagreement points at: `rule` a rule or the canonical form (the self-check found the
 * symbolic form wrong, or a crash), `printer` printer/parser drift, `numeric` the numeric check
 * refuting an identity the rules proved while the self-check passed (finite differences that
 * are not accurate enough, e.g. sin|X| for a 6×6 X; a wrong rule is caught by the self-check),
 * `generator` a malformed random expression (a bug of this script).
 */
export type Cause = 'rule' | 'printer' | 'numeric' | 'generator';

const NUMERIC_REFUTES = /the symbolic engine proved this identity but the numeric check refutes it/;

function causeOf(res: FormulaResult): Cause {
  return NUMERIC_REFUTES.test(res.message ?? '') ? 'numeric' : 'rule';
}

export function verifyOne(latex: string, where = WHERE): FormulaResult {
  return verifyPage({ file: 'properties.md', items: [{ type: 'formula', kind: 'identity', latex, where, loc: { line: 1, column: 1 } }] }).formulas[0]!;
}

const brief = (r: FormulaResult) => `${r.status}${r.ruleId ? ` (${r.ruleId})` : ''}: ${r.message ?? ''}`;

/** Properties (a) and (b) for one expression. */
export function checkExpression(g: Generated): Outcome {
  const self = `${g.tex} = ${g.tex}`;
  let forms: ReturnType<typeof canonicalForms>;
  try {
    forms = canonicalForms(self, WHERE);
  } catch (e) {
    return { kind: 'disagreement', property: 'generator', latex: g.tex, detail: `the generated expression is not well-formed: ${e instanceof Error ? e.message : String(e)}`, cause: 'generator' };
  }
  if (!forms.ok) {
    if (forms.internal) return { kind: 'disagreement', property: 'a', latex: g.tex, detail: forms.reason, cause: 'rule' };
    return { kind: 'not-established', reason: forms.reason.replace(/^symbolic equality was not established: /, '') };
  }
  const printed = forms.lhs.latex;
  const identity = `${g.tex} = ${printed}`;
  const res = verifyOne(identity);
  // an expanded canonical form can be exponentially larger than the expression: not a disagreement
  if (res.status === 'error' && res.ruleId === 'too-large') return { kind: 'not-established', reason: 'the printed canonical form is too large to check' };
  if (res.status !== 'proved') {
    const cause: Cause = res.status === 'failed' || res.ruleId === 'internal' ? causeOf(res) : 'printer';
    return { kind: 'disagreement', property: 'a', latex: identity, detail: brief(res), cause };
  }
  const again = canonicalForms(identity, WHERE);
  if (!again.ok) return { kind: 'disagreement', property: 'b', latex: identity, detail: again.reason, cause: 'printer' };
  if (again.rhs.latex !== printed) return { kind: 'disagreement', property: 'b', latex: identity, detail: `canonicalising the printed form gives ${again.rhs.latex}`, cause: 'printer' };
  return { kind: 'ok', proved: true };
}

/** Property (c) for one derivative law. */
export function checkLaw(l: DerivativeLaw): Outcome {
  const res = verifyOne(l.latex);
  if (res.status === 'error' && res.ruleId === 'too-large') return { kind: 'not-established', reason: 'the law is too large to check' };
  if (res.status === 'failed' || res.status === 'error') return { kind: 'disagreement', property: 'c', latex: l.latex, detail: `${l.law}: ${brief(res)}`, cause: causeOf(res) };
  if (res.status === 'verified') return { kind: 'not-established', reason: res.message ?? 'not established' };
  return { kind: 'ok', proved: true };
}

export interface PropertyReport {
  seed: number;
  expressions: number;
  laws: number;
  proved: number;
  notEstablished: number;
  /** Reasons a canonical form or proof was not reached, with counts. */
  reasons: Record<string, number>;
  disagreements: Extract<Outcome, { kind: 'disagreement' }>[];
  ms: { total: number; median: number; p99: number; max: number };
}

function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}

/**
 * Run `n` random expressions (properties a and b) and `n / 4` derivative laws (property c),
 * reproducibly from `seed`.
 */
export async function runProperties(n = 10_000, seed = 1): Promise<PropertyReport> {
  const exprs = fc.sample(expressionArbitrary(), { seed, numRuns: n });
  const laws = fc.sample(derivativeLawArbitrary(), { seed: seed + 1, numRuns: Math.ceil(n / 4) });
  const times: number[] = [];
  const report: PropertyReport = { seed, expressions: exprs.length, laws: laws.length, proved: 0, notEstablished: 0, reasons: {}, disagreements: [], ms: { total: 0, median: 0, p99: 0, max: 0 } };
  const t0 = performance.now();
  const tally = (o: Outcome) => {
    if (o.kind === 'ok') report.proved++;
    else if (o.kind === 'not-established') {
      report.notEstablished++;
      const key = o.reason.slice(0, 100);
      report.reasons[key] = (report.reasons[key] ?? 0) + 1;
    } else report.disagreements.push(o);
  };
  for (const g of exprs) {
    const t = performance.now();
    tally(checkExpression(g));
    times.push(performance.now() - t);
  }
  for (const l of laws) {
    const t = performance.now();
    tally(checkLaw(l));
    times.push(performance.now() - t);
  }
  report.ms = { total: performance.now() - t0, median: percentile(times, 0.5), p99: percentile(times, 0.99), max: Math.max(0, ...times) };
  return report;
}

function causes(r: PropertyReport): string {
  const by: Record<string, number> = {};
  for (const d of r.disagreements) by[d.cause] = (by[d.cause] ?? 0) + 1;
  return Object.entries(by)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

export function formatReport(r: PropertyReport): string {
  const lines = [
    `properties: ${r.expressions} random expressions (a: E = canonical(E) proved, b: canonical form idempotent) and ${r.laws} derivative laws (c), seed ${r.seed}`,
    `  proved ${r.proved}, not established ${r.notEstablished}, disagreements ${r.disagreements.length}${r.disagreements.length ? ` (${causes(r)})` : ''}`,
    `  time ${(r.ms.total / 1000).toFixed(1)} s; per case median ${r.ms.median.toFixed(2)} ms, p99 ${r.ms.p99.toFixed(1)} ms, max ${r.ms.max.toFixed(1)} ms`,
  ];
  const reasons = Object.entries(r.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) lines.push('  not established:', ...reasons.slice(0, 10).map(([k, v]) => `    ${v} × ${k}`));
  for (const d of r.disagreements.slice(0, 20)) lines.push(`  DISAGREEMENT (${d.property}, ${d.cause}) ${d.latex}\n    ${d.detail}`);
  if (r.disagreements.length > 20) lines.push(`  … and ${r.disagreements.length - 20} more`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  const report = await runProperties(n, seed);
  console.log(formatReport(report));
  process.exitCode = report.disagreements.length ? 1 : 0;
}
