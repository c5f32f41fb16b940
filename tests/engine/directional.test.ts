/**
 * A relation whose side is a derivative with respect to a whole vector or matrix (∂f/∂X = M) is
 * compared along random directions V of X: f′(X)[V] against M contracted with V through the
 * layout. These cases pin the contraction to every layout rule (scalar f, numerator and
 * denominator layout, Jacobians, vec(X), Hessians: Uᵀ H W against the second difference of f
 * along U and W) with a true formula and a wrong one beside it, and
 * check that a failure shows the whole values, not the contractions.
 */
import { describe, expect, it } from 'vitest';
import { check } from './helpers.ts';

const SQUARE = 'A: n×n; B: n×n; X: n×n; x: n';

const CASES: { name: string; latex: string; where?: string; layout?: 'numerator' | 'denominator'; holds: boolean }[] = [
  { name: 'scalar f, mixed layout', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(AX) = A^\\top', holds: true },
  { name: 'scalar f, mixed layout, transpose missing', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(AX) = A', holds: false },
  { name: 'scalar f, numerator layout', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(AX) = A', layout: 'numerator', holds: true },
  { name: 'scalar f, numerator layout, transpose added', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(AX) = A^\\top', layout: 'numerator', holds: false },
  { name: 'quadratic form', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(X^\\top A X) = (A + A^\\top)X', holds: true },
  { name: 'quadratic form, only the antisymmetric part wrong', latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}(X^\\top A X) = 2AX', holds: false },
  { name: 'Jacobian, mixed layout', latex: '\\frac{\\partial (Ax)}{\\partial x} = A', holds: true },
  { name: 'Jacobian, mixed layout, transposed', latex: '\\frac{\\partial (Ax)}{\\partial x} = A^\\top', holds: false },
  { name: 'Jacobian, denominator layout', latex: '\\frac{\\partial (Ax)}{\\partial x} = A^\\top', layout: 'denominator', holds: true },
  { name: 'Jacobian, denominator layout, not transposed', latex: '\\frac{\\partial (Ax)}{\\partial x} = A', layout: 'denominator', holds: false },
  { name: 'vec(X)', latex: '\\frac{\\partial \\operatorname{vec}(AXB)}{\\partial \\operatorname{vec}(X)^\\top} = B^\\top \\otimes A', holds: true },
  { name: 'vec(X), factors of the Kronecker product swapped', latex: '\\frac{\\partial \\operatorname{vec}(AXB)}{\\partial \\operatorname{vec}(X)^\\top} = A \\otimes B^\\top', holds: false },
  { name: 'Hessian', latex: '\\frac{\\partial^2 (x^\\top A x)}{\\partial x\\,\\partial x^\\top} = A + A^\\top', holds: true },
  { name: 'Hessian, only the antisymmetric part wrong', latex: '\\frac{\\partial^2 (x^\\top A x)}{\\partial x\\,\\partial x^\\top} = 2A', holds: false },
  { name: 'mixed second derivative', latex: '\\frac{\\partial^2 (x^\\top A y)}{\\partial x\\,\\partial y^\\top} = A', where: 'A: n×m; x: n; y: m', holds: true },
  { name: 'mixed second derivative, transposed', latex: '\\frac{\\partial^2 (x^\\top A y)}{\\partial x\\,\\partial y^\\top} = A^\\top', where: 'A: n×n; x: n; y: n', holds: false },
  { name: 'gradient as a chain, the last step wrong', latex: '\\nabla_x \\left(x^\\top A x\\right) = (A + A^\\top)x = 2Ax', holds: false },
];

describe('derivatives compared along a direction', () => {
  for (const c of CASES) {
    it(`${c.holds ? 'accepts' : 'rejects'}: ${c.name}`, () => {
      const r = check(c.latex, { where: c.where ?? SQUARE, ...(c.layout ? { layout: c.layout } : {}) });
      if (c.holds) expect(['proved', 'verified'], `${r.status}: ${r.message}`).toContain(r.status);
      else expect(r.status, `${r.status}: ${r.message}`).toBe('failed');
    });
  }

  it('a failure shows both sides whole (n×n values), not their contraction with the direction', () => {
    const r = check('\\frac{\\partial}{\\partial X}\\operatorname{tr}(AX) = A', { where: SQUARE });
    expect(r.status).toBe('failed');
    const { lhs, rhs } = r.counterexample!;
    for (const side of [lhs, rhs]) {
      expect(Array.isArray(side)).toBe(true);
      const rows = side as number[][];
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.every((row) => Array.isArray(row) && row.length === rows.length)).toBe(true);
    }
    expect(r.message).toMatch(/the two sides differ/);
  });

  it('the same verdicts under other seeds', () => {
    for (const seed of [2, 3, 17]) {
      for (const c of CASES) {
        const r = check(c.latex, { where: c.where ?? SQUARE, seed, ...(c.layout ? { layout: c.layout } : {}) });
        expect(r.status === 'failed', `${c.name}, seed ${seed}: ${r.status} ${r.message}`).toBe(!c.holds);
      }
    }
  });
});
