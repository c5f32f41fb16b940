/**
 * How a card carries its derivation: one preformatted text, a line per step's LaTeX, each
 * followed by its rule on a line of its own starting with "— ". Written by the remark plugin,
 * read back by the page script (src/client/lazy-math.ts); no imports, so the browser bundle
 * takes only this.
 */
export const RULE_MARK = '— ';

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
