/**
 * An independent numeric look at a formula, for the mutation tester: the members of its
 * relations (`lhs`, `rhs`, or every member of a chain) evaluated at random points with the
 * engine's expression evaluator, but with this file's own sampler (random sizes per dimension
 * letter for every sample, values honouring the declarations), its own scope walk and none of the
 * checker's tolerances. Two spellings are compared at the same points: a mutant changes the
 * value when one of its members differs from the original's.
 */
import type { FormulaItem, Layout, PageItem } from '../../src/engine/api.ts';
import { walk, type Node } from '../../src/engine/ast.ts';
import { DomainError } from '../../src/engine/errors.ts';
import { parseExpression, parseFormula } from '../../src/engine/latex/parser.ts';
import { differentialVariables, hasDiff, symbolsOf } from '../../src/engine/numeric/check.ts';
import { evaluateMember, type EvalCtx } from '../../src/engine/numeric/evaluate.ts';
import * as L from '../../src/engine/numeric/linalg.ts';
import type { Mat, Val } from '../../src/engine/numeric/linalg.ts';
import { lettersOf } from '../../src/engine/numeric/sample.ts';
import { normalizeName, parseWhere, Scope, type Decl, type Definition } from '../../src/engine/scope.ts';
import { dimSize, type Shape } from '../../src/engine/shape.ts';
import { Typer, type Typed } from '../../src/engine/typing.ts';
import { rng as mulberry } from './corpus.ts';

export interface Where {
  symbols?: string;
  layout?: Layout;
  /** Declarations and definitions before the formula. */
  context: PageItem[];
}

/** The scope a formula sees: the page walk of verifyPage, done here on its own. */
export function scopeOf(where: Where, item: FormulaItem): { scope: Scope; layout: Layout } {
  let scope = new Scope().withLayout(where.layout);
  if (where.symbols) scope = scope.withDecls(parseWhere(where.symbols));
  for (const c of where.context) {
    try {
      if (c.type === 'declare') scope = scope.withDecls(parseWhere(c.where));
      else if (c.kind === 'definition' && !c.renderError) {
        const layout = c.layout ?? scope.layout;
        const fscope = (c.where ? scope.withDecls(parseWhere(c.where)) : scope).withLayout(layout);
        scope = scope.withDefinition(define(c, fscope, layout));
      }
    } catch {
      // a declaration or definition the checker refuses is skipped by it too
    }
  }
  const layout = item.layout ?? scope.layout;
  return { scope: (item.where ? scope.withDecls(parseWhere(item.where)) : scope).withLayout(layout), layout };
}

function define(item: FormulaItem, scope: Scope, layout: Layout): Definition & { typed: Typed } {
  let depth = 0;
  let at = -1;
  for (let i = 0; i < item.latex.length && at < 0; i++) {
    const ch = item.latex[i]!;
    if ('{(['.includes(ch)) depth++;
    else if ('})]'.includes(ch)) depth--;
    else if (depth === 0 && ch === '=') at = i;
  }
  if (at < 0) throw new Error('not a definition');
  const lhs = item.latex.slice(0, at).replace(/:$/, '').replace(/\\(left|right)/g, '').trim();
  const m = /^(.+?)\s*\((.*)\)$/.exec(lhs);
  const name = normalizeName(m ? m[1]! : lhs);
  const params = m ? m[2]!.split(',').map((p) => normalizeName(p)).filter(Boolean) : [];
  const body = parseExpression(item.latex.slice(at + 1), scope, at + 1);
  const typer = new Typer(scope, layout);
  const shape = typer.type(body);
  const typed = typer.result();
  return { name, params, body, shape: typed.dims.resolveShape(shape), latex: item.latex, typed };
}

export interface Read {
  members: Node[];
  typed: Typed;
  /** For each member, the first member of its chain (`a = b = c` → a, a, a). */
  heads: Node[];
}

/** A formula's own truth: each member against the first of its chain (0 when every chain holds). */
export function selfConsistency(formula: Read, scope: Scope, seed: number): number {
  return compareMembers({ ...formula, members: formula.heads }, formula, scope, seed).maxRelDiff;
}

/** Parse and type a formula's members (throws when the engine cannot read it). */
export function read(latex: string, scope: Scope, layout: Layout): Read {
  const parsed = parseFormula(latex, scope);
  const members = parsed.chains.flatMap((c) => c.members);
  const typer = new Typer(scope, layout);
  for (const ch of parsed.chains) {
    let prev: Shape | null = null;
    for (const m of ch.members) {
      const s = typer.typeMember(m);
      if (prev && (!typer.dims.unify(prev.r, s.r) || !typer.dims.unify(prev.c, s.c))) throw new Error('sides of different shapes');
      prev = s;
    }
  }
  const heads = parsed.chains.flatMap((c) => c.members.map(() => c.members[0]!));
  return { members, typed: typer.result(), heads };
}

// ---------------------------------------------------------------------------------------------
// Sampling, independent of the checker's sampler

type Random = () => number;

function uniform(r: Random, a: number, b: number): number {
  return a + (b - a) * r();
}

function randMat(r: Random, rows: number, cols: number): Mat {
  const m = L.mat(rows, cols);
  for (let i = 0; i < m.d.length; i++) m.d[i] = uniform(r, -1, 1);
  return m;
}

function symmetric(m: Mat): Mat {
  return L.scale(L.add(m, L.transpose(m)), 0.5) as Mat;
}

/** Gram–Schmidt on the columns of a random square matrix. */
function orthogonal(r: Random, n: number): Mat {
  for (;;) {
    const a = randMat(r, n, n);
    const q = L.mat(n, n);
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const v = new Float64Array(n);
      for (let i = 0; i < n; i++) v[i] = a.d[i * n + j]!;
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q.d[i * n + k]! * v[i]!;
        for (let i = 0; i < n; i++) v[i] = v[i]! - dot * q.d[i * n + k]!;
      }
      const norm = Math.hypot(...v);
      if (norm < 1e-3) ok = false;
      for (let i = 0; i < n; i++) q.d[i * n + j] = v[i]! / norm;
    }
    if (ok) return q;
  }
}

function cond(m: Mat): number {
  try {
    return L.frobenius(m) * L.frobenius(L.inverse(m));
  } catch {
    return Infinity;
  }
}

function matrixFor(r: Random, d: Decl, rows: number, cols: number, positive: boolean): Mat {
  const p = d.props;
  for (let tries = 0; ; tries++) {
    let m: Mat;
    if (p.has('orthogonal')) m = orthogonal(r, rows);
    else if (p.has('diagonal')) {
      m = L.mat(rows, cols);
      for (let i = 0; i < Math.min(rows, cols); i++) m.d[i * cols + i] = (r() < 0.5 && !positive && !p.has('spd') ? -1 : 1) * uniform(r, 0.3, 1.5);
    } else if (p.has('spd')) {
      const b = randMat(r, rows, rows);
      m = L.add(L.mul(b, L.transpose(b)), L.scale(L.identity(rows), 0.3)) as Mat;
    } else {
      m = randMat(r, rows, cols);
      if (p.has('symmetric')) m = symmetric(m);
      if (positive && rows === cols) m = L.add(m, L.scale(L.identity(rows), rows)) as Mat;
    }
    if (!(p.has('invertible') || p.has('spd')) || rows !== cols || cond(m) < 30 * rows || tries > 50) return m;
  }
}

export interface Sample {
  sizes: Map<string, number>;
  values: Map<string, Val>;
  fns: Map<string, (t: number) => Val>;
  dirs: Map<string, Val>;
}

/** Random sizes (distinct per letter, varying between samples) and values for the symbols. */
function sample(r: Random, decls: Decl[], letters: Set<string>, diffVars: Set<string>, attempt: number): Sample {
  const pool = [2, 3, 4, 5, 6];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const sizes = new Map<string, number>();
  [...letters].sort().forEach((l, i) => sizes.set(l, pool[i] ?? 7 + i));
  // after a few draws outside a function's domain, positive scalars and diagonally dominant matrices
  const positive = attempt >= 3;
  const values = new Map<string, Val>();
  const fns = new Map<string, (t: number) => Val>();
  for (const d of decls) {
    const rows = dimSize(d.shape.r, sizes);
    const cols = dimSize(d.shape.c, sizes);
    if (d.param) {
      const a0 = matrixFor(r, d, rows, cols, positive);
      const plain: Decl = { ...d, props: new Set([...d.props].filter((x) => x === 'symmetric' || x === 'diagonal' || x === 'spd')) };
      plain.props.delete('spd');
      if (d.props.has('spd')) plain.props.add('symmetric');
      const a1 = L.scale(rows * cols === 1 ? uniform(r, -1, 1) : matrixFor(r, plain, rows, cols, false), 0.4);
      const a2 = L.scale(rows * cols === 1 ? uniform(r, -1, 1) : matrixFor(r, plain, rows, cols, false), 0.2);
      const base = rows * cols === 1 ? uniform(r, 0.5, 1.5) : a0;
      fns.set(d.name, (t) => L.norm1x1(L.asMat(L.add(L.add(base, L.scale(a1, t)), L.scale(a2, t * t)))));
      continue;
    }
    if (d.shape.r === '1' && d.shape.c === '1') {
      const mag = uniform(r, 0.3, 1.7);
      values.set(d.name, positive || r() < 0.5 ? mag : -mag);
    } else values.set(d.name, L.norm1x1(matrixFor(r, d, rows, cols, positive)));
  }
  const dirs = new Map<string, Val>();
  for (const v of diffVars) {
    const val = values.get(v) ?? fns.get(v)?.(0);
    const decl = decls.find((d) => d.name === v);
    if (val === undefined) continue;
    if (!L.isMat(val)) {
      dirs.set(v, uniform(r, -1, 1));
      continue;
    }
    let m = randMat(r, val.r, val.c);
    if (decl?.props.has('orthogonal')) m = L.mul(val, L.sub(m, L.transpose(m))) as Mat;
    else if (decl?.props.has('diagonal')) {
      const dm = L.mat(val.r, val.c);
      for (let i = 0; i < Math.min(val.r, val.c); i++) dm.d[i * val.c + i] = m.d[i * val.c + i]!;
      m = dm;
    } else if (decl?.props.has('symmetric') || decl?.props.has('spd')) m = symmetric(m);
    dirs.set(v, m);
  }
  return { sizes, values, fns, dirs };
}


/** A member's value, or its value and first-order slope in the differentials. */
function valueOf(ctx: EvalCtx, member: Node, withDiff: boolean): Val[] {
  if (!withDiff) return [evaluateMember({ ...ctx, eps: 0 }, member)];
  const at = (eps: number) => evaluateMember({ ...ctx, eps, diffCache: new Map() }, member);
  const d = 1e-3;
  return [at(0), L.scale(L.sub(at(d), at(-d)), 1 / (2 * d))];
}

export interface Comparison {
  /** Largest relative difference between corresponding members over all samples. */
  maxRelDiff: number;
  /** Samples that could be evaluated (inside every function's domain). */
  samples: number;
  /** Member index (flattened chains) with the largest difference. */
  member: number;
}

/**
 * Evaluate the original's and the mutant's members at the same random points (`samples`
 * draws) and return their largest relative difference. Throws when either cannot be evaluated.
 */
export function compareMembers(a: Read, b: Read, scope: Scope, seed: number, samples = 6): Comparison {
  if (a.members.length !== b.members.length) throw new Error('different numbers of members');
  const nodes = [...a.members, ...b.members];
  const used = symbolsOf(nodes, scope);
  const decls: Decl[] = [];
  for (const name of [...used].sort()) {
    const d = scope.decls.get(name);
    const inferred = a.typed.inferred.get(name) ?? b.typed.inferred.get(name);
    if (d) decls.push(d);
    else if (inferred) decls.push({ name, shape: inferred, props: new Set() });
  }
  const letters = new Set<string>();
  for (const d of scope.decls.values()) lettersOf(d.shape).forEach((l) => letters.add(l));
  for (const t of [a.typed, b.typed]) {
    for (const s of t.shapes.values()) lettersOf(t.dims.resolveShape(s)).forEach((l) => letters.add(l));
    for (const d of t.freeIdx.values()) d.split('*').filter((p) => /^[A-Za-z]$/.test(p)).forEach((l) => letters.add(l));
  }
  for (const def of scope.defs.values()) lettersOf(def.shape).forEach((l) => letters.add(l));
  const withDiff = hasDiff(nodes, scope);
  const diffVars = withDiff ? differentialVariables(nodes, scope) : new Set<string>();
  const r = mulberry(seed);
  let maxRelDiff = 0;
  let member = -1;
  let done = 0;
  let lastError: unknown;
  for (let attempt = 0; done < samples && attempt < samples * 8; attempt++) {
    const smp = sample(r, decls, letters, diffVars, attempt - done);
    try {
      const ctxOf = (typed: Typed): EvalCtx => ({
        typed,
        scope,
        sizes: smp.sizes,
        base: { values: smp.values, fns: smp.fns },
        overrides: new Map(),
        dirs: smp.dirs,
        eps: 0,
        idx: new Map(),
        stats: { maxMag: 0, evals: 0 },
        h: 1e-4,
        diffCache: new Map(),
      });
      const free = [...new Set([...a.typed.freeIdx.keys(), ...b.typed.freeIdx.keys()])];
      const ranges = free.map((k) => dimSize((a.typed.freeIdx.get(k) ?? b.typed.freeIdx.get(k))!, smp.sizes));
      const assignments: number[][] = [];
      const total = ranges.reduce((p, q) => p * q, 1);
      if (total <= 16) {
        const rec = (k: number, acc: number[]): void => {
          if (k === ranges.length) assignments.push(acc);
          else for (let i = 1; i <= ranges[k]!; i++) rec(k + 1, [...acc, i]);
        };
        rec(0, []);
      } else for (let t = 0; t < 16; t++) assignments.push(ranges.map((n) => 1 + Math.floor(r() * n)));
      for (const asg of assignments) {
        const idx = new Map(free.map((k, i) => [k, asg[i]!]));
        for (let m = 0; m < a.members.length; m++) {
          const va = valueOf({ ...ctxOf(a.typed), idx }, a.members[m]!, withDiff);
          const vb = valueOf({ ...ctxOf(b.typed), idx }, b.members[m]!, withDiff);
          for (let k = 0; k < va.length; k++) {
            const x = va[k]!;
            const y = vb[k]!;
            if (L.isMat(x) !== L.isMat(y) || (L.isMat(x) && L.isMat(y) && (x.r !== y.r || x.c !== y.c))) {
              maxRelDiff = Infinity;
              member = m;
              continue;
            }
            const scale = Math.max(L.maxAbs(x), L.maxAbs(y), 1e-3);
            const rel = L.maxAbs(L.sub(x, y)) / scale;
            if (!(rel <= maxRelDiff)) {
              maxRelDiff = Number.isNaN(rel) ? Infinity : rel;
              member = m;
            }
          }
        }
      }
      done++;
    } catch (e) {
      if (e instanceof DomainError) {
        lastError = e;
        continue;
      }
      throw e;
    }
  }
  if (done === 0) throw lastError instanceof Error ? lastError : new Error('no sample inside the domain');
  return { maxRelDiff, samples: done, member };
}
