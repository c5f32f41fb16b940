/**
 * Random well-shaped matrix expressions for the symbolic engine's property tests
 * (tests/engine/properties.test.ts, scripts/properties.ts), as fast-check arbitraries.
 *
 * Every expression is built over the declarations of `WHERE` by constructors that keep shapes
 * right by construction: sums and Hadamard products of equal shapes, products of matching inner
 * sizes, inverses only of invertible square expressions, ln|·| only of spd ones, derivatives
 * ∂/∂X, ∂/∂x, ∂/∂c only of scalar subexpressions (one level: no derivative inside a derivative).
 */
import fc from 'fast-check';

export const WHERE = 'A, B, C: n×n; X: n×n invertible; S: n×n spd; x, y: n; M: m×n; c: scalar';

export type Kind = 'S' | 'N' | 'V' | 'M';

/** An expression: its LaTeX, and whether it can stand as a factor without parentheses. */
export interface Expr {
  tex: string;
  atomic: boolean;
}

export interface Generated {
  kind: Kind;
  tex: string;
}

const leaf = (tex: string): Expr => ({ tex, atomic: true });
const paren = (tex: string): Expr => ({ tex: `\\left(${tex}\\right)`, atomic: true });
/** As a factor of a product. */
const f = (e: Expr): string => (e.atomic ? e.tex : `\\left(${e.tex}\\right)`);
/** As the base of a superscript: a letter or a group, never X^{-1}^\top. */
const base = (e: Expr): string => (/^[A-Za-z]$/.test(e.tex) || (e.atomic && e.tex.startsWith('\\left(') && e.tex.endsWith('\\right)') && balancedGroup(e.tex)) ? e.tex : `\\left(${e.tex}\\right)`);
/** Is `\left( … \right)` one group (not `\left(a\right) \left(b\right)`)? */
function balancedGroup(tex: string): boolean {
  let depth = 0;
  for (let i = 0; i < tex.length; i++) {
    if (tex.startsWith('\\left', i)) depth++;
    else if (tex.startsWith('\\right', i)) {
      depth--;
      if (depth === 0 && i + '\\right)'.length !== tex.length) return false;
    }
  }
  return true;
}
/** A number: grouped when it is a factor, so that 2 and 3 never read as 23. */
const num = (tex: string): Expr => ({ tex, atomic: false });
/** As a term of a sum: a leading minus sign is grouped. */
const term = (e: Expr): string => (e.tex.startsWith('-') ? `\\left(${e.tex}\\right)` : e.tex);
const T = (e: Expr): Expr => leaf(`${base(e)}^\\top`);
const sum = (a: Expr, b: Expr, op: '+' | '-'): Expr => ({ tex: `${term(a)} ${op} ${term(b)}`, atomic: false });
const prod = (...es: Expr[]): Expr => ({ tex: es.map(f).join(' '), atomic: false });
const scaled = (q: string, e: Expr): Expr => ({ tex: `${q} ${f(e)}`, atomic: false });

/** Small exact rationals (never zero). */
const RATIONAL = fc.constantFrom('2', '3', '-2', '\\frac{1}{2}', '\\frac{2}{3}', '-\\frac{1}{3}', '\\frac{3}{4}', '0.5');
const POSITIVE = fc.constantFrom('2', '3', '\\frac{1}{2}', '\\frac{3}{4}');

type Arbs = {
  pS: Expr;
  pN: Expr;
  pV: Expr;
  pM: Expr;
  pI: Expr;
  pP: Expr;
  S: Expr;
  N: Expr;
  V: Expr;
  M: Expr;
};

export interface GenOptions {
  /** Nesting depth of constructors (fast-check's maxDepth). */
  maxDepth?: number;
  /** How fast the chance of a leaf grows with depth (fast-check's depthSize). */
  depthSize?: 'xsmall' | 'small' | 'medium' | 'large';
}

/** The arbitraries: `p…` are plain (no derivatives), the others may differentiate a plain scalar. */
export function arbitraries(options: GenOptions = {}) {
  const depth = { maxDepth: options.maxDepth ?? 4, depthSize: options.depthSize ?? ('medium' as const), depthIdentifier: 'expr', withCrossShrink: true };
  return fc.letrec<Arbs>((tie) => {
    const family = (full: boolean) => {
      const S = () => (full ? tie('S') : tie('pS'));
      const N = () => (full ? tie('N') : tie('pN'));
      const V = () => (full ? tie('V') : tie('pV'));
      const M = () => (full ? tie('M') : tie('pM'));
      const I = () => tie('pI');
      const P = () => tie('pP');
      const derivs = full
        ? {
            S: [fc.tuple(tie('pS')).map(([s]) => paren(`\\frac{\\partial}{\\partial c}\\left(${s.tex}\\right)`))],
            N: [fc.tuple(tie('pS')).map(([s]) => paren(`\\frac{\\partial}{\\partial X}\\left(${s.tex}\\right)`))],
            V: [fc.tuple(tie('pS')).map(([s]) => paren(`\\frac{\\partial}{\\partial x}\\left(${s.tex}\\right)`))],
          }
        : { S: [], N: [], V: [] };
      return {
        S: fc.oneof(
          depth,
          fc.constantFrom(leaf('c'), num('2'), num('\\frac{1}{2}')),
          N().map((n) => leaf(`\\operatorname{tr}\\left(${n.tex}\\right)`)),
          fc.tuple(V(), N(), V()).map(([a, n, b]) => prod(T(a), n, b)),
          fc.tuple(V(), V()).map(([a, b]) => prod(T(a), b)),
          I().map((i) => leaf(`\\left|${i.tex}\\right|`)),
          P().map((p) => leaf(`\\ln\\left|${p.tex}\\right|`)),
          fc.tuple(S(), S(), fc.constantFrom<'+' | '-'>('+', '-')).map(([a, b, op]) => sum(a, b, op)),
          fc.tuple(S(), S()).map(([a, b]) => prod(paren(a.tex), paren(b.tex))),
          fc.tuple(RATIONAL, S()).map(([q, s]) => scaled(q, s)),
          S().map((s) => leaf(`\\left(${s.tex}\\right)^{2}`)),
          fc.tuple(fc.constantFrom('\\sigma', '\\tanh', '\\sin'), S()).map(([fn, s]) => leaf(`${fn}\\left(${s.tex}\\right)`)),
          V().map((v) => leaf(`\\left\\|${v.tex}\\right\\|^{2}`)),
          M().map((m) => leaf(`\\left\\|${m.tex}\\right\\|_F^{2}`)),
          ...derivs.S,
        ),
        N: fc.oneof(
          depth,
          fc.constantFrom(leaf('A'), leaf('B'), leaf('C'), leaf('X'), leaf('S')),
          fc.tuple(N(), N(), fc.constantFrom<'+' | '-'>('+', '-')).map(([a, b, op]) => sum(a, b, op)),
          fc.tuple(N(), N()).map(([a, b]) => prod(a, b)),
          fc.tuple(RATIONAL, N()).map(([q, n]) => scaled(q, n)),
          fc.tuple(S(), N()).map(([s, n]) => prod(paren(s.tex), n)),
          N().map((n) => T(n)),
          I().map((i) => leaf(`${base(i)}^{-1}`)),
          fc.tuple(V(), V()).map(([a, b]) => prod(a, T(b))),
          M().map((m) => prod(T(m), m)),
          fc.tuple(N(), N()).map(([a, b]) => ({ tex: `${f(a)} \\circ ${f(b)}`, atomic: false })),
          N().map((n) => leaf(`${base(n)}^{2}`)),
          ...derivs.N,
        ),
        V: fc.oneof(
          depth,
          fc.constantFrom(leaf('x'), leaf('y')),
          fc.tuple(N(), V()).map(([n, v]) => prod(n, v)),
          fc.tuple(V(), V(), fc.constantFrom<'+' | '-'>('+', '-')).map(([a, b, op]) => sum(a, b, op)),
          fc.tuple(RATIONAL, V()).map(([q, v]) => scaled(q, v)),
          fc.tuple(S(), V()).map(([s, v]) => prod(paren(s.tex), v)),
          fc.tuple(V(), V()).map(([a, b]) => ({ tex: `${f(a)} \\circ ${f(b)}`, atomic: false })),
          fc.tuple(I(), V()).map(([i, v]) => prod(leaf(`${base(i)}^{-1}`), v)),
          ...derivs.V,
        ),
        M: fc.oneof(
          depth,
          fc.constant(leaf('M')),
          fc.tuple(M(), N()).map(([m, n]) => prod(m, n)),
          fc.tuple(M(), M(), fc.constantFrom<'+' | '-'>('+', '-')).map(([a, b, op]) => sum(a, b, op)),
          fc.tuple(RATIONAL, M()).map(([q, m]) => scaled(q, m)),
          fc.tuple(M(), M()).map(([a, b]) => ({ tex: `${f(a)} \\circ ${f(b)}`, atomic: false })),
        ),
      };
    };
    const plain = family(false);
    const full = family(true);
    return {
      pS: plain.S,
      pN: plain.N,
      pV: plain.V,
      pM: plain.M,
      // invertible n×n: X, S and what keeps them invertible
      pI: fc.oneof(
        depth,
        fc.constantFrom(leaf('X'), leaf('S')),
        tie('pI').map((i) => T(i)),
        tie('pI').map((i) => leaf(`${base(i)}^{-1}`)),
        fc.tuple(tie('pI'), tie('pI')).map(([a, b]) => prod(a, b)),
        fc.tuple(RATIONAL, tie('pI')).map(([q, i]) => scaled(q, i)),
        tie('pP'),
      ),
      // symmetric positive definite n×n
      pP: fc.oneof(
        depth,
        fc.constant(leaf('S')),
        fc.constant(leaf('S^{-1}')),
        fc.constant(prod(leaf('X^\\top'), leaf('X'))),
        fc.tuple(tie('pP'), tie('pP')).map(([a, b]) => sum(a, b, '+')),
        fc.tuple(POSITIVE, tie('pP')).map(([q, p]) => scaled(q, p)),
        tie('pP').map((p) => prod(leaf('X^\\top'), p, leaf('X'))),
      ),
      S: full.S,
      N: full.N,
      V: full.V,
      M: full.M,
    };
  });
}

/** A random expression of a random kind, possibly with derivatives of scalar subexpressions. */
export function expressionArbitrary(options: GenOptions = {}): fc.Arbitrary<Generated> {
  const a = arbitraries(options);
  return fc.oneof(
    a.S.map((e) => ({ kind: 'S' as const, tex: e.tex })),
    a.N.map((e) => ({ kind: 'N' as const, tex: e.tex })),
    a.V.map((e) => ({ kind: 'V' as const, tex: e.tex })),
    a.M.map((e) => ({ kind: 'M' as const, tex: e.tex })),
  );
}

/** Identities true by construction about derivatives: linearity, the product rule, the chain rule. */
export interface DerivativeLaw {
  law: string;
  latex: string;
}

export function derivativeLawArbitrary(options: GenOptions = {}): fc.Arbitrary<DerivativeLaw> {
  const a = arbitraries(options);
  const wrt = fc.constantFrom('X', 'x', 'c');
  const D = (v: string, s: Expr) => `\\frac{\\partial}{\\partial ${v}}\\left(${s.tex}\\right)`;
  return fc.oneof(
    fc.tuple(wrt, RATIONAL, a.pS, a.pS).map(([v, q, s1, s2]) => ({
      law: 'linearity',
      latex: `\\frac{\\partial}{\\partial ${v}}\\left(${q} ${f(paren(s1.tex))} + ${term(s2)}\\right) = ${q} ${D(v, s1)} + ${D(v, s2)}`,
    })),
    fc.tuple(wrt, a.pS, a.pS).map(([v, s1, s2]) => ({
      law: 'product rule',
      latex: `\\frac{\\partial}{\\partial ${v}}\\left(\\left(${s1.tex}\\right)\\left(${s2.tex}\\right)\\right) = \\left(${s2.tex}\\right)${D(v, s1)} + \\left(${s1.tex}\\right)${D(v, s2)}`,
    })),
    fc.tuple(wrt, a.pS).map(([v, s]) => ({
      law: 'chain rule (square)',
      latex: `\\frac{\\partial}{\\partial ${v}}\\left(${s.tex}\\right)^{2} = 2\\left(${s.tex}\\right)${D(v, s)}`,
    })),
    fc.tuple(wrt, a.pS).map(([v, s]) => ({
      law: 'chain rule (tanh)',
      latex: `\\frac{\\partial}{\\partial ${v}}\\tanh\\left(${s.tex}\\right) = \\left(1 - \\tanh\\left(${s.tex}\\right)^{2}\\right)${D(v, s)}`,
    })),
  );
}
