/**
 * The symbolic engine's canonical form of one expression, printed the way `derived` is printed:
 * the tool behind the round-trip and idempotence properties (tests/engine/properties.test.ts,
 * scripts/properties.ts) and the printer tests. The expression is parsed, typed and brought to
 * its canonical form exactly as `verifyPage` does for one side of an identity.
 */
import type { Layout } from '../../src/engine/api.ts';
import type { Node, Relation } from '../../src/engine/ast.ts';
import { parseExpression } from '../../src/engine/latex/parser.ts';
import { parseWhere, Scope } from '../../src/engine/scope.ts';
import { prove } from '../../src/engine/symbolic/prove.ts';
import type { Poly } from '../../src/engine/symbolic/poly.ts';
import { printPoly } from '../../src/engine/symbolic/print.ts';
import { Typer } from '../../src/engine/typing.ts';

export type Canonical =
  | { ok: true; poly: Poly; latex: string }
  /** The engine could not reach a canonical form (an unsupported construct, the step budget). */
  | { ok: false; reason: string; internal: boolean };

/** The canonical form of `expr` under the declarations `where` (the grammar of authoring.md §3). */
export function canonicalForm(expr: string, where: string, layout: Layout = 'mixed'): Canonical {
  const scope = new Scope().withDecls(parseWhere(where)).withLayout(layout);
  const node: Node = parseExpression(expr, scope);
  const typer = new Typer(scope, layout);
  typer.typeMember(node);
  const typed = typer.result();
  const relations: Relation[] = [{ lhs: node, rhs: node, op: '=', index: 0 }];
  const out = prove({ relations, typed, scope, latex: expr });
  if (out.internalError) return { ok: false, reason: out.internalError, internal: true };
  if (!out.forms?.[0]) return { ok: false, reason: out.reason ?? 'no canonical form', internal: false };
  const poly = out.forms[0].lhs;
  return { ok: true, poly, latex: printPoly(poly) };
}
