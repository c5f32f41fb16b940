/**
 * Numeric values of canonical forms, at the checker's samples. The engine uses it to check
 * itself: a canonical form (a derivative above all) must have the value that finite
 * differences give the expression it came from; when not, a rule is wrong.
 */
import { evaluate, lookup, type EvalCtx } from '../numeric/evaluate.ts';
import * as L from '../numeric/linalg.ts';
import type { Val } from '../numeric/linalg.ts';
import { dimSize } from '../shape.ts';
import type { MAtom, Poly, SAtom } from './poly.ts';

const size = (ctx: EvalCtx, d: string) => dimSize(d, ctx.sizes);

function basisVec(ctx: EvalCtx, a: MAtom): Val {
  const n = size(ctx, a.t ? a.c : a.r);
  const i = /^\d+$/.test(a.name) ? Number(a.name) : ctx.idx.get(a.name);
  if (i === undefined) throw new Error(`no value for the index ${a.name}`);
  const v = L.mat(n, 1);
  v.d[i - 1] = 1;
  return a.t ? L.transpose(v) : v;
}

/** ∂A/∂t of a sampled function A(t), by central differences. */
function paramDerivative(ctx: EvalCtx, name: string): Val {
  const [base, param] = name.slice(1).split('/∂') as [string, string];
  const t = lookup(ctx, param);
  if (L.isMat(t)) throw new Error('a matrix parameter');
  const h = 1e-6 * Math.max(1, Math.abs(t));
  const at = (v: number) => lookup({ ...ctx, overrides: new Map([...ctx.overrides, [param, v]]) }, base);
  return L.scale(L.sub(at(t + h), at(t - h)), 1 / (2 * h));
}

const ENTRYWISE: Record<string, (x: number) => number> = {
  exp: Math.exp,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sinh: Math.sinh,
  cosh: Math.cosh,
  sech: (x) => 1 / Math.cosh(x),
  sigma: (x) => 1 / (1 + Math.exp(-x)),
  logsig: (x) => -Math.log1p(Math.exp(-x)),
  ln: Math.log,
  recip: (x) => 1 / x,
  abs: Math.abs,
  sqrt: Math.sqrt,
};

function atomValue(ctx: EvalCtx, a: MAtom): Val {
  switch (a.kind) {
    case 'sym': {
      let v = a.name.startsWith('∂') ? paramDerivative(ctx, a.name) : lookup(ctx, a.name);
      if (a.inv) v = L.inverse(v);
      return a.t ? L.transpose(v) : v;
    }
    case 'd': {
      const v = ctx.dirs.get(a.name);
      if (v === undefined) throw new Error(`no direction for d${a.name}`);
      return a.t ? L.transpose(v) : v;
    }
    case 'inv':
      return L.inverse(evalPoly(ctx, a.inner!));
    case 'fwd':
      return evalPoly(ctx, a.inner!);
    case 'mexp':
      return L.expm(L.asMat(evalPoly(ctx, a.inner!)));
    case 'vec': {
      const m = L.asMat(evalPoly(ctx, a.inner!));
      const v = L.mat(m.r * m.c, 1);
      let k = 0;
      for (let j = 0; j < m.c; j++) for (let i = 0; i < m.r; i++) v.d[k++] = m.d[i * m.c + j]!;
      return a.t ? L.transpose(v) : v;
    }
    case 'op': {
      const v = evaluate(ctx, a.node!);
      return a.t ? L.transpose(v) : v;
    }
    case 'had':
      return a.parts!.map((p) => evalPoly(ctx, p)).reduce((x, y) => L.hadamard(x, y));
    case 'kron':
      return L.kron(evalPoly(ctx, a.parts![0]!), evalPoly(ctx, a.parts![1]!));
    case 'ew': {
      const f = ENTRYWISE[a.fn!];
      if (!f) throw new Error(`no entrywise ${a.fn}`);
      return L.map(evalPoly(ctx, a.inner!), f);
    }
    case 'diag': {
      const v = L.asMat(evalPoly(ctx, a.inner!));
      const m = L.mat(v.r, v.r);
      for (let i = 0; i < v.r; i++) m.d[i * v.r + i] = v.d[i]!;
      return m;
    }
    case 'ones': {
      const m = L.mat(size(ctx, a.r), size(ctx, a.c));
      m.d.fill(1);
      return L.norm1x1(m);
    }
    case 'e':
      return basisVec(ctx, a);
  }
}

const SCALAR_FN: Record<string, (x: number) => number> = ENTRYWISE;

function scalarValue(ctx: EvalCtx, s: SAtom): number {
  const num = (v: Val) => {
    if (L.isMat(v)) throw new Error('a matrix where a scalar was expected');
    return v;
  };
  switch (s.kind) {
    case 'sym':
      return num(s.name!.startsWith('∂') ? paramDerivative(ctx, s.name!) : lookup(ctx, s.name!));
    case 'd':
      return num(ctx.dirs.get(s.name!) ?? NaN);
    case 'tr': {
      const w = s.word!;
      let acc: Val = atomValue(ctx, w[0]!);
      for (let i = 1; i < w.length; i++) acc = L.mul(acc, atomValue(ctx, w[i]!));
      return L.trace(acc);
    }
    case 'det':
      if (s.word) return L.det(s.word.map((a) => atomValue(ctx, a)).reduce((x, y) => L.mul(x, y)));
      return L.det(evalPoly(ctx, s.arg!));
    case 'ln': {
      const v = num(evalPoly(ctx, s.arg!));
      return Math.log(s.fn === 'abs' ? Math.abs(v) : v);
    }
    case 'fn': {
      const f = SCALAR_FN[s.fn!];
      if (!f) throw new Error(`no function ${s.fn}`);
      return f(num(evalPoly(ctx, s.arg!)));
    }
    case 'poly':
      return num(evalPoly(ctx, s.arg!));
    case 'dim':
      return size(ctx, s.name!);
    case 'const':
      if (s.key === 'pi') return Math.PI;
      return Math.log(Number(parseRational(s.key.slice(3, -1))));
    case 'op':
      return num(evaluate(ctx, s.node!));
  }
}

function parseRational(text: string): number {
  const [p, q] = text.split('/');
  return Number(p) / Number(q ?? 1);
}

/** The value of a canonical form at the sample in `ctx`. */
export function evalPoly(ctx: EvalCtx, p: Poly): Val {
  const r = size(ctx, p.r);
  const c = size(ctx, p.c);
  let acc: Val = r === 1 && c === 1 ? 0 : L.mat(r, c);
  for (const t of p.terms) {
    let v: Val = t.c.p / t.c.q;
    for (const f of t.s) v = (v as number) * scalarValue(ctx, f.atom) ** (f.e.p / f.e.q);
    let w: Val | null = null;
    for (const a of t.w) w = w === null ? atomValue(ctx, a) : L.mul(w, atomValue(ctx, a));
    if (w === null) w = r === 1 && c === 1 ? 1 : L.identity(r);
    acc = L.add(acc, L.scale(w, v as number));
  }
  return acc;
}
