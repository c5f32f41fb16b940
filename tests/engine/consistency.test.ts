/**
 * Metamorphic checks on generated scalar functions f of a matrix X: whatever f is, its
 * differential, its gradient and its partial derivatives must agree (authoring.md §4–§5):
 *   d f = tr((∂f/∂X)ᵀ dX),   (∂f/∂X)ᵢⱼ = ∂f/∂Xᵢⱼ,   ∂f/∂x = (∂f/∂xᵀ)ᵀ,
 * and a function differs from itself plus a non-zero term. These found finite-difference
 * inaccuracies on fast-varying functions that the hand-written tables did not.
 */
import { describe, it } from 'vitest';
import { check, expectFails, expectHolds } from './helpers.ts';

const WHERE = 'X: n×n invertible; A, B: n×n; x, a: n';

/** A small deterministic generator (a linear congruential sequence): the same functions every run. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pick = <T,>(xs: (() => T)[]): T => xs[Math.floor(next() * xs.length)]!();
  const M = (d: number): string =>
    d <= 0
      ? pick([() => 'X', () => 'A', () => 'X^T', () => 'X^{-1}', () => 'B'])
      : pick([
          () => `${M(d - 1)}${M(d - 1)}`,
          () => `(${M(d - 1)} + ${M(d - 1)})`,
          () => `(${M(d - 1)})^T`,
          () => `(${S(d - 1)})${M(d - 1)}`,
          () => `(${M(d - 1)} \\circ ${M(d - 1)})`,
          () => `\\tanh(${M(d - 1)})`,
          () => `(${M(d - 1)})^{2}`,
          () => `(I + X^T X)^{-1}`,
        ]);
  const S = (d: number): string =>
    d <= 0
      ? pick([() => '\\operatorname{tr}(X)', () => 'x^T X a', () => 'a^T x', () => '\\det(X)', () => 'x^T X^{-1} x'])
      : pick([
          () => `\\operatorname{tr}(${M(d - 1)})`,
          () => `x^T ${M(d - 1)} a`,
          () => `(${S(d - 1)})(${S(d - 1)})`,
          () => `(${S(d - 1)} + ${S(d - 1)})`,
          () => `\\|${M(d - 1)}\\|_F^2`,
          () => `\\sigma(${S(d - 1)})`,
          () => `\\ln(1 + (${S(d - 1)})^2)`,
          () => `\\det(${M(d - 1)})`,
          () => `\\sin(${S(d - 1)})`,
        ]);
  return { S, depth: () => 1 + Math.floor(next() * 2) };
}

const gen = generator(20261121);
const FUNCTIONS = Array.from({ length: 24 }, () => gen.S(gen.depth()));

describe('generated functions: differential, gradient and partials agree', () => {
  for (const f of FUNCTIONS) {
    describe(f, () => {
      it('d f = tr((∂f/∂X)ᵀ dX)', () => {
        expectHolds(check(String.raw`d\left(${f}\right) = \operatorname{tr}\left(\left(\frac{\partial}{\partial X}\left(${f}\right)\right)^T dX\right)`, { where: WHERE }));
      });
      it('(∂f/∂X)ᵢⱼ = ∂f/∂Xᵢⱼ', () => {
        expectHolds(check(String.raw`\left(\frac{\partial}{\partial X}\left(${f}\right)\right)_{ij} = \frac{\partial}{\partial X_{ij}}\left(${f}\right)`, { where: WHERE }));
      });
      it('∂f/∂x = (∂f/∂xᵀ)ᵀ and d f = (∂f/∂x)ᵀ dx', () => {
        expectHolds(check(String.raw`\frac{\partial}{\partial x}\left(${f}\right) = \left(\frac{\partial}{\partial x^T}\left(${f}\right)\right)^T`, { where: WHERE }));
        expectHolds(check(String.raw`d\left(${f}\right) = \left(\frac{\partial}{\partial x}\left(${f}\right)\right)^T dx`, { where: WHERE }));
      });
      it('f ≠ f + (non-zero term): f = f + aᵀa fails', () => {
        expectFails(check(String.raw`${f} = ${f} + a^T a`, { where: WHERE }));
      });
    });
  }
});
