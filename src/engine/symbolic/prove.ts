/**
 * Symbolic proof of a formula's relations (filled in by the symbolic engine).
 */
import type { DerivationStep } from '../api.ts';
import type { Relation } from '../ast.ts';
import type { Scope } from '../scope.ts';
import type { Typed } from '../typing.ts';

export interface ProofOutcome {
  status: 'proved' | 'not-established' | 'not-applicable';
  derived: string | null;
  steps: DerivationStep[];
  rules: string[];
  reason?: string;
  internalError?: string;
}

export interface ProveInput {
  relations: Relation[];
  typed: Typed;
  scope: Scope;
  latex: string;
}

export function prove(_input: ProveInput): ProofOutcome {
  return { status: 'not-established', derived: null, steps: [], rules: [], reason: 'symbolic equality was not established' };
}
