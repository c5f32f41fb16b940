#!/usr/bin/env node
/**
 * npm run mutate -- [--limit N] [--seed N] [--only OP] [--verbose]
 *
 * Mutation testing of the site: every checked identity of content/ (proved or verified, with
 * `=` only) is mutated on its tokens, one place at a time (scripts/lib/mutants.ts): drop or add a
 * transpose, inverse ↔ transpose, swap two factors, flip a sign, drop a term, permute a trace.
 * A mutant is kept when
 *   1. the checker still reads it: verifyPage, in the identity's page context, does not answer
 *      `error` (it parses and its shapes agree), and
 *   2. it changes the value: an independent evaluation (scripts/lib/sides.ts: the engine's
 *      expression evaluator with its own sampler and scope walk) finds a member of the mutant
 *      differing from the original's at the same random points by more than 1e-5 (relative), and
 *   3. it is false: a mutant that changes which symbols vary in a differential equation (only
 *      the symbols whose differential appears do: dropping `A\,dB` from `d(AB) = dA\,B + A\,dB`
 *      makes B a constant) states something else, which may be true; the same evaluation of
 *      the mutant's own members against each other tells (`true-mutant`).
 * The score is the share of kept mutants the checker rejects (`failed`). Survivors are printed
 * with their LaTeX and the checker's answer: a survivor is a wrong formula the checker accepts.
 */
import { parseArgs } from 'node:util';
import type { FormulaItem, FormulaResult, PageInput } from '../src/engine/api.ts';
import { verifyPage } from '../src/engine/index.ts';
import { contextIdentities, loadCorpus, ROOT, type ContextIdentity } from './lib/corpus.ts';
import { mutants } from './lib/mutants.ts';
import { compareMembers, read, scopeOf, selfConsistency } from './lib/sides.ts';
import { differentialVariables } from '../src/engine/numeric/check.ts';

const CHANGED = 1e-5;

interface Tally {
  generated: number;
  unreadable: number;
  notEvaluable: number;
  equivalent: number;
  trueMutant: number;
  kept: number;
  killed: number;
  survived: number;
}

function blank(): Tally {
  return { generated: 0, unreadable: 0, notEvaluable: 0, equivalent: 0, trueMutant: 0, kept: 0, killed: 0, survived: 0 };
}

function checkIn(ci: ContextIdentity, latex: string, seed: number): FormulaResult {
  const item: FormulaItem = { ...ci.item, latex };
  const page: PageInput = {
    file: ci.file,
    ...(ci.symbols !== undefined ? { symbols: ci.symbols } : {}),
    ...(ci.layout !== undefined ? { layout: ci.layout } : {}),
    items: [...ci.context, item],
  };
  const results = verifyPage(page, { seed }).formulas;
  return results.find((r) => r.line === item.loc.line && r.column === item.loc.column && r.latex === latex)!;
}

function main(): void {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      limit: { type: 'string' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const seed = Number(values.seed);
  const started = performance.now();
  const identities = contextIdentities(loadCorpus()).filter(
    (ci) => (ci.verdict === 'proved' || ci.verdict === 'verified') && !/\\neq?\b|\\ne\b|≠/.test(ci.item.latex),
  );
  const chosen = values.limit ? identities.slice(0, Number(values.limit)) : identities;
  console.log(`mutate: ${chosen.length} checked identities of content/ (seed ${seed})`);

  const byOp = new Map<string, Tally>();
  const total = blank();
  const survivors: { ci: ContextIdentity; op: string; latex: string; result: FormulaResult; diff: number; member: number }[] = [];
  const skipped: string[] = [];
  for (const ci of chosen) {
    let original;
    let scopeInfo;
    try {
      scopeInfo = scopeOf(ci, ci.item);
      original = read(ci.item.latex, scopeInfo.scope, scopeInfo.layout);
    } catch (e) {
      skipped.push(`${ci.file.replace(ROOT, '')} ${ci.item.id ?? ''}: ${(e as Error).message}`);
      continue;
    }
    for (const m of mutants(ci.item.latex)) {
      if (values.only && m.op !== values.only) continue;
      const t = byOp.get(m.op) ?? blank();
      byOp.set(m.op, t);
      const count = (k: keyof Tally) => {
        t[k]++;
        total[k]++;
      };
      count('generated');
      const result = checkIn(ci, m.latex, seed);
      if (!result || result.status === 'error') {
        count('unreadable');
        continue;
      }
      let diff: number;
      let member: number;
      let trueMutant = false;
      try {
        const mutant = read(m.latex, scopeInfo.scope, scopeInfo.layout);
        const sampleSeed = seed * 7919 + total.generated;
        ({ maxRelDiff: diff, member } = compareMembers(original, mutant, scopeInfo.scope, sampleSeed));
        const varies = (r: typeof original) => [...differentialVariables(r.members, scopeInfo.scope)].sort().join(' ');
        if (diff > CHANGED && varies(mutant) !== varies(original)) trueMutant = !(selfConsistency(mutant, scopeInfo.scope, sampleSeed) > CHANGED);
      } catch {
        count('notEvaluable');
        continue;
      }
      if (!(diff > CHANGED)) {
        count('equivalent');
        if (values.verbose) console.log(`  equivalent ${m.op}: ${m.latex}`);
        continue;
      }
      if (trueMutant) {
        count('trueMutant');
        if (values.verbose) console.log(`  true mutant ${m.op}: ${m.latex}`);
        continue;
      }
      count('kept');
      if (result.status === 'failed') count('killed');
      else {
        count('survived');
        survivors.push({ ci, op: m.op, latex: m.latex, result, diff, member });
      }
    }
  }

  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${total.generated} mutants in ${seconds.toFixed(1)} s`);
  console.log('operator                        made  unreadable  not-evaluable  same-value  true-mutant  kept  rejected  survived');
  const row = (name: string, t: Tally) =>
    console.log(
      `${name.padEnd(30)}${String(t.generated).padStart(6)}${String(t.unreadable).padStart(12)}${String(t.notEvaluable).padStart(15)}${String(t.equivalent).padStart(12)}${String(t.trueMutant).padStart(13)}${String(t.kept).padStart(6)}${String(t.killed).padStart(10)}${String(t.survived).padStart(10)}`,
    );
  for (const [op, t] of [...byOp].sort()) row(op, t);
  row('all', total);
  const score = total.kept ? (100 * total.killed) / total.kept : 100;
  console.log(`\nmutation score: ${total.killed}/${total.kept} value-changing mutants rejected = ${score.toFixed(1)}% (target 100%)`);
  if (skipped.length) console.log(`\n${skipped.length} identities not mutated (the independent reader could not read them): ${skipped.slice(0, 5).join('; ')}`);
  if (survivors.length) {
    console.log(`\nSURVIVORS (wrong formulas the checker accepts): ${survivors.length}`);
    for (const s of survivors) {
      console.log(`\n  ${s.ci.file.replace(ROOT, '')} #${s.ci.item.id ?? ''} (${s.op}), checker: ${s.result.status}${s.result.message ? ` — ${s.result.message}` : ''}`);
      console.log(`    original: ${s.ci.item.latex.replace(/\s+/g, ' ').trim()}`);
      console.log(`    mutant:   ${s.latex.replace(/\s+/g, ' ').trim()}`);
      console.log(`    independent evaluation: member ${s.member + 1} differs by ${s.diff.toExponential(2)} (relative); checker's max rel. error ${s.result.checks.numeric?.maxRelError.toExponential(2) ?? '-'}, symbolic ${s.result.checks.symbolic}`);
    }
    process.exitCode = 1;
  }
}

main();
