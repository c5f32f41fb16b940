/**
 * What a card's folded derivation says, as text: its steps (steps-text.ts), why it was not
 * proved symbolically when it was only verified, and what the numeric check did. The remark
 * plugin writes it into the card, or into the page's steps file (steps-files.ts) for the page
 * script to show when the reader opens the derivation.
 */
import type { FormulaResult } from '../engine/api.ts';
import { isMistake } from '../report/verdict-label.ts';
import { stepsText, type DerivationText } from './steps-text.ts';

export function derivationText(result: FormulaResult, seed: number): DerivationText {
  return {
    steps: stepsText(result.steps),
    ...(result.status === 'verified' && result.message ? { notProved: result.message } : {}),
    checked: checkedLine(result, seed),
  };
}

/** What the numeric check did: trials, largest relative error, seed. */
function checkedLine(result: FormulaResult, seed: number): string {
  const numeric = result.checks.numeric;
  if (!numeric) return `checked: no numeric trials, seed ${seed}`;
  const trials = `${numeric.trials} random trial${numeric.trials === 1 ? '' : 's'}`;
  if (isMistake(result)) return `checked: ${trials}, the two sides differ, seed ${seed}`;
  return `checked: ${trials}, max rel. error ${numeric.maxRelError.toExponential(1)}, seed ${seed}`;
}
