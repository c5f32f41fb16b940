/**
 * What a verdict means to a reader, for this kind of formula: the badge of a formula card and
 * the verdict column of the verification report.
 */
import type { FormulaResult } from '../engine/api.ts';

export type Tone = 'proved' | 'verified' | 'mistake' | 'definition' | 'failed' | 'error' | 'unchecked';

export interface VerdictLabel {
  tone: Tone;
  /** Short text with a symbol: `✓ proved`. */
  label: string;
  /** One sentence for a tooltip. */
  title: string;
}

const LABELS: Record<Tone, Omit<VerdictLabel, 'tone'>> = {
  proved: { label: '✓ proved', title: 'Re-derived symbolically and checked numerically when the site was built' },
  verified: {
    label: '✓ verified numerically',
    title: 'Checked numerically with random values when the site was built; not proved symbolically',
  },
  mistake: {
    label: '✗ documented mistake — refuted by counterexample',
    title: 'A wrong formula, kept on purpose: the checker found values for which the two sides differ',
  },
  definition: {
    label: '≔ definition',
    title: 'Notation, not a fact: binds its symbol for the rest of the page; checked for being well-formed',
  },
  failed: { label: '✗ failed', title: 'The checker found values for which the two sides differ' },
  error: { label: '⚠ error', title: 'The checker could not understand this formula' },
  unchecked: { label: '○ unchecked', title: 'Not checked: this site was built with formula checking switched off' },
};

/** The badge of a card when the site is built with checking switched off. */
export const UNCHECKED: VerdictLabel = { tone: 'unchecked', ...LABELS.unchecked };

/** An inequation (`\neq`, `\ne`) documents a mistake: it holds when it is refuted. */
export function isMistake(formula: Pick<FormulaResult, 'kind' | 'latex'>): boolean {
  return formula.kind === 'identity' && /\\ne(?:q)?(?![a-zA-Z])/.test(formula.latex);
}

export function verdictLabel(formula: Pick<FormulaResult, 'kind' | 'latex' | 'status'>): VerdictLabel {
  const holds = formula.status === 'proved' || formula.status === 'verified';
  const tone: Tone = !holds ? formula.status : formula.kind === 'definition' ? 'definition' : isMistake(formula) ? 'mistake' : formula.status;
  return { tone, ...LABELS[tone] };
}
