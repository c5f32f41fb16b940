/**
 * The symbolic engine's canonical forms of a formula's sides, printed the way `derived` is
 * printed: the tool behind the printer round-trip tests and the property tests
 * (tests/engine/printer.test.ts, tests/engine/properties.test.ts, scripts/properties.ts).
 * A formula is parsed, typed and brought to canonical form exactly as `verifyPage` does.
 */
import type { Layout } from '../../src/engine/api.ts';
import type { Relation } from '../../src/engine/ast.ts';
import { parseFormula } from '../../src/engine/latex/parser.ts';
import { parseWhere, Scope } from '../../src/engine/scope.ts';
import { prove } from '../../src/engine/symbolic/prove.ts';
import type { Poly } from '../../src/engine/symbolic/poly.ts';
import { printPoly } from '../../src/engine/symbolic/print.ts';
import { Typer } from '../../src/engine/typing.ts';

export interface Side {
  poly: Poly;
  latex: string;
}

export type Canonical =
  | { ok: true; lhs: Side; rhs: Side; proved: boolean }
  /** No canonical form was reached (an unsupported construct, the step budget); `internal` for a crash. */
  | { ok: false; reason: string; internal: boolean };

/** Canonical forms of the two sides of `lhs = rhs` under the declarations `where` (authoring.md §3). */
export function canonicalForms(formula: string, where: string, layout: Layout = 'mixed'): Canonical {
  const scope = new Scope().withDecls(parseWhere(where)).withLayout(layout);
  const parsed = parseFormula(formula, scope);
  const chain = parsed.chains[0];
  if (!chain || chain.members.length !== 2) throw new Error(`expected one relation: ${formula}`);
  const typer = new Typer(scope, layout);
  const [l, r] = chain.members as [NonNullable<(typeof chain.members)[0]>, NonNullable<(typeof chain.members)[0]>];
  const ls = typer.typeMember(l);
  const rs = typer.typeMember(r);
  if (!typer.dims.unify(ls.r, rs.r) || !typer.dims.unify(ls.c, rs.c)) throw new Error(`the two sides have different shapes: ${formula}`);
  const typed = typer.result();
  const relations: Relation[] = [{ lhs: l, rhs: r, op: '=', index: 0 }];
  const out = prove({ relations, typed, scope, latex: formula });
  if (out.internalError) return { ok: false, reason: out.internalError, internal: true };
  const f = out.forms?.[0];
  if (!f) return { ok: false, reason: out.reason ?? 'no canonical form', internal: false };
  return { ok: true, lhs: { poly: f.lhs, latex: printPoly(f.lhs) }, rhs: { poly: f.rhs, latex: printPoly(f.rhs) }, proved: out.status === 'proved' };
}

/** The canonical form of one expression, printed (as the left side of `expr = expr`). */
export function canonicalForm(expr: string, where: string, layout: Layout = 'mixed'): { ok: true; latex: string; poly: Poly } | { ok: false; reason: string; internal: boolean } {
  const c = canonicalForms(`${expr} = ${expr}`, where, layout);
  return c.ok ? { ok: true, latex: c.lhs.latex, poly: c.lhs.poly } : c;
}

/** The left side of a formula: the text before its first top-level `=`. */
export function leftSide(formula: string): string {
  let depth = 0;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i];
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    else if (ch === '}' || ch === ')' || ch === ']') depth--;
    else if (ch === '=' && depth === 0) return formula.slice(0, i).trim();
  }
  throw new Error(`no '=' in ${formula}`);
}
