/**
 * The LaTeX printer of canonical forms (symbolic/print.ts).
 *
 * 1. `derived` reads as a person would write it: ^\top, ^{-1}, fractions with the vector or
 *    matrix above the bar, powers, norms, entries, and no parentheses that are not needed.
 * 2. Round trip: whatever the printer writes, the engine reads back to the same canonical form.
 *    `LHS = <derived>` must be `proved`, and the canonical form of the printed text prints the
 *    same text again. This catches printer/parser drift.
 */
import { describe, expect, it } from 'vitest';
import type { FormulaResult } from '../../src/engine/api.ts';
import { canonicalForms, leftSide } from '../../scripts/lib/canonical.ts';
import { check, type CheckOptions } from './helpers.ts';
import { CANONICAL_RULES, DIFFERENTIAL_RULES, type RuleCase } from './symbolic-cases.ts';

const r = String.raw;

function why(res: FormulaResult): string {
  return `${res.latex}\n  → ${res.status}: ${res.message ?? ''}\n  derived: ${res.derived}`;
}

/** [identity whose left side is a derivative, declarations, the `derived` a person would write] */
const READABLE: [string, string, string][] = [
  [r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A^\top`, 'A, X: n×n', r`A^\top`],
  [r`\frac{\partial}{\partial X}\operatorname{tr}(AX^{-1}) = -(X^{-1}AX^{-1})^\top`, 'A: n×n; X: n×n invertible', r`-X^{-\top} A^\top X^{-\top}`],
  [r`\frac{\partial}{\partial X}\ln|X| = X^{-\top}`, 'X: n×n invertible', r`X^{-\top}`],
  [r`\frac{\partial}{\partial X}|X| = |X|X^{-\top}`, 'X: n×n invertible', r`\left|X\right| X^{-\top}`],
  [r`\frac{\partial}{\partial x}x^\top A x = (A + A^\top)x`, 'A: n×n; x: n', r`A x + A^\top x`],
  [r`\frac{\partial}{\partial x}\|x\|_2 = \frac{x}{\|x\|_2}`, 'x: n', r`\frac{x}{\left\|x\right\|}`],
  [r`\frac{\partial}{\partial X}\|X\|_F = \frac{X}{\|X\|_F}`, 'X: m×n', r`\frac{X}{\left\|X\right\|_F}`],
  [r`\frac{\partial}{\partial x}\ln(x^\top x) = \frac{2x}{x^\top x}`, 'x: n', r`\frac{2 x}{x^\top x}`],
  [r`\frac{\partial}{\partial x}(a^\top x)^{-1} = -\frac{a}{(a^\top x)^2}`, 'a, x: n', r`-\frac{a}{\left(x^\top a\right)^{2}}`],
  [r`\frac{d}{dt}\sqrt{t} = \frac{1}{2\sqrt{t}}`, 't: scalar', r`\frac{1}{2 \sqrt{t}}`],
  [r`\frac{d}{dt}t^{-2} = -2t^{-3}`, 't: scalar', r`-\frac{2}{t^{3}}`],
  [r`\frac{\partial}{\partial x}(x^\top x)^2 = 4(x^\top x)x`, 'x: n', r`4 \left(x^\top x\right) x`],
  [r`\frac{d}{dt}\tanh t = 1 - \tanh^2 t`, 't: scalar', r`1 - \tanh\left(t\right)^{2}`],
  [r`\frac{\partial}{\partial X}\operatorname{tr}(X^3) = 3(X^2)^\top`, 'X: n×n', r`3 \left(X^{2}\right)^\top`],
  [r`\frac{\partial}{\partial X}\operatorname{tr}(X^{-1}) = -(X^{-2})^\top`, 'X: n×n invertible', r`-\left(X^{-2}\right)^\top`],
  [r`\frac{\partial}{\partial x}\,a^\top\operatorname{diag}(x)\,b = a\circ b`, 'a, b, x: n', r`a \circ b`],
  [r`\frac{\partial \tanh(x)}{\partial x} = \operatorname{diag}(\mathbf{1} - \tanh(x)\circ\tanh(x))`, 'x: n', r`I - \operatorname{diag}\left(\tanh\left(x\right) \circ \tanh\left(x\right)\right)`],
  [r`\frac{\partial \ln(x)}{\partial x} = \operatorname{diag}(x)^{-1}`, 'x: n', r`\operatorname{diag}\left(x\right)^{-1}`],
  [r`\frac{\partial}{\partial x_k}x^\top A x = ((A + A^\top)x)_k`, 'A: n×n; x: n', r`\left(A^\top x\right)_{k} + \left(A x\right)_{k}`],
  [r`\frac{\partial}{\partial X_{ij}}\operatorname{tr}(AX) = A_{ji}`, 'A, X: n×n', r`A_{ji}`],
  [r`\frac{d}{dt}A^{-1} = -A^{-1}\frac{\partial A}{\partial t}A^{-1}`, 't: scalar; A(t): n×n invertible', r`-A^{-1} \frac{\partial A}{\partial t} A^{-1}`],
  [r`\frac{d}{dt}\ln\sigma(t) = \sigma(-t)`, 't: scalar', r`1 - \sigma\left(t\right)`],
  [r`\frac{\partial}{\partial w}\ln\sigma(y\,w^\top x) = \sigma(-y\,w^\top x)\,y\,x`, 'w, x: n; y: scalar', r`y x - y \sigma\left(y x^\top w\right) x`],
  [r`\frac{d}{dt}|t| = \frac{t}{|t|}`, 't: scalar', r`\frac{t}{\left|t\right|}`],
  [r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^\top} = B^\top\otimes A`, 'A: m×n; X: n×p; B: p×k', r`B^\top \otimes A`],
  [r`\frac{\partial}{\partial X}\,\frac{3}{2}\operatorname{tr}(AX) = \frac{3}{2}A^\top`, 'A, X: n×n', r`\frac{3}{2} A^\top`],
];

describe('derived reads as a person would write it', () => {
  for (const [latex, where, expected] of READABLE) {
    it(expected, () => {
      const res = check(latex, { where });
      expect(res.status, why(res)).toBe('proved');
      expect(res.derived, why(res)).toBe(expected);
    });
  }

  it('never prints an empty group, a doubled group, a fraction in a fraction or 1·', () => {
    for (const [latex, where] of READABLE) {
      const d = check(latex, { where }).derived ?? '';
      expect(d, latex).not.toMatch(/\\left\(\s*\\left\(/);
      expect(d, latex).not.toMatch(/\\left\(\s*\\right\)/);
      expect(d, latex).not.toMatch(/\\frac\{\\frac/);
      expect(d, latex).not.toMatch(/(^|[^0-9.])1 [A-Za-z\\]/);
      expect(d, latex).not.toMatch(/\+ -/);
    }
  });
});



function opts(c: RuleCase): CheckOptions {
  return { ...(c.where !== undefined ? { where: c.where } : {}), ...(c.symbols ? { symbols: c.symbols } : {}), ...(c.before ? { before: c.before() } : {}) };
}

/** `LHS = <printed>` must be proved; when it stands alone, the printed form must be its own canonical form. */
function roundTrip(lhs: string, printed: string, o: CheckOptions, where: string | undefined): void {
  const back = check(`${lhs} = ${printed}`, o);
  expect(back.status, `${why(back)}\n  (the printer wrote ${printed})`).toBe('proved');
  if (where === undefined || o.before || o.symbols) return;
  const again = canonicalForms(`${lhs} = ${printed}`, where);
  expect(again.ok, printed).toBe(true);
  if (again.ok) expect(again.rhs.latex, 'printing the canonical form of the printed text').toBe(printed);
}

describe('round trip: every derived is read back to the same canonical form', () => {
  const all: { name: string; latex: string; o: CheckOptions; where?: string }[] = [
    ...READABLE.map(([latex, where]) => ({ name: latex, latex, o: { where }, where })),
    ...DIFFERENTIAL_RULES.map((c) => ({ name: c.name, latex: c.ok, o: opts(c), ...(c.where !== undefined ? { where: c.where } : {}) })),
  ];
  for (const c of all) {
    it(c.name, () => {
      const res = check(c.latex, c.o);
      expect(res.status, why(res)).toBe('proved');
      if (res.derived === null) return;
      roundTrip(leftSide(c.latex), res.derived, c.o, c.where);
    });
  }
});

describe('round trip: the canonical form of every side of the rule table', () => {
  const cases = [...CANONICAL_RULES, ...DIFFERENTIAL_RULES].filter((c) => c.where !== undefined && !c.before && !c.symbols);
  for (const c of cases) {
    it(c.name, () => {
      const lhs = leftSide(c.ok);
      const forms = canonicalForms(`${lhs} = ${lhs}`, c.where!);
      expect(forms.ok, forms.ok ? '' : forms.reason).toBe(true);
      if (!forms.ok) return;
      roundTrip(lhs, forms.lhs.latex, { where: c.where! }, c.where);
    });
  }
});
