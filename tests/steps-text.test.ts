/** The derivation text a card carries reads back as the steps it was written from. */
import { describe, expect, it } from 'vitest';
import { parseStepsText, stepsText } from '../src/markdown/steps-text.ts';

describe('steps text', () => {
  it('round-trips steps with and without rules, joining a step written on several lines', () => {
    const text = stepsText([
      { latex: 'f = \\operatorname{tr}(X)', rule: 'the function being differentiated' },
      { latex: 'df = \\operatorname{tr}(dX)\n  + 0' },
      { latex: 'X = X', rule: 'canonical form of both sides' },
    ]);
    expect(parseStepsText(text)).toEqual([
      { latex: 'f = \\operatorname{tr}(X)', rule: 'the function being differentiated' },
      { latex: 'df = \\operatorname{tr}(dX) + 0' },
      { latex: 'X = X', rule: 'canonical form of both sides' },
    ]);
  });
});
