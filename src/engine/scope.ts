/**
 * Symbols and scope: the `where` grammar of authoring.md §3, page-wide declarations,
 * `::declare`, `where` overrides and `:::definition` bindings.
 */
import type { Layout, Span } from './api.ts';
import type { Node } from './ast.ts';
import { EngineError } from './errors.ts';
import type { Shape } from './shape.ts';

export type Prop = 'symmetric' | 'spd' | 'invertible' | 'orthogonal' | 'diagonal';
const PROPS = new Set<Prop>(['symmetric', 'spd', 'invertible', 'orthogonal', 'diagonal']);

export interface Decl {
  name: string;
  shape: Shape;
  props: Set<Prop>;
  /** `A(t)`: a matrix- or vector-valued function of the scalar `t`. */
  param?: string;
}

export interface Definition {
  name: string;
  params: string[];
  body: Node;
  shape: Shape;
  /** The definition's own LaTeX, for messages. */
  latex: string;
}

const normalized = new Map<string, string>();

/** Canonical symbol name: bold dropped, accents braced, subscripts unbraced (memoized: a page names its symbols over and over). */
export function normalizeName(raw: string): string {
  let name = normalized.get(raw);
  if (name === undefined) {
    if (normalized.size >= 10_000) normalized.clear();
    normalized.set(raw, (name = normalizeNameOnce(raw)));
  }
  return name;
}

function normalizeNameOnce(raw: string): string {
  let s = raw.replace(/\s+/g, '');
  // \mathbf{x} → x (repeat for nesting)
  for (let i = 0; i < 3; i++) s = s.replace(/\\(mathbf|boldsymbol|bm|pmb|mathit|vec)\{([^{}]*)\}/g, '$2').replace(/\\(mathbf|boldsymbol|bm|pmb|mathit|vec)(\\[A-Za-z]+|[A-Za-z])/g, '$2');
  // \hat\mu → \hat{\mu}
  s = s.replace(/\\(hat|bar|tilde|widehat|widetilde|overline|check|dot|ddot)(\\[A-Za-z]+|[A-Za-z])/g, '\\$1{$2}');
  // x_{1} → x_1
  s = s.replace(/_\{([^{}]*)\}/g, '_$1');
  return s;
}

function splitTop(s: string, sep: string): { text: string; offset: number }[] {
  const out: { text: string; offset: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (ch === sep && depth === 0) {
      out.push({ text: s.slice(start, i), offset: start });
      start = i + 1;
    }
  }
  out.push({ text: s.slice(start), offset: start });
  return out;
}

function whereError(msg: string, span: Span): EngineError {
  const e = new EngineError(msg, span, 'declaration');
  e.inWhere = true;
  return e;
}

const DIM_RE = /^([A-Za-z]|[1-9]\d*)$/;

/** Parse `X: n×n invertible; A, B: n×n; a, b: n; t: scalar; U(t): n×n invertible`. */
export function parseWhere(where: string): Decl[] {
  const decls: Decl[] = [];
  for (const entry of splitTop(where, ';')) {
    if (!entry.text.trim()) continue;
    const colon = entry.text.indexOf(':');
    const espan = { start: entry.offset, end: entry.offset + entry.text.length };
    if (colon < 0) throw whereError(`a declaration needs 'names: type', got '${entry.text.trim()}'`, espan);
    const namesPart = entry.text.slice(0, colon);
    const typePart = entry.text.slice(colon + 1).trim();
    const tspan = { start: entry.offset + colon + 1, end: espan.end };
    const words = typePart.replace(/\\times/g, '×').replace(/(\S)\s*[×x]\s*(\S)/g, '$1 × $2').split(/\s+/).filter(Boolean);
    let shape: Shape;
    let rest: string[];
    if (words[0] === 'scalar') {
      shape = { r: '1', c: '1' };
      rest = words.slice(1);
    } else if (words.length >= 3 && words[1] === '×') {
      const [r, , c] = words as [string, string, string];
      if (!DIM_RE.test(r) || !DIM_RE.test(c)) throw whereError(`'${r} × ${c}': a dimension is a letter or a positive integer`, tspan);
      shape = { r, c };
      rest = words.slice(3);
    } else if (words.length >= 1 && DIM_RE.test(words[0]!)) {
      shape = { r: words[0]!, c: '1' };
      rest = words.slice(1);
    } else {
      throw whereError(`unknown type '${typePart}': write scalar, a dimension (n) for a vector, or n×m for a matrix`, tspan);
    }
    const props = new Set<Prop>();
    for (const w of rest) {
      if (!PROPS.has(w as Prop)) throw whereError(`unknown property '${w}' (known: ${[...PROPS].join(', ')})`, tspan);
      props.add(w as Prop);
    }
    if (props.size && shape.r !== shape.c) throw whereError(`'${[...props].join(' ')}' needs a square matrix, got ${shape.r}×${shape.c}`, tspan);
    for (const n of splitTop(namesPart, ',')) {
      const raw = n.text.trim();
      const nspan = { start: entry.offset + n.offset, end: entry.offset + n.offset + n.text.length };
      if (!raw) throw whereError('an empty name', nspan);
      const m = /^(.*?)\((.*)\)$/.exec(raw);
      if (m) {
        const name = normalizeName(m[1]!);
        const param = normalizeName(m[2]!);
        if (!name || !param) throw whereError(`cannot read '${raw}' as name(parameter)`, nspan);
        decls.push({ name, shape, props, param });
      } else {
        if (/[=+^]/.test(raw)) throw whereError(`cannot read '${raw}' as a symbol name`, nspan);
        decls.push({ name: normalizeName(raw), shape, props });
      }
    }
  }
  return decls;
}

/** What is visible to one formula. Immutable: page-level changes make a new scope. */
export class Scope {
  readonly decls: Map<string, Decl>;
  readonly defs: Map<string, Definition>;
  readonly layout: Layout;

  constructor(decls = new Map<string, Decl>(), defs = new Map<string, Definition>(), layout: Layout = 'mixed') {
    this.decls = decls;
    this.defs = defs;
    this.layout = layout;
  }

  withDecls(ds: Decl[]): Scope {
    const decls = new Map(this.decls);
    const defs = new Map(this.defs);
    for (const d of ds) {
      decls.set(d.name, d);
      // a parameter of A(t) is a scalar unless declared otherwise
      if (d.param && !decls.has(d.param)) decls.set(d.param, { name: d.param, shape: { r: '1', c: '1' }, props: new Set() });
      defs.delete(d.name);
    }
    return new Scope(decls, defs, this.layout);
  }

  withDefinition(def: Definition): Scope {
    const defs = new Map(this.defs);
    defs.set(def.name, def);
    return new Scope(this.decls, defs, this.layout);
  }

  withLayout(layout: Layout | undefined): Scope {
    return layout ? new Scope(this.decls, this.defs, layout) : this;
  }

  isSymbol(name: string): boolean {
    return this.decls.has(name) || (this.defs.has(name) && this.defs.get(name)!.params.length === 0);
  }

  /** An undeclared letter that sizes a declared symbol stands for that size: tr(Iₙ) = n. */
  isDimension(name: string): boolean {
    if (!/^[A-Za-z]$/.test(name) || this.decls.has(name) || this.defs.has(name)) return false;
    for (const d of this.decls.values()) if (d.shape.r === name || d.shape.c === name) return true;
    return false;
  }

  isFunction(name: string): boolean {
    return (this.defs.has(name) && this.defs.get(name)!.params.length > 0) || !!this.decls.get(name)?.param;
  }

  /** A stable key of everything a formula's meaning depends on (for caches). */
  key(): string {
    const ds = [...this.decls.values()].map((d) => `${d.name}${d.param ? `(${d.param})` : ''}:${d.shape.r}x${d.shape.c}:${[...d.props].sort().join(',')}`);
    const fs = [...this.defs.values()].map((d) => `${d.name}(${d.params.join(',')})=${d.latex}`);
    return `${this.layout}|${ds.sort().join(';')}|${fs.join(';')}`;
  }
}
