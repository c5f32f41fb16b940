/**
 * The symbolic engine, one rule at a time (issue "Symbolic re-derivation", item 6).
 *
 * Every entry of the differential rule table (rules.ts: SCALAR_RULES, MATRIX_RULES,
 * FUNCTION_DERIVATIVES, ENTRYWISE_DERIVATIVES) and every canonical-form rule gets an identity
 * that must come out `proved` — both sides brought to one canonical form, the numeric check
 * passed — with the engine's own `derived` result and derivation steps, and a wrong variant that
 * must be `failed` (never `proved`). A coverage test keeps the table in step with rules.ts: a new
 * rule without a case here fails it.
 */
import { describe, expect, it } from 'vitest';
import type { FormulaResult, PageItem } from '../../src/engine/api.ts';
import { entrywise, neg, type Poly } from '../../src/engine/symbolic/poly.ts';
import { ENTRYWISE_DERIVATIVES, FUNCTION_DERIVATIVES, MATRIX_RULES, SCALAR_RULES } from '../../src/engine/symbolic/rules.ts';
import { check, definition, type CheckOptions } from './helpers.ts';

const r = String.raw;

interface RuleCase {
  /** What is tested, as a reader would name it. */
  name: string;
  /** Keys of the rule tables this case exercises: `scalar:tr`, `matrix:inv`, `fn:tanh`, `ew:sigma`. */
  covers?: string[];
  where?: string;
  symbols?: string;
  before?: () => PageItem[];
  /** A true identity: must be `proved`. */
  ok: string;
  /** The engine's `derived` (the left side's derivative, printed), when the identity has one. */
  derived?: string;
  /** Must occur in the names of the derivation steps' rules. */
  rule?: string | RegExp;
  /** A wrong variant: must be `failed`. */
  bad: string;
}

function why(res: FormulaResult): string {
  return `${res.latex}\n  → ${res.status}: ${res.message ?? ''}\n  derived: ${res.derived}\n  steps: ${res.steps.map((s) => `${s.rule}: ${s.latex}`).join('\n         ')}`;
}

function opts(c: RuleCase): CheckOptions {
  return { ...(c.where !== undefined ? { where: c.where } : {}), ...(c.symbols ? { symbols: c.symbols } : {}), ...(c.before ? { before: c.before() } : {}) };
}

function run(cases: RuleCase[]): void {
  for (const c of cases) {
    describe(c.name, () => {
      it(`proved: ${c.ok}`, () => {
        const res = check(c.ok, opts(c));
        expect(res.status, why(res)).toBe('proved');
        expect(res.checks.symbolic, why(res)).toBe('proved');
        expect(res.checks.numeric?.trials ?? 0, why(res)).toBeGreaterThan(0);
        expect(res.message, why(res)).toBeNull();
        expect(res.steps.length, why(res)).toBeGreaterThan(0);
        expect(res.steps.at(-1)!.rule, why(res)).toMatch(/canonical form|clearing/);
        if (c.derived !== undefined) expect(res.derived, why(res)).toBe(c.derived);
        if (c.rule !== undefined) {
          const rules = res.steps.map((s) => s.rule).join('; ');
          if (typeof c.rule === 'string') expect(rules, why(res)).toContain(c.rule);
          else expect(rules, why(res)).toMatch(c.rule);
        }
      });
      it(`failed: ${c.bad}`, () => {
        const res = check(c.bad, opts(c));
        expect(res.status, why(res)).toBe('failed');
        expect(res.counterexample, why(res)).not.toBeNull();
      });
    });
  }
}

// ---------- the differential rule table ----------

const DIFFERENTIAL_RULES: RuleCase[] = [
  {
    name: 'sum rule',
    covers: ['scalar:poly'],
    where: 'A, B, X: n×n',
    ok: r`\frac{\partial}{\partial X}\left(\operatorname{tr}(AX) + \operatorname{tr}(BX)\right) = A^\top + B^\top`,
    derived: r`A^\top + B^\top`,
    rule: 'sum rule',
    bad: r`\frac{\partial}{\partial X}\left(\operatorname{tr}(AX) + \operatorname{tr}(BX)\right) = A^\top + B`,
  },
  {
    name: 'scalar multiple (exact rational)',
    where: 'A, X: n×n',
    ok: r`\frac{\partial}{\partial X}\,\frac{3}{2}\operatorname{tr}(AX) = \frac{3}{2}A^\top`,
    derived: r`\frac{3}{2} A^\top`,
    bad: r`\frac{\partial}{\partial X}\,\frac{3}{2}\operatorname{tr}(AX) = \frac{2}{3}A^\top`,
  },
  {
    name: 'scalar multiple (a constant symbol)',
    covers: ['scalar:sym'],
    where: 'A, X: n×n; c: scalar',
    ok: r`\frac{\partial}{\partial X}\,c\operatorname{tr}(AX) = cA^\top`,
    derived: r`c A^\top`,
    bad: r`\frac{\partial}{\partial X}\,c\operatorname{tr}(AX) = A^\top`,
  },
  {
    name: 'non-commutative product rule (differentials)',
    covers: ['matrix:sym', 'matrix:d'],
    where: 'X, Y: n×n',
    ok: r`\mathrm{d}(XY) = \mathrm{d}X\,Y + X\,\mathrm{d}Y`,
    bad: r`\mathrm{d}(XY) = Y\,\mathrm{d}X + X\,\mathrm{d}Y`,
  },
  {
    name: 'non-commutative product rule (gradient)',
    where: 'A, B, X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(XAXB) = B^\top X^\top A^\top + A^\top X^\top B^\top`,
    derived: r`A^\top X^\top B^\top + B^\top X^\top A^\top`,
    rule: 'product rule',
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(XAXB) = 2A^\top X^\top B^\top`,
  },
  {
    name: 'transpose: d(Xᵀ) = (dX)ᵀ',
    where: 'A, X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(AX^\top) = A`,
    derived: 'A',
    rule: 'd(Xᵀ) = (dX)ᵀ',
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(AX^\top) = A^\top`,
  },
  {
    name: 'transpose of a differential',
    where: 'X: m×n',
    ok: r`\mathrm{d}(X^\top) = (\mathrm{d}X)^\top`,
    bad: r`\mathrm{d}(X^\top X) = 2X^\top\mathrm{d}X`,
  },
  {
    name: 'inverse of a symbol: d(X⁻¹) = −X⁻¹ dX X⁻¹',
    where: 'A: n×n; X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(AX^{-1}) = -(X^{-1}AX^{-1})^\top`,
    derived: r`-X^{-\top} A^\top X^{-\top}`,
    rule: 'd(X⁻¹) = −X⁻¹ dX X⁻¹',
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(AX^{-1}) = (X^{-1}AX^{-1})^\top`,
  },
  {
    name: 'inverse of a differential',
    where: 'X: n×n invertible',
    ok: r`\mathrm{d}(X^{-1}) = -X^{-1}\,\mathrm{d}X\,X^{-1}`,
    bad: r`\mathrm{d}(X^{-1}) = -X^{-1}X^{-1}\,\mathrm{d}X`,
  },
  {
    name: 'inverse of an expression (the inv atom)',
    covers: ['matrix:inv'],
    where: 'X: n×n',
    ok: r`\mathrm{d}\left((I + X^\top X)^{-1}\right) = -(I + X^\top X)^{-1}\left(\mathrm{d}X^\top X + X^\top\mathrm{d}X\right)(I + X^\top X)^{-1}`,
    bad: r`\mathrm{d}\left((I + X^\top X)^{-1}\right) = (I + X^\top X)^{-1}\left(\mathrm{d}X^\top X + X^\top\mathrm{d}X\right)(I + X^\top X)^{-1}`,
  },
  {
    name: 'trace: d tr(M) = tr(dM)',
    covers: ['scalar:tr'],
    where: 'X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(X) = I`,
    derived: 'I',
    rule: 'd tr(M) = tr(dM)',
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(X) = X`,
  },
  {
    name: 'trace of a quadratic form in a matrix',
    where: 'X: m×n; B: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}\left(XBX^\top\right) = X\left(B + B^\top\right)`,
    derived: r`X B + X B^\top`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}\left(XBX^\top\right) = 2XB`,
  },
  {
    name: 'determinant: Jacobi',
    covers: ['scalar:det'],
    where: 'X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}|X| = |X|X^{-\top}`,
    derived: r`\left|X\right| X^{-\top}`,
    rule: "Jacobi's formula",
    bad: r`\frac{\partial}{\partial X}|X| = |X|X^{-1}`,
  },
  {
    name: 'determinant: Jacobi (differential form)',
    where: 'X: n×n invertible',
    ok: r`\mathrm{d}|X| = |X|\operatorname{tr}\left(X^{-1}\mathrm{d}X\right)`,
    bad: r`\mathrm{d}|X| = \operatorname{tr}\left(X^{-1}\mathrm{d}X\right)`,
  },
  {
    name: 'determinant of a product',
    where: 'A, B, X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}\det(AXB) = \det(AXB)X^{-\top}`,
    derived: r`\left|A\right| \left|B\right| \left|X\right| X^{-\top}`,
    bad: r`\frac{\partial}{\partial X}\det(AXB) = \det(AXB)A^{-\top}X^{-\top}B^{-\top}`,
  },
  {
    name: 'log-determinant',
    covers: ['scalar:ln'],
    where: 'X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}\ln|X| = X^{-\top}`,
    derived: r`X^{-\top}`,
    rule: 'd ln u = du / u',
    bad: r`\frac{\partial}{\partial X}\ln|X| = X^{-1}`,
  },
  {
    name: 'log-determinant of an spd matrix (declared symmetry re-applied)',
    where: 'S: n×n spd',
    ok: r`\frac{\partial}{\partial S}\ln|S| = S^{-1}`,
    derived: r`S^{-1}`,
    bad: r`\frac{\partial}{\partial S}\ln|S| = S`,
  },
  {
    name: 'log-determinant of XᵀX',
    where: 'X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}\ln|X^\top X| = 2X^{-\top}`,
    derived: r`2 X^{-\top}`,
    bad: r`\frac{\partial}{\partial X}\ln|X^\top X| = X^{-\top}`,
  },
  {
    name: 'absolute value of a scalar: d|u| = (u/|u|) du',
    covers: ['fn:abs'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}|t| = \frac{t}{|t|}`,
    derived: r`\frac{t}{\left|t\right|}`,
    rule: 'd|u| = (u / |u|) du',
    bad: r`\frac{d}{dt}|t| = 1`,
  },
  {
    name: 'ln|u| of a scalar',
    where: 't: scalar',
    ok: r`\frac{d}{dt}\ln|t| = \frac{1}{t}`,
    derived: r`\frac{1}{t}`,
    bad: r`\frac{d}{dt}\ln|t| = \frac{1}{|t|}`,
  },
  {
    name: 'ln|aᵀx|',
    where: 'a, x: n',
    ok: r`\frac{\partial}{\partial x}\ln|a^\top x| = \frac{a}{a^\top x}`,
    derived: r`\frac{a}{x^\top a}`,
    bad: r`\frac{\partial}{\partial x}\ln|a^\top x| = \frac{a}{|a^\top x|}`,
  },
  {
    name: 'integer power of a matrix',
    where: 'X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(X^3) = 3(X^2)^\top`,
    derived: r`3 \left(X^{2}\right)^\top`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(X^3) = 3X^2`,
  },
  {
    name: 'integer power of a matrix (differential)',
    where: 'X: n×n',
    ok: r`\mathrm{d}(X^3) = \mathrm{d}X\,X^2 + X\,\mathrm{d}X\,X + X^2\,\mathrm{d}X`,
    bad: r`\mathrm{d}(X^3) = 3X^2\,\mathrm{d}X`,
  },
  {
    name: 'negative power of a matrix',
    where: 'X: n×n invertible',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(X^{-2}) = -2(X^{-3})^\top`,
    derived: r`-2 \left(X^{-3}\right)^\top`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(X^{-2}) = -2X^{-3}`,
  },
  {
    name: 'power rule for scalars',
    where: 't: scalar',
    ok: r`\frac{d}{dt}t^{-2} = -2t^{-3}`,
    derived: r`-\frac{2}{t^{3}}`,
    rule: 'power rule',
    bad: r`\frac{d}{dt}t^{-2} = -2t^{-1}`,
  },
  {
    name: 'power of a quadratic form',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}(x^\top x)^2 = 4(x^\top x)x`,
    derived: r`4 \left(x^\top x\right) x`,
    bad: r`\frac{\partial}{\partial x}(x^\top x)^2 = 2(x^\top x)x`,
  },
  {
    name: 'negative fractional power',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}(x^\top x)^{-1/2} = -\frac{x}{(x^\top x)^{3/2}}`,
    derived: r`-\frac{x}{\left\|x\right\|^{3}}`,
    bad: r`\frac{\partial}{\partial x}(x^\top x)^{-1/2} = -\frac{x}{2(x^\top x)^{3/2}}`,
  },
  {
    name: 'square root',
    where: 't: scalar',
    ok: r`\frac{d}{dt}\sqrt{t} = \frac{1}{2\sqrt{t}}`,
    derived: r`\frac{1}{2 \sqrt{t}}`,
    bad: r`\frac{d}{dt}\sqrt{t} = \frac{1}{\sqrt{t}}`,
  },
  {
    name: 'square root of a quadratic form',
    where: 'x: n; A: n×n spd',
    ok: r`\frac{\partial}{\partial x}\sqrt{x^\top A x} = \frac{Ax}{\sqrt{x^\top A x}}`,
    derived: r`\frac{A x}{\sqrt{x^\top A x}}`,
    bad: r`\frac{\partial}{\partial x}\sqrt{x^\top A x} = \frac{Ax}{2\sqrt{x^\top A x}}`,
  },
  {
    name: 'exp of a scalar',
    covers: ['fn:exp', 'scalar:fn'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}e^{t^2} = 2te^{t^2}`,
    derived: r`2 t \exp\left(t^{2}\right)`,
    rule: 'd eᵘ = eᵘ du',
    bad: r`\frac{d}{dt}e^{t^2} = e^{t^2}`,
  },
  {
    name: 'exp of a linear form',
    where: 'a, x: n',
    ok: r`\frac{\partial}{\partial x}\exp(a^\top x) = \exp(a^\top x)\,a`,
    derived: r`\exp\left(x^\top a\right) a`,
    bad: r`\frac{\partial}{\partial x}\exp(a^\top x) = \exp(a^\top x)\,x`,
  },
  {
    name: 'ln of a scalar',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\ln(x^\top x) = \frac{2x}{x^\top x}`,
    derived: r`\frac{2 x}{x^\top x}`,
    bad: r`\frac{\partial}{\partial x}\ln(x^\top x) = \frac{x}{x^\top x}`,
  },
  {
    name: 'sin',
    covers: ['fn:sin'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\sin(t^2) = 2t\cos(t^2)`,
    derived: r`2 t \cos\left(t^{2}\right)`,
    rule: 'd sin u = cos u du',
    bad: r`\frac{d}{dt}\sin(t^2) = \cos(t^2)`,
  },
  {
    name: 'cos',
    covers: ['fn:cos'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\cos t = -\sin t`,
    derived: r`-\sin\left(t\right)`,
    rule: 'd cos u = −sin u du',
    bad: r`\frac{d}{dt}\cos t = \sin t`,
  },
  {
    name: 'sinh',
    covers: ['fn:sinh'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\sinh t = \cosh t`,
    derived: r`\cosh\left(t\right)`,
    bad: r`\frac{d}{dt}\sinh t = -\cosh t`,
  },
  {
    name: 'cosh',
    covers: ['fn:cosh'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\cosh t = \sinh t`,
    derived: r`\sinh\left(t\right)`,
    bad: r`\frac{d}{dt}\cosh t = -\sinh t`,
  },
  {
    name: 'tanh (and sech² = 1 − tanh²)',
    covers: ['fn:tanh'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\tanh t = \operatorname{sech}^2 t`,
    derived: r`1 - \tanh\left(t\right)^{2}`,
    rule: 'd tanh u = (1 − tanh² u) du',
    bad: r`\frac{d}{dt}\tanh t = 1 + \tanh^2 t`,
  },
  {
    name: 'logistic σ',
    covers: ['fn:sigma'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\sigma(t) = \sigma(t)(1 - \sigma(t))`,
    derived: r`\sigma\left(t\right) - \sigma\left(t\right)^{2}`,
    rule: 'd σ(u) = σ(u)(1 − σ(u)) du',
    bad: r`\frac{d}{dt}\sigma(t) = \sigma(t)(1 + \sigma(t))`,
  },
  {
    name: 'sech',
    covers: ['fn:sech'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\operatorname{sech} t = -\operatorname{sech} t\,\tanh t`,
    derived: r`-\operatorname{sech}\left(t\right) \tanh\left(t\right)`,
    bad: r`\frac{d}{dt}\operatorname{sech} t = \operatorname{sech} t\,\tanh t`,
  },
  {
    name: 'log-sigmoid: d ln σ(u) = σ(−u) du',
    covers: ['fn:logsig'],
    where: 't: scalar',
    ok: r`\frac{d}{dt}\ln\sigma(t) = \sigma(-t)`,
    derived: r`1 - \sigma\left(t\right)`,
    rule: 'd ln σ(u) = σ(−u) du',
    bad: r`\frac{d}{dt}\ln\sigma(t) = \sigma(t)`,
  },
  {
    name: 'log-sigmoid: ln(1 − σ(u)) = ln σ(−u)',
    where: 't: scalar',
    ok: r`\frac{d}{dt}\ln(1 - \sigma(t)) = -\sigma(t)`,
    derived: r`-\sigma\left(t\right)`,
    bad: r`\frac{d}{dt}\ln(1 - \sigma(t)) = \sigma(-t)`,
  },
  {
    name: 'log-sigmoid: logistic-regression gradient',
    where: 'w, x: n; y: scalar',
    ok: r`\frac{\partial}{\partial w}\ln\sigma(y\,w^\top x) = \sigma(-y\,w^\top x)\,y\,x`,
    derived: r`y x - y \sigma\left(y x^\top w\right) x`,
    bad: r`\frac{\partial}{\partial w}\ln\sigma(y\,w^\top x) = \sigma(y\,w^\top x)\,y\,x`,
  },
  // entrywise functions: the entrywise chain rule and ENTRYWISE_DERIVATIVES, one by one
  {
    name: 'entrywise tanh (Jacobian)',
    covers: ['matrix:ew', 'ew:tanh', 'matrix:diag'],
    where: 'x: n',
    ok: r`\frac{\partial \tanh(x)}{\partial x} = \operatorname{diag}\left(\mathbf{1} - \tanh(x)\circ\tanh(x)\right)`,
    derived: r`I - \operatorname{diag}\left(\tanh\left(x\right) \circ \tanh\left(x\right)\right)`,
    rule: 'entrywise chain rule',
    bad: r`\frac{\partial \tanh(x)}{\partial x} = \operatorname{diag}\left(\mathbf{1} + \tanh(x)\circ\tanh(x)\right)`,
  },
  {
    name: 'entrywise sech (sech ∘ sech = 1 − tanh ∘ tanh)',
    covers: ['ew:sech'],
    where: 'x: n',
    ok: r`\frac{\partial \tanh(x)}{\partial x} = \operatorname{diag}\left(\operatorname{sech}(x)\circ\operatorname{sech}(x)\right)`,
    derived: r`I - \operatorname{diag}\left(\tanh\left(x\right) \circ \tanh\left(x\right)\right)`,
    bad: r`\frac{\partial \operatorname{sech}(x)}{\partial x} = \operatorname{diag}\left(\operatorname{sech}(x)\circ\tanh(x)\right)`,
  },
  {
    name: 'entrywise sech (Jacobian)',
    where: 'x: n',
    ok: r`\frac{\partial \operatorname{sech}(x)}{\partial x} = -\operatorname{diag}\left(\operatorname{sech}(x)\circ\tanh(x)\right)`,
    derived: r`-\operatorname{diag}\left(\operatorname{sech}\left(x\right) \circ \tanh\left(x\right)\right)`,
    bad: r`\frac{\partial \operatorname{sech}(x)}{\partial x} = \operatorname{diag}\left(\operatorname{sech}(x)\circ\tanh(x)\right)`,
  },
  {
    name: 'entrywise σ',
    covers: ['ew:sigma'],
    where: 'x: n',
    ok: r`\frac{\partial \sigma(x)}{\partial x} = \operatorname{diag}\left(\sigma(x)\circ(\mathbf{1} - \sigma(x))\right)`,
    derived: r`\operatorname{diag}\left(\sigma\left(x\right)\right) - \operatorname{diag}\left(\sigma\left(x\right) \circ \sigma\left(x\right)\right)`,
    bad: r`\frac{\partial \sigma(x)}{\partial x} = \operatorname{diag}\left(\sigma(x)\right)`,
  },
  {
    name: 'entrywise exp',
    covers: ['ew:exp'],
    where: 'x: n',
    ok: r`\frac{\partial \exp(x)}{\partial x} = \operatorname{diag}(\exp(x))`,
    derived: r`\operatorname{diag}\left(\exp\left(x\right)\right)`,
    bad: r`\frac{\partial \exp(x)}{\partial x} = \exp(x)\mathbf{1}^\top`,
  },
  {
    name: 'entrywise sin',
    covers: ['ew:sin'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\sin(x) = \cos(x)`,
    derived: r`\cos\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\sin(x) = -\cos(x)`,
  },
  {
    name: 'entrywise cos',
    covers: ['ew:cos'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\cos(x) = -\sin(x)`,
    derived: r`-\sin\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\cos(x) = \sin(x)`,
  },
  {
    name: 'entrywise sinh',
    covers: ['ew:sinh'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\sinh(x) = \cosh(x)`,
    derived: r`\cosh\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\sinh(x) = \sinh(x)`,
  },
  {
    name: 'entrywise cosh',
    covers: ['ew:cosh'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\cosh(x) = \sinh(x)`,
    derived: r`\sinh\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\cosh(x) = \cosh(x)`,
  },
  {
    name: 'entrywise ln',
    covers: ['ew:ln'],
    where: 'x: n',
    ok: r`\frac{\partial \ln(x)}{\partial x} = \operatorname{diag}(x)^{-1}`,
    derived: r`\operatorname{diag}\left(x\right)^{-1}`,
    bad: r`\frac{\partial \ln(x)}{\partial x} = \operatorname{diag}(x)`,
  },
  {
    name: 'entrywise ln (gradient)',
    where: 'x, a: n',
    ok: r`\frac{\partial}{\partial x}\,a^\top\ln(x) = \operatorname{diag}(x)^{-1}a`,
    bad: r`\frac{\partial}{\partial x}\,a^\top\ln(x) = \operatorname{diag}(x)a`,
  },
  {
    name: 'entrywise log-sigmoid',
    covers: ['ew:logsig'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\ln\sigma(x) = \sigma(-x)`,
    derived: r`\mathbf{1} - \sigma\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\ln\sigma(x) = \sigma(x)`,
  },
  {
    name: 'entrywise ln(1 − σ)',
    covers: ['matrix:ones'],
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top\ln(\mathbf{1} - \sigma(x)) = -\sigma(x)`,
    derived: r`-\sigma\left(x\right)`,
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top\ln(\mathbf{1} - \sigma(x)) = \sigma(-x)`,
  },
  {
    name: 'entrywise function of a matrix product (a layer)',
    where: 'W: m×n; x: n',
    ok: r`\frac{\partial}{\partial W}\mathbf{1}^\top\tanh(Wx) = \left(\mathbf{1} - \tanh(Wx)\circ\tanh(Wx)\right)x^\top`,
    derived: r`\mathbf{1} x^\top - \left(\tanh\left(W x\right) \circ \tanh\left(W x\right)\right) x^\top`,
    bad: r`\frac{\partial}{\partial W}\mathbf{1}^\top\tanh(Wx) = \left(\mathbf{1} + \tanh(Wx)\circ\tanh(Wx)\right)x^\top`,
  },
  // Hadamard and Kronecker products
  {
    name: 'Hadamard product rule',
    covers: ['matrix:had'],
    where: 'X, Y: m×n',
    ok: r`\mathrm{d}(X\circ Y) = \mathrm{d}X\circ Y + X\circ\mathrm{d}Y`,
    bad: r`\mathrm{d}(X\circ Y) = \mathrm{d}X\circ Y - X\circ\mathrm{d}Y`,
  },
  {
    name: 'Hadamard: Jacobian of a ∘ x',
    where: 'a, x: n',
    ok: r`\frac{\partial}{\partial x}(a\circ x) = \operatorname{diag}(a)`,
    derived: r`\operatorname{diag}\left(a\right)`,
    rule: 'product rule for ∘',
    bad: r`\frac{\partial}{\partial x}(a\circ x) = a\mathbf{1}^\top`,
  },
  {
    name: 'Hadamard: gradient of 1ᵀ(x ∘ x)',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\mathbf{1}^\top(x\circ x) = 2x`,
    derived: '2 x',
    bad: r`\frac{\partial}{\partial x}\mathbf{1}^\top(x\circ x) = x`,
  },
  {
    name: 'Hadamard of matrices inside a trace',
    where: 'A, B, X: m×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}\left(A^\top(X\circ B)\right) = A\circ B`,
    derived: r`A \circ B`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}\left(A^\top(X\circ B)\right) = A\circ X`,
  },
  {
    name: 'Kronecker product rule',
    covers: ['matrix:kron'],
    where: 'X: m×n; Y: p×k',
    ok: r`\mathrm{d}(X\otimes Y) = \mathrm{d}X\otimes Y + X\otimes\mathrm{d}Y`,
    bad: r`\mathrm{d}(X\otimes Y) = \mathrm{d}X\otimes Y + \mathrm{d}Y\otimes X`,
  },
  // vec and diag
  {
    name: 'vec: the Magnus–Neudecker Jacobian',
    covers: ['matrix:vec'],
    where: 'A: m×n; X: n×p; B: p×k',
    ok: r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^\top} = B^\top\otimes A`,
    derived: r`B^\top \otimes A`,
    bad: r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^\top} = A\otimes B^\top`,
  },
  {
    name: 'vec: d vec(M) = vec(dM)',
    where: 'X: m×n',
    ok: r`\mathrm{d}\operatorname{vec}(X) = \operatorname{vec}(\mathrm{d}X)`,
    bad: r`\mathrm{d}\operatorname{vec}(X) = \operatorname{vec}(\mathrm{d}X^\top)`,
  },
  {
    name: 'diag: d diag(v) = diag(dv)',
    where: 'x: n',
    ok: r`\mathrm{d}\operatorname{diag}(x) = \operatorname{diag}(\mathrm{d}x)`,
    bad: r`\mathrm{d}\operatorname{diag}(x) = \mathrm{d}x\,\mathbf{1}^\top`,
  },
  {
    name: 'diag: gradient of aᵀ diag(x) b',
    where: 'a, b, x: n',
    ok: r`\frac{\partial}{\partial x}\,a^\top\operatorname{diag}(x)\,b = a\circ b`,
    derived: r`a \circ b`,
    bad: r`\frac{\partial}{\partial x}\,a^\top\operatorname{diag}(x)\,b = (a^\top b)\mathbf{1}`,
  },
  // norms
  {
    name: 'Euclidean norm',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\|x\|_2 = \frac{x}{\|x\|_2}`,
    derived: r`\frac{x}{\left\|x\right\|}`,
    bad: r`\frac{\partial}{\partial x}\|x\|_2 = \frac{x}{\|x\|_2^2}`,
  },
  {
    name: 'squared Euclidean norm of a residual',
    where: 'A: m×n; x: n; b: m',
    ok: r`\frac{\partial}{\partial x}\|Ax - b\|_2^2 = 2A^\top(Ax - b)`,
    derived: r`2 A^\top A x - 2 A^\top b`,
    bad: r`\frac{\partial}{\partial x}\|Ax - b\|_2^2 = A^\top(Ax - b)`,
  },
  {
    name: 'Frobenius norm',
    where: 'X: m×n',
    ok: r`\frac{\partial}{\partial X}\|X\|_F = \frac{X}{\|X\|_F}`,
    derived: r`\frac{X}{\left\|X\right\|_F}`,
    bad: r`\frac{\partial}{\partial X}\|X\|_F = \frac{X}{\|X\|_F^2}`,
  },
  {
    name: 'squared Frobenius norm of a residual',
    where: 'A: m×n; X: n×p; B: m×p',
    ok: r`\frac{\partial}{\partial X}\|AX - B\|_F^2 = 2A^\top(AX - B)`,
    derived: r`2 A^\top A X - 2 A^\top B`,
    bad: r`\frac{\partial}{\partial X}\|AX - B\|_F^2 = 2A^\top(AX + B)`,
  },
  // definitions
  {
    name: 'a defined name: d of y expands it',
    symbols: 'X: m×n; B: n×n',
    before: () => [definition(r`y = \operatorname{tr}\left(XBX^\top\right)`)],
    ok: r`\frac{\partial y}{\partial X} = X\left(B + B^\top\right)`,
    derived: r`X B + X B^\top`,
    bad: r`\frac{\partial y}{\partial X} = 2XB`,
  },
  {
    name: 'a defined name: its differential',
    symbols: 'X: m×n; B: n×n',
    before: () => [definition(r`y = \operatorname{tr}\left(XBX^\top\right)`)],
    ok: r`\mathrm{d}y = \operatorname{tr}\left(\mathrm{d}X\,BX^\top\right) + \operatorname{tr}\left(XB\,\mathrm{d}X^\top\right)`,
    bad: r`\mathrm{d}y = 2\operatorname{tr}\left(\mathrm{d}X\,BX^\top\right)`,
  },
  {
    name: 'a defined function f(X)',
    symbols: 'X: n×n invertible; A: n×n',
    before: () => [definition(r`f(X) = \operatorname{tr}\left(AX^{-1}\right)`)],
    ok: r`\frac{\partial f}{\partial X} = -X^{-\top}A^\top X^{-\top}`,
    derived: r`-X^{-\top} A^\top X^{-\top}`,
    bad: r`\frac{\partial f}{\partial X} = -X^{-1}AX^{-1}`,
  },
  // matrix functions A(t) of a scalar
  {
    name: 'A(t): the inverse',
    where: 't: scalar; A(t): n×n invertible',
    ok: r`\frac{d}{dt}A^{-1} = -A^{-1}\frac{\partial A}{\partial t}A^{-1}`,
    derived: r`-A^{-1} \frac{\partial A}{\partial t} A^{-1}`,
    rule: 'a function of a scalar',
    bad: r`\frac{d}{dt}A^{-1} = -A^{-2}\frac{\partial A}{\partial t}`,
  },
  {
    name: 'A(t): the log-determinant',
    where: 't: scalar; A(t): n×n invertible',
    ok: r`\frac{d}{dt}\ln|A| = \operatorname{tr}\left(A^{-1}\frac{\partial A}{\partial t}\right)`,
    derived: r`\operatorname{tr}\left(A^{-1} \frac{\partial A}{\partial t}\right)`,
    bad: r`\frac{d}{dt}\ln|A| = \operatorname{tr}\left(\frac{\partial A}{\partial t}\right)`,
  },
  {
    name: 'A(t), B(t): the product rule keeps the order',
    where: 't: scalar; A(t), B(t): n×n',
    ok: r`\frac{d}{dt}(AB) = \frac{\partial A}{\partial t}B + A\frac{\partial B}{\partial t}`,
    derived: r`A \frac{\partial B}{\partial t} + \frac{\partial A}{\partial t} B`,
    bad: r`\frac{d}{dt}(AB) = \frac{\partial A}{\partial t}B + \frac{\partial B}{\partial t}A`,
  },
  {
    name: 'a scalar function of a scalar parameter',
    where: 't: scalar; u(t): scalar',
    ok: r`\frac{d}{dt}u^2 = 2u\frac{\partial u}{\partial t}`,
    bad: r`\frac{d}{dt}u^2 = 2\frac{\partial u}{\partial t}`,
  },
  // entries, index sums, derivatives with respect to entries
  {
    name: 'index sum: Σᵢ xᵢyᵢ = xᵀy',
    covers: ['matrix:e'],
    where: 'x, y: n',
    ok: r`\sum_i x_i y_i = x^\top y`,
    bad: r`\sum_i x_i y_i = \mathbf{1}^\top x\,\mathbf{1}^\top y`,
  },
  {
    name: 'index sum: Σᵢⱼ AᵢⱼBᵢⱼ = tr(AᵀB)',
    where: 'A, B: n×n',
    ok: r`\sum_{i,j} A_{ij}B_{ij} = \operatorname{tr}(A^\top B)`,
    bad: r`\sum_{i,j} A_{ij}B_{ji} = \operatorname{tr}(A^\top B)`,
  },
  {
    name: 'index sum: an entry of a product',
    where: 'A: n×n; x: n',
    ok: r`(Ax)_i = \sum_j A_{ij}x_j`,
    bad: r`(Ax)_i = \sum_j A_{ji}x_j`,
  },
  {
    name: 'index sum with the index once: Σᵢ eᵢ = 𝟏',
    where: 'x: n',
    ok: r`\frac{\partial}{\partial x}\sum_i x_i = \mathbf{1}`,
    derived: r`\mathbf{1}`,
    bad: r`\frac{\partial}{\partial x}\sum_i x_i = x`,
  },
  {
    name: 'derivative with respect to a matrix entry',
    where: 'A, X: n×n',
    ok: r`\frac{\partial}{\partial X_{ij}}\operatorname{tr}(AX) = A_{ji}`,
    derived: r`A_{ji}`,
    rule: 'unit direction of that entry',
    bad: r`\frac{\partial}{\partial X_{ij}}\operatorname{tr}(AX) = A_{ij}`,
  },
  {
    name: 'derivative with respect to a vector entry',
    where: 'A: n×n; x: n',
    ok: r`\frac{\partial}{\partial x_k}x^\top A x = \left((A + A^\top)x\right)_k`,
    derived: r`\left(A^\top x\right)_{k} + \left(A x\right)_{k}`,
    bad: r`\frac{\partial}{\partial x_k}x^\top A x = 2(Ax)_k`,
  },
  // Hessians
  {
    name: 'Hessian of a quadratic form',
    where: 'A: n×n; x: n',
    ok: r`\frac{\partial^2}{\partial x\,\partial x^\top}x^\top A x = A + A^\top`,
    derived: r`A + A^\top`,
    rule: 'the Jacobian of the gradient: the Hessian',
    bad: r`\frac{\partial^2}{\partial x\,\partial x^\top}x^\top A x = 2A`,
  },
  {
    name: 'Hessian of least squares',
    where: 'A: m×n; x: n; b: m',
    ok: r`\nabla^2_x \|Ax - b\|^2 = 2A^\top A`,
    derived: r`2 A^\top A`,
    bad: r`\nabla^2_x \|Ax - b\|^2 = A^\top A`,
  },
  {
    name: 'Hessian of log-sum-exp',
    where: 'x: n',
    ok: r`\frac{\partial^2}{\partial x\,\partial x^\top}\ln\left(\mathbf{1}^\top\exp(x)\right) = \operatorname{diag}(\operatorname{softmax}(x)) - \operatorname{softmax}(x)\operatorname{softmax}(x)^\top`,
    bad: r`\frac{\partial^2}{\partial x\,\partial x^\top}\ln\left(\mathbf{1}^\top\exp(x)\right) = \operatorname{diag}(\operatorname{softmax}(x))`,
  },
  {
    name: 'Hessian of the log-sigmoid',
    where: 'w, x: n',
    ok: r`\frac{\partial^2}{\partial x\,\partial x^\top}\ln\sigma(w^\top x) = -\sigma(w^\top x)\,\sigma(-w^\top x)\,ww^\top`,
    derived: r`\sigma\left(x^\top w\right)^{2} w w^\top - \sigma\left(x^\top w\right) w w^\top`,
    bad: r`\frac{\partial^2}{\partial x\,\partial x^\top}\ln\sigma(w^\top x) = \sigma(w^\top x)\,\sigma(-w^\top x)\,ww^\top`,
  },
  {
    name: 'second derivative with respect to a scalar',
    where: 't: scalar',
    ok: r`\frac{d^2}{dt^2}t^3 = 6t`,
    derived: '6 t',
    bad: r`\frac{d^2}{dt^2}t^3 = 3t^2`,
  },
  {
    name: 'power of a trace',
    where: 'X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(X)^2 = 2\operatorname{tr}(X)\,I`,
    derived: r`2 \operatorname{tr}\left(X\right) I`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(X)^2 = 2X`,
  },
  {
    name: 'a dimension is a constant: tr(Iₙ) = n',
    covers: ['scalar:dim'],
    where: 'A, X: n×n',
    ok: r`\frac{\partial}{\partial X}\operatorname{tr}(I_n)\operatorname{tr}(AX) = \operatorname{tr}(I_n)A^\top`,
    derived: r`n A^\top`,
    bad: r`\frac{\partial}{\partial X}\operatorname{tr}(I_n)\operatorname{tr}(AX) = A^\top`,
  },
  // constants
  {
    name: 'constants differentiate to zero',
    covers: ['scalar:const', 'matrix:op', 'scalar:op'],
    where: 'A, X: n×n',
    ok: r`\frac{\partial}{\partial X}\left(\pi\operatorname{tr}(e^{A}X) + \|A\|_2\right) = \pi\left(e^{A}\right)^\top`,
    bad: r`\frac{\partial}{\partial X}\left(\pi\operatorname{tr}(e^{A}X) + \|A\|_2\right) = \pi e^{A}`,
  },
  {
    name: 'a differential is constant: d(dX) = 0 (first order)',
    covers: ['scalar:d'],
    where: 'X: n×n; t: scalar',
    ok: r`\mathrm{d}(t^2) = 2t\,\mathrm{d}t`,
    bad: r`\mathrm{d}(t^2) = t\,\mathrm{d}t`,
  },
];

/** Entries of the rule tables that no formula reaches on its own, with the reason. */
const UNREACHABLE: Record<string, string> = {
  'matrix:fwd': 'a factor kept whole only inside the clearing strategy of prove.ts, after differentiation',
};

// ---------- the canonical-form rules ----------

const CANONICAL_RULES: RuleCase[] = [
  {
    name: 'expand products of sums',
    where: 'A, B, C: n×n',
    ok: r`(A + B)(C - A) = AC - A^2 + BC - BA`,
    bad: r`(A + B)^2 = A^2 + 2AB + B^2`,
  },
  {
    name: '(AB)ᵀ = BᵀAᵀ',
    where: 'A: m×n; B: n×p',
    ok: r`(AB)^\top = B^\top A^\top`,
    bad: r`(AB)^\top = B^\top A^\top + B^\top A^\top`,
  },
  {
    name: '(AB)ᵀ ≠ AᵀBᵀ for square factors',
    where: 'A, B: n×n',
    ok: r`(ABA)^\top = A^\top B^\top A^\top`,
    bad: r`(AB)^\top = A^\top B^\top`,
  },
  {
    name: '(AB)⁻¹ = B⁻¹A⁻¹ for square invertible factors',
    where: 'A, B: n×n invertible',
    ok: r`(AB)^{-1} = B^{-1}A^{-1}`,
    bad: r`(AB)^{-1} = A^{-1}B^{-1}`,
  },
  {
    name: '(X⁻¹)ᵀ = (Xᵀ)⁻¹',
    where: 'X: n×n invertible',
    ok: r`(X^{-1})^\top = (X^\top)^{-1}`,
    bad: r`(X^{-1})^\top = X^{-1}`,
  },
  {
    name: 'declared symmetry: Sᵀ = S, S⁻ᵀ = S⁻¹',
    where: 'S: n×n spd; A: n×n',
    ok: r`(S A)^\top = A^\top S^{-\top} S S`,
    bad: r`(S A)^\top = S A^\top`,
  },
  {
    name: 'trace cyclicity',
    where: 'A, B, C: n×n',
    ok: r`\operatorname{tr}(ABC) = \operatorname{tr}(BCA) = \operatorname{tr}(CAB)`,
    bad: r`\operatorname{tr}(ABC) = \operatorname{tr}(ACB)`,
  },
  {
    name: 'tr(Mᵀ) = tr(M)',
    where: 'A, B, C: n×n',
    ok: r`\operatorname{tr}(ABC) = \operatorname{tr}\left((ABC)^\top\right) = \operatorname{tr}(C^\top B^\top A^\top)`,
    bad: r`\operatorname{tr}(ABC) = \operatorname{tr}(A^\top B^\top C^\top)`,
  },
  {
    name: 'a scalar is its own trace: xᵀAy = tr(Ayxᵀ)',
    where: 'A: n×n; x, y: n',
    ok: r`x^\top A y = \operatorname{tr}(A y x^\top) = y^\top A^\top x`,
    bad: r`x^\top A y = y^\top A x`,
  },
  {
    name: 'I and 0 eliminated',
    where: 'A, B: n×n',
    ok: r`IA + 0 - A I B + 0\cdot B = A - AB`,
    bad: r`IA + 0 = A + I`,
  },
  {
    name: 'X X⁻¹ = I',
    where: 'A: m×n; X: n×n invertible',
    ok: r`A X^{-1} X = A = A X X^{-1}`,
    bad: r`A X^{-1} X = A X`,
  },
  {
    name: 'like terms with exact rational coefficients',
    where: 'A, B: n×n',
    ok: r`\frac{2}{3}(A + B) - \frac{1}{6}A + 0.5B = \frac{1}{2}A + \frac{7}{6}B`,
    bad: r`\frac{1}{2}A + \frac{1}{3}A = 0.8333A`,
  },
  {
    name: 'orthogonal: QᵀQ = QQᵀ = I, Q⁻¹ = Qᵀ',
    where: 'Q: n×n orthogonal; A: n×n',
    ok: r`Q^\top A Q Q^\top Q^{-\top} Q^{-1} = Q^\top A`,
    bad: r`Q^\top A Q = A`,
  },
  {
    name: 'determinant of a product and of an inverse',
    where: 'A, B: n×n invertible',
    ok: r`\det(AB^{-1}) = \frac{\det(A)}{\det(B)}`,
    bad: r`\det(A + B) = \det(A) + \det(B)`,
  },
  {
    name: 'scalars commute and collect',
    where: 'A, B: n×n; c: scalar',
    ok: r`c(A + B)\operatorname{tr}(A) = \operatorname{tr}(A)\,Bc + cA\operatorname{tr}(A^\top)`,
    bad: r`c\operatorname{tr}(AB) = \operatorname{tr}(A)\operatorname{tr}(cB)`,
  },
];

describe('differential rules, one at a time', () => run(DIFFERENTIAL_RULES));
describe('canonical-form rules', () => run(CANONICAL_RULES));

describe('a non-identity is never proved', () => {
  const NON_IDENTITIES: [string, string][] = [
    [r`\operatorname{tr}(ABC) = \operatorname{tr}(ACB)`, 'A, B, C: n×n'],
    [r`(AB)^\top = A^\top B^\top`, 'A, B: n×n'],
    [r`(AB)^{-1} = A^{-1}B^{-1}`, 'A, B: n×n invertible'],
    [r`AB = BA`, 'A, B: n×n'],
    [r`A^\top = A`, 'A: n×n'],
    [r`(A + B)^{-1} = A^{-1} + B^{-1}`, 'A, B: n×n spd'],
    [r`\operatorname{tr}(AB) = \operatorname{tr}(A)\operatorname{tr}(B)`, 'A, B: n×n'],
    [r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A`, 'A, X: n×n'],
    [r`x^\top A y = y^\top A x`, 'A: n×n; x, y: n'],
  ];
  for (const [latex, where] of NON_IDENTITIES) {
    it(latex, () => {
      const res = check(latex, { where });
      expect(res.status, why(res)).toBe('failed');
      expect(res.checks.symbolic, why(res)).not.toBe('proved');
    });
  }
});

describe('the table covers every rule of rules.ts', () => {
  const covered = new Set([...DIFFERENTIAL_RULES, ...CANONICAL_RULES].flatMap((c) => c.covers ?? []));
  const tables: [string, Record<string, unknown>][] = [
    ['scalar', SCALAR_RULES],
    ['matrix', MATRIX_RULES],
    ['fn', FUNCTION_DERIVATIVES],
    ['ew', ENTRYWISE_DERIVATIVES],
  ];
  for (const [prefix, table] of tables) {
    it(`${prefix} rules`, () => {
      const missing = Object.keys(table)
        .map((k) => `${prefix}:${k}`)
        .filter((k) => !covered.has(k) && !(k in UNREACHABLE));
      expect(missing, 'rules without a case in symbolic-rules.test.ts').toEqual([]);
    });
  }
});

// ---------- the self-check catches a broken rule ----------

describe('the self-check catches a broken rule', () => {
  /** Replace one entry of a rule table for the duration of `body`. */
  function withRule<T extends Record<string, unknown>, K extends keyof T>(table: T, key: K, broken: T[K], body: () => void): void {
    const original = table[key];
    table[key] = broken;
    try {
      body();
    } finally {
      table[key] = original;
    }
  }

  function expectInternal(res: FormulaResult, ruleName: string): void {
    expect(res.status, why(res)).toBe('error');
    expect(res.ruleId, why(res)).toBe('internal');
    expect(res.message ?? '', why(res)).toContain(ruleName);
    expect(res.message ?? '', why(res)).toMatch(/internal error/);
  }

  it('the inverse rule without its minus sign (MATRIX_RULES.sym)', () => {
    const original = MATRIX_RULES.sym;
    withRule(MATRIX_RULES, 'sym', { name: original.name, d: (a, ctx) => (a.inv ? neg(original.d(a, ctx)) : original.d(a, ctx)) }, () => {
      const res = check(r`\frac{\partial}{\partial X}\operatorname{tr}(AX^{-1}) = -(X^{-1}AX^{-1})^\top`, { where: 'A: n×n; X: n×n invertible' });
      expectInternal(res, 'd(X⁻¹) = −X⁻¹ dX X⁻¹');
      // the broken form is named too, so the mistake can be found
      expect(res.message ?? '').toContain(r`X^{-\top} A^\top X^{-\top}`);
    });
    // restored: the same identity is proved again
    expect(check(r`\frac{\partial}{\partial X}\operatorname{tr}(AX^{-1}) = -(X^{-1}AX^{-1})^\top`, { where: 'A: n×n; X: n×n invertible' }).status).toBe('proved');
  });

  it('the inverse rule of an expression without its minus sign (MATRIX_RULES.inv)', () => {
    const original = MATRIX_RULES.inv;
    withRule(MATRIX_RULES, 'inv', { name: original.name, d: (a, ctx) => neg(original.d(a, ctx)) }, () => {
      const res = check(r`\frac{\partial}{\partial X}\operatorname{tr}\left((I + X^\top X)^{-1}\right) = -2X(I + X^\top X)^{-2}`, { where: 'X: n×n' });
      expectInternal(res, 'd(X⁻¹) = −X⁻¹ dX X⁻¹');
    });
  });

  it("Jacobi's formula without the determinant (SCALAR_RULES.det)", () => {
    const original = SCALAR_RULES.det;
    const dropDet = (p: Poly): Poly => ({ ...p, terms: p.terms.map((t) => ({ ...t, s: t.s.filter((f) => f.atom.kind !== 'det') })) });
    withRule(SCALAR_RULES, 'det', { name: original.name, d: (a, ctx) => dropDet(original.d(a, ctx)) }, () => {
      const res = check(r`\frac{\partial}{\partial X}|X| = |X|X^{-\top}`, { where: 'X: n×n invertible' });
      expectInternal(res, "Jacobi's formula");
    });
  });

  it('tanh with the wrong sign (FUNCTION_DERIVATIVES.tanh)', () => {
    const original = FUNCTION_DERIVATIVES.tanh!;
    withRule(FUNCTION_DERIVATIVES, 'tanh', { name: original.name, df: (u, ctx) => neg(original.df(u, ctx)) }, () => {
      const res = check(r`\frac{d}{dt}\tanh t = 1 - \tanh^2 t`, { where: 't: scalar' });
      expectInternal(res, 'd tanh u = (1 − tanh² u) du');
    });
  });

  it('entrywise σ without the 1 − σ factor (ENTRYWISE_DERIVATIVES.sigma)', () => {
    withRule(ENTRYWISE_DERIVATIVES, 'sigma', (u) => entrywise('sigma', u), () => {
      const res = check(r`\frac{\partial \sigma(x)}{\partial x} = \operatorname{diag}\left(\sigma(x)\circ(\mathbf{1} - \sigma(x))\right)`, { where: 'x: n' });
      expectInternal(res, 'entrywise chain rule');
    });
  });
});
