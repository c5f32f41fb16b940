/**
 * How a card carries its derivation's steps: one text, a line per step's LaTeX, each followed by
 * its rule on a line of its own starting with "— ". Written by the remark plugin (in the card, or
 * in the page's steps file), read back by the page script (src/client/lazy-math.ts); no imports,
 * so the browser bundle takes only this.
 */
export const RULE_MARK = '— ';

/** What a card's folded derivation says (derivation.ts makes it from a formula's result). */
export interface DerivationText {
  /** The steps, a line each with its rule on the next; empty when none. */
  steps: string;
  /** Only verified numerically: what stopped the symbolic derivation. */
  notProved?: string;
  /** The numeric check: trials, largest relative error, seed. */
  checked: string;
}

/** Shown when a formula has no symbolic steps. */
export const NO_STEPS = 'No symbolic derivation: the formula was checked numerically.';

export interface Step {
  latex: string;
  rule?: string | null;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export function stepsText(steps: readonly Step[]): string {
  return steps.map((step) => (step.rule ? `${oneLine(step.latex)}\n${RULE_MARK}${oneLine(step.rule)}` : oneLine(step.latex))).join('\n');
}

export function parseStepsText(text: string): { latex: string; rule?: string }[] {
  const steps: { latex: string; rule?: string }[] = [];
  for (const line of text.split('\n')) {
    const last = steps[steps.length - 1];
    if (line.startsWith(RULE_MARK) && last) last.rule = line.slice(RULE_MARK.length);
    else if (line.trim()) steps.push({ latex: line });
  }
  return steps;
}
