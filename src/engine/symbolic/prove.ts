/**
 * Symbolic proof of a formula's relations: both sides of every relation are brought to one
 * canonical form, with every derivative and differential re-derived by the rule table.
 */
import type { DerivationStep } from '../api.ts';
import type { Relation } from '../ast.ts';
import { differentialVariables } from '../numeric/check.ts';
import type { Scope } from '../scope.ts';
import type { Typed } from '../typing.ts';
import { canon, symInfo, type CanonCtx } from './canon.ts';
import { expandNumeric } from './indices.ts';
import { equalAfterClearing } from './strategies.ts';
import { Budget, equal, firstOrder, Unsupported, type Poly } from './poly.ts';
import { printPoly } from './print.ts';
import { Overflow } from './rational.ts';

export interface ProofOutcome {
  status: 'proved' | 'not-established' | 'not-applicable';
  derived: string | null;
  steps: DerivationStep[];
  rules: string[];
  reason?: string;
  internalError?: string;
  /** Canonical forms of each relation's sides, when reached. */
  forms?: { lhs: Poly; rhs: Poly }[];
}

export interface ProveInput {
  relations: Relation[];
  typed: Typed;
  scope: Scope;
  latex: string;
}

export function prove(input: ProveInput): ProofOutcome {
  const { relations, typed, scope } = input;
  const members = relations.flatMap((r) => [r.lhs, r.rhs]);
  const ctx: CanonCtx = {
    scope,
    typed,
    layout: typed.layout,
    budget: new Budget(),
    env: new Map(),
    diffVars: differentialVariables(members, scope),
    unstructured: new Set(),
    used: new Set(),
    steps: [],
    derivatives: [],
  };
  const forms: { lhs: Poly; rhs: Poly }[] = [];
  let proved = true;
  let reason: string | undefined;
  try {
    for (const rel of relations) {
      let lhs = canon(ctx, rel.lhs);
      let rhs = canon(ctx, rel.rhs);
      if (ctx.diffVars.size) {
        // sides with differentials need only agree to first order
        lhs = firstOrder(lhs);
        rhs = firstOrder(rhs);
      }
      forms.push({ lhs, rhs });
      let same = equal(lhs, rhs);
      if (!same && hasLiteralSizes(scope)) {
        // symbols of literal size meet literal matrices entry by entry
        const I = symInfo(scope, new Set());
        same = equal(expandNumeric(lhs, I, ctx.budget), expandNumeric(rhs, I, ctx.budget));
        if (same) ctx.used.add('entries of symbols of literal size');
      }
      if (!same && rel.op === '=') {
        same = equalAfterClearing(lhs, rhs, symInfo(scope, new Set()), ctx.budget);
        if (same) ctx.used.add('multiply both sides by what is inverted (clearing inverses and denominators)');
      }
      if (rel.op === '=' && !same) {
        proved = false;
        reason ??= `the canonical forms differ${relations.length > 1 ? ` at step ${rel.index + 1}` : ''}: ${printPoly(lhs)} and ${printPoly(rhs)}`;
      }
      if (rel.op === '\\neq' && same) {
        proved = false;
        reason ??= 'both sides have the same canonical form';
      }
    }
  } catch (e) {
    if (e instanceof Unsupported || e instanceof Overflow) {
      return { status: 'not-established', derived: null, steps: ctx.steps, rules: [...ctx.used], reason: `symbolic equality was not established: ${e.message}` };
    }
    // a crash in the rules is the engine's fault: say so, never blame the formula
    return {
      status: 'not-established',
      derived: null,
      steps: [],
      rules: [...ctx.used],
      internalError: `internal error in the symbolic engine: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  const steps = [...ctx.steps];
  forms.slice(0, 6).forEach((f, i) => {
    const rel = relations[i]!;
    const latex = `${printPoly(f.lhs)} ${rel.op === '=' ? '=' : '\\neq'} ${printPoly(f.rhs)}`;
    if (steps[steps.length - 1]?.latex !== latex) steps.push({ latex, rule: rel.op === '=' ? 'canonical form of both sides' : 'canonical forms of the two sides differ' });
  });
  const derived = ctx.derivatives[0] ? printPoly(ctx.derivatives[0]) : null;
  return { status: proved ? 'proved' : 'not-established', derived, steps, rules: [...ctx.used], reason, forms };
}

function hasLiteralSizes(scope: Scope): boolean {
  for (const d of scope.decls.values()) if (/^\d+$/.test(d.shape.r) && d.shape.r !== '1') return true;
  return false;
}
