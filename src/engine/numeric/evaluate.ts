/**
 * Numeric evaluation of a typed expression at sampled values. Derivatives are central finite
 * differences of the function being differentiated; a differential d(u) is ε times the
 * directional derivative of u along the sampled directions of the formula's variables.
 */
import { children, walk, type Node, type NodeOf } from '../ast.ts';
import { DomainError, EngineError } from '../errors.ts';
import type { Definition, Scope } from '../scope.ts';
import { dimSize, type Shape } from '../shape.ts';
import type { Typed } from '../typing.ts';
import * as L from './linalg.ts';
import type { Mat, Val } from './linalg.ts';
import type { Sampled } from './sample.ts';

export interface EvalCtx {
  typed: Typed;
  scope: Scope;
  sizes: Map<string, number>;
  base: Sampled;
  overrides: Map<string, Val>;
  /** Directions of the variables of the formula's differentials. */
  dirs: Map<string, Val>;
  eps: number;
  idx: Map<string, number>;
  /** `work`: entries computed plus multiply-adds of products, bounded by MAX_WORK. */
  stats: { maxMag: number; evals: number; work?: number };
  /** Finite-difference step (relative). */
  h: number;
  /** Differentials at the unperturbed point, reused across ε. */
  diffCache: Map<Node, Val> | null;
  /**
   * Inside an index sum: values of the body's parts that do not depend on the sum's indices,
   * computed once for all index values. Read only with the very context it was made for
   * (`owner`): a context derived by spreading (other overrides, ε, …) never uses it.
   */
  sumMemo?: SumMemo;
  /**
   * Derivatives taken at the sample itself (no variable perturbed), shared by the evaluations of
   * one relation: ε only scales differentials, so the three evaluations of a relation with
   * differentials (ε = 0, ±δ) meet the same ∂f/∂X, and so do the relations of a chain. Keyed
   * by node, finite-difference step and index values.
   */
  derivCache?: Map<Node, Map<string, Known>>;
}

/** A value computed once, with the evaluations and work it cost (counted again on every reuse). */
interface Known {
  v: Val;
  evals: number;
  work: number;
}

interface SumMemo {
  owner: EvalCtx;
  /** Nodes of the body whose value depends on the sum's indices. */
  dependent: Set<Node>;
  values: Map<Node, Known>;
}

/** Evaluations per formula before we give up: bounds the cost of deep nesting. */
export const MAX_EVALS = 2_000_000;

/** Arithmetic per formula before we give up: bounds the cost of large values and many partials. */
export const MAX_WORK = 50_000_000;

/** Entries of one value: a larger one (a declared 1000×1000, a Kronecker tower) is refused. */
export const MAX_VALUE_ENTRIES = 40_000;

const TOO_COSTLY = 'the formula is too costly to evaluate (too many nested derivatives or terms)';

function shapeOf(ctx: EvalCtx, n: Node): Shape {
  const s = ctx.typed.shapes.get(n);
  if (!s) throw new EngineError('internal: a node has no shape', n.span, 'internal');
  return s;
}

/** Sizes of dimension expressions (`n`, `m*n`, `3`), per size assignment: read for every node. */
const sizeCache = new WeakMap<Map<string, number>, Map<string, number>>();

function size(ctx: EvalCtx, d: string): number {
  let known = sizeCache.get(ctx.sizes);
  if (!known) sizeCache.set(ctx.sizes, (known = new Map()));
  let v = known.get(d);
  if (v === undefined) {
    v = d.includes('?') ? 1 : dimSize(d, ctx.sizes);
    known.set(d, v);
  }
  return v;
}

/**
 * Replay what a reused value cost, so that the limits on evaluations and work are met exactly
 * as if it had been computed again.
 */
function replay(ctx: EvalCtx, k: Known, n: Node): Val {
  ctx.stats.evals += k.evals;
  if (ctx.stats.evals > MAX_EVALS) throw new EngineError(TOO_COSTLY, n.span, 'too-large');
  if (k.work) {
    ctx.stats.work = (ctx.stats.work ?? 0) + k.work;
    if (ctx.stats.work > MAX_WORK) throw new EngineError(TOO_COSTLY, n.span, 'too-large');
  }
  return k.v;
}

/** Evaluate, recording the value with what it cost. */
function costed(ctx: EvalCtx, n: Node, compute: () => Val): Known {
  const evals = ctx.stats.evals;
  const work = ctx.stats.work ?? 0;
  const v = compute();
  return { v, evals: ctx.stats.evals - evals, work: (ctx.stats.work ?? 0) - work };
}

/** Values of definitions used by name, per evaluation context (a context's inputs never change). */
const defValues = new WeakMap<EvalCtx, Map<Definition, Known>>();

export function lookup(ctx: EvalCtx, name: string, at?: Node): Val {
  const o = ctx.overrides.get(name);
  if (o !== undefined) return o;
  const def = ctx.scope.defs.get(name);
  // a bare function name stands for the function at its own parameters: f means f(X)
  if (def) {
    // the same name in the same context has the same value (G Gᵀ G evaluates G once), unless
    // the definition has free indices, whose values the context's index map may change
    const typed = (def as Definition & { typed?: Typed }).typed;
    if (!typed || typed.freeIdx.size > 0) return evalDef(ctx, def, def.params.map((p) => lookup(ctx, p, at)), at);
    let values = defValues.get(ctx);
    const known = values?.get(def);
    if (known) return replay(ctx, known, at ?? def.body);
    const k = costed(ctx, def.body, () => evalDef(ctx, def, def.params.map((p) => lookup(ctx, p, at)), at));
    if (!values) defValues.set(ctx, (values = new Map()));
    values.set(def, k);
    return k.v;
  }
  const fn = ctx.base.fns.get(name);
  if (fn) {
    const decl = ctx.scope.decls.get(name)!;
    const t = lookup(ctx, decl.param!, at);
    if (L.isMat(t)) throw new EngineError(`the parameter ${decl.param} of ${name} must be a scalar`, at?.span, 'shape');
    return fn(t);
  }
  const v = ctx.base.values.get(name) ?? (ctx.scope.isDimension(name) ? ctx.sizes.get(name) : undefined);
  if (v === undefined) throw new EngineError(`internal: no value for ${name}`, at?.span, 'internal');
  return v;
}

function evalDef(ctx: EvalCtx, def: Definition & { typed?: Typed }, args: Val[], at?: Node): Val {
  const overrides = new Map(ctx.overrides);
  def.params.forEach((p, i) => overrides.set(p, args[i]!));
  const typed = def.typed ?? ctx.typed;
  try {
    return evaluate({ ...ctx, typed, overrides, diffCache: null }, def.body);
  } catch (e) {
    // spans inside the body point into the definition's LaTeX: seen from a formula, the problem
    // is where the formula uses the definition
    if (!at?.span) throw e;
    const where = ` (in the definition of ${def.name})`;
    if (e instanceof DomainError) throw new DomainError(e.message.endsWith(where) ? e.message : e.message + where, at.span);
    if (e instanceof EngineError && !e.inWhere) throw new EngineError(e.message.endsWith(where) ? e.message : e.message + where, at.span, e.code);
    throw e;
  }
}

export function evaluate(ctx: EvalCtx, n: Node): Val {
  const memo = ctx.sumMemo;
  if (memo !== undefined && memo.owner === ctx && !memo.dependent.has(n)) {
    const known = memo.values.get(n);
    if (known) return replay(ctx, known, n);
    const k = costed(ctx, n, () => evaluateOnce(ctx, n));
    memo.values.set(n, k);
    return k.v;
  }
  return evaluateOnce(ctx, n);
}

function evaluateOnce(ctx: EvalCtx, n: Node): Val {
  if (++ctx.stats.evals > MAX_EVALS) throw new EngineError(TOO_COSTLY, n.span, 'too-large');
  const s = ctx.typed.shapes.get(n);
  if (s) {
    const entries = size(ctx, s.r) * size(ctx, s.c);
    if (entries > MAX_VALUE_ENTRIES) {
      throw new EngineError(`this value is too large to check numerically (${entries} entries, at most ${MAX_VALUE_ENTRIES}): use smaller dimensions`, n.span, 'too-large');
    }
    ctx.stats.work = (ctx.stats.work ?? 0) + entries;
    if (ctx.stats.work > MAX_WORK) throw new EngineError(TOO_COSTLY, n.span, 'too-large');
  }
  let v: Val;
  try {
    v = evalInner(ctx, n);
  } catch (e) {
    // a domain error raised by the arithmetic (a singular inverse) points at the node that met it
    if (e instanceof DomainError && !e.span && n.span) throw new DomainError(e.message, n.span);
    throw e;
  }
  const m = L.maxAbs(v);
  // NaN compares false with everything: test finiteness first
  if (!Number.isFinite(m)) throw new DomainError('a value is not finite', n.span);
  if (m > ctx.stats.maxMag) ctx.stats.maxMag = m;
  return v;
}

function evalInner(ctx: EvalCtx, n: Node): Val {
  switch (n.k) {
    case 'num':
      return n.p / n.q;
    case 'const':
      return Math.PI;
    case 'sym':
      return lookup(ctx, n.name, n);
    case 'I': {
      const s = shapeOf(ctx, n);
      const k = size(ctx, s.r);
      return k === 1 ? 1 : L.identity(k);
    }
    case 'zero': {
      const s = shapeOf(ctx, n);
      const r = size(ctx, s.r);
      const c = size(ctx, s.c);
      return r === 1 && c === 1 ? 0 : L.mat(r, c);
    }
    case 'ones': {
      const s = shapeOf(ctx, n);
      const r = size(ctx, s.r);
      const m = L.mat(r, 1);
      m.d.fill(1);
      return L.norm1x1(m);
    }
    case 'entry': {
      const v = evaluate(ctx, n.of);
      const idx = ctx.typed.entries.get(n);
      if (!idx) throw new EngineError('internal: unresolved entry', n.span, 'internal');
      const ix = idx.map((i) => (typeof i === 'number' ? i : ctx.idx.get(i)));
      if (ix.some((i) => i === undefined)) throw new EngineError('internal: unbound index', n.span, 'internal');
      if (!L.isMat(v)) return v;
      let i: number;
      let j: number;
      if (ix.length === 1) {
        if (v.c === 1) [i, j] = [ix[0]! - 1, 0];
        else [i, j] = [0, ix[0]! - 1];
      } else [i, j] = [ix[0]! - 1, ix[1]! - 1];
      if (i < 0 || j < 0 || i >= v.r || j >= v.c) throw new EngineError(`index out of range: (${ix.join(',')}) of a ${v.r}×${v.c} value`, n.span, 'shape');
      return v.d[i * v.c + j]!;
    }
    case 'add': {
      let acc: Val | null = null;
      for (const a of n.args) {
        const v = evalZeroAware(ctx, a);
        acc = acc === null ? v : L.add(acc, v);
      }
      return acc!;
    }
    case 'neg':
      return L.scale(evalZeroAware(ctx, n.arg), -1);
    case 'mul': {
      let acc: Val | null = null;
      for (const a of n.args) {
        const v = evaluate(ctx, a);
        if (acc !== null && L.isMat(acc) && L.isMat(v)) ctx.stats.work = (ctx.stats.work ?? 0) + acc.r * acc.c * v.c;
        acc = acc === null ? v : L.mul(acc, v);
      }
      return acc!;
    }
    case 'div': {
      const den = evaluate(ctx, n.den);
      if (L.isMat(den)) throw new EngineError('internal: matrix denominator', n.span, 'internal');
      if (Math.abs(den) < 1e-12) throw new DomainError('division by zero', n.den.span);
      return L.scale(evaluate(ctx, n.num), 1 / den);
    }
    case 'pow': {
      const b = evaluate(ctx, n.base);
      // an exponent's size is not a magnitude the result is computed from: 1e-9 of A^{10^9}
      // must not pass for equality
      const mag = ctx.stats.maxMag;
      const e = evaluate(ctx, n.exp);
      ctx.stats.maxMag = mag;
      if (L.isMat(e)) throw new EngineError('internal: matrix exponent', n.span, 'internal');
      if (L.isMat(b)) {
        if (!Number.isInteger(e)) throw new EngineError('a matrix power needs an integer exponent', n.exp.span, 'shape');
        return L.matPow(b, e);
      }
      if (b < 0 && !Number.isInteger(e)) throw new DomainError('a negative number to a fractional power', n.span);
      if (b === 0 && e < 0) throw new DomainError('division by zero', n.span);
      return b ** e;
    }
    case 'T':
      return L.transpose(evaluate(ctx, n.arg));
    case 'inv':
      return L.inverse(evaluate(ctx, n.arg));
    case 'fn':
      return evalFn(ctx, n);
    case 'had':
      return L.hadamard(evaluate(ctx, n.a), evaluate(ctx, n.b));
    case 'kron':
      return L.kron(evaluate(ctx, n.a), evaluate(ctx, n.b));
    case 'mat': {
      const r = n.rows.length;
      const c = n.rows[0]!.length;
      const m = L.mat(r, c);
      n.rows.forEach((row, i) =>
        row.forEach((cell, j) => {
          const v = evaluate(ctx, cell);
          if (L.isMat(v)) throw new EngineError('internal: matrix cell', cell.span, 'internal');
          m.d[i * c + j] = v;
        }),
      );
      return L.norm1x1(m);
    }
    case 'isum':
      return evalIndexSum(ctx, n);
    case 'deriv':
      return cachedDeriv(ctx, n);
    case 'diff':
      return evalDiff(ctx, n);
    case 'call': {
      const decl = ctx.scope.decls.get(n.name);
      if (decl?.param) {
        const t = evaluate(ctx, n.args[0]!);
        const overrides = new Map(ctx.overrides);
        overrides.set(decl.param, t);
        overrides.delete(n.name);
        return lookup({ ...ctx, overrides }, n.name, n);
      }
      const def = ctx.scope.defs.get(n.name);
      if (!def) throw new EngineError(`${n.name} is not defined`, n.span, 'unknown-symbol');
      const args = n.args.map((a) => evaluate(ctx, a));
      return evalDef(ctx, def, args, n);
    }
  }
}

/** A bare 0 standing for a zero matrix takes its shape from typing. */
function evalZeroAware(ctx: EvalCtx, n: Node): Val {
  if (n.k === 'num' && n.p === 0) {
    const s = ctx.typed.shapes.get(n);
    if (s) {
      const r = size(ctx, s.r);
      const c = size(ctx, s.c);
      if (r !== 1 || c !== 1) return L.mat(r, c);
    }
    return 0;
  }
  return evaluate(ctx, n);
}

export { evalZeroAware as evaluateMember };

function entrywise(v: Val, f: (x: number) => number): Val {
  return L.map(v, f);
}

function checkedLn(x: number): number {
  if (!(x > 0)) throw new DomainError(`ln of ${x <= 0 ? 'a non-positive number' : 'NaN'}`);
  return Math.log(x);
}

function isSquareMat(v: Val): v is Mat {
  return L.isMat(v) && v.r === v.c && v.r > 1;
}

function evalFn(ctx: EvalCtx, n: NodeOf<'fn'>): Val {
  const a = evaluate(ctx, n.arg);
  switch (n.fn) {
    case 'tr':
      return L.trace(a);
    case 'det':
      return L.det(a);
    case 'bars':
      return L.isMat(a) ? L.det(a) : Math.abs(a);
    case 'ln':
      try {
        return entrywise(a, checkedLn);
      } catch (e) {
        if (e instanceof DomainError) throw new DomainError(e.message, n.span);
        throw e;
      }
    case 'exp':
      return isSquareMat(a) ? L.expm(a) : entrywise(a, Math.exp);
    case 'sqrt':
      return entrywise(a, (x) => {
        if (x < 0) throw new DomainError('the square root of a negative number', n.span);
        return Math.sqrt(x);
      });
    case 'sin':
      return isSquareMat(a) ? L.sincosm(a, 'sin') : entrywise(a, Math.sin);
    case 'cos':
      return isSquareMat(a) ? L.sincosm(a, 'cos') : entrywise(a, Math.cos);
    case 'tan':
      return entrywise(a, Math.tan);
    case 'tanh':
      return entrywise(a, Math.tanh);
    case 'sinh':
      return entrywise(a, Math.sinh);
    case 'cosh':
      return entrywise(a, Math.cosh);
    case 'sech':
      return entrywise(a, (x) => 1 / Math.cosh(x));
    case 'sigma':
      return entrywise(a, (x) => 1 / (1 + Math.exp(-x)));
    case 'diag': {
      if (!L.isMat(a)) return a;
      if (a.c === 1) {
        const m = L.mat(a.r, a.r);
        for (let i = 0; i < a.r; i++) m.d[i * a.r + i] = a.d[i]!;
        return m;
      }
      const v = L.mat(a.r, 1);
      for (let i = 0; i < a.r; i++) v.d[i] = a.d[i * a.c + i]!;
      return v;
    }
    case 'vec': {
      if (!L.isMat(a)) return a;
      const v = L.mat(a.r * a.c, 1);
      let k = 0;
      for (let j = 0; j < a.c; j++) for (let i = 0; i < a.r; i++) v.d[k++] = a.d[i * a.c + j]!;
      return L.norm1x1(v);
    }
    case 'adj':
      return L.isMat(a) ? L.adjugate(a) : 1;
    case 'softmax': {
      if (!L.isMat(a)) return 1;
      const mx = Math.max(...a.d);
      const e = a.d.map((x) => Math.exp(x - mx));
      const s = e.reduce((p, q) => p + q, 0);
      return L.mat(a.r, a.c, e.map((x) => x / s));
    }
    case 'eig':
      return L.eigenvalues(a);
    case 'sumall':
      return L.isMat(a) ? a.d.reduce((p, q) => p + q, 0) : a;
    case 'prodall':
      return L.isMat(a) ? a.d.reduce((p, q) => p * q, 1) : a;
    case 'norm':
    case 'normF':
      return L.frobenius(a);
    case 'norm2':
      return L.spectralNorm(a);
  }
}

function evalIndexSum(ctx: EvalCtx, n: NodeOf<'isum'>): Val {
  const ranges = ctx.typed.boundIdx.get(n);
  if (!ranges) throw new EngineError('internal: unbound sum', n.span, 'internal');
  const names = [...ranges.keys()];
  const sizes = names.map((k) => size(ctx, ctx.typed.dims.resolve(ranges.get(k)!)));
  let acc: Val | null = null;
  const idx = new Map(ctx.idx);
  // differentials inside the sum depend on the index: no reuse across its values (but the parts
  // of the body that do not depend on the sum's indices are computed once: sumMemo)
  const sub: EvalCtx = { ...ctx, idx, diffCache: null };
  sub.sumMemo = { owner: sub, dependent: dependentOn(n, new Set(names), ctx), values: new Map() };
  const rec = (k: number) => {
    if (k === names.length) {
      const v = evaluate(sub, n.body);
      acc = acc === null ? v : n.op === 'sum' ? L.add(acc, v) : L.mul(acc, v);
      return;
    }
    for (let i = 1; i <= sizes[k]!; i++) {
      idx.set(names[k]!, i);
      rec(k + 1);
    }
  };
  rec(0);
  return acc ?? 0;
}

/** Nodes of a sum's body whose value depends on the given indices (through definitions too). */
const dependentCache = new WeakMap<Node, { scope: Scope; typed: Typed; set: Set<Node> }>();

function dependentOn(sum: NodeOf<'isum'>, names: Set<string>, ctx: EvalCtx): Set<Node> {
  const hit = dependentCache.get(sum);
  if (hit && hit.scope === ctx.scope && hit.typed === ctx.typed) return hit.set;
  const set = new Set<Node>();
  const reads = new Map<string, boolean>();
  // whether a definition reads one of the indices: a free index or an entry index of that name
  const definitionReads = (name: string): boolean => {
    const known = reads.get(name);
    if (known !== undefined) return known;
    reads.set(name, true); // while recursing: assume it does
    const def = ctx.scope.defs.get(name) as (Definition & { typed?: Typed }) | undefined;
    let r = !def?.typed;
    if (def?.typed) {
      for (const k of def.typed.freeIdx.keys()) if (names.has(k)) r = true;
      for (const ix of def.typed.entries.values()) if (ix.some((i) => typeof i === 'string' && names.has(i))) r = true;
      walk(def.body, (m) => {
        if ((m.k === 'sym' || m.k === 'call') && ctx.scope.defs.has(m.name) && definitionReads(m.name)) r = true;
      });
    }
    reads.set(name, r);
    return r;
  };
  const visit = (m: Node): boolean => {
    let dep = false;
    for (const c of children(m)) if (visit(c)) dep = true;
    if (m.k === 'entry') {
      const ix = ctx.typed.entries.get(m);
      if (!ix || ix.some((i) => typeof i === 'string' && names.has(i))) dep = true;
    }
    if (m.k === 'isum') dep = true; // evaluated afresh: its own indices are bound inside
    if ((m.k === 'sym' || m.k === 'call') && ctx.scope.defs.has(m.name) && definitionReads(m.name)) dep = true;
    if (dep) set.add(m);
    return dep;
  };
  visit(sum.body);
  dependentCache.set(sum, { scope: ctx.scope, typed: ctx.typed, set });
  return set;
}

// ---------- derivatives by finite differences ----------

interface Target {
  name: string;
  /** Flat (row-major) positions to perturb, in the order the layout needs. */
  positions: number[];
  value: Val;
}

function targetOf(ctx: EvalCtx, w: NodeOf<'deriv'>['wrt'][number]): Target {
  const node = w.node;
  if (node.k === 'sym') {
    const value = lookup(ctx, node.name, node);
    const count = L.isMat(value) ? value.d.length : 1;
    return { name: node.name, positions: [...Array(count).keys()], value };
  }
  if (node.k === 'entry' && node.of.k === 'sym') {
    const value = lookup(ctx, node.of.name, node);
    const idx = ctx.typed.entries.get(node)!.map((i) => (typeof i === 'number' ? i : ctx.idx.get(i)!));
    if (!L.isMat(value)) return { name: node.of.name, positions: [0], value };
    const pos = idx.length === 1 ? idx[0]! - 1 : (idx[0]! - 1) * value.c + (idx[1]! - 1);
    return { name: node.of.name, positions: [pos], value };
  }
  if (node.k === 'fn' && node.fn === 'vec' && node.arg.k === 'sym') {
    const value = lookup(ctx, node.arg.name, node);
    if (!L.isMat(value)) return { name: node.arg.name, positions: [0], value };
    const pos: number[] = [];
    for (let j = 0; j < value.c; j++) for (let i = 0; i < value.r; i++) pos.push(i * value.c + j);
    return { name: node.arg.name, positions: pos, value };
  }
  throw new EngineError('internal: bad derivative target', node.span, 'internal');
}

function perturbed(v: Val, pos: number, delta: number): Val {
  if (!L.isMat(v)) return v + delta;
  const out = L.mat(v.r, v.c, v.d.slice());
  out.d[pos]! += delta;
  return out;
}

function entryOf(v: Val, pos: number): number {
  return L.isMat(v) ? v.d[pos]! : v;
}

function withOverride(ctx: EvalCtx, name: string, v: Val): EvalCtx {
  const overrides = new Map(ctx.overrides);
  overrides.set(name, v);
  return { ...ctx, overrides, diffCache: null };
}

/** ∂f/∂(entry) for each perturbed position: the columns of a Jacobian. */
function partials(ctx: EvalCtx, f: Node, t: Target): Val[] {
  const out: Val[] = [];
  for (const pos of t.positions) {
    const h = ctx.h * Math.max(1, Math.abs(entryOf(t.value, pos)));
    out.push(derivative((k) => evaluate(withOverride(ctx, t.name, perturbed(t.value, pos, k * h)), f), h));
  }
  return out;
}

/**
 * g′(0) from g(k) = f(x + k h): the five-point central difference, exact for quartics. Its error
 * is O(h⁴) where the three-point one is O(h²), which fast-varying functions (sin of a large
 * argument, a nearly singular inverse) need to stay within the check's tolerance.
 */
function derivative(g: (k: number) => Val, h: number): Val {
  const d1 = L.sub(g(1), g(-1));
  const d2 = L.sub(g(2), g(-2));
  return L.scale(L.sub(L.scale(d1, 8), d2), 1 / (12 * h));
}

/**
 * Where the partial ∂f_i/∂x_k (k-th perturbed position, i-th entry of f, row-major) goes in
 * the derivative's value: the layout rules of a first derivative, in one place.
 */
interface Placement {
  target: Target;
  rows: number;
  cols: number;
  /** f is a scalar: one entry per position. */
  fScalar: boolean;
  /** The derivative of a scalar f with respect to a scalar or one entry: the value has f's shape. */
  single: boolean;
  place(k: number, i: number): number;
}

function placement(ctx: EvalCtx, n: NodeOf<'deriv'>): Placement {
  const w = n.wrt[0]!;
  const target = targetOf(ctx, w);
  const fShape = shapeOf(ctx, n.f);
  const fScalar = fShape.r === '1' && fShape.c === '1';
  const out = shapeOf(ctx, n);
  const rows = size(ctx, out.r);
  const cols = size(ctx, out.c);
  const single = target.positions.length === 1 && !(w.node.k === 'sym' && L.isMat(target.value));
  let place: Placement['place'];
  if (fScalar) {
    const xc = L.isMat(target.value) ? target.value.c : 1;
    const numeratorLike = w.transposed || (ctx.typed.layout === 'numerator' && !n.nabla);
    place =
      w.node.k === 'fn'
        ? (k) => k // vec(X): a flat vector in column-major order
        : (k) => {
            const pos = target.positions[k]!;
            const i = Math.floor(pos / xc);
            const j = pos % xc;
            return numeratorLike ? j * cols + i : i * cols + j;
          };
  } else {
    // f is a vector: Jacobian. Rows follow f in numerator form; denominator layout and ∇ transpose it.
    const denominatorLike = !w.transposed && (n.nabla || ctx.typed.layout === 'denominator');
    place = denominatorLike ? (k, i) => k * cols + i : (k, i) => i * cols + k;
  }
  return { target, rows, cols, fScalar, single, place };
}

/** Whether an expression contains a differential, through definitions (its value then depends on ε). */
export function hasDiff(nodes: Node[], scope: Scope): boolean {
  let found = false;
  const seen = new Set<string>();
  const visit = (n: Node) =>
    walk(n, (m) => {
      if (m.k === 'diff') found = true;
      if ((m.k === 'sym' || m.k === 'call') && scope.defs.has(m.name) && !seen.has(m.name)) {
        seen.add(m.name);
        visit(scope.defs.get(m.name)!.body);
      }
    });
  nodes.forEach(visit);
  return found;
}

/** hasDiff of a derivative node, asked on every evaluation: memoized (a node belongs to one formula). */
const withDifferential = new WeakMap<Node, boolean>();

function cachedDeriv(ctx: EvalCtx, n: NodeOf<'deriv'>): Val {
  const cache = ctx.derivCache;
  let differential = withDifferential.get(n);
  if (differential === undefined) withDifferential.set(n, (differential = hasDiff([n], ctx.scope)));
  if (!cache || ctx.overrides.size > 0 || differential) return evalDeriv(ctx, n);
  let byIdx = cache.get(n);
  if (!byIdx) cache.set(n, (byIdx = new Map()));
  const key = ctx.idx.size === 0 ? String(ctx.h) : `${ctx.h} ${JSON.stringify([...ctx.idx])}`;
  const known = byIdx.get(key);
  if (known) return replay(ctx, known, n);
  const k = costed(ctx, n, () => evalDeriv(ctx, n));
  byIdx.set(key, k);
  return k.v;
}

function evalDeriv(ctx: EvalCtx, n: NodeOf<'deriv'>): Val {
  if (n.order === 2 || n.wrt.length === 2) return evalSecond(ctx, n);
  const p = placement(ctx, n);
  const g = partials(ctx, n.f, p.target);
  // wrt a scalar (or one entry): the derivative has f's shape (or its transpose in denominator layout)
  if (p.single) {
    const v = g[0]!;
    if (L.isMat(v) && (v.r !== p.rows || v.c !== p.cols)) return L.transpose(v);
    return v;
  }
  const m = L.mat(p.rows, p.cols);
  for (let k = 0; k < g.length; k++) {
    const col = g[k]!;
    if (!L.isMat(col)) m.d[p.place(k, 0)] = col;
    else for (let i = 0; i < col.d.length; i++) m.d[p.place(k, i)] = col.d[i]!;
  }
  return L.norm1x1(m);
}

/**
 * A first derivative with respect to a whole vector or matrix X, checked along one direction V
 * instead of entry by entry: its value M is compared through `contract(M)` = Σₖ ∂f/∂xₖ·Vₖ read
 * from M's layout, which must equal the directional derivative `along` = f′(X)[V], four
 * evaluations of f instead of four per entry of X. Undefined for other derivatives.
 */
export interface DerivProjection {
  /** The derivative, and a direction of its variable's shape. */
  node: Node;
  direction: Mat;
  along(ctx: EvalCtx): Val;
  contract(value: Val): Val;
}

const wholeVariable = (w: Node): boolean => w.k === 'sym' || (w.k === 'fn' && w.fn === 'vec' && w.arg.k === 'sym');

export function projectDeriv(ctx: EvalCtx, n: Node, pickDirection: (value: Mat) => Mat): DerivProjection | undefined {
  if (n.k !== 'deriv') return undefined;
  if (n.order === 2 || n.wrt.length === 2) return projectSecond(ctx, n, pickDirection);
  if (n.wrt.length !== 1) return undefined;
  const w = n.wrt[0]!.node;
  if (!wholeVariable(w)) return undefined;
  const p = placement(ctx, n);
  const x = p.target.value;
  if (p.single || !L.isMat(x) || p.target.positions.length < 2) return undefined;
  const V = pickDirection(x);
  const positions = p.target.positions;
  return {
    node: n,
    direction: V,
    along(at: EvalCtx) {
      const h = at.h * Math.max(1, L.maxAbs(x));
      return derivative((k) => evaluate(withOverride(at, p.target.name, L.add(x, L.scale(V, k * h))), n.f), h);
    },
    contract(value: Val) {
      const m = L.asMat(value);
      if (p.fScalar) {
        let sum = 0;
        for (let k = 0; k < positions.length; k++) sum += m.d[p.place(k, 0)]! * V.d[positions[k]!]!;
        return sum;
      }
      const fShape = shapeOf(ctx, n.f);
      const out = L.mat(size(ctx, fShape.r), size(ctx, fShape.c));
      for (let i = 0; i < out.d.length; i++) {
        let sum = 0;
        for (let k = 0; k < positions.length; k++) sum += m.d[p.place(k, i)]! * V.d[positions[k]!]!;
        out.d[i] = sum;
      }
      return L.norm1x1(out);
    },
  };
}

/**
 * A Hessian (or mixed second derivative) H with respect to whole vectors x and y, checked along
 * directions U of x and W of y: the four-point second difference of f along U and W against
 * Uᵀ H W. Four evaluations of f instead of four per pair of entries.
 */
function projectSecond(ctx: EvalCtx, n: NodeOf<'deriv'>, pickDirection: (value: Mat) => Mat): DerivProjection | undefined {
  const [w1, w2] = n.wrt.length === 2 ? [n.wrt[0]!, n.wrt[1]!] : [n.wrt[0]!, n.wrt[0]!];
  if (!wholeVariable(w1.node) || !wholeVariable(w2.node)) return undefined;
  const f = shapeOf(ctx, n.f);
  if (f.r !== '1' || f.c !== '1') return undefined;
  const t1 = targetOf(ctx, w1);
  const t2 = targetOf(ctx, w2);
  const x1 = t1.value;
  const x2 = t2.value;
  if (!L.isMat(x1) || !L.isMat(x2) || t1.positions.length < 2 || t2.positions.length < 2) return undefined;
  const out = shapeOf(ctx, n);
  const cols = size(ctx, out.c);
  if (size(ctx, out.r) !== t1.positions.length || cols !== t2.positions.length) return undefined;
  const U = pickDirection(x1);
  const W = pickDirection(x2);
  return {
    node: n,
    direction: U,
    along(at: EvalCtx) {
      const h1 = 1e-4 * Math.max(1, L.maxAbs(x1));
      const h2 = 1e-4 * Math.max(1, L.maxAbs(x2));
      const value = (s1: number, s2: number): number => {
        let o: EvalCtx;
        if (t1.name === t2.name) o = withOverride(at, t1.name, L.add(L.add(x1, L.scale(U, s1 * h1)), L.scale(W, s2 * h2)));
        else o = withOverride(withOverride(at, t1.name, L.add(x1, L.scale(U, s1 * h1))), t2.name, L.add(x2, L.scale(W, s2 * h2)));
        const v = evaluate(o, n.f);
        if (L.isMat(v)) throw new EngineError('internal: second derivative of a non-scalar', n.span, 'internal');
        return v;
      };
      return (value(1, 1) - value(1, -1) - value(-1, 1) + value(-1, -1)) / (4 * h1 * h2);
    },
    contract(value: Val) {
      const m = L.asMat(value);
      let sum = 0;
      for (let a = 0; a < t1.positions.length; a++) {
        const ua = U.d[t1.positions[a]!]!;
        for (let b = 0; b < t2.positions.length; b++) sum += m.d[a * cols + b]! * ua * W.d[t2.positions[b]!]!;
      }
      return sum;
    },
  };
}

/** Hessians and second derivatives: the four-point formula on each pair of entries. */
function evalSecond(ctx: EvalCtx, n: NodeOf<'deriv'>): Val {
  const [w1, w2] = n.wrt.length === 2 ? [n.wrt[0]!, n.wrt[1]!] : [n.wrt[0]!, n.wrt[0]!];
  const t1 = targetOf(ctx, w1);
  const t2 = targetOf(ctx, w2);
  const out = shapeOf(ctx, n);
  const rows = size(ctx, out.r);
  const cols = size(ctx, out.c);
  const m = L.mat(rows, cols);
  const h = 1e-4;
  for (let a = 0; a < t1.positions.length; a++) {
    for (let b = 0; b < t2.positions.length; b++) {
      const pa = t1.positions[a]!;
      const pb = t2.positions[b]!;
      const ha = h * Math.max(1, Math.abs(entryOf(t1.value, pa)));
      const hb = h * Math.max(1, Math.abs(entryOf(t2.value, pb)));
      const at = (sa: number, sb: number): number => {
        let o = withOverride(ctx, t1.name, perturbed(t1.value, pa, sa * ha));
        const base2 = t1.name === t2.name ? (o.overrides.get(t1.name) as Val) : t2.value;
        o = withOverride(o, t2.name, perturbed(base2, pb, sb * hb));
        const v = evaluate(o, n.f);
        if (L.isMat(v)) throw new EngineError('internal: second derivative of a non-scalar', n.span, 'internal');
        return v;
      };
      const val = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * ha * hb);
      if (rows * cols === 1) return val;
      m.d[a * cols + b] = val;
    }
  }
  return L.norm1x1(m);
}

/** d(u) = ε · D u[dX, dY, …], the directional derivative along the variables' directions. */
function evalDiff(ctx: EvalCtx, n: NodeOf<'diff'>): Val {
  const s = shapeOf(ctx, n);
  if (ctx.eps === 0) {
    const r = size(ctx, s.r);
    const c = size(ctx, s.c);
    return r === 1 && c === 1 ? 0 : L.mat(r, c);
  }
  let D = ctx.diffCache?.get(n);
  if (D === undefined) {
    const at = (k: number) => {
      const overrides = new Map(ctx.overrides);
      for (const [name, dir] of ctx.dirs) {
        const v = lookup(ctx, name, n);
        overrides.set(name, L.add(v, L.scale(dir, k * ctx.h)));
      }
      return evaluate({ ...ctx, overrides, diffCache: null, eps: 0 }, n.arg);
    };
    D = derivative(at, ctx.h);
    ctx.diffCache?.set(n, D);
  }
  return L.scale(D, ctx.eps);
}
