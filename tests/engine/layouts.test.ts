/**
 * authoring.md §5: the same derivative under the `mixed`, `numerator` and `denominator` layouts,
 * set on the page (frontmatter) or on the formula, with their shapes and values.
 */
import { describe, expect, it } from 'vitest';
import type { Layout } from '../../src/engine/api.ts';
import { check, expectError, expectFails, expectHolds, formula, page } from './helpers.ts';

const r = String.raw;
const W = 'a, x: n; M: m×n; A: n×n; X: m×n; B: n×m; S: n×n; t: scalar; y: m';
const LAYOUTS: Layout[] = ['mixed', 'numerator', 'denominator'];

/** Per layout: the true right side, and wrong right sides of the same shape (→ failed). */
interface LayoutRow {
  name: string;
  lhs: string;
  where?: string;
  right: Record<Layout, string>;
  /** Wrong values of the right shape, per layout. */
  wrong: Record<Layout, string[]>;
}

const ROWS: LayoutRow[] = [
  {
    name: '∂(scalar)/∂(n-vector): n×1, 1×n, n×1',
    lhs: r`\frac{\partial (a^T x)}{\partial x}`,
    right: { mixed: 'a', numerator: 'a^T', denominator: 'a' },
    wrong: { mixed: ['x', '2a'], numerator: ['x^T', '-a^T'], denominator: ['x'] },
  },
  {
    name: '∂(quadratic form)/∂(n-vector)',
    lhs: r`\frac{\partial (x^T A x)}{\partial x}`,
    right: { mixed: '(A + A^T)x', numerator: 'x^T(A + A^T)', denominator: '(A + A^T)x' },
    wrong: { mixed: ['2Ax', 'Ax'], numerator: ['2x^TA', 'x^T A'], denominator: ['2Ax', 'A^T x'] },
  },
  {
    name: '∂(scalar)/∂(m×n matrix): m×n, n×m, m×n',
    lhs: r`\frac{\partial \operatorname{tr}(BX)}{\partial X}`,
    right: { mixed: 'B^T', numerator: 'B', denominator: 'B^T' },
    wrong: { mixed: ['2B^T'], numerator: ['-B'], denominator: ['B^T + X'] },
  },
  {
    name: '∂(scalar)/∂(square matrix): the transpose decides',
    lhs: r`\frac{\partial \operatorname{tr}(AS)}{\partial S}`,
    right: { mixed: 'A^T', numerator: 'A', denominator: 'A^T' },
    wrong: { mixed: ['A'], numerator: ['A^T'], denominator: ['A'] },
  },
  {
    name: '∂(m-vector)/∂(n-vector): m×n, m×n, n×m',
    lhs: r`\frac{\partial (Mx)}{\partial x}`,
    right: { mixed: 'M', numerator: 'M', denominator: 'M^T' },
    wrong: { mixed: ['2M'], numerator: ['-M'], denominator: ['2M^T'] },
  },
  {
    name: '∂(n-vector)/∂(n-vector): the transpose decides',
    lhs: r`\frac{\partial (Ax)}{\partial x}`,
    right: { mixed: 'A', numerator: 'A', denominator: 'A^T' },
    wrong: { mixed: ['A^T'], numerator: ['A^T'], denominator: ['A'] },
  },
  {
    name: '∂(entrywise function)/∂(vector): diagonal in every layout',
    lhs: r`\frac{\partial \tanh(x)}{\partial x}`,
    right: { mixed: r`\operatorname{diag}(\mathbf{1} - \tanh(x)\circ\tanh(x))`, numerator: r`\operatorname{diag}(\mathbf{1} - \tanh(x)\circ\tanh(x))`, denominator: r`\operatorname{diag}(\mathbf{1} - \tanh(x)\circ\tanh(x))` },
    wrong: { mixed: [r`\operatorname{diag}(\mathbf{1} - \tanh(x))`], numerator: ['I'], denominator: [r`\operatorname{diag}(\tanh(x))`] },
  },
  {
    name: '∂(m-vector)/∂(scalar): m×1, m×1, 1×m',
    lhs: r`\frac{\partial (t^2 x)}{\partial t}`,
    right: { mixed: '2t x', numerator: '2tx', denominator: '2t x^T' },
    wrong: { mixed: ['t x'], numerator: ['2x'], denominator: ['t^2 x^T'] },
  },
  {
    name: '∂(matrix)/∂(scalar): entrywise, the matrix’s shape, in every layout',
    lhs: r`\frac{\partial (tA + t^2 S)}{\partial t}`,
    right: { mixed: 'A + 2tS', numerator: 'A + 2tS', denominator: 'A + 2tS' },
    wrong: { mixed: ['A^T + 2tS'], numerator: ['A^T + 2tS^T'], denominator: ['A + tS'] },
  },
  {
    name: '∂(non-square matrix)/∂(scalar)',
    lhs: r`\frac{d}{dt}\left(e^{t} M\right)`,
    right: { mixed: 'e^{t} M', numerator: 'e^{t}M', denominator: 'e^t M' },
    wrong: { mixed: ['M'], numerator: ['t e^{t} M'], denominator: ['-e^{t}M'] },
  },
  {
    name: '∂f/∂x^T is the numerator-layout Jacobian whatever the layout',
    lhs: r`\frac{\partial (x^T A x)}{\partial x^T}`,
    right: { mixed: 'x^T(A + A^T)', numerator: 'x^T(A + A^T)', denominator: 'x^T(A + A^T)' },
    wrong: { mixed: ['2x^TA'], numerator: ['2x^T A^T'], denominator: ['x^T A'] },
  },
  {
    name: '∂(vector)/∂x^T whatever the layout',
    lhs: r`\frac{\partial (Ax)}{\partial x^T}`,
    right: { mixed: 'A', numerator: 'A', denominator: 'A' },
    wrong: { mixed: ['A^T'], numerator: ['A^T'], denominator: ['A^T'] },
  },
];

describe('§5 layouts: values', () => {
  for (const row of ROWS) {
    describe(row.name, () => {
      for (const layout of LAYOUTS) {
        it(`${layout} (formula layout): holds`, () => {
          expectHolds(check(`${row.lhs} = ${row.right[layout]}`, { where: row.where ?? W, layout }));
        });
        it(`${layout} (page layout): holds`, () => {
          expectHolds(check(`${row.lhs} = ${row.right[layout]}`, { where: row.where ?? W, pageLayout: layout }));
        });
        for (const w of row.wrong[layout]) {
          it(`${layout}: wrong value ${w} fails`, () => {
            expectFails(check(`${row.lhs} = ${w}`, { where: row.where ?? W, layout }));
          });
        }
      }
    });
  }
});

describe('§5 layouts: shapes', () => {
  /** A right side of another layout's shape is a dimension mismatch that names both shapes. */
  const cases: { lhs: string; layout: Layout; rhs: string; shapes: [RegExp, RegExp] }[] = [
    { lhs: r`\frac{\partial (a^T x)}{\partial x}`, layout: 'numerator', rhs: 'a', shapes: [/1×n/, /n-vector|n×1/] },
    { lhs: r`\frac{\partial (a^T x)}{\partial x}`, layout: 'mixed', rhs: 'a^T', shapes: [/n-vector|n×1/, /1×n/] },
    { lhs: r`\frac{\partial (a^T x)}{\partial x}`, layout: 'denominator', rhs: 'a^T', shapes: [/n-vector|n×1/, /1×n/] },
    { lhs: r`\frac{\partial \operatorname{tr}(BX)}{\partial X}`, layout: 'mixed', rhs: 'B', shapes: [/m×n/, /n×m/] },
    { lhs: r`\frac{\partial \operatorname{tr}(BX)}{\partial X}`, layout: 'numerator', rhs: 'B^T', shapes: [/n×m/, /m×n/] },
    { lhs: r`\frac{\partial \operatorname{tr}(BX)}{\partial X}`, layout: 'denominator', rhs: 'B', shapes: [/m×n/, /n×m/] },
    { lhs: r`\frac{\partial (Mx)}{\partial x}`, layout: 'mixed', rhs: 'M^T', shapes: [/m×n/, /n×m/] },
    { lhs: r`\frac{\partial (Mx)}{\partial x}`, layout: 'numerator', rhs: 'M^T', shapes: [/m×n/, /n×m/] },
    { lhs: r`\frac{\partial (Mx)}{\partial x}`, layout: 'denominator', rhs: 'M', shapes: [/n×m/, /m×n/] },
    { lhs: r`\frac{\partial (t y)}{\partial t}`, layout: 'mixed', rhs: 'y^T', shapes: [/m-vector|m×1/, /1×m/] },
    { lhs: r`\frac{\partial (t y)}{\partial t}`, layout: 'numerator', rhs: 'y^T', shapes: [/m-vector|m×1/, /1×m/] },
    { lhs: r`\frac{\partial (t y)}{\partial t}`, layout: 'denominator', rhs: 'y', shapes: [/1×m/, /m-vector|m×1/] },
    { lhs: r`\frac{\partial (t M)}{\partial t}`, layout: 'denominator', rhs: 'M^T', shapes: [/m×n/, /n×m/] },
    { lhs: r`\frac{\partial (a^T x)}{\partial x^T}`, layout: 'mixed', rhs: 'a', shapes: [/1×n/, /n-vector|n×1/] },
    { lhs: r`\frac{\partial (a^T x)}{\partial x^T}`, layout: 'denominator', rhs: 'a', shapes: [/1×n/, /n-vector|n×1/] },
  ];
  for (const c of cases) {
    it(`${c.layout}: ${c.lhs} = ${c.rhs} is a shape error naming both shapes`, () => {
      const res = check(`${c.lhs} = ${c.rhs}`, { where: W, layout: c.layout });
      expectError(res, c.shapes[0]);
      expect(res.message).toMatch(c.shapes[1]);
      expect(res.ruleId).toBe('shape');
    });
  }
});

describe('§5 layouts: entries', () => {
  it('mixed and numerator: entry (i,j) of the Jacobian is ∂y_i/∂x_j', () => {
    for (const layout of ['mixed', 'numerator'] as const) {
      expectHolds(check(r`\left(\frac{\partial \tanh(Mx)}{\partial x}\right)_{ij} = \frac{\partial \tanh(Mx)_i}{\partial x_j}`, { where: W, layout }));
      expectFails(check(r`\left(\frac{\partial \tanh(Mx)}{\partial x}\right)_{ij} = \frac{\partial \tanh(Mx)_i}{\partial x_j} + x_j`, { where: W, layout }));
    }
  });
  it('denominator: entry (i,j) of the Jacobian is ∂y_j/∂x_i', () => {
    expectHolds(check(r`\left(\frac{\partial \tanh(Mx)}{\partial x}\right)_{ij} = \frac{\partial \tanh(Mx)_j}{\partial x_i}`, { where: W, layout: 'denominator' }));
    expectError(check(r`\left(\frac{\partial \tanh(Mx)}{\partial x}\right)_{ij} = \frac{\partial \tanh(Mx)_i}{\partial x_j}`, { where: W, layout: 'denominator' }), /index/);
  });
  it('numerator: entry (i,j) of ∂s/∂X is ∂s/∂X_{ji}', () => {
    expectHolds(check(r`\left(\frac{\partial \operatorname{tr}(BX)}{\partial X}\right)_{ij} = \frac{\partial \operatorname{tr}(BX)}{\partial X_{ji}}`, { where: W, layout: 'numerator' }));
    expectHolds(check(r`\left(\frac{\partial \operatorname{tr}(BX)}{\partial X}\right)_{ij} = \frac{\partial \operatorname{tr}(BX)}{\partial X_{ij}}`, { where: W, layout: 'mixed' }));
  });
});

describe('§5 layouts: page and formula', () => {
  it('the formula layout overrides the page layout', () => {
    expectHolds(check(r`\frac{\partial (Ax)}{\partial x} = A^T`, { where: W, pageLayout: 'numerator', layout: 'denominator' }));
    expectFails(check(r`\frac{\partial (Ax)}{\partial x} = A`, { where: W, pageLayout: 'numerator', layout: 'denominator' }));
    expectHolds(check(r`\frac{\partial (Ax)}{\partial x} = A`, { where: W, pageLayout: 'denominator', layout: 'mixed' }));
  });
  it('mixed is the default', () => {
    expectHolds(check(r`\frac{\partial \operatorname{tr}(AS)}{\partial S} = A^T`, { where: W }));
    expectFails(check(r`\frac{\partial \operatorname{tr}(AS)}{\partial S} = A`, { where: W }));
  });
  it('a page layout applies to every formula of the page', () => {
    const rs = page(
      [formula(r`\frac{\partial (Ax)}{\partial x} = A^T`, { where: W }), formula(r`\frac{\partial \operatorname{tr}(AS)}{\partial S} = A^T`, { where: W }), formula(r`\frac{\partial (t x)}{\partial t} = x^T`, { where: W })],
      { layout: 'denominator' },
    );
    rs.forEach(expectHolds);
  });
  it('a definition is differentiated in the layout of the formula that uses it', () => {
    const def = formula(r`f = x^T A x`, { kind: 'definition', where: W });
    const rs = page([def, formula(r`\frac{\partial f}{\partial x} = x^T(A + A^T)`, { where: W, layout: 'numerator' }), formula(r`\frac{\partial f}{\partial x} = (A + A^T)x`, { where: W, layout: 'denominator' })]);
    expectHolds(rs[1]!);
    expectHolds(rs[2]!);
  });
});
