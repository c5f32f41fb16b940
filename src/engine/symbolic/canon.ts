/**
 * From the typed expression tree to canonical forms: expand, push transposes and inverses to
 * the leaves, and re-derive every derivative and differential with the rule table.
 */
import type { DerivationStep, Layout } from '../api.ts';
import { children as directChildren, walk, type Node, type NodeOf } from '../ast.ts';
import type { Prop, Scope } from '../scope.ts';
import type { Shape } from '../shape.ts';
import type { Typed } from '../typing.ts';
import {
  Budget,
  constant,
  basis,
  det,
  diagOf,
  entrywise,
  hadamard,
  inverse,
  kron,
  mexp,
  ones,
  vec,
  isScalarShape,
  ln,
  mul,
  mulAll,
  neg,
  normalize,
  power,
  scalarAtom,
  scalarFn,
  simplifyPoly,
  sum,
  trace,
  transpose,
  transposeAtom,
  transposeWord,
  Unsupported,
  wordPoly,
  zero,
  type MAtom,
  type Poly,
  type SAtom,
  type SymInfo,
  type Term,
  type Word,
} from './poly.ts';
import { printNode, printPoly, printTraceForm } from './print.ts';
import { ONE, q } from './rational.ts';
import { contract } from './indices.ts';
import { differential, type DiffCtx } from './rules.ts';

export interface CanonCtx {
  scope: Scope;
  typed: Typed;
  layout: Layout;
  budget: Budget;
  /** Parameters of a defined function, bound to their arguments' forms. */
  env: Map<string, Poly>;
  /** Variables of the formula's differentials. */
  diffVars: Set<string>;
  /** Symbols whose structure (symmetry…) is ignored: the variables being differentiated. */
  unstructured: Set<string>;
  used: Set<string>;
  steps: DerivationStep[];
  /** The derivatives computed, in order, for `derived`. */
  derivatives: Poly[];
}

export function symInfo(scope: Scope, unstructured: Set<string>): SymInfo {
  const empty = new Set<Prop>();
  return {
    props(name: string) {
      const base = name.startsWith('∂') ? name.slice(1, name.indexOf('/')) : name;
      if (unstructured.has(base)) return empty;
      const d = scope.decls.get(base);
      if (!d) return empty;
      if (name.startsWith('∂')) {
        // the derivative of a symmetric function is symmetric; nothing else carries over
        const out = new Set<Prop>();
        if (d.props.has('symmetric') || d.props.has('spd')) out.add('symmetric');
        if (d.props.has('diagonal')) out.add('diagonal');
        return out;
      }
      return d.props;
    },
  };
}

function info(ctx: CanonCtx): SymInfo {
  return symInfo(ctx.scope, ctx.unstructured);
}

function shapeOf(ctx: CanonCtx, n: Node): Shape {
  const s = ctx.typed.shapes.get(n);
  if (!s || s.r.includes('?') || s.c.includes('?')) throw new Unsupported('a shape is not known');
  return s;
}

function symShape(ctx: CanonCtx, name: string): Shape {
  // a definition's own declarations come first inside its body
  const d = ctx.typed.decls?.get(name) ?? ctx.scope.decls.get(name);
  if (d) return d.shape;
  const s = ctx.typed.inferred.get(name);
  if (s) return s;
  throw new Unsupported(`no shape for ${name}`);
}

function symbolsIn(n: Node, ctx: CanonCtx): Set<string> {
  const out = new Set<string>();
  walk(n, (m) => {
    if (m.k === 'sym' || m.k === 'call') {
      out.add(m.name);
      const def = ctx.scope.defs.get(m.name);
      if (def) for (const s of symbolsIn(def.body, ctx)) out.add(s);
    }
  });
  return out;
}

/** A structural key for expressions the algebra does not model (Hadamard, entries, …). */
function nodeKey(n: Node): string {
  switch (n.k) {
    case 'num':
      return `${n.p}/${n.q}`;
    case 'sym':
      return n.name;
    case 'fn':
      return `${n.fn}(${nodeKey(n.arg)})`;
    case 'entry':
      return `${nodeKey(n.of)}_${n.idx.map((i) => (i.kind === 'num' ? i.text : i.name)).join(',')}`;
    case 'deriv':
      return `∂(${nodeKey(n.f)})/∂(${n.wrt.map((w) => nodeKey(w.node) + (w.transposed ? 'ᵀ' : '')).join(',')})`;
    case 'mat':
      return `[${n.rows.map((r) => r.map(nodeKey).join(',')).join(';')}]`;
    case 'isum':
      return `${n.op}_{${n.idx.join(',')}}(${nodeKey(n.body)})`;
    case 'call':
      return `${n.name}(${n.args.map(nodeKey).join(',')})`;
    default: {
      const parts = directChildren(n).map(nodeKey);
      return `${n.k}(${parts.join(',')})`;
    }
  }
}

function opaque(ctx: CanonCtx, n: Node): Poly {
  const s = shapeOf(ctx, n);
  const key = nodeKey(n);
  const deps = symbolsIn(n, ctx);
  if (isScalarShape(s)) return scalarAtom({ kind: 'op', key: `op[${key}]`, node: n, deps });
  return wordPoly([{ kind: 'op', name: key, t: false, inv: false, r: s.r, c: s.c, node: n, deps }], s.r, s.c);
}

export function canon(ctx: CanonCtx, n: Node): Poly {
  ctx.budget.tick();
  const I = info(ctx);
  switch (n.k) {
    case 'num': {
      const s = ctx.typed.shapes.get(n);
      if (n.p === 0 && s && !isScalarShape(s) && !s.r.includes('?')) return zero(s.r, s.c);
      return constant(q(n.p, n.q));
    }
    case 'const':
      return scalarAtom({ kind: 'const', key: 'pi', name: '\\pi' });
    case 'sym': {
      const bound = ctx.env.get(n.name);
      if (bound) return bound;
      const def = ctx.scope.defs.get(n.name) as (NonNullable<ReturnType<Scope['defs']['get']>> & { typed?: Typed }) | undefined;
      if (def) return canon({ ...ctx, typed: def.typed ?? ctx.typed }, def.body);
      if (ctx.scope.isDimension(n.name)) return scalarAtom({ kind: 'dim', key: `dim:${n.name}`, name: n.name });
      const s = symShape(ctx, n.name);
      if (isScalarShape(s)) return scalarAtom({ kind: 'sym', key: n.name, name: n.name });
      return wordPoly([{ kind: 'sym', name: n.name, t: false, inv: false, r: s.r, c: s.c }], s.r, s.c);
    }
    case 'I': {
      const s = shapeOf(ctx, n);
      return constant(ONE, s.r, s.c);
    }
    case 'zero': {
      const s = shapeOf(ctx, n);
      return zero(s.r, s.c);
    }
    case 'add': {
      const s = shapeOf(ctx, n);
      return sum(n.args.map((a) => canon(ctx, a)), s.r, s.c);
    }
    case 'neg':
      return neg(canon(ctx, n.arg));
    case 'mul':
      return mulAll(n.args.map((a) => canon(ctx, a)), I, ctx.budget);
    case 'div':
      return mulAll([canon(ctx, n.num), inverse(canon(ctx, n.den), I, ctx.budget)], I, ctx.budget);
    case 'pow': {
      const base = canon(ctx, n.base);
      const e = exponentOf(n.exp);
      if (!e) return opaque(ctx, n);
      if (isScalarShape(base)) return power(base, e, I, ctx.budget);
      if (e.q !== 1) throw new Unsupported('a fractional matrix power');
      let b = base;
      let k = e.p;
      if (k < 0) {
        b = inverse(base, I, ctx.budget);
        k = -k;
      }
      if (k === 0) return constant(ONE, base.r, base.c);
      if (k > 8) throw new Unsupported('a large matrix power');
      return mulAll(Array(k).fill(b), I, ctx.budget);
    }
    case 'T':
      return transpose(canon(ctx, n.arg), I);
    case 'inv':
      return inverse(canon(ctx, n.arg), I, ctx.budget);
    case 'fn':
      return canonFn(ctx, n);
    case 'deriv':
      return derivative(ctx, n);
    case 'diff': {
      const arg = canon(ctx, n.arg);
      const dctx: DiffCtx = { vars: ctx.diffVars, info: I, budget: ctx.budget, decls: ctx.scope.decls, used: ctx.used };
      return differential(arg, dctx);
    }
    case 'entry': {
      // (M)ᵢⱼ = eᵢᵀ M eⱼ; a vector's xᵢ = eᵢᵀ x
      const m = canon(ctx, n.of);
      const idx = ctx.typed.entries.get(n);
      if (!idx) throw new Unsupported('an unresolved entry');
      const name = (k: number) => String(idx[k]);
      const row = (i: string, d: string): Poly => wordPoly([{ ...basis(i, d), t: true, r: '1', c: d }], '1', d);
      const col = (i: string, d: string): Poly => wordPoly([basis(i, d)], d, '1');
      if (m.c === '1') return mulAll([row(name(0), m.r), m], I, ctx.budget);
      if (m.r === '1') return mulAll([m, col(name(0), m.c)], I, ctx.budget);
      return mulAll([row(name(0), m.r), m, col(name(1), m.c)], I, ctx.budget);
    }
    case 'mat': {
      // a literal matrix is Σ cellᵢⱼ eᵢ eⱼᵀ
      const s = shapeOf(ctx, n);
      const parts: Poly[] = [];
      n.rows.forEach((r, i) =>
        r.forEach((cell, j) => {
          const w: Word = [];
          if (s.r !== '1') w.push(basis(String(i + 1), s.r));
          if (s.c !== '1') w.push({ ...basis(String(j + 1), s.c), t: true, r: '1', c: s.c });
          parts.push(mulAll([canon(ctx, cell), w.length ? wordPoly(w, s.r, s.c) : constant(ONE)], I, ctx.budget));
        }),
      );
      return sum(parts, s.r, s.c);
    }
    case 'isum': {
      const ranges = ctx.typed.boundIdx.get(n);
      if (!ranges || n.op !== 'sum') return opaque(ctx, n);
      let body = canon(ctx, n.body);
      for (const i of n.idx) body = contract(body, i, ctx.typed.dims.resolve(ranges.get(i)!), I, ctx.budget);
      ctx.used.add('Σᵢ eᵢ eᵢᵀ = I (index contraction)');
      return body;
    }
    case 'had':
      return hadamard(canon(ctx, n.a), canon(ctx, n.b), I, ctx.budget);
    case 'kron':
      return kron(canon(ctx, n.a), canon(ctx, n.b), I, ctx.budget);
    case 'ones': {
      const s = shapeOf(ctx, n);
      return ones(s.r, s.c);
    }
    case 'call': {
      const def = ctx.scope.defs.get(n.name) as (NonNullable<ReturnType<Scope['defs']['get']>> & { typed?: Typed }) | undefined;
      if (!def) return opaque(ctx, n);
      const env = new Map(ctx.env);
      def.params.forEach((p, i) => env.set(p, canon(ctx, n.args[i]!)));
      return canon({ ...ctx, typed: def.typed ?? ctx.typed, env }, def.body);
    }
    default:
      return opaque(ctx, n);
  }
}

/** A rational exponent: 2, \frac{1}{2}, 3/2, -1/2, -\frac{1}{2}, \frac{-1}{2}. */
function exponentOf(e: Node): { p: number; q: number } | null {
  if (e.k === 'num') return q(e.p, e.q);
  if (e.k === 'neg') {
    const a = exponentOf(e.arg);
    return a && q(-a.p, a.q);
  }
  if (e.k === 'div') {
    const a = exponentOf(e.num);
    const b = exponentOf(e.den);
    return a && b && b.p !== 0 ? q(a.p * b.q, a.q * b.p) : null;
  }
  return null;
}

function canonFn(ctx: CanonCtx, n: NodeOf<'fn'>): Poly {
  const I = info(ctx);
  const argShape = shapeOf(ctx, n.arg);
  const scalarArg = isScalarShape(argShape);
  switch (n.fn) {
    case 'tr':
      return trace(canon(ctx, n.arg), I, ctx.budget);
    case 'det':
      return det(canon(ctx, n.arg), I, ctx.budget);
    case 'bars':
      if (!scalarArg) return det(canon(ctx, n.arg), I, ctx.budget);
      // |u| of a scalar: the absolute value, a function with its own differential rule
      return scalarFn('abs', canon(ctx, n.arg));
    case 'vec':
      return vec(canon(ctx, n.arg));
    case 'diag':
      if (argShape.c === '1') return diagOf(canon(ctx, n.arg));
      return opaque(ctx, n);
    case 'sumall':
      // Σ eig(M) = tr M
      if (n.arg.k === 'fn' && n.arg.fn === 'eig') return trace(canon(ctx, n.arg.arg), I, ctx.budget);
      // the sum of a vector's entries is 1ᵀv
      if (argShape.c === '1' && !scalarArg) return mulAll([ones('1', argShape.r), canon(ctx, n.arg)], I, ctx.budget);
      return opaque(ctx, n);
    case 'prodall':
      // Π eig(M) = det M
      if (n.arg.k === 'fn' && n.arg.fn === 'eig') return det(canon(ctx, n.arg.arg), I, ctx.budget);
      return opaque(ctx, n);
    case 'softmax': {
      // softmax(x) = eˣ / (1ᵀeˣ)
      const e = entrywise('exp', canon(ctx, n.arg));
      return mulAll([e, inverse(mulAll([ones('1', argShape.r), e], I, ctx.budget), I, ctx.budget)], I, ctx.budget);
    }
    case 'ln':
      if (!scalarArg) return entrywise('ln', canon(ctx, n.arg));
      // ln|u| of a scalar u: ln is written with |·| canonically (see poly.ts ln)
      if (scalarArg && n.arg.k === 'fn' && n.arg.fn === 'bars' && isScalarShape(shapeOf(ctx, n.arg.arg))) return ln(canon(ctx, n.arg.arg));
      if (scalarArg) return ln(canon(ctx, n.arg));
      return opaque(ctx, n);
    case 'adj': {
      // adj of a 1×1 matrix is 1; adj(X) = |X| X⁻¹ (samples are invertible)
      if (scalarArg) return constant(ONE);
      const x = canon(ctx, n.arg);
      return mulAll([det(x, I, ctx.budget), inverse(x, I, ctx.budget)], I, ctx.budget);
    }
    case 'sqrt':
      if (scalarArg) return power(canon(ctx, n.arg), q(1, 2), I, ctx.budget);
      return opaque(ctx, n);
    case 'exp':
    case 'sin':
    case 'cos':
    case 'tanh':
    case 'sinh':
    case 'cosh':
    case 'sigma':
    case 'sech':
      if (scalarArg) return scalarFn(n.fn, canon(ctx, n.arg));
      // exp, sin, cos of a square matrix are matrix functions; otherwise entrywise
      if (n.fn === 'exp' && argShape.r === argShape.c) return mexp(canon(ctx, n.arg));
      if ((n.fn === 'sin' || n.fn === 'cos') && argShape.r === argShape.c) return opaque(ctx, n);
      return entrywise(n.fn, canon(ctx, n.arg));
    case 'norm':
    case 'norm2':
      if (scalarArg) return opaque(ctx, n);
      if (argShape.c === '1' || argShape.r === '1') {
        const x = canon(ctx, n.arg);
        const xx = argShape.c === '1' ? mulAll([transpose(x, I), x], I, ctx.budget) : mulAll([x, transpose(x, I)], I, ctx.budget);
        return power(xx, q(1, 2), I, ctx.budget);
      }
      return opaque(ctx, n);
    case 'normF': {
      const x = canon(ctx, n.arg);
      return power(trace(mulAll([transpose(x, I), x], I, ctx.budget), I, ctx.budget), q(1, 2), I, ctx.budget);
    }
    default:
      return opaque(ctx, n);
  }
}

// ---------- derivatives ----------

const hasD = (p: Poly, x: string): boolean => p.terms.some((t) => t.w.some((a) => atomHasD(a, x)) || t.s.some((f) => !!f.atom.word?.some((a) => atomHasD(a, x))));
function atomHasD(a: MAtom, x: string): boolean {
  if (a.kind === 'd') return a.name === x;
  if (a.parts) return a.parts.some((p) => hasD(p, x));
  if (a.inner) return hasD(a.inner, x);
  return false;
}

/** a ∘ (M dx) = diag(a) M dx for vectors: bring the differential out of a Hadamard product. */
function expose(w: Word, x: string, I: SymInfo, budget: Budget): Word {
  for (let guard = 0; guard < 50; guard++) {
    const i = w.findIndex((a) => a.kind === 'had' && atomHasD(a, x));
    if (i < 0) return w;
    const a = w[i]!;
    const k = a.parts!.findIndex((p) => hasD(p, x));
    const dPart = a.parts![k]!;
    if (dPart.terms.length !== 1 || dPart.terms[0]!.s.length) throw new Unsupported('cannot read a derivative off this Hadamard product');
    const others = a.parts!.filter((_, j) => j !== k);
    let g = others[0]!;
    for (let j = 1; j < others.length; j++) g = hadamard(g, others[j]!, I, budget);
    let replacement: Word;
    if (a.c === '1') replacement = [{ kind: 'diag', name: 'diag', t: false, inv: false, r: a.r, c: a.r, inner: g }, ...dPart.terms[0]!.w];
    else if (a.r === '1') replacement = [...dPart.terms[0]!.w, { kind: 'diag', name: 'diag', t: false, inv: false, r: a.c, c: a.c, inner: transpose(g, I) }];
    else throw new Unsupported('cannot read a derivative off a Hadamard product of matrices');
    const c = dPart.terms[0]!.c;
    if (c.p !== 1 || c.q !== 1) throw new Unsupported('cannot read a derivative off this Hadamard product');
    w = [...w.slice(0, i), ...replacement, ...w.slice(i + 1)];
  }
  throw new Unsupported('too many nested Hadamard products');
}

/**
 * tr(P (G ∘ M)) = tr((Pᵀ ∘ G)ᵀ M): bring a differential out of a Hadamard product of matrices
 * inside a trace. Returns the term rewritten (possibly as several terms), or null.
 */
function exposeInTrace(t: Term, x: string, I: SymInfo, budget: Budget): Poly | null {
  const k = t.s.findIndex((f) => f.atom.kind === 'tr' && f.atom.word!.some((a) => a.kind === 'had' && a.r !== '1' && a.c !== '1' && atomHasD(a, x)));
  if (k < 0) return null;
  const f = t.s[k]!;
  if (f.e.p !== 1 || f.e.q !== 1) throw new Unsupported('the differential is not linear');
  const w = f.atom.word!;
  const h = w.findIndex((a) => a.kind === 'had' && atomHasD(a, x));
  const rot = [...w.slice(h), ...w.slice(0, h)];
  const had = rot[0]!;
  const P = rot.slice(1);
  const j = had.parts!.findIndex((p) => hasD(p, x));
  const M = had.parts![j]!;
  const others = had.parts!.filter((_, i) => i !== j);
  let G = others[0]!;
  for (let i = 1; i < others.length; i++) G = hadamard(G, others[i]!, I, budget);
  if (P.length === 0) throw new Unsupported('a Hadamard product with the identity');
  const Pp = wordPoly(P, had.c, had.r);
  const Q = transpose(hadamard(transpose(Pp, I), G, I, budget), I);
  const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: t.s.filter((_, i) => i !== k), w: [] }] };
  const word = t.w.length ? wordPoly(t.w, t.w[0]!.r, t.w[t.w.length - 1]!.c) : null;
  return mulAll([scalars, trace(mulAll([Q, M], I, budget), I, budget), ...(word ? [word] : [])], I, budget);
}

/** One contribution of df, in numerator form: rows follow f, columns follow the variable. */
function numeratorForm(df0: Poly, x: string, fShape: Shape, xShape: Shape, I: SymInfo, budget: Budget): Poly {
  const xScalar = isScalarShape(xShape);
  const parts: Poly[] = [];
  const work: Term[] = [...df0.terms];
  const df = df0;
  while (work.length) {
    const t0 = work.shift()!;
    budget.tick();
    if (!xScalar) {
      const ex = exposeInTrace(t0, x, I, budget);
      if (ex) {
        work.push(...ex.terms);
        continue;
      }
    }
    const t = xScalar
      ? t0
      : {
          ...t0,
          w: expose(t0.w, x, I, budget),
          s: t0.s.map((f) => (f.atom.kind === 'tr' && f.atom.word!.some((a) => atomHasD(a, x)) ? { ...f, atom: { ...f.atom, word: expose(f.atom.word!, x, I, budget) } } : f)),
        };
    if (xScalar) {
      const i = t.s.findIndex((f) => f.atom.kind === 'd' && f.atom.name === x);
      if (i < 0 || t.s[i]!.e.p !== 1 || t.s[i]!.e.q !== 1) throw new Unsupported('the differential is not linear in d' + x);
      parts.push(normalize({ r: df.r, c: df.c, terms: [{ c: t.c, s: t.s.filter((_, j) => j !== i), w: t.w }] }));
      continue;
    }
    const inWord = t.w.findIndex((a) => a.kind === 'd' && a.name === x);
    const inScalar = t.s.findIndex((f) => f.atom.kind === 'tr' && f.atom.word!.some((a) => a.kind === 'd' && a.name === x));
    if (inWord >= 0 && inScalar < 0) {
      const a = t.w[inWord]!;
      if (inWord !== t.w.length - 1 || a.t || xShape.c !== '1') throw new Unsupported('cannot read a Jacobian off this differential');
      const left = t.w.slice(0, -1);
      parts.push(normalize({ r: fShape.r, c: xShape.r, terms: [{ c: t.c, s: t.s, w: left }] }));
      continue;
    }
    if (inScalar >= 0 && inWord < 0) {
      const f = t.s[inScalar]!;
      if (f.e.p !== 1 || f.e.q !== 1) throw new Unsupported('the differential is not linear');
      let w = f.atom.word!;
      if (w.filter((a) => a.kind === 'd' && a.name === x).length !== 1) throw new Unsupported('the differential is not linear');
      // tr(W) = tr(Wᵀ): make dX appear untransposed, then rotate it to the end: tr(M dX)
      if (w.find((a) => a.kind === 'd' && a.name === x)!.t) w = w.map((a) => transposeAtom(a, I)).reverse();
      const k = w.findIndex((a) => a.kind === 'd' && a.name === x);
      const M: Word = [...w.slice(k + 1), ...w.slice(0, k)];
      const rest = t.s.filter((_, j) => j !== inScalar);
      // scalar f: N = M (c×r of X); vector f: N = (f's word) M
      const word = [...t.w, ...M];
      const r = isScalarShape(fShape) ? xShape.c : fShape.r;
      const p = word.length ? { r, c: xShape.r, terms: [{ c: t.c, s: rest, w: word }] } : { r, c: xShape.r, terms: [{ c: t.c, s: rest, w: [] }] };
      parts.push(simplifyPoly(p, I, budget));
      continue;
    }
    throw new Unsupported('cannot read a derivative off this differential');
  }
  const r = xScalar ? df.r : isScalarShape(fShape) ? xShape.c : fShape.r;
  const c = xScalar ? df.c : xShape.r;
  return sum(parts, r, c);
}

/** Re-apply the declared structure (symmetry, orthogonality) to a result computed without it. */
export function rebuild(p: Poly, I: SymInfo, budget: Budget): Poly {
  const parts: Poly[] = [];
  for (const t of p.terms) {
    const factors: Poly[] = [constant(t.c)];
    for (const f of t.s) factors.push(power(rebuildScalar(f.atom, I, budget), f.e, I, budget));
    if (t.w.length) factors.push(wordPoly(t.w.map((a) => rebuildAtom(a, I, budget)), p.r, p.c));
    else if (!isScalarShape(p)) factors.push(constant(ONE, p.r, p.c));
    parts.push(mulAll(factors, I, budget));
  }
  return sum(parts, p.r, p.c);
}

function rebuildAtom(a: MAtom, I: SymInfo, budget: Budget): MAtom {
  if (a.kind === 'inv') {
    const inner = rebuild(a.inner!, I, budget);
    const inv = inverse(inner, I, budget);
    if (inv.terms.length === 1 && inv.terms[0]!.w.length === 1 && inv.terms[0]!.s.length === 0 && inv.terms[0]!.c.p === 1 && inv.terms[0]!.c.q === 1) return inv.terms[0]!.w[0]!;
    return { ...a, inner };
  }
  if (a.kind === 'sym' || a.kind === 'd') {
    const props = I.props(a.name);
    let out = a;
    if (a.t && (props.has('symmetric') || props.has('spd') || props.has('diagonal'))) out = { ...out, t: false };
    if (a.kind === 'sym' && a.inv && props.has('orthogonal')) out = { ...out, inv: false, t: !out.t };
    return out;
  }
  return a;
}

function rebuildScalar(a: SAtom, I: SymInfo, budget: Budget): Poly {
  switch (a.kind) {
    case 'tr': {
      const w = a.word!.map((x) => rebuildAtom(x, I, budget));
      return trace(wordPoly(w, w[0]!.r, w[w.length - 1]!.c), I, budget);
    }
    case 'det':
      if (a.word) return det(wordPoly(a.word.map((x) => rebuildAtom(x, I, budget)), a.word[0]!.r, a.word[0]!.c), I, budget);
      return det(rebuild(a.arg!, I, budget), I, budget);
    case 'ln':
      return ln(rebuild(a.arg!, I, budget));
    case 'fn':
      return scalarFn(a.fn!, rebuild(a.arg!, I, budget));
    case 'poly':
      return rebuild(a.arg!, I, budget);
    default:
      return scalarAtom(a);
  }
}

/** Replace the differential dX by a direction E (for derivatives with respect to an entry). */
function substituteD(p: Poly, x: string, E: Word, I: SymInfo, budget: Budget): Poly {
  const ET = transposeWord(E, I);
  const splice = (w: Word): Word => w.flatMap((a) => (a.kind === 'd' && a.name === x ? (a.t ? ET : E) : [a]));
  const parts: Poly[] = [];
  for (const t of p.terms) {
    const factors: Poly[] = [constant(t.c)];
    for (const f of t.s) {
      if (f.atom.kind === 'tr' && f.atom.word!.some((a) => a.kind === 'd' && a.name === x)) {
        const w = splice(f.atom.word!);
        factors.push(power(trace(wordPoly(w, w[0]!.r, w[w.length - 1]!.c), I, budget), f.e, I, budget));
      } else factors.push(power(scalarAtom(f.atom), f.e, I, budget));
    }
    if (t.w.length) {
      const w = splice(t.w);
      factors.push(wordPoly(w, p.r, p.c));
    } else if (!isScalarShape(p)) factors.push(constant(ONE, p.r, p.c));
    parts.push(mulAll(factors, I, budget));
  }
  return sum(parts, p.r, p.c);
}

/** ∂f/∂Xᵢⱼ = df with dX = eᵢeⱼᵀ (∂f/∂xₖ: dx = eₖ). */
function derivativeByEntry(ctx: CanonCtx, n: NodeOf<'deriv'>, node: NodeOf<'entry'>): Poly {
  if (node.of.k !== 'sym') throw new Unsupported('a derivative with respect to an entry of an expression');
  const x = node.of.name;
  const idx = ctx.typed.entries.get(node)!;
  const xShape = symShape(ctx, x);
  const free = new Set([...ctx.unstructured, x]);
  const UI = symInfo(ctx.scope, free);
  const f = canon({ ...ctx, unstructured: free }, n.f);
  const dctx: DiffCtx = { vars: new Set([x]), info: UI, budget: ctx.budget, decls: ctx.scope.decls, used: new Set() };
  const df = differential(f, dctx);
  for (const r of dctx.used) ctx.used.add(r);
  const E: Word =
    xShape.c === '1'
      ? [basis(String(idx[0]), xShape.r)]
      : xShape.r === '1'
        ? [{ ...basis(String(idx[0]), xShape.c), t: true, r: '1', c: xShape.c }]
        : [basis(String(idx[0]), xShape.r), { ...basis(String(idx[1]), xShape.c), t: true, r: '1', c: xShape.c }];
  ctx.used.add('derivative with respect to an entry: df with dX = eᵢeⱼᵀ');
  let result = substituteD(df, x, E, UI, ctx.budget);
  const fShape = shapeOf(ctx, n.f);
  if (ctx.layout === 'denominator' && fShape.c === '1' && !isScalarShape(fShape)) result = transpose(result, UI);
  const structured = rebuild(result, info(ctx), ctx.budget);
  if (ctx.steps.length === 0) {
    ctx.steps.push(functionStep(ctx, n.f));
    ctx.steps.push({ latex: `\\mathrm{d}f = ${printPoly(df)}`, rule: [...dctx.used].join('; ') || 'differential' });
    ctx.steps.push({ latex: `\\frac{\\partial f}{\\partial ${printName(x)}_{${idx.join('')}}} = ${printPoly(structured)}`, rule: 'set the differential to the unit direction of that entry' });
  }
  ctx.derivatives.push(structured);
  return structured;
}

/** ∂ vec F / ∂ vec(X)ᵀ: d vec(L dX R) = (Rᵀ ⊗ L) vec(dX), so the Jacobian is Σ Rᵀ ⊗ L. */
function derivativeByVec(ctx: CanonCtx, n: NodeOf<'deriv'>, x: string): Poly {
  const free = new Set([...ctx.unstructured, x]);
  const UI = symInfo(ctx.scope, free);
  const xShape = symShape(ctx, x);
  const fShape = shapeOf(ctx, n.f);
  const outShape = shapeOf(ctx, n);
  const f = canon({ ...ctx, unstructured: free }, n.f);
  const dctx: DiffCtx = { vars: new Set([x]), info: UI, budget: ctx.budget, decls: ctx.scope.decls, used: new Set() };
  const df = differential(f, dctx);
  for (const r of dctx.used) ctx.used.add(r);
  if (isScalarShape(fShape)) throw new Unsupported('the gradient with respect to vec(X) is checked numerically');
  const parts: Poly[] = [];
  for (const t of df.terms) {
    const v = t.w.length === 1 && t.w[0]!.kind === 'vec' && !t.w[0]!.t ? t.w[0]!.inner! : null;
    if (!v || v.terms.length !== 1) throw new Unsupported('cannot read a vec Jacobian off this differential');
    const w = v.terms[0]!.w;
    const k = w.findIndex((a) => a.kind === 'd' && a.name === x);
    if (k < 0 || w[k]!.t || w.filter((a) => a.kind === 'd').length !== 1) throw new Unsupported('cannot read a vec Jacobian off this differential');
    const L = w.slice(0, k);
    const R = w.slice(k + 1);
    const Lp = L.length ? wordPoly(L, L[0]!.r, xShape.r) : constant(ONE, xShape.r, xShape.r);
    const Rp = R.length ? wordPoly(R, xShape.c, R[R.length - 1]!.c) : constant(ONE, xShape.c, xShape.c);
    const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: [...t.s, ...v.terms[0]!.s], w: [] }] };
    parts.push(mul(scalars, kron(transpose(Rp, UI), Lp, UI, ctx.budget), UI, ctx.budget));
  }
  ctx.used.add('vec(L dX R) = (Rᵀ ⊗ L) vec(dX)');
  let J = sum(parts, outShape.r, outShape.c);
  if (ctx.layout === 'denominator' && !n.wrt[0]!.transposed) J = transpose(J, UI);
  const structured = rebuild(J, info(ctx), ctx.budget);
  if (ctx.steps.length === 0) {
    ctx.steps.push(functionStep(ctx, n.f));
    ctx.steps.push({ latex: `\\mathrm{d}\\operatorname{vec} F = ${printPoly(df)}`, rule: [...dctx.used].join('; ') || 'differential' });
    ctx.steps.push({ latex: `\\frac{\\partial \\operatorname{vec} F}{\\partial \\operatorname{vec}(${printName(x)})^\\top} = ${printPoly(structured)}`, rule: 'vec(L dX R) = (Rᵀ ⊗ L) vec(dX)' });
  }
  ctx.derivatives.push(structured);
  return structured;
}

function derivative(ctx: CanonCtx, n: NodeOf<'deriv'>): Poly {
  const w = n.wrt[0]!;
  if (w.node.k === 'entry' && n.wrt.length === 1 && n.order === 1) return derivativeByEntry(ctx, n, w.node);
  if (w.node.k === 'fn' && w.node.fn === 'vec' && w.node.arg.k === 'sym' && n.wrt.length === 1 && n.order === 1) {
    if (symShape(ctx, w.node.arg.name).c === '1') throw new Unsupported('vec of a vector: write the derivative with respect to the vector itself');
    return derivativeByVec(ctx, n, w.node.arg.name);
  }
  if (w.node.k !== 'sym') throw new Unsupported('derivatives with respect to vec are checked numerically');
  const x = w.node.name;
  const free = new Set([...ctx.unstructured, x]);
  const uctx: CanonCtx = { ...ctx, unstructured: free };
  const UI = symInfo(ctx.scope, free);
  const SI = info(ctx);
  const xShape = symShape(ctx, x);
  const fShape = shapeOf(ctx, n.f);
  const outShape = shapeOf(ctx, n);
  const f = canon(uctx, n.f);
  const dctx: DiffCtx = { vars: new Set([x]), info: UI, budget: ctx.budget, decls: ctx.scope.decls, used: new Set() };
  const df = differential(f, dctx);
  for (const r of dctx.used) ctx.used.add(r);
  let N = numeratorForm(df, x, fShape, xShape, UI, ctx.budget);
  let result: Poly;
  let second: { g: Poly; dg: Poly } | null = null;
  if (n.order === 2 || n.wrt.length === 2) {
    const w2 = n.wrt[n.wrt.length - 1]!;
    if (w2.node.k !== 'sym' || w2.node.name !== x) throw new Unsupported('mixed second derivatives are checked numerically');
    // gradient as a column, then its Jacobian
    const g = isScalarShape(xShape) ? N : transpose(N, UI);
    const dg = differential(g, { ...dctx, used: ctx.used });
    const H = numeratorForm(dg, x, { r: isScalarShape(xShape) ? '1' : xShape.r, c: '1' }, xShape, UI, ctx.budget);
    ctx.used.add('second differential: the Jacobian of the gradient');
    second = { g, dg };
    result = H;
  } else if (isScalarShape(xShape)) {
    // with respect to a scalar: f's shape (a row in denominator layout for a vector f)
    result = ctx.layout === 'denominator' && fShape.c === '1' && !isScalarShape(fShape) ? transpose(N, UI) : N;
  } else if (w.transposed) {
    result = N;
  } else if (isScalarShape(fShape)) {
    result = ctx.layout === 'numerator' && !n.nabla ? N : transpose(N, UI);
  } else {
    result = ctx.layout === 'denominator' || n.nabla ? transpose(N, UI) : N;
  }
  if (result.r !== outShape.r || result.c !== outShape.c) {
    result = { ...result, r: outShape.r, c: outShape.c };
  }
  const structured = rebuild(result, SI, ctx.budget);
  if (ctx.steps.length === 0) {
    ctx.steps.push(functionStep(ctx, n.f));
    const dx = `\\mathrm{d}${printName(x)}`;
    ctx.steps.push({ latex: `\\mathrm{d}f = ${printPoly(df)}`, rule: [...dctx.used].join('; ') || 'differential' });
    if (second) {
      // a Hessian: the gradient first, then the Jacobian of the gradient
      const grad = `\\frac{\\partial f}{\\partial ${printName(x)}}`;
      ctx.steps.push({ latex: `${grad} = ${printPoly(rebuild(second.g, SI, ctx.budget))}`, rule: isScalarShape(xShape) ? 'read off the first derivative' : 'read off the gradient (a column)' });
      ctx.steps.push({ latex: `\\mathrm{d}\\left(${grad}\\right) = ${printPoly(second.dg)}`, rule: 'second differential: the differential of the gradient' });
      const label = isScalarShape(xShape) ? `\\frac{\\partial^2 f}{\\partial ${printName(x)}^2}` : `\\frac{\\partial^2 f}{\\partial ${printName(x)}\\,\\partial ${printName(x)}^\\top}`;
      ctx.steps.push({ latex: `${label} = ${printPoly(structured)}`, rule: isScalarShape(xShape) ? 'read off the coefficient of the differential' : 'read off the Jacobian of the gradient: the Hessian' });
    } else if (!isScalarShape(xShape) && isScalarShape(fShape)) {
      const trf = printTraceForm(N, dx);
      if (trf) ctx.steps.push({ latex: `\\mathrm{d}f = ${trf}`, rule: 'trace cyclicity and transposition: collect tr(M dX)' });
      ctx.steps.push({ latex: `${printDerivLabel(x, w.transposed)} = ${printPoly(structured)}`, rule: 'read off the derivative: df = tr(Dᵀ dX) ⇒ ∂f/∂X = D' });
    } else {
      ctx.steps.push({ latex: `${printDerivLabel(x, w.transposed)} = ${printPoly(structured)}`, rule: isScalarShape(xShape) ? 'read off the coefficient of the differential' : 'read off the Jacobian: df = J dx' });
    }
  }
  ctx.derivatives.push(structured);
  return structured;
}

/** The first step of a derivation: what is differentiated, with a defined name unfolded. */
function functionStep(ctx: CanonCtx, f: Node): DerivationStep {
  const def = f.k === 'sym' ? ctx.scope.defs.get(f.name) : undefined;
  const body = def ? `${printNode(f)} = ${printNode(def.body)}` : printNode(f);
  return { latex: `f = ${body}`, rule: 'the function being differentiated' };
}

function printName(x: string): string {
  return x.length > 1 && !x.startsWith('\\') ? `{${x}}` : x;
}

function printDerivLabel(x: string, transposed: boolean): string {
  return `\\frac{\\partial f}{\\partial ${printName(x)}${transposed ? '^\\top' : ''}}`;
}

