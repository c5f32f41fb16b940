/**
 * The numeric check of a formula's relations: seeded trials, values drawn inside every
 * function's domain, tolerances scaled to the magnitudes met and to the finite differences used.
 */
import type { Counterexample } from '../api.ts';
import { children, walk, type Node, type Relation } from '../ast.ts';
import { DomainError, EngineError } from '../errors.ts';
import type { Decl, Scope } from '../scope.ts';
import type { Typed } from '../typing.ts';
import { evaluateMember, hasDiff, projectDeriv, type DerivProjection, type EvalCtx } from './evaluate.ts';

export { hasDiff };
import * as L from './linalg.ts';
import type { Val } from './linalg.ts';
import { assignSizes, lettersOf, randMat, Rng, sampleDirection, sampleSymbols } from './sample.ts';

export interface NumericOutcome {
  /** Relations that failed (for `=`) or found equal (for `\neq`). */
  failure: null | {
    relation: Relation;
    message: string;
    counterexample: Counterexample | null;
  };
  trials: number;
  maxRelError: number;
}

const MAX_ATTEMPTS = 40;

/** The finite-difference depth of an expression: how many derivatives are nested. */
function fdDepth(n: Node, scope: Scope, seen = new Set<string>()): number {
  let depth = 0;
  const visit = (m: Node, d: number) => {
    let here = d;
    if (m.k === 'deriv') here = d + (m.order === 2 || m.wrt.length === 2 ? 2 : 1);
    if (m.k === 'diff') here = d + 1;
    if (here > depth) depth = here;
    if ((m.k === 'sym' || m.k === 'call') && !seen.has(m.name)) {
      const def = scope.defs.get(m.name);
      if (def) {
        seen.add(m.name);
        const inner = fdDepth(def.body, scope, seen);
        if (here + inner > depth) depth = here + inner;
      }
    }
    for (const c of children(m)) visit(c, here);
  };
  visit(n, 0);
  return depth;
}



/** Symbols a node depends on, through definitions. */
export function symbolsOf(nodes: Node[], scope: Scope): Set<string> {
  const out = new Set<string>();
  const seenDefs = new Set<string>();
  const visit = (n: Node) => {
    walk(n, (m) => {
      if (m.k === 'sym' || m.k === 'call') {
        const def = scope.defs.get(m.name);
        if (def) {
          if (!seenDefs.has(m.name)) {
            seenDefs.add(m.name);
            visit(def.body);
          }
          return;
        }
        out.add(m.name);
        const decl = scope.decls.get(m.name);
        if (decl?.param) out.add(decl.param);
      }
    });
  };
  nodes.forEach(visit);
  return out;
}

/** The declaration a definition's body was typed under, for a symbol the formula does not declare. */
function definitionDecl(scope: Scope, name: string): Decl | undefined {
  for (const def of scope.defs.values()) {
    const d = (def as { typed?: Typed }).typed?.decls?.get(name);
    if (d) return d;
  }
  return undefined;
}

/** Variables of a formula's differentials: the symbols `d` is applied to (dX, dX^{-1}, dx^T). */
export function differentialVariables(nodes: Node[], scope: Scope): Set<string> {
  const direct = new Set<string>();
  const inside = new Set<string>();
  const visit = (n: Node) =>
    walk(n, (m) => {
      if (m.k !== 'diff') return;
      let a = m.arg;
      while (a.k === 'T' || a.k === 'inv' || a.k === 'pow' || a.k === 'entry') a = a.k === 'pow' ? a.base : a.k === 'entry' ? a.of : a.arg;
      if (a.k === 'sym' && !scope.defs.has(a.name)) direct.add(a.name);
      for (const s of symbolsOf([m.arg], scope)) inside.add(s);
    });
  nodes.forEach(visit);
  return direct.size ? direct : inside;
}

function relError(a: Val, b: Val, scale: number): { err: number; rel: number } {
  const err = L.maxAbs(L.sub(a, b));
  return { err, rel: err / Math.max(scale, 1e-300) };
}

function tolerance(depth: number): number {
  if (depth === 0) return 1e-9;
  if (depth === 1) return 1e-6;
  return 1e-4;
}

function round(v: unknown): unknown {
  if (typeof v === 'number') return Number(v.toPrecision(6));
  if (Array.isArray(v)) return v.map(round);
  return v;
}

export function formatValue(v: unknown): string {
  const r = round(v);
  return JSON.stringify(r);
}

export interface CheckInput {
  relations: Relation[];
  typed: Typed;
  scope: Scope;
  seed: number;
  trials: number;
  /**
   * Called with the first trial's values of each relation without differentials (the engine's
   * self-check). When a derivative was checked along a direction, the values are contracted with
   * it, and `project` maps a value of the relation's full shape to what was compared.
   */
  inspect?: (ctx: EvalCtx, rel: Relation, l: Val, r: Val, tol: number, project?: (v: Val) => Val) => void;
}

export function checkNumerically(input: CheckInput): NumericOutcome {
  const { relations, typed, scope } = input;
  const members = relations.flatMap((r) => [r.lhs, r.rhs]);
  const used = symbolsOf(members, scope);
  const decls: Decl[] = [];
  for (const name of used) {
    const d = scope.decls.get(name);
    if (d) decls.push(d);
    else {
      const s = typed.inferred.get(name);
      if (s) decls.push({ name, shape: s, props: new Set() });
      else {
        // a symbol of a definition's body, declared by that definition's own `where`
        const own = definitionDecl(scope, name);
        if (own) decls.push(own);
      }
    }
  }
  // dimension letters of everything in scope get distinct sizes
  const letters = new Set<string>();
  for (const d of scope.decls.values()) lettersOf(d.shape).forEach((l) => letters.add(l));
  for (const d of decls) lettersOf(d.shape).forEach((l) => letters.add(l));
  for (const s of typed.shapes.values()) lettersOf(s).forEach((l) => letters.add(l));
  for (const d of typed.freeIdx.values()) d.split('*').filter((p) => /^[A-Za-z]$/.test(p)).forEach((l) => letters.add(l));
  const diffVars = differentialVariables(members, scope);
  const depthOf = new Map<Relation, number>();
  for (const r of relations) depthOf.set(r, Math.max(fdDepth(r.lhs, scope), fdDepth(r.rhs, scope)) + (hasDiff([r.lhs, r.rhs], scope) ? 1 : 0));
  const freeNames = [...typed.freeIdx.keys()];

  const rng = new Rng(input.seed);
  // directions of derivatives checked along one direction (their own stream: the samples stay the same)
  const directionRng = new Rng((input.seed ^ 0x5bd1e995) >>> 0);
  const pickDirection = (x: L.Mat) => randMat(directionRng, x.r, x.c, false);
  let maxRel = 0;
  let done = 0;
  let lastDomain: DomainError | null = null;
  const neqSeen = new Map<Relation, boolean>();
  const stats = { maxMag: 0, evals: 0, work: 0 };

  for (let trial = 0; trial < input.trials; trial++) {
    // each trial gives the dimension letters other sizes
    const sizes = assignSizes(letters, trial);
    const freeSizes = freeNames.map((k) => {
      const d = typed.freeIdx.get(k)!;
      return d.split('*').reduce((p, part) => p * (/^\d+$/.test(part) ? Number(part) : (sizes.get(part) ?? 1)), 1);
    });
    let ok = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !ok; attempt++) {
      const sampled = sampleSymbols(decls, sizes, rng, attempt + trial);
      const dirs = new Map<string, Val>();
      const baseCtx: EvalCtx = {
        typed,
        scope,
        sizes,
        base: sampled,
        overrides: new Map(),
        dirs,
        eps: 0,
        idx: new Map(),
        stats,
        h: 5e-6,
        diffCache: new Map(),
      };
      try {
        for (const v of diffVars) {
          const d = scope.decls.get(v);
          const val = baseLookup(baseCtx, v);
          dirs.set(v, sampleDirection(rng, d, val));
        }
        // free indices: every assignment when there are few, otherwise a random handful
        const assignments = indexAssignments(freeSizes, rng);
        const results: {
          rel: Relation;
          l: Val;
          r: Val;
          scale: number;
          relErr: number;
          err: number;
          idx: Map<string, number>;
          /** Set when a derivative was compared along a direction: the values of the whole sides. */
          full?: () => { l: Val; r: Val; scale: number; relErr: number; err: number };
        }[] = [];
        for (const asg of assignments) {
          const idx = new Map<string, number>();
          freeNames.forEach((k, i) => idx.set(k, asg[i]!));
          // the chain's relations meet the same derivatives (a = b = c): taken once
          const derivCache = new Map();
          for (const rel of relations) {
            const depth = depthOf.get(rel)!;
            stats.maxMag = 0;
            const ctx: EvalCtx = { ...baseCtx, idx, diffCache: new Map(), derivCache, h: depth >= 2 ? 1e-4 : 5e-6 };
            const withDiff = hasDiff([rel.lhs, rel.rhs], scope);
            const projection = withDiff ? undefined : projectionOf(ctx, rel, pickDirection);
            const measure = (c: EvalCtx, p?: DerivProjection) => {
              c.stats.maxMag = 0;
              const { l, r } = p ? evalProjected(c, rel, p) : evalRelation(c, rel, withDiff);
              const scale = Math.max(L.maxAbs(l), L.maxAbs(r), c.stats.maxMag, 1e-12);
              const { err, rel: relErr } = relError(l, r, scale);
              return { l, r, scale, err, relErr };
            };
            const m = measure(ctx, projection);
            if (done === 0 && !withDiff) input.inspect?.(ctx, rel, m.l, m.r, tolerance(depth), projection?.contract);
            results.push({
              rel,
              l: m.l,
              r: m.r,
              scale: m.scale,
              relErr: m.relErr,
              err: m.err,
              idx,
              ...(projection ? { full: () => measure({ ...ctx, diffCache: new Map() }) } : {}),
            });
          }
        }
        ok = true;
        done++;
        for (let res of results) {
          const tol = tolerance(depthOf.get(res.rel)!);
          if (res.full && !(res.relErr <= tol)) {
            // the direction says the sides differ: their whole values decide, and are what a reader is shown
            const f = res.full();
            res = { ...res, l: f.l, r: f.r, scale: f.scale, relErr: f.relErr, err: f.err };
          }
          if (res.rel.op === '=') {
            if (res.relErr > maxRel) maxRel = res.relErr;
            if (!(res.relErr <= tol)) {
              return {
                failure: {
                  relation: res.rel,
                  message: `the two sides differ (relative error ${res.relErr.toPrecision(3)}, tolerance ${tol})`,
                  counterexample: counterexample(sampled.values, sampled.fns, dirs, res, freeNames, res.idx),
                },
                trials: done,
                maxRelError: maxRel,
              };
            }
          } else if (res.relErr > 10 * tol) {
            neqSeen.set(res.rel, true);
          }
        }
      } catch (e) {
        if (e instanceof DomainError) {
          lastDomain = e;
          continue;
        }
        throw e;
      }
    }
    if (!ok) break;
  }
  if (done === 0) {
    throw new EngineError(
      `no sample stays inside the domain: ${lastDomain?.message ?? 'every draw failed'} on every one of ${MAX_ATTEMPTS} draws (declare the symbols so that the formula is defined, e.g. spd for ln|X|)`,
      lastDomain?.span,
      'domain',
    );
  }
  for (const rel of relations) {
    if (rel.op === '\\neq' && !neqSeen.get(rel)) {
      return {
        failure: { relation: rel, message: 'the two sides are equal on every sample: this inequation is in fact an identity', counterexample: null },
        trials: done,
        maxRelError: maxRel,
      };
    }
  }
  return { failure: null, trials: done, maxRelError: maxRel };
}

function baseLookup(ctx: EvalCtx, name: string): Val {
  const v = ctx.base.values.get(name);
  if (v !== undefined) return v;
  const fn = ctx.base.fns.get(name);
  const decl = ctx.scope.decls.get(name);
  if (fn && decl?.param) {
    const t = ctx.base.values.get(decl.param);
    return fn(typeof t === 'number' ? t : 0);
  }
  return 0;
}

/**
 * A relation one of whose sides is a first derivative with respect to a whole vector or matrix
 * (∂f/∂X = …): compared along a random direction V of X instead of entry by entry.
 */
function projectionOf(ctx: EvalCtx, rel: Relation, pick: (x: L.Mat) => L.Mat): DerivProjection | undefined {
  return projectDeriv(ctx, rel.lhs, pick) ?? projectDeriv(ctx, rel.rhs, pick);
}

/** Both sides contracted with the direction: f′(X)[V] for the derivative, Σₖ Mₖ·Vₖ for a value M. */
function evalProjected(ctx: EvalCtx, rel: Relation, p: DerivProjection): { l: Val; r: Val } {
  const side = (n: Node): Val => (n === p.node ? p.along(ctx) : p.contract(evaluateMember(ctx, n)));
  return { l: side(rel.lhs), r: side(rel.rhs) };
}

function evalRelation(ctx: EvalCtx, rel: Relation, withDiff: boolean): { l: Val; r: Val } {
  if (!withDiff) return { l: evaluateMember(ctx, rel.lhs), r: evaluateMember(ctx, rel.rhs) };
  // agree to first order: the values at ε = 0 and the slopes in ε must match
  const at = (eps: number) => {
    const c = { ...ctx, eps };
    return { l: evaluateMember(c, rel.lhs), r: evaluateMember(c, rel.rhs) };
  };
  const z = at(0);
  const d = 1e-5;
  const p = at(d);
  const m = at(-d);
  const slopeL = L.scale(L.sub(p.l, m.l), 1 / (2 * d));
  const slopeR = L.scale(L.sub(p.r, m.r), 1 / (2 * d));
  // compare value and slope together: both must match
  const e0 = L.maxAbs(L.sub(z.l, z.r));
  const e1 = L.maxAbs(L.sub(slopeL, slopeR));
  if (e0 > e1) return { l: z.l, r: z.r };
  return { l: slopeL, r: slopeR };
}

function indexAssignments(sizes: number[], rng: Rng): number[][] {
  if (sizes.length === 0) return [[]];
  const total = sizes.reduce((a, b) => a * b, 1);
  const out: number[][] = [];
  if (total <= 16) {
    const rec = (k: number, acc: number[]) => {
      if (k === sizes.length) {
        out.push(acc);
        return;
      }
      for (let i = 1; i <= sizes[k]!; i++) rec(k + 1, [...acc, i]);
    };
    rec(0, []);
    return out;
  }
  for (let t = 0; t < 16; t++) out.push(sizes.map((s) => 1 + Math.floor(rng.next() * s)));
  return out;
}

function counterexample(
  values: Map<string, Val>,
  fns: Map<string, (t: number) => Val>,
  dirs: Map<string, Val>,
  res: { rel: Relation; l: Val; r: Val },
  freeNames: string[],
  idx: Map<string, number>,
): Counterexample {
  const vals: Record<string, unknown> = {};
  for (const [k, v] of values) vals[k] = round(L.toJSON(v));
  for (const [k, v] of dirs) vals[`d${k}`] = round(L.toJSON(v));
  for (const k of fns.keys()) vals[`${k}(·)`] = 'a smooth random function';
  for (const k of freeNames) vals[k] = idx.get(k);
  return { values: vals, pair: res.rel.index, lhs: round(L.toJSON(res.l)), rhs: round(L.toJSON(res.r)) };
}
