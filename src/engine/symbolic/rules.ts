/**
 * The differential rules, as data: one entry per kind of factor, each with the name shown to
 * readers. `differential` applies the product rule over a canonical form and looks up every
 * factor's rule here; nothing else in the engine knows how to differentiate.
 */
import type { Decl } from '../scope.ts';
import {
  add,
  Budget,
  constant,
  det as detP,
  diagOf,
  entrywise,
  hadamard,
  inverse,
  kron,
  multipleOfOneWord,
  ones,
  vec as vecP,
  wordKey,
  isZero,
  mulAll,
  neg,
  normalize,
  power,
  scalarAtom,
  scalarFn,
  scale,
  sum,
  trace,
  transpose,
  Unsupported,
  wordPoly,
  zero,
  type MAtom,
  type Poly,
  type SAtom,
  type SFactor,
  type SymInfo,
  type Term,
} from './poly.ts';
import { ONE, q, type Q } from './rational.ts';

export interface DiffCtx {
  vars: Set<string>;
  info: SymInfo;
  budget: Budget;
  decls: Map<string, Decl>;
  /** Names of the rules applied, in order of first use. */
  used: Set<string>;
}

/** ∂A/∂t depends on t in ways the table cannot follow: a second derivative is left to the numbers. */
function higherDerivative(name: string, ctx: DiffCtx): void {
  if (name.startsWith('∂') && ctx.vars.has(name.slice(name.indexOf('/∂') + 2))) throw new Unsupported('second derivatives of A(t) are checked numerically');
}

/** The derivative symbol of A(t) with respect to t. */
export function derivName(name: string, param: string): string {
  return `∂${name}/∂${param}`;
}

interface ScalarRule {
  name: string;
  d(atom: SAtom, ctx: DiffCtx): Poly;
}
interface MatrixRule {
  name: string;
  d(atom: MAtom, ctx: DiffCtx): Poly;
}

const dep = (deps: Set<string> | undefined, ctx: DiffCtx) => !!deps && [...deps].some((s) => ctx.vars.has(s) || [...ctx.vars].some((v) => ctx.decls.get(s)?.param === v));

/** Derivatives of scalar functions: f'(u) as a canonical form. */
export const FUNCTION_DERIVATIVES: Record<string, { name: string; df(u: Poly, ctx: DiffCtx): Poly }> = {
  exp: { name: 'd eᵘ = eᵘ du', df: (u) => scalarFn('exp', u) },
  sin: { name: 'd sin u = cos u du', df: (u) => scalarFn('cos', u) },
  cos: { name: 'd cos u = −sin u du', df: (u) => neg(scalarFn('sin', u)) },
  sinh: { name: 'd sinh u = cosh u du', df: (u) => scalarFn('cosh', u) },
  cosh: { name: 'd cosh u = sinh u du', df: (u) => scalarFn('sinh', u) },
  tanh: { name: 'd tanh u = (1 − tanh² u) du', df: (u, c) => add(constant(ONE), neg(power(scalarFn('tanh', u), q(2), c.info, c.budget))) },
  sigma: {
    name: 'd σ(u) = σ(u)(1 − σ(u)) du',
    df: (u, c) => add(scalarFn('sigma', u), neg(power(scalarFn('sigma', u), q(2), c.info, c.budget))),
  },
  sech: { name: 'd sech u = −sech u tanh u du', df: (u, c) => neg(mulAll([scalarFn('sech', u), scalarFn('tanh', u)], c.info, c.budget)) },
  logsig: { name: 'd ln σ(u) = σ(−u) du', df: (u) => scalarFn('sigma', neg(u)) },
  abs: { name: 'd|u| = (u / |u|) du', df: (u, c) => mulAll([u, power(scalarFn('abs', u), q(-1), c.info, c.budget)], c.info, c.budget) },
};

export const SCALAR_RULES: Record<SAtom['kind'], ScalarRule> = {
  sym: {
    name: 'differential of a variable',
    d(a, ctx) {
      if (ctx.vars.has(a.name!)) return scalarAtom({ kind: 'd', key: `d${a.name}`, name: a.name });
      higherDerivative(a.name!, ctx);
      const decl = ctx.decls.get(a.name!);
      if (decl?.param && ctx.vars.has(decl.param)) return mulAll([scalarAtom({ kind: 'sym', key: derivName(a.name!, decl.param), name: derivName(a.name!, decl.param) }), scalarAtom({ kind: 'd', key: `d${decl.param}`, name: decl.param })], ctx.info, ctx.budget);
      return zero('1', '1');
    },
  },
  d: { name: 'd(dX) = 0', d: () => zero('1', '1') },
  dim: { name: 'constant', d: () => zero('1', '1') },
  const: { name: 'constant', d: () => zero('1', '1') },
  tr: {
    name: 'd tr(M) = tr(dM)',
    d(a, ctx) {
      const w = a.word!;
      const inner = wordPoly(w, w[0]!.r, w[w.length - 1]!.c);
      return trace(differential(inner, ctx), ctx.info, ctx.budget);
    },
  },
  det: {
    name: "Jacobi's formula: d|X| = |X| tr(X⁻¹ dX)",
    d(a, ctx) {
      const inner = a.word ? wordPoly(a.word, a.word[0]!.r, a.word[0]!.c) : a.arg!;
      const dInner = differential(inner, ctx);
      if (isZero(dInner)) return zero('1', '1');
      const detX = detP(inner, ctx.info, ctx.budget);
      return mulAll([detX, trace(mulAll([inverse(inner, ctx.info, ctx.budget), dInner], ctx.info, ctx.budget), ctx.info, ctx.budget)], ctx.info, ctx.budget);
    },
  },
  ln: {
    name: 'd ln u = du / u',
    d(a, ctx) {
      const u = a.arg!;
      const du = differential(u, ctx);
      if (isZero(du)) return zero('1', '1');
      return mulAll([inverse(u, ctx.info, ctx.budget), du], ctx.info, ctx.budget);
    },
  },
  fn: {
    name: 'chain rule',
    d(a, ctx) {
      const rule = FUNCTION_DERIVATIVES[a.fn!];
      const du = differential(a.arg!, ctx);
      if (isZero(du)) return zero('1', '1');
      if (!rule) throw new Unsupported(`no differential rule for ${a.fn}`);
      ctx.used.add(rule.name);
      return mulAll([rule.df(a.arg!, ctx), du], ctx.info, ctx.budget);
    },
  },
  poly: { name: 'sum rule', d: (a, ctx) => differential(a.arg!, ctx) },
  op: {
    name: 'constant',
    d(a, ctx) {
      if (dep(a.deps, ctx)) throw new Unsupported('no differential rule for this expression');
      return zero('1', '1');
    },
  },
};

export const MATRIX_RULES: Record<MAtom['kind'], MatrixRule> = {
  sym: {
    name: 'differential of a variable',
    d(a, ctx) {
      const base: MAtom = { ...a, t: false, inv: false, r: a.t ? a.c : a.r, c: a.t ? a.r : a.c };
      let dX: Poly;
      const decl = ctx.decls.get(a.name);
      higherDerivative(a.name, ctx);
      if (ctx.vars.has(a.name)) {
        dX = wordPoly([{ kind: 'd', name: a.name, t: false, inv: false, r: base.r, c: base.c }], base.r, base.c);
      } else if (decl?.param && ctx.vars.has(decl.param)) {
        ctx.used.add('a function of a scalar: dA = (∂A/∂t) dt');
        const dn = derivName(a.name, decl.param);
        dX = mulAll([wordPoly([{ kind: 'sym', name: dn, t: false, inv: false, r: base.r, c: base.c }], base.r, base.c), scalarAtom({ kind: 'd', key: `d${decl.param}`, name: decl.param })], ctx.info, ctx.budget);
      } else return zero(a.r, a.c);
      if (a.inv) {
        ctx.used.add(INVERSE_RULE);
        const Xi = wordPoly([{ ...base, inv: true }], base.r, base.c);
        dX = neg(mulAll([Xi, dX, Xi], ctx.info, ctx.budget));
      }
      if (a.t) {
        ctx.used.add('d(Xᵀ) = (dX)ᵀ');
        dX = transpose(dX, ctx.info);
      }
      return dX;
    },
  },
  d: { name: 'd(dX) = 0', d: (a) => zero(a.r, a.c) },
  inv: {
    name: 'd(X⁻¹) = −X⁻¹ dX X⁻¹',
    d(a, ctx) {
      const dP = differential(a.inner!, ctx);
      if (isZero(dP)) return zero(a.r, a.c);
      const Pi = wordPoly([a], a.r, a.c);
      return neg(mulAll([Pi, dP, Pi], ctx.info, ctx.budget));
    },
  },
  op: {
    name: 'constant',
    d(a, ctx) {
      if (dep(a.deps, ctx)) throw new Unsupported('no differential rule for this expression');
      return zero(a.r, a.c);
    },
  },
  ones: { name: 'constant', d: (a) => zero(a.r, a.c) },
  fwd: { name: 'sum rule', d: (a, ctx) => differential(a.inner!, ctx) },
  mexp: {
    name: 'd e^{uC} = C e^{uC} du for a constant C',
    d(a, ctx) {
      const dm = differential(a.inner!, ctx);
      if (isZero(dm)) return zero(a.r, a.c);
      // only along a fixed direction C do e^M and dM commute
      const m = multipleOfOneWord(a.inner!);
      const dmw = multipleOfOneWord(dm);
      if (!m || !dmw || wordKey(m.w) !== wordKey(dmw.w)) throw new Unsupported('the differential of a matrix exponential along a direction that does not commute with it');
      ctx.used.add(MATRIX_RULES.mexp.name);
      return mulAll([dm, wordPoly([a], a.r, a.c)], ctx.info, ctx.budget);
    },
  },
  vec: {
    name: 'd vec(M) = vec(dM)',
    d(a, ctx) {
      const dm = differential(a.inner!, ctx);
      if (isZero(dm)) return zero(a.r, a.c);
      const v = vecP(dm);
      return a.t ? transpose(v, ctx.info) : v;
    },
  },
  e: { name: 'constant', d: (a) => zero(a.r, a.c) },
  had: {
    name: 'product rule for ∘: d(U ∘ V) = dU ∘ V + U ∘ dV',
    d(a, ctx) {
      const parts = a.parts!;
      const out: Poly[] = [];
      parts.forEach((p, i) => {
        const dp = differential(p, ctx);
        if (isZero(dp)) return;
        let acc = dp;
        parts.forEach((q2, j) => {
          if (j !== i) acc = hadamard(acc, q2, ctx.info, ctx.budget);
        });
        out.push(acc);
      });
      if (out.length) ctx.used.add(MATRIX_RULES.had.name);
      return sum(out, a.r, a.c);
    },
  },
  kron: {
    name: 'product rule for ⊗: d(U ⊗ V) = dU ⊗ V + U ⊗ dV',
    d(a, ctx) {
      const [u, v] = a.parts as [Poly, Poly];
      const du = differential(u, ctx);
      const dv = differential(v, ctx);
      const out: Poly[] = [];
      if (!isZero(du)) out.push(kron(du, v, ctx.info, ctx.budget));
      if (!isZero(dv)) out.push(kron(u, dv, ctx.info, ctx.budget));
      if (out.length) ctx.used.add(MATRIX_RULES.kron.name);
      return sum(out, a.r, a.c);
    },
  },
  diag: {
    name: 'd diag(v) = diag(dv)',
    d(a, ctx) {
      const dv = differential(a.inner!, ctx);
      return isZero(dv) ? zero(a.r, a.c) : diagOf(dv);
    },
  },
  ew: {
    name: 'entrywise chain rule: d f(U) = f′(U) ∘ dU',
    d(a, ctx) {
      const u = a.inner!;
      const du = differential(u, ctx);
      if (isZero(du)) return zero(a.r, a.c);
      const rule = ENTRYWISE_DERIVATIVES[a.fn!];
      if (!rule) throw new Unsupported(`no entrywise differential rule for ${a.fn}`);
      ctx.used.add(MATRIX_RULES.ew.name);
      return hadamard(rule(u, ctx), du, ctx.info, ctx.budget);
    },
  },
};

/** f′ applied entrywise, for the entrywise chain rule. */
export const ENTRYWISE_DERIVATIVES: Record<string, (u: Poly, ctx: DiffCtx) => Poly> = {
  exp: (u) => entrywise('exp', u),
  sin: (u) => entrywise('cos', u),
  cos: (u) => neg(entrywise('sin', u)),
  sinh: (u) => entrywise('cosh', u),
  cosh: (u) => entrywise('sinh', u),
  tanh: (u, c) => add(ones(u.r, u.c), neg(hadamard(entrywise('tanh', u), entrywise('tanh', u), c.info, c.budget))),
  sigma: (u, c) => add(entrywise('sigma', u), neg(hadamard(entrywise('sigma', u), entrywise('sigma', u), c.info, c.budget))),
  sech: (u, c) => neg(hadamard(entrywise('sech', u), entrywise('tanh', u), c.info, c.budget)),
  ln: (u) => entrywise('recip', u),
  logsig: (u) => entrywise('sigma', neg(u)),
};

const INVERSE_RULE = MATRIX_RULES.inv.name;

function powerRule(f: SFactor, ctx: DiffCtx): Poly {
  const rule = SCALAR_RULES[f.atom.kind];
  const da = rule.d(f.atom, ctx);
  if (isZero(da)) return da;
  if (rule.name !== 'constant' && rule.name !== 'differential of a variable' && rule.name !== 'sum rule') ctx.used.add(rule.name);
  if (f.e.p === 1 && f.e.q === 1) return da;
  ctx.used.add('power rule: d(uᵏ) = k uᵏ⁻¹ du');
  const base = f.atom.kind === 'poly' ? f.atom.arg! : scalarAtom(f.atom);
  const e1: Q = q(f.e.p - f.e.q, f.e.q);
  return scale(mulAll([power(base, e1, ctx.info, ctx.budget), da], ctx.info, ctx.budget), f.e);
}

/** d of a term: the non-commutative product rule over its scalar factors and its word. */
function differentialTerm(t: Term, r: string, c: string, ctx: DiffCtx): Poly[] {
  const parts: Poly[] = [];
  const coef: Poly = constant(t.c);
  for (let i = 0; i < t.s.length; i++) {
    ctx.budget.tick();
    const df = powerRule(t.s[i]!, ctx);
    if (isZero(df)) continue;
    const rest: Poly = { r: '1', c: '1', terms: [{ c: ONE, s: t.s.filter((_, j) => j !== i), w: [] }] };
    const word = t.w.length ? wordPoly(t.w, r, c) : constant(ONE, r, c);
    parts.push(mulAll([coef, rest, df, word], ctx.info, ctx.budget));
  }
  for (let i = 0; i < t.w.length; i++) {
    ctx.budget.tick();
    const a = t.w[i]!;
    const rule = MATRIX_RULES[a.kind];
    const dA = rule.d(a, ctx);
    if (isZero(dA)) continue;
    if (a.kind === 'inv') ctx.used.add(rule.name);
    const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: t.s, w: [] }] };
    const left = t.w.slice(0, i);
    const right = t.w.slice(i + 1);
    const factors: Poly[] = [scalars];
    if (left.length) factors.push(wordPoly(left, left[0]!.r, left[left.length - 1]!.c));
    factors.push(dA);
    if (right.length) factors.push(wordPoly(right, right[0]!.r, right[right.length - 1]!.c));
    parts.push(mulAll(factors, ctx.info, ctx.budget));
  }
  if (t.s.length + t.w.length > 1 && parts.length > 1) ctx.used.add(PRODUCT_RULE);
  return parts;
}

export const PRODUCT_RULE = 'product rule: d(UV) = dU V + U dV';

/** The differential of a canonical form with respect to `ctx.vars`. */
export function differential(p: Poly, ctx: DiffCtx): Poly {
  const parts: Poly[] = [];
  for (const t of p.terms) parts.push(...differentialTerm(t, p.r, p.c, ctx));
  if (p.terms.length > 1 && parts.length > 1) ctx.used.add('sum rule: d(U + V) = dU + dV');
  return normalize(sum(parts, p.r, p.c));
}


