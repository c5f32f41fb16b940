/**
 * Shared helpers of the engine's test suite: run one formula (or a small page) through
 * `verifyPage` and assert its verdict with a message that shows the LaTeX and the engine's reason.
 */
import { describe, expect, it } from 'vitest';
import { verifyPage } from '../../src/engine/index.ts';
import type { FormulaResult, Layout, PageInput, PageItem, VerifyOptions } from '../../src/engine/api.ts';

export interface CheckOptions {
  where?: string;
  layout?: Layout;
  /** Frontmatter `symbols`. */
  symbols?: string;
  /** Frontmatter `layout`. */
  pageLayout?: Layout;
  /** Items placed before the formula (declarations, definitions). */
  before?: PageItem[];
  seed?: number;
  trials?: number;
}

let line = 1;

/** A formula item with plausible positions: the directive on one line, its LaTeX on the next. */
export function formula(latex: string, extra: Partial<Extract<PageItem, { type: 'formula' }>> = {}): Extract<PageItem, { type: 'formula' }> {
  const l = (line += 4);
  return { type: 'formula', kind: 'identity', latex, loc: { line: l, column: 1 }, latexLoc: { line: l + 1, column: 1 }, ...extra };
}

export function definition(latex: string, where?: string): PageItem {
  return formula(latex, { kind: 'definition', ...(where ? { where } : {}) });
}

export function declare(where: string): PageItem {
  const l = (line += 2);
  return { type: 'declare', where, loc: { line: l, column: 1 } };
}

export function page(items: PageItem[], extra: Partial<PageInput> = {}, options: VerifyOptions = {}): FormulaResult[] {
  return verifyPage({ file: 'tests/engine/page.md', items, ...extra }, options).formulas;
}

/** Verify one identity; returns its result (the last formula of the page). */
export function check(latex: string, o: CheckOptions = {}): FormulaResult {
  const item = formula(latex, { ...(o.where !== undefined ? { where: o.where } : {}), ...(o.layout ? { layout: o.layout } : {}) });
  const extra: Partial<PageInput> = {};
  if (o.symbols) extra.symbols = o.symbols;
  if (o.pageLayout) extra.layout = o.pageLayout;
  const opts: VerifyOptions = {};
  if (o.seed !== undefined) opts.seed = o.seed;
  if (o.trials !== undefined) opts.trials = o.trials;
  const rs = page([...(o.before ?? []), item], extra, opts);
  return rs[rs.length - 1]!;
}

function why(r: FormulaResult): string {
  return `${r.latex}\n  → ${r.status}: ${r.message ?? ''}`;
}

/** A true identity: `proved` once the symbolic engine establishes it, `verified` until then. */
export function expectHolds(r: FormulaResult): void {
  expect(['proved', 'verified'], why(r)).toContain(r.status);
}

/** A wrong identity: a counterexample was found. */
export function expectFails(r: FormulaResult): void {
  expect(r.status, why(r)).toBe('failed');
  if (r.latex.includes('\\neq') || r.latex.includes('\\ne ')) return;
  expect(r.counterexample, why(r)).not.toBeNull();
}

/** A formula the checker cannot understand; `pattern` must match the message. */
export function expectError(r: FormulaResult, pattern?: RegExp | string): void {
  expect(r.status, why(r)).toBe('error');
  if (pattern !== undefined) expect(r.message ?? '', why(r)).toMatch(pattern);
}

export function holds(latex: string, o: CheckOptions = {}): FormulaResult {
  const r = check(latex, o);
  expectHolds(r);
  return r;
}

export function fails(latex: string, o: CheckOptions = {}): FormulaResult {
  const r = check(latex, o);
  expectFails(r);
  return r;
}

export function errors(latex: string, o: CheckOptions = {}, pattern?: RegExp | string): FormulaResult {
  const r = check(latex, o);
  expectError(r, pattern);
  return r;
}

/** A row of a table: a true identity and wrong variants, under one declaration. */
export interface Row {
  name: string;
  where?: string;
  layout?: Layout;
  /** True identities. */
  ok: string[];
  /** Wrong variants. */
  bad: string[];
}

/** One `describe` per row; one `it` per true identity and per wrong variant. */
export function runRows(rows: Row[], defaults: CheckOptions = {}): void {
  for (const row of rows) {
    describe(row.name, () => {
      const o: CheckOptions = { ...defaults, ...(row.where !== undefined ? { where: row.where } : {}), ...(row.layout ? { layout: row.layout } : {}) };
      for (const t of row.ok) it(`holds: ${t}`, () => void holds(t, o));
      for (const b of row.bad) it(`fails: ${b}`, () => void fails(b, o));
    });
  }
}
