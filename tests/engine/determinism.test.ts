/**
 * Reproducibility (authoring.md §6): the same seed gives identical results; other seeds give the
 * same verdicts; a formula's result does not depend on what else is on the page.
 */
import { describe, expect, it } from 'vitest';
import type { FormulaResult, PageInput } from '../../src/engine/api.ts';
import { DEFAULT_SEED } from '../../src/engine/api.ts';
import { verifyPage } from '../../src/engine/index.ts';
import { formula } from './helpers.ts';
import { IDENTITY_TABLE } from './identity-table.ts';

const r = String.raw;

const rows = Object.values(IDENTITY_TABLE).flat();

/** A page of every true and wrong identity of the table. */
function tablePage(): PageInput {
  return {
    file: 'content/table.md',
    items: rows.flatMap((row) => [...row.ok, ...row.bad].map((latex) => formula(latex, row.where ? { where: row.where } : {}))),
  };
}

/** A small page mixing verdicts: proved or verified, failed, error, differentials, a definition. */
function mixedPage(): PageInput {
  return {
    file: 'content/mixed.md',
    symbols: 'X: n×n invertible; A, B: n×n; x, a: n',
    items: [
      formula(r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A^T`),
      formula(r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A`),
      formula(r`d(X^{-1}) = -X^{-2}dX`),
      formula(r`d\ln|X| = \operatorname{tr}(X^{-1}dX)`),
      formula(r`y = x^T A x`, { kind: 'definition' }),
      formula(r`\frac{\partial y}{\partial x} = 2Ax`),
      formula(r`AB \neq BA`),
      formula(r`\operatorname{tr}(Y) = 1`),
      formula(r`\ln|x x^T| = 0`),
    ],
  };
}

// built once: the helpers number the lines of each new item
const MIXED = mixedPage();
const TABLE = tablePage();

const verdict = (f: FormulaResult) => (f.status === 'proved' || f.status === 'verified' ? 'holds' : f.status);

describe('same seed → identical results', () => {
  it('the whole report repeats exactly, counterexamples and errors included', () => {
    for (const seed of [1, 42, 123456789]) {
      const a = verifyPage(MIXED, { seed });
      const b = verifyPage(MIXED, { seed });
      expect(b).toEqual(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    }
  });

  it('the identity table repeats exactly', () => {
    const a = verifyPage(TABLE, { seed: 7 });
    const b = verifyPage(TABLE, { seed: 7 });
    expect(b).toEqual(a);
  });

  it('the default seed is fixed, and it is DEFAULT_SEED', () => {
    const a = verifyPage(MIXED);
    const b = verifyPage(MIXED);
    const c = verifyPage(MIXED, { seed: DEFAULT_SEED });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('a failed formula gives the same counterexample every time', () => {
    const a = verifyPage(MIXED, { seed: 5 }).formulas[1]!;
    const b = verifyPage(MIXED, { seed: 5 }).formulas[1]!;
    expect(a.status).toBe('failed');
    expect(a.counterexample).not.toBeNull();
    expect(b.counterexample).toEqual(a.counterexample);
  });
});

describe('different seeds → same verdicts', () => {
  it('every formula of the identity table keeps its verdict across seeds', () => {
    const base = verifyPage(TABLE, { seed: 1 }).formulas.map(verdict);
    for (const seed of [2, 3, 1000, 2 ** 31 - 1, 0xdeadbeef]) {
      const other = verifyPage(TABLE, { seed }).formulas;
      other.forEach((f, i) => expect(verdict(f), `${f.latex} (seed ${seed})`).toBe(base[i]));
    }
  });

  it('the mixed page keeps its verdicts across seeds', () => {
    const base = verifyPage(MIXED, { seed: 1 }).formulas.map((f) => f.status);
    expect(base.map((s) => (s === 'proved' ? 'verified' : s))).toEqual(['verified', 'failed', 'failed', 'verified', 'verified', 'failed', 'verified', 'error', 'error']);
    for (let seed = 2; seed <= 12; seed++) {
      expect(verifyPage(MIXED, { seed }).formulas.map((f) => f.status)).toEqual(base);
    }
  });

  it('different seeds draw different samples', () => {
    const a = verifyPage(MIXED, { seed: 1 }).formulas[1]!;
    const b = verifyPage(MIXED, { seed: 2 }).formulas[1]!;
    expect(a.status).toBe('failed');
    expect(b.status).toBe('failed');
    expect(b.counterexample?.values).not.toEqual(a.counterexample?.values);
  });

  it('more trials do not change a verdict', () => {
    const base = verifyPage(MIXED, { seed: 3 }).formulas.map((f) => f.status);
    expect(verifyPage(MIXED, { seed: 3, trials: 20 }).formulas.map((f) => f.status)).toEqual(base);
    expect(verifyPage(MIXED, { seed: 3, trials: 1 }).formulas.map((f) => f.status)).toEqual(base);
  });
});

describe('samples cover every sign and several sizes whatever the seed', () => {
  const signSensitive: [string, string][] = [
    ['a: scalar', r`|a| = a`],
    ['a, b: scalar', r`|ab| = ab`],
    ['a, b: scalar', r`|a|b = a|b|`],
    ['a, b: scalar', r`\sqrt{a^2 b^2} = ab`],
    ['Q: n×n orthogonal', r`\det Q = 1`],
    ['X: n×n invertible', r`|\det X| = \det X`],
    ['D: n×n diagonal', r`|\det D| = \det D`],
    ['t: scalar; U(t): n×n orthogonal', r`\det U = 1`],
    // identities true for one size only: each trial gives the dimension letters other sizes
    ['A: n×n', r`\det(-A) = -\det A`],
    ['A: n×n', r`\det(2A) = 8\det A`],
    ['x: n', r`\mathbf{1}_n^T\mathbf{1}_n = 3`],
    ['A: n×n', r`A^2 - \operatorname{tr}(A)A + \det(A) I = 0`],
  ];
  for (const [where, latex] of signSensitive) {
    it(`${latex} fails for every seed`, () => {
      for (let seed = 1; seed <= 25; seed++) {
        const res = verifyPage({ file: 's.md', items: [formula(latex, { where })] }, { seed }).formulas[0]!;
        expect(res.status, `seed ${seed}: ${res.message}`).toBe('failed');
      }
    });
  }
});

describe('a formula’s result does not depend on the rest of the page', () => {
  it('alone or after other formulas, with the same seed, it gets the same result', () => {
    const target = formula(r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A`, { where: 'X, A: n×n' });
    const alone = verifyPage({ file: 'p.md', items: [target] }, { seed: 9 }).formulas[0]!;
    const after = verifyPage({ file: 'p.md', items: [formula(r`x = x`, { where: 'x: n' }), formula(r`a + a = 2a`, { where: 'a: scalar' }), target] }, { seed: 9 }).formulas[2]!;
    expect(alone.status).toBe('failed');
    expect(after).toEqual(alone);
  });
});
