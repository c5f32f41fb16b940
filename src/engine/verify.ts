/**
 * Page-level verification: walks a page's declarations, definitions and identities in order,
 * keeps the scope, and gives every formula its verdict (authoring.md §6).
 */
import {
  DEFAULT_SEED,
  type FormulaItem,
  type FormulaResult,
  type Layout,
  type Loc,
  type PageInput,
  type PageReport,
  type Span,
  type VerifyOptions,
} from './api.ts';
import { countNodes, type Node, type Relation } from './ast.ts';
import { EngineError } from './errors.ts';
import { parseExpression, parseFormula } from './latex/parser.ts';
import { checkNumerically, formatValue } from './numeric/check.ts';
import { normalizeName, parseWhere, Scope, type Definition } from './scope.ts';
import { showShape } from './shape.ts';
import { prove } from './symbolic/prove.ts';
import { evalPoly } from './symbolic/evaluate.ts';
import type { Poly } from './symbolic/poly.ts';
import { printPoly } from './symbolic/print.ts';
import { maxAbs, sub, type Val } from './numeric/linalg.ts';
import { Typer, type Typed } from './typing.ts';

export { ENGINE_VERSION } from './version.ts';

/** Larger formulas are refused: they are almost certainly generated or broken. */
export const MAX_FORMULA_NODES = 2000;

const DEFAULT_TRIALS = 5;
/**
 * Trials of an identity the rules proved, when the trials were not set: the numeric check is then
 * a cross-check of the rules (a wrong rule gives other values at almost every random point), not
 * the evidence, so two draws (two sets of dimension sizes) do; an identity only verified
 * numerically gets every trial.
 */
const PROVED_TRIALS = 2;

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stable id from the formula itself, so anchors survive edits elsewhere on the page. */
export function stableId(kind: string, latex: string): string {
  return `${kind === 'definition' ? 'def' : 'eq'}-${fnv1a(latex.replace(/\s+/g, '')).toString(16).padStart(8, '0').slice(0, 7)}`;
}

/** File position of an offset into a formula whose first character is at `start`. */
export function locate(start: Loc, latex: string, offset: number): { line: number; column: number } {
  const before = latex.slice(0, Math.max(0, Math.min(offset, latex.length)));
  const nl = before.lastIndexOf('\n');
  if (nl < 0) return { line: start.line, column: start.column + before.length };
  const lines = before.split('\n').length - 1;
  return { line: start.line + lines, column: before.length - nl };
}

interface Context {
  file: string;
  seed: number;
  trials: number;
  /** Trials of an identity that the rules proved. */
  provedTrials: number;
}

function baseResult(ctx: Context, item: { loc: Loc; latex: string; kind: FormulaResult['kind'] }, id: string): FormulaResult {
  return {
    file: ctx.file,
    line: item.loc.line,
    column: item.loc.column,
    id,
    kind: item.kind,
    latex: item.latex,
    status: 'error',
    derived: null,
    steps: [],
    message: null,
    counterexample: null,
    checks: { symbolic: 'not-applicable', numeric: null },
  };
}

function errorResult(ctx: Context, item: FormulaItem | { loc: Loc; latex: string; kind: FormulaResult['kind']; latexLoc?: Loc }, id: string, e: unknown): FormulaResult {
  const r = baseResult(ctx, item, id);
  r.status = 'error';
  if (e instanceof EngineError) {
    r.message = e.message;
    r.ruleId = e.code;
    if (e.span && !e.inWhere) {
      const span = clampSpan(e.span, item.latex.length);
      const at = item.latexLoc ? locate(item.latexLoc, item.latex, span.start) : { line: item.loc.line, column: item.loc.column };
      r.source = { ...at, span, excerpt: excerpt(item.latex, span) };
      r.message = `${e.message} at '${r.source.excerpt}'`;
    } else if (e.span && e.inWhere) {
      r.message = `${e.message} (in the declaration)`;
    }
  } else {
    // never let an engine bug pass as a verdict on the author's formula
    r.message = `internal error in the checker: ${e instanceof Error ? e.message : String(e)}`;
    r.ruleId = 'internal';
  }
  return r;
}

function clampSpan(s: Span, len: number): Span {
  const start = Math.max(0, Math.min(s.start, len));
  return { start, end: Math.max(start, Math.min(s.end, len)) };
}

function excerpt(latex: string, span: Span): string {
  const s = latex.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  if (!s) return latex.slice(span.start, span.start + 20).trim() || '(end of formula)';
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

function relationsOf(chains: { members: Node[]; ops: Relation['op'][] }[]): Relation[] {
  const out: Relation[] = [];
  for (const ch of chains) for (let i = 0; i < ch.ops.length; i++) out.push({ lhs: ch.members[i]!, rhs: ch.members[i + 1]!, op: ch.ops[i]!, index: out.length });
  return out;
}

/**
 * Shapes of a formula's chains. An undeclared symbol met in a product is read as a matrix; it is
 * inferred only when the scalar reading does not fit (authoring.md §3: one possibility).
 */
function typeChains(chains: { members: Node[]; ops: Relation['op'][] }[], scope: Scope, layout: Layout): Typed {
  const typer = new Typer(scope, layout);
  let typed: Typed;
  try {
    typed = typeWith(typer, chains);
  } catch (e) {
    // the matrix reading does not fit: perhaps the scalar one does (c x = x c)
    if (typer.inProducts.size === 0) throw e;
    const asScalars = scope.withDecls([...typer.inProducts.keys()].map((name) => ({ name, shape: { r: '1', c: '1' }, props: new Set<never>() })));
    let scalarTyped: Typed;
    try {
      scalarTyped = typeWith(new Typer(asScalars, layout), chains);
    } catch {
      throw e;
    }
    for (const name of typer.inProducts.keys()) scalarTyped.inferred.set(name, { r: '1', c: '1' });
    return scalarTyped;
  }
  for (const [name, node] of typer.inProducts) {
    try {
      typeWith(new Typer(scope.withDecls([{ name, shape: { r: '1', c: '1' }, props: new Set() }]), layout), chains);
    } catch {
      continue; // a scalar does not fit: the matrix reading is the only one
    }
    const shape = typed.inferred.get(name);
    throw new EngineError(
      `the symbol ${name} is not declared and its use fits both a scalar and a ${shape ? showShape(shape) : 'matrix'}: declare it, e.g. where="${name}: scalar" or "${name}: ${shape ? `${shape.r}×${shape.c}` : 'n×n'}"`,
      node.span,
      'unknown-symbol',
    );
  }
  return typed;
}

function typeWith(typer: Typer, chains: { members: Node[]; ops: Relation['op'][] }[]): Typed {
  for (const ch of chains) {
    let prev: { node: Node; shape: ReturnType<Typer['typeMember']> } | null = null;
    for (const m of ch.members) {
      const s = typer.typeMember(m);
      if (prev) {
        const okR = typer.dims.unify(prev.shape.r, s.r);
        const okC = typer.dims.unify(prev.shape.c, s.c);
        if (!okR || !okC) {
          throw new EngineError(
            `the two sides have different shapes: ${showShape(typer.dims.resolveShape(prev.shape))} on the left, ${showShape(typer.dims.resolveShape(s))} on the right`,
            m.span,
            'shape',
          );
        }
      }
      prev = { node: m, shape: s };
    }
  }
  return typer.result();
}

function checkSize(nodes: Node[]): void {
  let total = 0;
  for (const n of nodes) total += countNodes(n);
  if (total > MAX_FORMULA_NODES) {
    throw new EngineError(`the formula is too large to check (${total} nodes, at most ${MAX_FORMULA_NODES}): split it into smaller identities`, nodes[0]?.span, 'too-large');
  }
}

function snippet(latex: string, n: Node): string {
  return n.span ? latex.slice(n.span.start, n.span.end).trim() : '…';
}

function verifyIdentity(ctx: Context, item: FormulaItem, scope: Scope, layout: Layout, id: string, seed: number): FormulaResult {
  const parsed = parseFormula(item.latex, scope);
  const relations = relationsOf(parsed.chains);
  if (relations.length === 0) {
    throw new EngineError("an identity needs a relation: write 'left = right' (or \\neq for a documented mistake)", { start: 0, end: item.latex.length }, 'parse');
  }
  checkSize(parsed.chains.flatMap((c) => c.members));
  const typed = typeChains(parsed.chains, scope, layout);
  const symbolic = prove({ relations, typed, scope, latex: item.latex });
  const selfCheck = symbolic.forms ? selfChecker(symbolic.forms, symbolic.rules) : undefined;
  const trials = symbolic.status === 'proved' ? ctx.provedTrials : ctx.trials;
  const outcome = checkNumerically({ relations, typed, scope, seed, trials, inspect: selfCheck?.inspect });
  const r = baseResult(ctx, item, id);
  r.checks.numeric = { trials: outcome.trials, maxRelError: outcome.maxRelError };
  if (selfCheck?.problem) {
    // the rules disagree with finite differences: a bug in the engine, never the author's mistake
    r.status = 'error';
    r.ruleId = 'internal';
    r.message = selfCheck.problem;
    return r;
  }
  r.derived = symbolic.derived;
  r.steps = symbolic.steps;
  if (outcome.failure) {
    const f = outcome.failure;
    r.status = 'failed';
    const rel = f.relation;
    const pair = relations.length > 1 ? ` (step ${rel.index + 1}: ${snippet(item.latex, rel.lhs)} ${rel.op === '=' ? '=' : '≠'} ${snippet(item.latex, rel.rhs)})` : '';
    const cx = f.counterexample;
    r.message = cx ? `${f.message}${pair}; left ${formatValue(cx.lhs)}, right ${formatValue(cx.rhs)}` : `${f.message}${pair}`;
    if (cx) r.counterexample = { ...cx, lhsLatex: snippet(item.latex, rel.lhs), rhsLatex: snippet(item.latex, rel.rhs) };
    if (rel.lhs.span && item.latexLoc) {
      const at = locate(item.latexLoc, item.latex, rel.lhs.span.start);
      const span = { start: rel.lhs.span.start, end: rel.rhs.span?.end ?? rel.lhs.span.end };
      r.source = { ...at, span, excerpt: excerpt(item.latex, span) };
    }
    r.checks.symbolic = symbolic.status === 'proved' ? 'not-established' : symbolic.status;
    if (symbolic.status === 'proved' && relations.every((x) => x.op === '=')) {
      // the rules proved what the numbers refute: a bug in a rule, never the author's mistake
      r.status = 'error';
      r.ruleId = 'internal';
      r.message = `internal error: the symbolic engine proved this identity but the numeric check refutes it (rules used: ${symbolic.rules.join(', ') || 'none'}); ${r.message}`;
    }
    return r;
  }
  if (symbolic.internalError) {
    r.status = 'error';
    r.ruleId = 'internal';
    r.message = symbolic.internalError;
    r.checks.symbolic = 'not-established';
    return r;
  }
  r.checks.symbolic = symbolic.status;
  r.status = symbolic.status === 'proved' ? 'proved' : 'verified';
  r.message = r.status === 'proved' ? null : (symbolic.reason ?? 'symbolic equality was not established');
  return r;
}

/**
 * Compares each side's canonical form, evaluated at the first sample, with the side's value
 * computed directly (derivatives by finite differences). A mismatch names the rules used.
 */
function selfChecker(forms: { lhs: Poly; rhs: Poly }[], rules: string[]) {
  const state: { problem?: string; inspect: NonNullable<Parameters<typeof checkNumerically>[0]['inspect']> } = {
    inspect(ctx, rel, l, r, tol, project) {
      const f = forms[rel.index];
      if (!f || state.problem) return;
      for (const [form, value, side] of [
        [f.lhs, l, 'left'],
        [f.rhs, r, 'right'],
      ] as const) {
        let v: Val;
        try {
          v = evalPoly(ctx, form);
          if (project) v = project(v);
        } catch {
          continue; // a part the evaluator cannot value (an opaque piece at a bound index): no verdict
        }
        const err = maxAbs(sub(v, value));
        const scale = Math.max(maxAbs(v), maxAbs(value), ctx.stats.maxMag, 1e-12);
        // the direct value carries the finite-difference error the numeric check allows for
        if (!(err <= Math.max(tol, 1e-7) * scale)) {
          state.problem = `internal error: the symbolic engine's form of the ${side} side (${printPoly(form)}) disagrees with its numeric value (relative error ${(err / scale).toPrecision(3)}); rules used: ${rules.join('; ') || 'canonical form only'}`;
          return;
        }
      }
    },
  };
  return state;
}

function splitDefinition(latex: string): { lhs: string; rhsOffset: number } | null {
  let depth = 0;
  for (let i = 0; i < latex.length; i++) {
    const ch = latex[i];
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if (ch === '}' || ch === ')' || ch === ']') depth--;
    else if (depth === 0) {
      if (ch === '=' ) return { lhs: latex.slice(0, i).replace(/:$/, ''), rhsOffset: i + 1 };
      if (latex.startsWith('\\coloneqq', i)) return { lhs: latex.slice(0, i), rhsOffset: i + '\\coloneqq'.length };
    }
  }
  return null;
}

function defineOne(item: FormulaItem, scope: Scope, layout: Layout): Definition & { typed: Typed } {
  const split = splitDefinition(item.latex);
  if (!split) throw new EngineError("a definition is 'name = expression' or 'f(X) = expression'", { start: 0, end: item.latex.length }, 'parse');
  const lhsRaw = split.lhs.replace(/\\(left|right)/g, '').trim();
  const m = /^(.+?)\s*\((.*)\)$/.exec(lhsRaw);
  const name = normalizeName(m ? m[1]! : lhsRaw);
  const params = m ? m[2]!.split(',').map((p) => normalizeName(p)).filter(Boolean) : [];
  if (!/^(\\?[A-Za-z]+(\{[^{}]*\})?|[A-Za-z])(_[A-Za-z0-9]+)?$/.test(name)) {
    throw new EngineError(`cannot read '${split.lhs.trim()}' as the name being defined`, { start: 0, end: split.lhs.length }, 'parse');
  }
  for (const p of params) {
    if (!scope.decls.has(p)) throw new EngineError(`the parameter ${p} of ${name} must be declared (its shape is the argument's shape)`, { start: 0, end: split.lhs.length }, 'unknown-symbol');
  }
  const body = parseExpression(item.latex.slice(split.rhsOffset), scope, split.rhsOffset);
  checkSize([body]);
  const typer = new Typer(scope, layout);
  const shape = typer.type(body);
  const typed = typer.result();
  return { name, params, body, shape: typed.dims.resolveShape(shape), latex: item.latex, typed };
}

export function verifyPage(page: PageInput, options: VerifyOptions = {}): PageReport {
  const ctx: Context = {
    file: page.file,
    seed: options.seed ?? DEFAULT_SEED,
    trials: options.trials ?? DEFAULT_TRIALS,
    provedTrials: options.trials ?? PROVED_TRIALS,
  };
  const formulas: FormulaResult[] = [];
  let scope = new Scope().withLayout(page.layout);
  if (page.symbols) {
    try {
      scope = scope.withDecls(parseWhere(page.symbols));
    } catch (e) {
      formulas.push(errorResult(ctx, { loc: { line: 1, column: 1 }, latex: page.symbols, kind: 'definition' }, 'frontmatter-symbols', e));
    }
  }
  const used = new Map<string, number>();
  const uniqueId = (id: string) => {
    const n = used.get(id) ?? 0;
    used.set(id, n + 1);
    return n === 0 ? id : `${id}-${n + 1}`;
  };
  for (const item of page.items) {
    if (item.type === 'declare') {
      try {
        scope = scope.withDecls(parseWhere(item.where));
      } catch (e) {
        formulas.push(errorResult(ctx, { loc: item.loc, latex: item.where, kind: 'definition' }, uniqueId(`declare-${item.loc.line}`), e));
      }
      continue;
    }
    const id = uniqueId(item.id ?? stableId(item.kind, item.latex));
    try {
      if (item.renderError) throw new EngineError(`KaTeX cannot render this formula: ${item.renderError.message}`, item.renderError.span, 'render');
      const layout = item.layout ?? scope.layout;
      const fscope = (item.where ? scope.withDecls(parseWhere(item.where)) : scope).withLayout(layout);
      const seed = (ctx.seed ^ fnv1a(item.latex)) >>> 0;
      if (item.kind === 'definition') {
        const def = defineOne(item, fscope, layout);
        scope = scope.withDefinition(def);
        const r = baseResult(ctx, item, id);
        r.status = 'verified';
        r.message = `defines ${def.name}${def.params.length ? `(${def.params.join(', ')})` : ''}: ${showShape(def.shape)}`;
        formulas.push(r);
      } else {
        formulas.push(verifyIdentity(ctx, item, fscope, layout, id, seed));
      }
    } catch (e) {
      formulas.push(errorResult(ctx, item, id, e));
    }
  }
  return { file: page.file, formulas, unwrapped: page.unwrapped ?? 0 };
}
