/**
 * The typed expression tree. Every node built by the reader keeps the span of LaTeX it came
 * from; nodes built by the symbolic engine may have none.
 */
import type { Span } from './api.ts';

/** An index as written: `1`, `12`, `i`. Multi-digit numbers are split for matrices at typing. */
export type RawIndex = { kind: 'num'; text: string } | { kind: 'var'; name: string };

/** Functions of one argument. Which meaning applies (entrywise, matrix function) follows the shape. */
export type FnName =
  | 'tr'
  | 'det'
  | 'bars' // |·|: determinant of a square matrix, absolute value of a scalar
  | 'ln'
  | 'exp'
  | 'sqrt'
  | 'sin'
  | 'cos'
  | 'tan'
  | 'tanh'
  | 'sinh'
  | 'cosh'
  | 'sech'
  | 'sigma'
  | 'diag'
  | 'vec'
  | 'adj'
  | 'softmax'
  | 'eig'
  | 'sumall'
  | 'prodall'
  | 'norm' // \|x\|: vector 2-norm
  | 'norm2' // \|·\|_2: vector 2-norm, matrix spectral norm
  | 'normF'; // \|·\|_F

export interface Wrt {
  /** A symbol, an entry of a symbol, or vec of a symbol. */
  node: Node;
  /** `\partial x^T`, `\partial \operatorname{vec}(X)^T`. */
  transposed: boolean;
}

interface Base {
  span?: Span;
}

export type Node =
  | (Base & { k: 'num'; p: number; q: number })
  /** `callLike`: an undeclared letter written right before `(`, as a function call would be. */
  | (Base & { k: 'sym'; name: string; callLike?: boolean })
  | (Base & { k: 'const'; name: 'pi' })
  | (Base & { k: 'I'; dim?: string })
  | (Base & { k: 'zero' })
  | (Base & { k: 'ones'; dim?: string })
  | (Base & { k: 'entry'; of: Node; idx: RawIndex[] })
  | (Base & { k: 'add'; args: Node[] })
  | (Base & { k: 'mul'; args: Node[] })
  | (Base & { k: 'div'; num: Node; den: Node })
  | (Base & { k: 'neg'; arg: Node })
  | (Base & { k: 'pow'; base: Node; exp: Node })
  | (Base & { k: 'T'; arg: Node })
  | (Base & { k: 'inv'; arg: Node })
  | (Base & { k: 'fn'; fn: FnName; arg: Node })
  | (Base & { k: 'had'; a: Node; b: Node })
  | (Base & { k: 'kron'; a: Node; b: Node })
  | (Base & { k: 'mat'; rows: Node[][]; det?: boolean })
  | (Base & { k: 'isum'; op: 'sum' | 'prod'; idx: string[]; hi?: string; body: Node })
  | (Base & { k: 'deriv'; f: Node; wrt: Wrt[]; order: 1 | 2; nabla?: boolean })
  | (Base & { k: 'diff'; arg: Node })
  | (Base & { k: 'call'; name: string; args: Node[] });

export type NodeOf<K extends Node['k']> = Extract<Node, { k: K }>;

export type RelOp = '=' | '\\neq';

/** One relation `lhs op rhs`; a chain gives one per adjacent pair. */
export interface Relation {
  lhs: Node;
  rhs: Node;
  op: RelOp;
  /** Index of the pair within the formula (for messages). */
  index: number;
}

export interface ParsedFormula {
  /** Each chain's members in order; `ops[i]` relates members i and i+1. */
  chains: { members: Node[]; ops: RelOp[] }[];
}

/** Children of a node, for generic walks. */
export function children(n: Node): Node[] {
  switch (n.k) {
    case 'num':
    case 'sym':
    case 'const':
    case 'I':
    case 'zero':
    case 'ones':
      return [];
    case 'entry':
      return [n.of];
    case 'add':
    case 'mul':
      return n.args;
    case 'div':
      return [n.num, n.den];
    case 'neg':
    case 'T':
    case 'inv':
    case 'fn':
    case 'diff':
      return [n.arg];
    case 'pow':
      return [n.base, n.exp];
    case 'had':
    case 'kron':
      return [n.a, n.b];
    case 'mat':
      return n.rows.flat();
    case 'isum':
      return [n.body];
    case 'deriv':
      return [n.f, ...n.wrt.map((w) => w.node)];
    case 'call':
      return n.args;
  }
}

export function walk(n: Node, visit: (n: Node) => void): void {
  visit(n);
  for (const c of children(n)) walk(c, visit);
}

export function countNodes(n: Node): number {
  let c = 0;
  walk(n, () => c++);
  return c;
}
