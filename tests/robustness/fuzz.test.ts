/**
 * A seeded slice of `npm run fuzz` (scripts/fuzz.ts): grammar formulas, mutated formulas of
 * content/ and raw strings through the reader and the checker. Every case gets a result in under
 * a second; every error has a message, and an error about the LaTeX a span inside the formula.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextIdentities, loadCorpus } from '../../scripts/lib/corpus.ts';
import { checkCase, fuzzCase } from '../../scripts/lib/fuzz-cases.ts';

const pool = contextIdentities(loadCorpus());

describe('fuzz (seeded subset of npm run fuzz)', () => {
  it('every case: a result, in time, with a message and a span when due', () => {
    fc.assert(
      fc.property(fuzzCase(pool), (c) => {
        const { problems } = checkCase(c, 1000);
        if (problems.length > 0) throw new Error(`${problems.map((p) => `${p.what}: ${p.detail}`).join('; ')} for ${JSON.stringify(c.latex)}`);
      }),
      { seed: 20261121, numRuns: 400 },
    );
  });

  it('the unmutated formulas of content/ keep their verdicts in the harness', () => {
    for (const ci of pool.slice(0, 60)) {
      const { result, problems } = checkCase({
        kind: 'mutated',
        latex: ci.item.latex,
        page: { file: ci.file, ...(ci.symbols ? { symbols: ci.symbols } : {}), ...(ci.layout ? { layout: ci.layout } : {}), items: [...ci.context, ci.item] },
      });
      expect(problems).toEqual([]);
      expect(result?.status, ci.item.latex).toBe(ci.verdict);
    }
  });
});
