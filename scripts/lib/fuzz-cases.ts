/**
 * Fuzz cases for the reader and the checker (scripts/fuzz.ts, tests/robustness/fuzz.test.ts):
 * formulas from a small LaTeX grammar, real formulas of content/ with tokens deleted, inserted,
 * swapped or replaced, and raw strings; and the properties every verdict must have.
 */
import fc from 'fast-check';
import type { FormulaItem, FormulaResult, PageInput, PageItem } from '../../src/engine/api.ts';
import { verifyPage } from '../../src/engine/index.ts';
import { tokenize } from '../../src/engine/latex/lexer.ts';
import type { ContextIdentity } from './corpus.ts';

/** Declarations for the grammar's formulas: every symbol the grammar uses, with its shape. */
export const GRAMMAR_SYMBOLS = 'A, B, C: n×n; X: n×n invertible; S: n×n spd; Q: n×n orthogonal; M, N: m×n; x, y, a, b: n; u, v: m; t, s: scalar; U(t): n×n invertible';

const ATOMS = [
  'A', 'B', 'C', 'X', 'S', 'Q', 'M', 'N', 'x', 'y', 'a', 'b', 'u', 'v', 't', 's', 'I', 'I_n', '0', '1', '2', '3', '0.5',
  '\\frac{1}{2}', '\\mathbf{x}', '\\mathbf{A}', '\\boldsymbol{a}', '\\mathbf{1}', '\\pi', 'U(t)', 'U', 'X_{12}', 'x_1', 'x_i', 'A_{ij}', 'a_{i}', 'z', '\\Sigma', '\\mu',
];
const BINARY = ['+', '-', '', ' ', '\\,', '\\cdot', '\\circ', '\\odot', '\\otimes', '\\times', '/'];
const POSTFIX = ['^T', '^\\top', '^{\\top}', '^{-1}', '^{-T}', '^{-\\top}', '^2', '^{3}', '^k', "'", '^{\\mathsf T}', '^H', '^*', '^{1/2}', '_{ij}', '_1', '_{k}'];
const FUNCTIONS = [
  '\\operatorname{tr}', '\\mathrm{Tr}', 'Tr', '\\det', '\\ln', '\\log', '\\exp', '\\operatorname{diag}', '\\operatorname{vec}', '\\operatorname{adj}', '\\sin',
  '\\cos', '\\tanh', '\\sigma', '\\operatorname{softmax}', '\\operatorname{eig}', '\\operatorname{sech}', '\\sum', '\\prod',
];
const WRT = ['x', 'X', 'A', 't', 'x^T', 'x^\\top', 'X_{12}', 'x_k', 'A_{ij}', '\\operatorname{vec}(X)^T', 'S', 'u'];
const RELATIONS = ['=', '=', '=', '\\neq', '\\ne'];

/** Formulas from a grammar of the notation of authoring.md §4, nested at most a few levels. */
export function grammarFormula(): fc.Arbitrary<string> {
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof(
      { maxDepth: 4, depthSize: 'small' },
      fc.constantFrom(...ATOMS),
      fc.tuple(tie('expr'), fc.constantFrom(...BINARY), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
      fc.tuple(tie('expr'), fc.constantFrom(...POSTFIX)).map(([a, p]) => `${a}${p}`),
      fc.tuple(fc.constantFrom('(', '\\left(', '[', '\\left[', '{', '\\{'), tie('expr')).map(([open, a]) => {
        const close = { '(': ')', '\\left(': '\\right)', '[': ']', '\\left[': '\\right]', '{': '}', '\\{': '\\}' }[open]!;
        return `${open}${a}${close}`;
      }),
      fc.tuple(fc.constantFrom(...FUNCTIONS), fc.constantFrom('()', '[]', '{}', '\\left(\\right)', ' '), tie('expr')).map(([f, d, a]) =>
        d === ' ' ? `${f} ${a}` : d === '\\left(\\right)' ? `${f}\\left(${a}\\right)` : `${f}${d[0]}${a}${d[1]}`,
      ),
      fc.tuple(fc.constantFrom('|', '\\|', '\\lVert'), tie('expr'), fc.constantFrom('', '_F', '_2')).map(([bar, a, sub]) =>
        bar === '|' ? `|${a}|` : bar === '\\|' ? `\\|${a}\\|${sub}` : `\\lVert ${a} \\rVert${sub}`,
      ),
      fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `\\frac{${a}}{${b}}`),
      fc.tuple(tie('expr')).map(([a]) => `\\sqrt{${a}}`),
      fc.tuple(fc.constantFrom(...WRT), tie('expr'), fc.nat(5)).map(([w, f, form]) => {
        switch (form) {
          case 0:
            return `\\frac{\\partial}{\\partial ${w}} ${f}`;
          case 1:
            return `\\frac{\\partial ${f}}{\\partial ${w}}`;
          case 2:
            return `\\frac{d}{d${w}}\\left[${f}\\right]`;
          case 3:
            return `\\nabla_{${w}} ${f}`;
          case 4:
            return `\\frac{\\partial^2 ${f}}{\\partial ${w}\\,\\partial ${w}^T}`;
          default:
            return `\\partial ${f} / \\partial ${w}`;
        }
      }),
      fc.tuple(fc.constantFrom('d', '\\mathrm{d}', '\\partial ', 'd\\ln'), tie('expr')).map(([d, a]) => `${d}${a}`),
      fc.tuple(fc.constantFrom('\\sum_i', '\\sum_{i,j}', '\\sum_{i=1}^{n}', '\\sum_i\\sum_j', '\\prod_i'), tie('expr')).map(([s, a]) => `${s} ${a}`),
      fc.tuple(fc.constantFrom('bmatrix', 'pmatrix', 'vmatrix', 'matrix'), tie('expr'), tie('expr'), tie('expr'), tie('expr')).map(
        ([env, p, q, r, w]) => `\\begin{${env}} ${p} & ${q} \\\\ ${r} & ${w} \\end{${env}}`,
      ),
      fc.tuple(fc.constantFrom('e^{', '\\exp{', '-'), tie('expr')).map(([pre, a]) => (pre === '-' ? `-${a}` : `${pre}${a}}`)),
    ),
  }));
  const relation = fc.tuple(expr, fc.constantFrom(...RELATIONS), expr).map(([l, op, r]) => `${l} ${op} ${r}`);
  const chain = fc.tuple(expr, expr, expr).map(([a, b, c]) => `${a} = ${b} = ${c}`);
  const aligned = fc.tuple(expr, expr, expr).map(([a, b, c]) => `\\begin{aligned} ${a} &= ${b} \\\\ &= ${c} \\end{aligned}`);
  const decorated = fc.tuple(relation, fc.constantFrom('', ' \\tag{1}', ' .', ',', ' \\quad \\text{for all } x', '\\,')).map(([r, t]) => `${r}${t}`);
  return fc.oneof({ weight: 6, arbitrary: relation }, { weight: 1, arbitrary: chain }, { weight: 1, arbitrary: aligned }, { weight: 1, arbitrary: decorated }, { weight: 1, arbitrary: expr });
}

/** Tokens inserted by mutations: the pieces a typo or a bad edit leaves behind. */
const INSERTS = [
  '{', '}', '^', '_', '&', '\\\\', '(', ')', '[', ']', '|', '\\|', '+', '-', '=', '\\neq', ',', '.', '/', '*', "'", '!', ':', ';', '<', '>',
  '\\frac', '\\partial', '\\left(', '\\right)', '\\left', '\\right', '\\left.', '\\right|', '\\operatorname{tr}', '\\operatorname', '\\det', '\\sum', '\\sum_i',
  '\\mathbf', '\\mathbf{', '\\top', 'T', '^{-1}', '{-1}', '^T', 'X', 'x', 'A', 'B', 'd', 'i', 'j', 'k', '1', '2', '0', '10000', '0.0', '1e5',
  '\\begin{bmatrix}', '\\end{bmatrix}', '\\begin{aligned}', '\\end{aligned}', '\\text{', '\\text{ if }', '\\nabla', '\\quad', '\\,', '\\sqrt', '\\ln',
  '\\exp', '\\sigma', '\\Sigma', '\\unknownmacro', '\\', '$', '#', '%', '~', '\\tag{2}', '\\mathrm{d}', '\\operatorname{vec}', '\\otimes', '\\circ',
  '\\cdot', '\\times', '\\infty', '\\alpha', 'e^{', 'I', 'I_n', '\\mathbf{1}', '×', '∂', '−', 'é', '\u0000', '\u200b', '<script>', '"', '\\href{javascript:alert(1)}{x}',
];

interface Piece {
  text: string;
  /** Whitespace before the piece, kept on rebuild. */
  space: string;
}

/** The formula as pieces: the reader's tokens, or characters when it cannot tokenize. */
export function pieces(latex: string): Piece[] {
  try {
    const tokens = tokenize(latex).filter((t) => t.type !== 'eof');
    let at = 0;
    return tokens.map((t) => {
      const piece = { text: latex.slice(t.span.start, t.span.end), space: latex.slice(at, t.span.start) };
      at = t.span.end;
      return piece;
    });
  } catch {
    return [...latex].map((ch) => ({ text: ch, space: '' }));
  }
}

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'replace'; at: number; text: string }
  | { op: 'swap'; at: number; with: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number };

export function mutation(): fc.Arbitrary<Mutation> {
  const pos = fc.nat(10_000);
  return fc.oneof(
    pos.map((at) => ({ op: 'delete' as const, at })),
    fc.tuple(pos, fc.constantFrom(...INSERTS)).map(([at, text]) => ({ op: 'insert' as const, at, text })),
    fc.tuple(pos, fc.constantFrom(...INSERTS)).map(([at, text]) => ({ op: 'replace' as const, at, text })),
    fc.tuple(pos, pos).map(([at, w]) => ({ op: 'swap' as const, at, with: w })),
    fc.tuple(pos, fc.integer({ min: 1, max: 8 })).map(([at, length]) => ({ op: 'duplicate' as const, at, length })),
    pos.map((at) => ({ op: 'truncate' as const, at })),
  );
}

export function applyMutations(latex: string, mutations: Mutation[]): string {
  let ps = pieces(latex);
  for (const m of mutations) {
    const n = ps.length;
    const at = n === 0 ? 0 : m.at % (m.op === 'insert' ? n + 1 : n);
    switch (m.op) {
      case 'delete':
        if (n) ps.splice(at, 1);
        break;
      case 'insert':
        ps.splice(at, 0, { text: m.text, space: ' ' });
        break;
      case 'replace':
        if (n) ps[at] = { text: m.text, space: ps[at]!.space };
        break;
      case 'swap': {
        if (!n) break;
        const w = m.with % n;
        [ps[at], ps[w]] = [ps[w]!, ps[at]!];
        break;
      }
      case 'duplicate':
        ps.splice(at, 0, ...ps.slice(at, at + m.length));
        break;
      case 'truncate':
        ps = ps.slice(0, at);
        break;
    }
  }
  return ps.map((p) => p.space + p.text).join('');
}

/** Raw strings: LaTeX-ish characters, and now and then any characters at all. */
export function rawFormula(): fc.Arbitrary<string> {
  const latexish = fc.constantFrom(...'\\{}^_&()[]|+-=,./*\'!:;<> 0123456789abcdxyzABXIT\n\t'.split(''), '\\frac', '\\partial', '\\left', '\\right', '\\\\');
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: latexish, maxLength: 60 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  );
}

/** A `where` declaration, sometimes malformed. */
export function whereString(): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.constantFrom('x: n', 'A: n×n; x: n', 'X: m×n', 'A: 3×3 symmetric', 't: scalar; A(t): n×n invertible', 'x: 2; a: 2') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('x', 'A: n×m invertible', 'A: ×', ': n', 'A, : n', 'x: n; ; y: q×', 'A: n×n bogus', 'A(: n', '\\Sigma: n×n spd', 'x: 0', 'A: n x n'),
    },
  );
}

export interface FuzzCase {
  kind: 'grammar' | 'mutated' | 'raw';
  page: PageInput;
  latex: string;
  /** The real formula a mutated case comes from. */
  from?: string;
}

const LATEX_LOC = { line: 12, column: 1, offset: 200 };

function caseItem(latex: string, where: string | undefined, definition: boolean, id = 'fuzz'): FormulaItem {
  return {
    type: 'formula',
    kind: definition ? 'definition' : 'identity',
    id,
    latex,
    ...(where !== undefined ? { where } : {}),
    loc: { line: 10, column: 1, offset: 180 },
    latexLoc: LATEX_LOC,
  };
}

/** Every kind of case, mixed: grammar, mutated real formulas (with their page context), raw. */
export function fuzzCase(pool: ContextIdentity[]): fc.Arbitrary<FuzzCase> {
  const grammar = fc.tuple(grammarFormula(), whereString(), fc.boolean()).map(
    ([latex, where, def]): FuzzCase => ({
      kind: 'grammar',
      latex,
      page: { file: 'fuzz.md', symbols: GRAMMAR_SYMBOLS, items: [caseItem(latex, where, def && latex.includes('=') && !latex.includes('\\neq') && latex.length % 7 === 0)] },
    }),
  );
  const mutated = fc.tuple(fc.nat(pool.length - 1), fc.array(mutation(), { minLength: 1, maxLength: 3 }), fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })).map(
    ([index, ms, dropContext]): FuzzCase => {
      const ci = pool[index]!;
      const latex = applyMutations(ci.item.latex, ms);
      const context: PageItem[] = dropContext ? [] : ci.context;
      return {
        kind: 'mutated',
        latex,
        from: ci.item.latex,
        page: {
          file: ci.file,
          ...(ci.symbols !== undefined ? { symbols: ci.symbols } : {}),
          ...(ci.layout !== undefined ? { layout: ci.layout } : {}),
          items: [...context, { ...ci.item, latex, latexLoc: LATEX_LOC }],
        },
      };
    },
  );
  const raw = fc.tuple(rawFormula(), whereString()).map(
    ([latex, where]): FuzzCase => ({ kind: 'raw', latex, page: { file: 'fuzz.md', symbols: GRAMMAR_SYMBOLS, items: [caseItem(latex, where, false)] } }),
  );
  return fc.oneof({ weight: 4, arbitrary: grammar }, { weight: 5, arbitrary: mutated }, { weight: 1, arbitrary: raw });
}

/** Error codes whose message is about a place in the LaTeX: such an error must point at it. */
const ABOUT_THE_LATEX = new Set(['parse', 'unknown-macro', 'unknown-symbol', 'shape', 'unsupported', 'too-large']);

export interface Problem {
  what: 'throw' | 'slow' | 'no-result' | 'no-message' | 'no-source' | 'bad-source' | 'internal';
  detail: string;
}

export interface Outcome {
  problems: Problem[];
  ms: number;
  result?: FormulaResult;
}

/** Run a case and check the properties: a result, in time, with a message and a span when due. */
export function checkCase(c: FuzzCase, slowMs = 1000): Outcome {
  const started = performance.now();
  let results: FormulaResult[];
  try {
    results = verifyPage(c.page).formulas;
  } catch (e) {
    return { problems: [{ what: 'throw', detail: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }], ms: performance.now() - started };
  }
  const ms = performance.now() - started;
  const problems: Problem[] = [];
  const item = c.page.items[c.page.items.length - 1] as FormulaItem;
  const result = results.find((r) => r.line === item.loc.line && r.column === item.loc.column && r.latex === item.latex);
  if (ms > slowMs) problems.push({ what: 'slow', detail: `${ms.toFixed(0)} ms` });
  if (!result) {
    problems.push({ what: 'no-result', detail: `${results.length} results, none for the formula` });
    return { problems, ms };
  }
  for (const r of results) {
    if (r.status === 'error' && (typeof r.message !== 'string' || r.message.trim() === '')) problems.push({ what: 'no-message', detail: `${r.id}: ${JSON.stringify(r.message)}` });
    if (r.source) {
      const { start, end } = r.source.span;
      const len = r.latex.length;
      if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= len)) {
        problems.push({ what: 'bad-source', detail: `span ${start}–${end} outside the formula (length ${len})` });
      }
    }
  }
  if (result.status === 'error') {
    if (result.ruleId === 'internal') problems.push({ what: 'internal', detail: result.message ?? '' });
    if (ABOUT_THE_LATEX.has(result.ruleId ?? '') && !result.source) problems.push({ what: 'no-source', detail: `${result.ruleId}: ${result.message}` });
  }
  return { problems, ms, result };
}
