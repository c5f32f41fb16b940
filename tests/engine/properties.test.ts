/**
 * Property tests of the symbolic engine (fast-check, fixed seed): random well-shaped matrix
 * expressions over A, B, C: n×n; X: n×n invertible; S: n×n spd; x, y: n; M: m×n; c: scalar
 * (scripts/lib/expr-gen.ts), checked by scripts/properties.ts:
 *
 *   (a) E = canonical(E), printed, is `proved` (so the canonical form has E's value, derivatives
 *       included: the numeric check computes them by finite differences);
 *   (b) the canonical form of the printed canonical form prints identically;
 *   (c) derivative laws true by construction are never `failed` or `error`.
 *
 * `npm run properties` runs the same on 10,000 expressions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkExpression, checkLaw, type Outcome } from '../../scripts/properties.ts';
import { derivativeLawArbitrary, expressionArbitrary } from '../../scripts/lib/expr-gen.ts';

const SEED = 20261121;

function assertNoDisagreement(o: Outcome): void {
  if (o.kind === 'disagreement') throw new Error(`property (${o.property}), ${o.cause}: ${o.latex}\n  ${o.detail}`);
}

describe('symbolic engine properties', () => {
  it('(a) E = canonical(E) is proved and (b) canonicalising twice changes nothing: 300 expressions', () => {
    const tally = { ok: 0, notEstablished: 0 };
    fc.assert(
      fc.property(expressionArbitrary(), (g) => {
        const o = checkExpression(g);
        assertNoDisagreement(o);
        if (o.kind === 'ok') tally.ok++;
        else tally.notEstablished++;
      }),
      { seed: SEED, numRuns: 300 },
    );
    // the generator is not degenerate: almost every expression reaches a canonical form
    expect(tally.ok + tally.notEstablished).toBe(300);
    expect(tally.ok).toBeGreaterThanOrEqual(285);
  });

  it('(c) derivative laws (linearity, product rule, chain rule) are never failed: 100 laws', () => {
    const tally = { proved: 0, other: 0 };
    fc.assert(
      fc.property(derivativeLawArbitrary(), (l) => {
        const o = checkLaw(l);
        assertNoDisagreement(o);
        if (o.kind === 'ok') tally.proved++;
        else tally.other++;
      }),
      { seed: SEED + 1, numRuns: 100 },
    );
    expect(tally.proved).toBeGreaterThanOrEqual(95);
  });

  it('the generated expressions are varied: every kind, derivatives, inverses, Hadamard products', () => {
    const xs = fc.sample(expressionArbitrary(), { seed: SEED, numRuns: 300 });
    const kinds = new Set(xs.map((x) => x.kind));
    expect([...kinds].sort()).toEqual(['M', 'N', 'S', 'V']);
    const share = (re: RegExp) => xs.filter((x) => re.test(x.tex)).length / xs.length;
    expect(share(/\\partial/)).toBeGreaterThan(0.1);
    expect(share(/\^\{-1\}/)).toBeGreaterThan(0.1);
    expect(share(/\\circ/)).toBeGreaterThan(0.1);
    expect(share(/\\ln\\left\|/)).toBeGreaterThan(0.02);
    expect(xs.map((x) => x.tex.length).sort((a, b) => a - b)[150]).toBeGreaterThan(30);
  });
});
