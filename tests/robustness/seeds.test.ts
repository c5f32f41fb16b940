/**
 * A seeded slice of `npm run seeds` (scripts/seeds.ts): the whole site under three seeds gets
 * the same verdicts, and one seed run twice gives byte-identical reports.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/corpus.ts';
import { compareSeeds } from '../../scripts/seeds.ts';

describe('determinism across seeds (subset of npm run seeds)', () => {
  it('content/ has the same verdicts under seeds 1, 2 and 3', async () => {
    const out = await compareSeeds(join(ROOT, 'content'), [1, 2, 3], 2);
    expect(out.formulas).toBeGreaterThan(100);
    expect(out.sameSeedIdentical).toBe(true);
    expect(Object.fromEntries([...out.unstable].map(([k, m]) => [k, Object.fromEntries(m)]))).toEqual({});
  });
});
