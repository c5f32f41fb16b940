/**
 * The LaTeX reader: tokens → typed expression tree (before shapes). A recursive-descent
 * parser in the manner of KaTeX's: macros are looked up in a registry (`macros.ts`), every
 * node keeps the span of the LaTeX it came from, and every error points at its span.
 *
 * Grammar, loosest first:
 *   formula  := chain | \begin{aligned} rows \end{aligned}
 *   chain    := expr ((= | \neq) expr)*
 *   expr     := [+|-] term ((+|-) term)*
 *   term     := product ((\circ | \odot | \otimes) product)*
 *   product  := factor (factor | \cdot factor | \times factor | / factor)*     (juxtaposition)
 *               an operator (∂/∂X, ∇_X, \sum_i) takes the rest of the product as its operand
 *   factor   := atom postfix*        postfix := ^{…} | _{…} | '
 */
import type { Span } from '../api.ts';
import type { FnName, Node, ParsedFormula, RawIndex, RelOp, Wrt } from '../ast.ts';
import { EngineError } from '../errors.ts';
import { tokenize, type Token } from './lexer.ts';
import {
  BOLD_WRAPPERS,
  ACCENTS,
  FUNCTION_COMMANDS,
  GREEK,
  IGNORED_COMMANDS,
  MATRIX_ENVS,
  ALIGN_ENVS,
  SIZING_COMMANDS,
  TRANSPOSE_MARKS,
  TEXT_COMMANDS,
  FONT_COMMANDS,
  DELIMITER_ALIASES,
  FONT_SWITCHES,
  OPERATOR_NAME_COMMANDS,
  functionByWord,
} from './macros.ts';

export interface ParseContext {
  /** A declared symbol or a defined name (so `d`, `e`, `I`, `\sigma`, `x_1` are read as symbols). */
  isSymbol(name: string): boolean;
  /** A defined function `f(X) = …`. */
  isFunction(name: string): boolean;
}

export const MAX_NESTING = 200;

const EMPTY_CONTEXT: ParseContext = { isSymbol: () => false, isFunction: () => false };

/**
 * Old-style spellings of operator names and fonts, rewritten to the modern ones:
 * `{\rm tr}` → `\mathrm{tr}`, `{\rm d}x` → `\mathrm{d}x`, `\mathop{\rm tr}` → `\mathrm{tr}`.
 */
function normalizeFonts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  const isP = (t: Token | undefined, text: string) => !!t && t.type === 'punct' && t.text === text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // \mathop{X}: an operator made of X; the braces only group
    if (t.type === 'command' && t.text === '\\mathop' && isP(tokens[i + 1], '{')) {
      const inner = tokens[i + 2];
      if (inner && inner.type === 'command' && (FONT_SWITCHES.has(inner.text) || OPERATOR_NAME_COMMANDS.has(inner.text))) {
        const end = skipGroup(tokens, i + 1);
        out.push(...normalizeFonts(tokens.slice(i + 2, end - 1)));
        i = end - 1;
        continue;
      }
    }
    // {\rm word}: a font switch at the start of a group of letters
    if (isP(t, '{') && tokens[i + 2]?.type === 'letter') {
      const sw = tokens[i + 1];
      const cmd = sw && sw.type === 'command' && sw.text !== '\\mathrm' ? FONT_SWITCHES.get(sw.text) : undefined;
      if (cmd) {
        let j = i + 2;
        while (tokens[j]?.type === 'letter') j++;
        if (isP(tokens[j], '}')) {
          out.push({ type: 'command', text: cmd, span: sw!.span }, t, ...tokens.slice(i + 2, j), tokens[j]!);
          i = j;
          continue;
        }
      }
    }
    // a switch outside a group applies to the letters that follow: \mathop{\rm tr} once unwrapped
    if (t.type === 'command' && t.text !== '\\mathrm' && FONT_SWITCHES.has(t.text) && tokens[i + 1]?.type === 'letter') {
      let j = i + 1;
      while (tokens[j]?.type === 'letter') j++;
      const open: Token = { type: 'punct', text: '{', span: { start: tokens[i + 1]!.span.start, end: tokens[i + 1]!.span.start } };
      const close: Token = { type: 'punct', text: '}', span: { start: tokens[j - 1]!.span.end, end: tokens[j - 1]!.span.end } };
      out.push({ type: 'command', text: FONT_SWITCHES.get(t.text)!, span: t.span }, open, ...tokens.slice(i + 1, j), close);
      i = j - 1;
      continue;
    }
    out.push(t);
  }
  return out;
}

/**
 * `||x||` typed with plain bars is the norm `\|x\|`: two adjacent bars outside an absolute value
 * become one norm delimiter; inside |…| they stay two bars (|a||b| is |a| |b|).
 */
function normBars(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let abs = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'punct' && t.text === '|') {
      const u = tokens[i + 1];
      if (!abs && u && u.type === 'punct' && u.text === '|' && u.span.start === t.span.end) {
        out.push({ type: 'command', text: '\\|', span: { start: t.span.start, end: u.span.end } });
        i++;
        continue;
      }
      abs = !abs;
    }
    out.push(t);
  }
  return out;
}

/** Drop what the checker ignores but KaTeX renders: tags, spacing, sizing, text. */
function prefilter(raw: Token[]): Token[] {
  const tokens = normalizeFonts(raw);
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'command') {
      if (t.text === '\\tag' || t.text === '\\tag*' || t.text === '\\label') {
        i = skipGroup(tokens, i + 1) - 1;
        continue;
      }
      if (TEXT_COMMANDS.has(t.text)) {
        const end = skipGroup(tokens, i + 1);
        const inner = tokens.slice(i + 2, end - 1).map((x) => x.text).join('');
        if (functionByWord(inner)) {
          // \text{tr} is a function name, keep it as \operatorname{tr}
          out.push({ type: 'command', text: '\\operatorname', span: t.span });
          for (let j = i + 1; j < end; j++) out.push(tokens[j]!);
        }
        i = end - 1;
        continue;
      }
      if (IGNORED_COMMANDS.has(t.text)) continue;
      if (SIZING_COMMANDS.has(t.text)) {
        // \left. and \right. are invisible delimiters: drop the dot as well
        const next = tokens[i + 1];
        if (next && next.type === 'punct' && next.text === '.') i++;
        continue;
      }
    }
    // an empty group {} only spaces (a ={}& b): drop it, unless it is an argument
    if (t.type === 'punct' && t.text === '{' && tokens[i + 1]?.type === 'punct' && tokens[i + 1]!.text === '}') {
      const prev = out[out.length - 1];
      if (!prev || (prev.type !== 'command' && !(prev.type === 'punct' && (prev.text === '^' || prev.text === '_')))) {
        i++;
        continue;
      }
    }
    const alias = t.type === 'command' ? DELIMITER_ALIASES.get(t.text) : undefined;
    if (alias) {
      out.push({ ...t, type: alias.type, text: alias.text });
      continue;
    }
    out.push(t);
  }
  return normBars(out);
}

/** Index just past the brace group (or single token) starting at i. */
function skipGroup(tokens: Token[], i: number): number {
  const t = tokens[i];
  if (!t || t.type === 'eof') return i;
  if (t.type === 'punct' && t.text === '{') {
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      const x = tokens[j]!;
      if (x.type === 'punct' && x.text === '{') depth++;
      else if (x.type === 'punct' && x.text === '}') {
        depth--;
        if (depth === 0) return j + 1;
      } else if (x.type === 'eof') {
        throw new EngineError('unbalanced braces: this { is never closed', t.span, 'parse');
      }
    }
  }
  return i + 1;
}

/** An operator waiting for its operand: ∂/∂X, ∇_X, \sum_i. */
type Operator =
  | { op: 'deriv'; wrt: Wrt[]; order: 1 | 2; nabla?: boolean; span: Span }
  | { op: 'isum'; which: 'sum' | 'prod'; idx: string[]; hi?: string; span: Span }
  | { op: 'sumall'; which: 'sum' | 'prod'; span: Span }
  | { op: 'diff'; span: Span };

type Item = { node: Node } | { operator: Operator };

export class Parser {
  private toks: Token[];
  private pos = 0;
  private depth = 0;
  private barDepth = 0;
  /** Inside the undelimited argument of a function (\\operatorname{tr} AB): it ends at the next function. */
  private operandDepth = 0;
  private normDepth = 0;
  readonly src: string;
  private ctx: ParseContext;

  /** `offset` shifts every span: for parsing a slice of a larger formula. */
  constructor(src: string, ctx: ParseContext = EMPTY_CONTEXT, offset = 0) {
    this.src = src;
    this.ctx = ctx;
    let toks = tokenize(src);
    if (offset) toks = toks.map((t) => ({ ...t, span: { start: t.span.start + offset, end: t.span.end + offset } }));
    this.toks = prefilter(toks);
  }

  // ---------- token helpers ----------
  private peek(o = 0): Token {
    return this.toks[Math.min(this.pos + o, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }
  private is(t: Token, type: Token['type'], text?: string): boolean {
    return t.type === type && (text === undefined || t.text === text);
  }
  private isP(text: string, o = 0): boolean {
    return this.is(this.peek(o), 'punct', text);
  }
  private isC(text: string, o = 0): boolean {
    return this.is(this.peek(o), 'command', text);
  }
  private expectP(text: string, what: string): Token {
    const t = this.peek();
    if (!this.is(t, 'punct', text)) {
      // a group still open at the end of the formula: point at its {, not at the end
      const open = text === '}' && t.type === 'eof' ? this.unclosedBrace() : null;
      if (open) throw this.err('unbalanced braces: this { is never closed', open.span);
      throw this.err(`expected '${text}' ${what}, found ${describe(t)}`, t.span);
    }
    return this.next();
  }
  /** The innermost { before the current position that no } closes. */
  private unclosedBrace(): Token | null {
    const stack: Token[] = [];
    for (let i = 0; i < this.pos && i < this.toks.length; i++) {
      const x = this.toks[i]!;
      if (this.is(x, 'punct', '{')) stack.push(x);
      else if (this.is(x, 'punct', '}')) stack.pop();
    }
    return stack[stack.length - 1] ?? null;
  }
  err(msg: string, span: Span | undefined, code: 'parse' | 'unknown-macro' | 'unsupported' = 'parse'): EngineError {
    return new EngineError(msg, span, code);
  }
  private spanFrom(start: number): Span {
    const prev = this.toks[Math.max(this.pos - 1, 0)]!;
    return { start, end: Math.max(prev.span.end, start) };
  }
  private enter(span: Span): void {
    if (++this.depth > MAX_NESTING) throw new EngineError(`formula is nested too deeply (more than ${MAX_NESTING} levels)`, span, 'too-large');
  }
  private leave(): void {
    this.depth--;
  }

  // ---------- formula ----------
  parseFormula(): ParsedFormula {
    const chains: ParsedFormula['chains'] = [];
    if (this.isC('\\begin') && ALIGN_ENVS.has(this.envName())) {
      const envTok = this.peek();
      const env = this.envName();
      this.next();
      this.skipBraceWord();
      let current: { members: Node[]; ops: RelOp[] } | null = null;
      for (;;) {
        this.skipAlignJunk();
        if (this.isC('\\end')) {
          this.next();
          const name = this.readBraceWord();
          if (name !== env) throw this.err(`\\begin{${env}} is closed by \\end{${name}}`, envTok.span);
          break;
        }
        if (this.peek().type === 'eof') throw this.err(`\\begin{${env}} is never closed`, envTok.span);
        const rel = this.peekRel();
        if (rel) {
          if (!current) throw this.err('this row starts with a relation but nothing stands before it', this.peek().span);
        } else {
          current = { members: [this.parseExpr()], ops: [] };
          chains.push(current);
        }
        this.skipAlignJunk();
        while (this.peekRel()) {
          const op = this.readRel();
          this.skipAlignJunk();
          current!.ops.push(op);
          current!.members.push(this.parseExpr());
          this.skipAlignJunk();
        }
        this.skipTrailingPunct();
        if (this.isC('\\\\')) {
          this.next();
          continue;
        }
        if (!this.isC('\\end')) throw this.err(`unexpected ${describe(this.peek())} in the ${env} block`, this.peek().span);
      }
    } else {
      const members = [this.parseExpr()];
      const ops: RelOp[] = [];
      while (this.peekRel()) {
        ops.push(this.readRel());
        members.push(this.parseExpr());
      }
      chains.push({ members, ops });
    }
    this.skipTrailingPunct();
    const t = this.peek();
    if (t.type !== 'eof') {
      if (this.is(t, 'punct', '}')) throw this.err('unbalanced braces: this } closes nothing', t.span);
      if (this.is(t, 'punct', ')') || this.is(t, 'punct', ']')) throw this.err(`unbalanced brackets: this ${t.text} closes nothing`, t.span);
      throw this.err(`unexpected ${describe(t)}`, t.span);
    }
    return { chains };
  }

  /** Parse a whole string as one expression (for definitions' right sides, declarations). */
  parseOnlyExpr(): Node {
    const e = this.parseExpr();
    this.skipTrailingPunct();
    const t = this.peek();
    if (t.type !== 'eof') throw this.err(`unexpected ${describe(t)}`, t.span);
    return e;
  }

  private skipAlignJunk(): void {
    while (this.isP('&')) this.next();
  }
  private skipTrailingPunct(): void {
    while ((this.isP('.') || this.isP(',')) && (this.peek(1).type === 'eof' || this.isC('\\\\', 1) || this.isC('\\end', 1) || this.isP('&', 1))) this.next();
  }
  private peekRel(): RelOp | null {
    const t = this.peek();
    if (this.is(t, 'punct', '=')) return '=';
    if (this.is(t, 'punct', ':') && this.isP('=', 1)) return '=';
    if (this.is(t, 'command', '\\coloneqq')) return '=';
    if (this.is(t, 'command', '\\neq') || this.is(t, 'command', '\\ne')) return '\\neq';
    return null;
  }
  private readRel(): RelOp {
    const r = this.peekRel()!;
    if (this.isP(':')) this.next();
    this.next();
    return r;
  }
  private envName(): string {
    // at \begin
    const b = this.peek(1);
    if (!this.is(b, 'punct', '{')) return '';
    let s = '';
    for (let o = 2; ; o++) {
      const t = this.peek(o);
      if (t.type === 'eof') return s;
      if (this.is(t, 'punct', '}')) return s;
      s += t.text;
    }
  }
  private readBraceWord(): string {
    const open = this.expectP('{', 'after \\begin or \\end');
    let s = '';
    while (!this.isP('}')) {
      const t = this.next();
      if (t.type === 'eof') throw this.err('unbalanced braces: this { is never closed', open.span);
      s += t.text;
    }
    this.next();
    return s;
  }
  private skipBraceWord(): void {
    this.readBraceWord();
  }

  // ---------- expressions ----------
  private atExprEnd(): boolean {
    const t = this.peek();
    if (t.type === 'eof') return true;
    if (t.type === 'punct') {
      if ([')', ']', '}', '&', '=', ','].includes(t.text)) return true;
      if (t.text === '|' && this.barDepth > 0) return true;
      if (t.text === '.' && (this.peek(1).type === 'eof' || this.isC('\\\\', 1) || this.isC('\\end', 1))) return true;
      if (t.text === ':' && this.isP('=', 1)) return true;
      return false;
    }
    if (t.type === 'command') {
      if (['\\neq', '\\ne', '\\\\', '\\end', '\\}', '\\coloneqq'].includes(t.text)) return true;
      if (t.text === '\\|' && this.normDepth > 0) return true;
    }
    return false;
  }

  /**
   * An expression inside delimiters: in a group the outer bars, norms and operator operands stop
   * nothing; inside |…| or \|…\| the closing delimiter stops the expression.
   */
  private parseEnclosed(kind: 'group' | 'bars' | 'norm'): Node {
    const save = { bar: this.barDepth, norm: this.normDepth, operand: this.operandDepth };
    if (kind === 'group') {
      this.barDepth = 0;
      this.normDepth = 0;
    } else if (kind === 'bars') this.barDepth++;
    else this.normDepth++;
    this.operandDepth = 0;
    try {
      return this.parseExpr();
    } finally {
      this.barDepth = save.bar;
      this.normDepth = save.norm;
      this.operandDepth = save.operand;
    }
  }

  parseExpr(): Node {
    const start = this.peek().span.start;
    this.enter(this.peek().span);
    const terms: Node[] = [];
    let sign = 1;
    if (this.isP('+')) this.next();
    else if (this.isP('-')) {
      this.next();
      sign = -1;
    }
    for (;;) {
      const tStart = this.peek().span.start;
      let term = this.parseTerm();
      if (sign < 0) term = { k: 'neg', arg: term, span: this.spanFrom(tStart) };
      terms.push(term);
      if (this.isP('+')) {
        this.next();
        sign = 1;
      } else if (this.isP('-')) {
        this.next();
        sign = -1;
      } else break;
    }
    this.leave();
    if (terms.length === 1) {
      const t = terms[0]!;
      if (t.k === 'neg') t.span = this.spanFrom(start);
      return t;
    }
    return { k: 'add', args: terms, span: this.spanFrom(start) };
  }

  private parseTerm(): Node {
    const start = this.peek().span.start;
    let left = this.parseProduct();
    for (;;) {
      const t = this.peek();
      let kind: 'had' | 'kron' | null = null;
      if (this.is(t, 'command', '\\circ') || this.is(t, 'command', '\\odot')) kind = 'had';
      else if (this.is(t, 'command', '\\otimes')) kind = 'kron';
      if (!kind) break;
      this.next();
      const right = this.parseProduct();
      left = { k: kind, a: left, b: right, span: this.spanFrom(start) };
    }
    return left;
  }

  private parseProduct(): Node {
    const start = this.peek().span.start;
    const factors: Node[] = [];
    for (;;) {
      if (this.atExprEnd()) break;
      const t = this.peek();
      if (this.is(t, 'punct', '+') || this.is(t, 'punct', '-')) break;
      // \det A \det B, \ln a \cdot b: an undelimited argument ends at the next function or product sign
      if (this.operandDepth > 0 && factors.length > 0 && (this.startsFunction() || this.is(t, 'command', '\\cdot') || this.is(t, 'command', '\\times') || this.is(t, 'punct', '*'))) break;
      if (this.is(t, 'command', '\\circ') || this.is(t, 'command', '\\odot') || this.is(t, 'command', '\\otimes')) break;
      if (this.is(t, 'command', '\\cdot') || this.is(t, 'command', '\\times') || this.is(t, 'punct', '*')) {
        if (factors.length === 0) throw this.err(`${t.text} needs something on its left`, t.span);
        this.next();
        if (this.atExprEnd() || this.isP('+') || this.isP('-')) throw this.err(`${t.text} needs something on its right`, t.span);
        continue;
      }
      if (this.is(t, 'punct', '/')) {
        if (factors.length === 0) throw this.err('/ needs something on its left', t.span);
        this.next();
        const den = this.parseFactorItem();
        if ('operator' in den) throw this.err('cannot divide by an operator', den.operator.span);
        const num = factors.pop()!;
        factors.push({ k: 'div', num, den: den.node, span: { start: num.span?.start ?? t.span.start, end: den.node.span?.end ?? t.span.end } });
        continue;
      }
      const item = this.parseFactorItem();
      if ('node' in item) {
        factors.push(item.node);
        continue;
      }
      const op = item.operator;
      if (op.op === 'diff') {
        // d applies to the factor that follows it, with that factor's postfix operators
        if (this.atExprEnd() || this.isP('+') || this.isP('-')) throw this.err('a differential d needs something to act on', op.span);
        const argItem = this.parseFactorItem();
        if ('operator' in argItem) throw this.err('a differential cannot act on an operator', argItem.operator.span);
        let node: Node = { k: 'diff', arg: argItem.node, span: { start: op.span.start, end: argItem.node.span?.end ?? op.span.end } };
        // ∂f / ∂X written inline
        if (this.isP('/') && (this.isC('\\partial', 1) || this.isLetterD(1))) {
          this.next();
          const wrt = this.parseWrtList();
          node = { k: 'deriv', f: argItem.node, wrt: wrt.wrt, order: 1, span: this.spanFrom(op.span.start) };
        }
        node = this.parsePostfix(node, op.span.start);
        factors.push(node);
        continue;
      }
      // operators take the rest of the product term as their operand
      if (this.atExprEnd() || this.isP('+') || this.isP('-')) throw this.err('this operator has nothing to act on', op.span);
      const operand = this.parseProduct();
      const span = { start: op.span.start, end: operand.span?.end ?? op.span.end };
      if (op.op === 'deriv') factors.push({ k: 'deriv', f: operand, wrt: op.wrt, order: op.order, nabla: op.nabla, span });
      else if (op.op === 'isum') factors.push({ k: 'isum', op: op.which, idx: op.idx, hi: op.hi, body: operand, span });
      else factors.push({ k: 'fn', fn: op.which === 'sum' ? 'sumall' : 'prodall', arg: operand, span });
      break;
    }
    if (factors.length === 0) {
      const t = this.peek();
      throw this.err(t.type === 'eof' ? 'the formula ends where an expression was expected' : `expected an expression, found ${describe(t)}`, t.span);
    }
    if (factors.length === 1) return factors[0]!;
    return { k: 'mul', args: factors, span: this.spanFrom(start) };
  }

  private isLetterD(o = 0): boolean {
    const t = this.peek(o);
    if (this.is(t, 'letter', 'd') && !this.ctx.isSymbol('d')) return true;
    return this.isMathrmD(o);
  }
  private isMathrmD(o = 0): boolean {
    const t = this.peek(o);
    if (this.is(t, 'command', '\\mathrm') || this.is(t, 'command', '\\operatorname') || this.is(t, 'command', '\\text')) {
      return this.isP('{', o + 1) && this.is(this.peek(o + 2), 'letter', 'd') && this.isP('}', o + 3);
    }
    return false;
  }
  private skipD(): Span {
    const t = this.peek();
    if (this.is(t, 'letter', 'd') || this.is(t, 'command', '\\partial')) {
      this.next();
      return t.span;
    }
    // \mathrm{d}
    this.next();
    this.next();
    this.next();
    const end = this.next();
    return { start: t.span.start, end: end.span.end };
  }

  /** A factor with its postfix operators, or an operator waiting for its operand. */
  private parseFactorItem(): Item {
    const start = this.peek().span.start;
    this.enter(this.peek().span);
    const item = this.parseAtom();
    this.leave();
    if ('operator' in item) return item;
    return { node: this.parsePostfix(item.node, start) };
  }

  private parseFactorNode(what: string): Node {
    const t = this.peek();
    const item = this.parseFactorItem();
    if ('operator' in item) throw this.err(`expected ${what}, found an operator`, t.span);
    return item.node;
  }

  // ---------- postfix ----------
  private parsePostfix(node: Node, start: number): Node {
    for (;;) {
      if (this.isP('^')) {
        const caret = this.next();
        node = this.parseSuperscript(node, start, caret);
        continue;
      }
      if (this.isP("'")) {
        this.next();
        node = { k: 'T', arg: node, span: this.spanFrom(start) };
        continue;
      }
      if (this.isP('_')) {
        const us = this.next();
        const idx = this.parseIndexList(us);
        node = { k: 'entry', of: node, idx, span: this.spanFrom(start) };
        continue;
      }
      return node;
    }
  }

  /** The content of a superscript: transpose marks, -1, -T, or an exponent. */
  private parseSuperscript(node: Node, start: number, caret: Token): Node {
    const t = this.peek();
    const single = !this.is(t, 'punct', '{');
    // collect the group's tokens for pattern matching
    let groupEnd: number;
    let inner: Token[];
    if (single && t.type === 'command' && FONT_COMMANDS.has(t.text)) {
      // ^\mathsf{T}: a font command and its group make one superscript
      groupEnd = skipGroup(this.toks, this.pos + 1);
      inner = this.toks.slice(this.pos, groupEnd);
    } else if (single) {
      inner = [t];
      groupEnd = this.pos + 1;
      if (t.type === 'eof') throw this.err('^ needs an exponent', caret.span);
    } else {
      groupEnd = skipGroup(this.toks, this.pos);
      inner = this.toks.slice(this.pos + 1, groupEnd - 1);
    }
    // fonts and braces change how a mark looks, not what it means: {\mathsf T}, \mathrm{T}
    const text = inner
      .filter((x) => !(x.type === 'command' && FONT_COMMANDS.has(x.text)) && !(x.type === 'punct' && (x.text === '{' || x.text === '}')))
      .map((x) => x.text)
      .join('');
    const mark = (s: string) => TRANSPOSE_MARKS.has(s);
    if (mark(text)) {
      this.pos = groupEnd;
      return { k: 'T', arg: node, span: this.spanFrom(start) };
    }
    if (text === '-1') {
      this.pos = groupEnd;
      return { k: 'inv', arg: node, span: this.spanFrom(start) };
    }
    if (text.startsWith('-') && mark(text.slice(1))) {
      this.pos = groupEnd;
      return { k: 'T', arg: { k: 'inv', arg: node, span: this.spanFrom(start) }, span: this.spanFrom(start) };
    }
    // a general exponent
    let exp: Node;
    if (single) {
      if (t.type === 'number') {
        // ^23 in LaTeX means ^2 followed by 3: only the first digit is the exponent
        this.next();
        const d = t.text[0]!;
        if (t.text.length > 1) throw this.err(`write ^{${t.text}} with braces: ^${t.text} raises to ${d} only`, t.span);
        exp = { k: 'num', p: Number(d), q: 1, span: t.span };
      } else if (t.type === 'letter') {
        this.next();
        exp = { k: 'sym', name: t.text, span: t.span };
      } else {
        exp = this.parseFactorNode('an exponent');
      }
    } else {
      this.next(); // {
      exp = this.parseExpr();
      this.expectP('}', 'to close the exponent');
    }
    return { k: 'pow', base: node, exp, span: this.spanFrom(start) };
  }

  /** `_1`, `_{12}`, `_{ij}`, `_{i,j}`. */
  private parseIndexList(us: Token): RawIndex[] {
    const t = this.peek();
    const out: RawIndex[] = [];
    const take = (x: Token) => {
      if (x.type === 'number') out.push({ kind: 'num', text: x.text });
      else if (x.type === 'letter') out.push({ kind: 'var', name: x.text });
      else if (x.type === 'punct' && x.text === ',') {
        /* separator */
      } else throw this.err(`cannot read ${describe(x)} as an index`, x.span);
    };
    if (this.is(t, 'punct', '{')) {
      const end = skipGroup(this.toks, this.pos);
      for (let i = this.pos + 1; i < end - 1; i++) take(this.toks[i]!);
      this.pos = end;
    } else if (t.type === 'number') {
      // x_12 in LaTeX is x_1 2: only one digit is subscripted
      this.next();
      out.push({ kind: 'num', text: t.text[0]! });
      if (t.text.length > 1) throw this.err(`write _{${t.text}} with braces: _${t.text} subscripts ${t.text[0]} only`, t.span);
    } else if (t.type === 'letter') {
      this.next();
      out.push({ kind: 'var', name: t.text });
    } else throw this.err('_ needs an index', us.span);
    if (out.length === 0) throw this.err('empty subscript', us.span);
    return out;
  }

  /** The raw text of a subscript group, for names like `x_1` and `I_n`, without consuming. */
  private peekSubscriptText(o: number): { text: string; len: number } | null {
    if (!this.isP('_', o)) return null;
    const t = this.peek(o + 1);
    if (this.is(t, 'punct', '{')) {
      let s = '';
      let len = 2;
      for (let k = o + 2; ; k++) {
        const x = this.peek(k);
        len++;
        if (x.type === 'eof') return null;
        if (this.is(x, 'punct', '}')) break;
        s += x.text;
      }
      return { text: s, len };
    }
    if (t.type === 'number') return { text: t.text[0]!, len: 2 };
    if (t.type === 'letter' || t.type === 'command') return { text: t.text, len: 2 };
    return null;
  }

  // ---------- atoms ----------
  private parseAtom(): Item {
    const t = this.peek();
    switch (t.type) {
      case 'eof':
        throw this.err('the formula ends where an expression was expected', t.span);
      case 'number': {
        this.next();
        return { node: numberNode(t) };
      }
      case 'letter':
        return this.parseLetter();
      case 'punct':
        return { node: this.parseDelimited() };
      case 'command':
        return this.parseCommand();
    }
  }

  private parseDelimited(): Node {
    const t = this.peek();
    const start = t.span.start;
    if (t.text === '(' || t.text === '[') {
      this.next();
      const close = t.text === '(' ? ')' : ']';
      const e = this.parseEnclosed('group');
      if (!this.isP(close)) {
        const at = this.peek();
        throw this.err(at.type === 'eof' ? `unbalanced brackets: this ${t.text} is never closed` : `expected '${close}' to close the ${t.text}, found ${describe(at)}`, at.type === 'eof' ? t.span : at.span);
      }
      this.next();
      return withSpan(e, { start, end: this.spanFrom(start).end }, true);
    }
    if (t.text === '{') {
      this.next();
      const e = this.parseEnclosed('group');
      if (!this.isP('}')) {
        const at = this.peek();
        throw this.err(at.type === 'eof' ? 'unbalanced braces: this { is never closed' : `expected '}', found ${describe(at)}`, at.type === 'eof' ? t.span : at.span);
      }
      this.next();
      return e;
    }
    if (t.text === '|') {
      this.next();
      const e = this.parseEnclosed('bars');
      if (!this.isP('|')) throw this.err('this | is never closed', t.span);
      this.next();
      return { k: 'fn', fn: 'bars', arg: e, span: this.spanFrom(start) };
    }
    if (t.text === '}') throw this.err('unbalanced braces: this } closes nothing', t.span);
    if (t.text === ')' || t.text === ']') throw this.err(`unbalanced brackets: this ${t.text} closes nothing`, t.span);
    throw this.err(`unexpected '${t.text}'`, t.span);
  }

  private parseLetter(): Item {
    const t = this.peek();
    const start = t.span.start;
    const L = t.text;
    // a symbol whose exact name carries its subscript: x_1 declared as its own symbol
    const sub = this.peekSubscriptText(1);
    if (sub && this.ctx.isSymbol(`${L}_${sub.text}`)) {
      this.pos += 1 + sub.len;
      return { node: { k: 'sym', name: `${L}_${sub.text}`, span: this.spanFrom(start) } };
    }
    // plain-text function words: tr(…), Tr[…]
    const word = this.peekWord();
    if (word.length > 1) {
      const fn = functionByWord(word);
      const after = this.peek(word.length);
      if (fn && fn !== 'd' && (this.is(after, 'punct', '(') || this.is(after, 'punct', '['))) {
        this.pos += word.length;
        return { node: this.parseFunctionArg(fn as FnName, start) };
      }
    }
    if (L === 'd' && !this.ctx.isSymbol('d') && this.startsFactor(1)) {
      this.next();
      return { operator: { op: 'diff', span: t.span } };
    }
    this.next();
    if (L === 'e' && !this.ctx.isSymbol('e') && this.isP('^')) {
      this.next();
      let arg: Node;
      if (this.isP('{')) {
        this.next();
        arg = this.parseExpr();
        this.expectP('}', 'to close the exponent of e');
      } else arg = this.parseFactorNode('an exponent');
      return { node: { k: 'fn', fn: 'exp', arg, span: this.spanFrom(start) } };
    }
    if (L === 'I' && !this.ctx.isSymbol('I')) {
      const dim = this.readDimSubscript();
      return { node: { k: 'I', dim, span: this.spanFrom(start) } };
    }
    if (this.ctx.isFunction(L) && this.isP('(')) {
      return { node: this.parseCall(L, start) };
    }
    if (this.isP('(') && !this.ctx.isSymbol(L)) return { node: { k: 'sym', name: L, span: t.span, callLike: true } };
    return { node: { k: 'sym', name: L, span: t.span } };
  }

  private readDimSubscript(): string | undefined {
    const sub = this.peekSubscriptText(0);
    if (!sub) return undefined;
    this.pos += sub.len;
    return sub.text;
  }

  /** Consecutive letters from the current token (for `tr`, `Tr`). */
  private peekWord(): string {
    let s = '';
    for (let o = 0; o < 8; o++) {
      const t = this.peek(o);
      if (t.type !== 'letter') break;
      s += t.text;
    }
    // only the longest known prefix matters
    for (let n = s.length; n > 1; n--) if (functionByWord(s.slice(0, n))) return s.slice(0, n);
    return '';
  }

  /** Whether the token at offset o can begin a factor (for `d` as a differential). */
  private startsFactor(o: number): boolean {
    const t = this.peek(o);
    if (t.type === 'letter') return true;
    if (t.type === 'punct') return t.text === '(' || t.text === '[' || t.text === '{' || t.text === '|';
    if (t.type === 'command') {
      if (['\\cdot', '\\times', '\\circ', '\\odot', '\\otimes', '\\neq', '\\ne', '\\\\', '\\end', '\\}'].includes(t.text)) return false;
      return true;
    }
    return false;
  }

  private parseCall(name: string, start: number): Node {
    this.expectP('(', 'after a function name');
    const args: Node[] = [];
    for (;;) {
      args.push(this.parseEnclosed('group'));
      if (this.isP(',')) {
        this.next();
        continue;
      }
      this.expectP(')', `to close the arguments of ${name}`);
      break;
    }
    return { k: 'call', name, args, span: this.spanFrom(start) };
  }

  /** The argument of a one-argument function: a delimited group, or the next factor. */
  private parseFunctionArg(fn: FnName, start: number): Node {
    // \sin^2 x: a power written on the function name
    let power: Node | null = null;
    if (this.isP('^')) {
      const caret = this.next();
      const holder: Node = { k: 'num', p: 1, q: 1 };
      const p = this.parseSuperscript(holder, start, caret);
      if (p.k !== 'pow') throw this.err('only a power may be written on a function name', caret.span);
      power = p.exp;
    }
    let arg: Node;
    const t = this.peek();
    if (this.is(t, 'punct', '(') || this.is(t, 'punct', '[') || this.is(t, 'punct', '|') || this.is(t, 'command', '\\{') || this.is(t, 'command', '\\|')) {
      arg = this.parseAtomNode();
    } else if (this.is(t, 'punct', '{')) {
      arg = this.parseAtomNode();
    } else {
      if (this.atExprEnd() || this.isP('+') || this.isP('-')) throw this.err(`${fnLabel(fn)} needs an argument`, { start, end: t.span.start });
      // without delimiters a function applies to the product that follows, up to the next
      // function: \operatorname{tr} AB is tr(AB), \det A \det B is det(A) det(B)
      this.operandDepth++;
      try {
        arg = this.parseProduct();
      } finally {
        this.operandDepth--;
      }
    }
    let node: Node = { k: 'fn', fn, arg, span: this.spanFrom(start) };
    if (power) node = { k: 'pow', base: node, exp: power, span: this.spanFrom(start) };
    return node;
  }

  /** Whether the next token starts a function application (it ends an undelimited argument). */
  private startsFunction(): boolean {
    const t = this.peek();
    if (t.type === 'command') {
      if (t.text === '\\sigma') return !this.ctx.isSymbol('\\sigma') && (this.isP('(', 1) || this.isC('\\left', 1));
      if (FUNCTION_COMMANDS.has(t.text) || t.text === '\\sqrt' || t.text === '\\sum' || t.text === '\\prod') return true;
      if (OPERATOR_NAME_COMMANDS.has(t.text)) {
        const fn = functionByWord(this.peekBraceText(1) ?? '');
        return fn !== null && fn !== 'd';
      }
      return false;
    }
    if (t.type === 'letter') {
      const word = this.peekWord();
      const fn = word.length > 1 ? functionByWord(word) : null;
      const after = this.peek(word.length);
      return fn !== null && fn !== 'd' && (this.is(after, 'punct', '(') || this.is(after, 'punct', '['));
    }
    return false;
  }

  private parseAtomNode(): Node {
    const item = this.parseAtom();
    if ('operator' in item) throw this.err('expected an expression, found an operator', item.operator.span);
    return item.node;
  }

  private parseCommand(): Item {
    const t = this.peek();
    const start = t.span.start;
    const c = t.text;

    if (c === '\\frac' || c === '\\tfrac' || c === '\\dfrac' || c === '\\cfrac') return this.parseFrac();
    if (c === '\\partial') {
      this.next();
      return { operator: { op: 'diff', span: t.span } };
    }
    if (this.isMathrmD()) {
      // \mathrm{d}X: a differential
      const span = this.skipD();
      return { operator: { op: 'diff', span } };
    }
    if (c === '\\nabla') return this.parseNabla();
    if (c === '\\sum' || c === '\\prod') return this.parseBigOp(c === '\\sum' ? 'sum' : 'prod');
    if (c === '\\begin') return { node: this.parseEnvironment() };
    if (c === '\\{') {
      this.next();
      const e = this.parseExpr();
      if (!this.isC('\\}')) throw this.err('this \\{ is never closed', t.span);
      this.next();
      return { node: e };
    }
    if (c === '\\|') {
      this.next();
      const e = this.parseEnclosed('norm');
      if (!this.isC('\\|')) throw this.err('this \\| is never closed', t.span);
      this.next();
      // \|x\|^2_2 is \|x\|_2^2: TeX stacks both scripts on the norm
      if (this.isP('^')) {
        const supEnd = skipGroup(this.toks, this.pos + 1);
        if (this.is(this.toks[supEnd] ?? this.peek(), 'punct', '_')) {
          const subEnd = skipGroup(this.toks, supEnd + 1);
          const sup = this.toks.slice(this.pos, supEnd);
          const sub = this.toks.slice(supEnd, subEnd);
          this.toks.splice(this.pos, subEnd - this.pos, ...sub, ...sup);
        }
      }
      let fn: FnName = 'norm';
      const sub = this.peekSubscriptText(0);
      if (sub) {
        const s = sub.text.replace(/\\(mathrm|text|rm|mathsf)/g, '').replace(/[{}]/g, '');
        if (s === '2') fn = 'norm2';
        else if (s === 'F') fn = 'normF';
        else throw this.err(`unknown norm \\|·\\|_${sub.text}: use _2 or _F`, { start: t.span.start, end: this.peek(sub.len).span.start }, 'unsupported');
        this.pos += sub.len;
      }
      return { node: { k: 'fn', fn, arg: e, span: this.spanFrom(start) } };
    }
    if (c === '\\sqrt') {
      this.next();
      if (this.isP('[')) throw this.err('\\sqrt[n]{…} roots other than square roots are not supported', t.span, 'unsupported');
      const arg = this.isP('{') ? this.parseAtomNode() : this.parseFactorNode('the argument of \\sqrt');
      return { node: { k: 'fn', fn: 'sqrt', arg, span: this.spanFrom(start) } };
    }
    if (OPERATOR_NAME_COMMANDS.has(c)) {
      const word = this.peekBraceText(1);
      const fn = word !== null ? functionByWord(word) : null;
      if (fn && fn !== 'd') {
        this.next();
        this.pos = skipGroup(this.toks, this.pos);
        return { node: this.parseFunctionArg(fn as FnName, start) };
      }
      if (c === '\\mathrm' && word !== null && /^[A-Za-z]$/.test(word)) {
        // an upright letter is that letter: \mathrm{e}^{x} is e^{x}, \mathrm{I}_n is I_n
        const end = skipGroup(this.toks, this.pos + 1);
        const letter = this.toks[this.pos + 2]!;
        this.toks.splice(this.pos, end - this.pos, { ...letter, span: { start, end: this.toks[end - 1]!.span.end } });
        return this.parseLetter();
      }
      throw this.err(`unknown function ${c}{${word ?? '…'}}`, this.groupSpan(start), 'unknown-macro');
    }
    const fn = FUNCTION_COMMANDS.get(c);
    if (fn && !(c === '\\sigma' && this.ctx.isSymbol('\\sigma'))) {
      if (c === '\\sigma' && !this.isP('(', 1) && !this.isC('\\left', 1)) {
        // \sigma not applied to anything: a symbol
      } else {
        this.next();
        return { node: this.parseFunctionArg(fn, start) };
      }
    }
    if (BOLD_WRAPPERS.has(c)) {
      this.next();
      const inner = this.peek();
      let nameTok: Token;
      if (this.is(inner, 'punct', '{')) {
        const end = skipGroup(this.toks, this.pos);
        const body = this.toks.slice(this.pos + 1, end - 1);
        if (body.length !== 1) {
          // \mathbf{Ax}: bold applies to each letter, read the content as an expression
          this.next();
          const e = this.parseExpr();
          this.expectP('}', `to close ${c}`);
          return { node: e };
        }
        nameTok = body[0]!;
        this.pos = end;
      } else {
        nameTok = this.next();
      }
      if (nameTok.type === 'number') {
        if (nameTok.text === '1') return { node: { k: 'ones', dim: this.readDimSubscript(), span: this.spanFrom(start) } };
        if (nameTok.text === '0') return { node: { k: 'zero', span: this.spanFrom(start) } };
        return { node: numberNode(nameTok) };
      }
      const name = nameTok.type === 'letter' ? nameTok.text : GREEK.has(nameTok.text) ? nameTok.text : null;
      if (!name) throw this.err(`cannot read ${describe(nameTok)} as a symbol`, nameTok.span);
      if (name === 'I' && !this.ctx.isSymbol('I')) return { node: { k: 'I', dim: this.readDimSubscript(), span: this.spanFrom(start) } };
      return { node: this.symbolFromName(name, start) };
    }
    if (ACCENTS.has(c)) {
      this.next();
      const inner = this.peek();
      let innerName: string;
      if (this.is(inner, 'punct', '{')) {
        const end = skipGroup(this.toks, this.pos);
        const body = this.toks.slice(this.pos + 1, end - 1).filter((x) => !BOLD_WRAPPERS.has(x.text) && x.text !== '{' && x.text !== '}');
        if (body.length !== 1) throw this.err(`${c}{…} must wrap one symbol`, this.groupSpan(start));
        innerName = body[0]!.text;
        this.pos = end;
      } else innerName = this.next().text;
      return { node: this.symbolFromName(`${c}{${innerName}}`, start) };
    }
    if (c === '\\pi') {
      this.next();
      return { node: { k: 'const', name: 'pi', span: t.span } };
    }
    if (GREEK.has(c)) {
      this.next();
      if (this.ctx.isFunction(c) && this.isP('(')) return { node: this.parseCall(c, start) };
      const sub = this.peekSubscriptText(0);
      if (sub && this.ctx.isSymbol(`${c}_${sub.text}`)) {
        this.pos += sub.len;
        return { node: { k: 'sym', name: `${c}_${sub.text}`, span: this.spanFrom(start) } };
      }
      return { node: { k: 'sym', name: c, span: t.span } };
    }
    if (c === '\\left' || c === '\\right') throw this.err(`${c} without a delimiter`, t.span);
    if (['\\cdot', '\\times', '\\circ', '\\odot', '\\otimes'].includes(c)) throw this.err(`${c} needs something on its left`, t.span);
    if (c === '\\\\') throw this.err('a row break \\\\ outside a matrix or aligned block', t.span);
    if (c === '\\end') throw this.err('\\end without a matching \\begin', t.span);
    if (c === '\\}') throw this.err('this \\} closes nothing', t.span);
    throw this.err(`unknown macro ${c}`, t.span, 'unknown-macro');
  }

  private symbolFromName(name: string, start: number): Node {
    const sub = this.peekSubscriptText(0);
    if (sub && this.ctx.isSymbol(`${name}_${sub.text}`)) {
      this.pos += sub.len;
      return { k: 'sym', name: `${name}_${sub.text}`, span: this.spanFrom(start) };
    }
    if (this.ctx.isFunction(name) && this.isP('(')) return this.parseCall(name, start);
    return { k: 'sym', name, span: this.spanFrom(start) };
  }

  private groupSpan(start: number): Span {
    const end = skipGroup(this.toks, this.pos + 1);
    return { start, end: this.toks[Math.max(end - 1, 0)]!.span.end };
  }

  /** Text of the brace group at offset o, if it is plain letters. */
  private peekBraceText(o: number): string | null {
    if (!this.isP('{', o)) return null;
    let s = '';
    for (let k = o + 1; ; k++) {
      const x = this.peek(k);
      if (x.type === 'eof') return null;
      if (this.is(x, 'punct', '}')) return s;
      s += x.text;
    }
  }

  // ---------- derivatives ----------
  private parseFrac(): Item {
    const fracTok = this.next();
    const start = fracTok.span.start;
    // \frac12, \frac1n: TeX takes a single token as an argument
    this.braceSingleToken(this.pos, fracTok);
    const numEnd = skipGroup(this.toks, this.pos);
    const denStart = numEnd;
    this.braceSingleToken(denStart, fracTok);
    if (!this.is(this.toks[denStart] ?? this.peek(), 'punct', '{')) throw this.err(`${fracTok.text} needs a {denominator}`, fracTok.span);
    // a derivative when both parts start with ∂ or d
    const numFirst = this.pos + 1;
    const isDmark = (i: number) => {
      const x = this.toks[i]!;
      if (this.is(x, 'command', '\\partial')) return true;
      const save = this.pos;
      this.pos = i;
      const r = this.isLetterD(0);
      this.pos = save;
      return r;
    };
    if (isDmark(numFirst) && isDmark(denStart + 1)) {
      this.next(); // {
      this.skipD();
      let order: 1 | 2 = 1;
      if (this.isP('^')) {
        const caret = this.next();
        const o = this.next();
        const ot = o.text === '{' ? (this.next().text + (this.expectP('}', 'after the order'), '')) : o.text;
        if (ot !== '2') throw this.err('only first and second derivatives are supported', caret.span, 'unsupported');
        order = 2;
      }
      let f: Node | null = null;
      if (!this.isP('}')) {
        f = this.parseExpr();
      }
      this.expectP('}', 'to close the numerator');
      this.expectP('{', 'to open the denominator');
      const { wrt, squared } = this.parseWrtList();
      this.expectP('}', 'to close the denominator');
      if (squared) order = 2;
      if (order === 2 && wrt.length === 1 && !squared) throw this.err('a second derivative needs ∂x^2 or ∂x ∂y in its denominator', this.spanFrom(start));
      if (f) return { node: { k: 'deriv', f, wrt, order, span: this.spanFrom(start) } };
      return { operator: { op: 'deriv', wrt, order, span: this.spanFrom(start) } };
    }
    this.next();
    const num = this.parseExpr();
    this.expectP('}', 'to close the numerator');
    this.expectP('{', 'to open the denominator');
    const den = this.parseExpr();
    this.expectP('}', 'to close the denominator');
    return { node: { k: 'div', num, den, span: this.spanFrom(start) } };
  }

  /**
   * A macro argument given as one token (`\frac12`, `\frac ab`) is wrapped in braces, as TeX
   * reads it: a letter, a command, or the first digit of a number.
   */
  private braceSingleToken(i: number, macro: Token): void {
    const t = this.toks[i];
    if (!t || t.type === 'eof') throw this.err(`${macro.text} needs {numerator}{denominator}`, macro.span);
    if (this.is(t, 'punct', '{')) return;
    if (t.type === 'punct') throw this.err(`${macro.text} needs {numerator}{denominator}`, macro.span);
    const open: Token = { type: 'punct', text: '{', span: { start: t.span.start, end: t.span.start } };
    if (t.type === 'number' && t.text.length > 1) {
      const first: Token = { type: 'number', text: t.text[0]!, span: { start: t.span.start, end: t.span.start + 1 } };
      const rest: Token = { type: 'number', text: t.text.slice(1), span: { start: t.span.start + 1, end: t.span.end } };
      if (rest.text.startsWith('.')) throw this.err(`write ${macro.text}{…}{…} with braces around a decimal`, t.span);
      const close: Token = { type: 'punct', text: '}', span: { start: first.span.end, end: first.span.end } };
      this.toks.splice(i, 1, open, first, close, rest);
      return;
    }
    const close: Token = { type: 'punct', text: '}', span: { start: t.span.end, end: t.span.end } };
    this.toks.splice(i, 1, open, t, close);
  }

  /** `∂X`, `∂x^T`, `∂x ∂x^T`, `∂x^2`, `∂A_{ij}`, `∂ vec(X)^T`, `dX`. */
  private parseWrtList(): { wrt: Wrt[]; squared: boolean } {
    const wrt: Wrt[] = [];
    let squared = false;
    while (this.is(this.peek(), 'command', '\\partial') || this.isLetterD(0)) {
      const dSpan = this.skipD();
      const start = dSpan.start;
      let node = this.parseWrtTarget();
      let transposed = false;
      for (;;) {
        if (this.isP('^')) {
          const caret = this.next();
          const before = node;
          const p = this.parseSuperscript(node, start, caret);
          if (p.k === 'T' && p.arg === before) {
            transposed = !transposed;
            node = before;
            continue;
          }
          if (p.k === 'pow' && p.exp.k === 'num' && p.exp.p === 2 && p.exp.q === 1) {
            squared = true;
            continue;
          }
          throw this.err('a derivative is taken with respect to a variable, its entry or its transpose', this.spanFrom(start));
        }
        if (this.isP("'")) {
          this.next();
          transposed = !transposed;
          continue;
        }
        break;
      }
      wrt.push({ node, transposed });
    }
    if (wrt.length === 0) throw this.err('expected ∂x or dx in the denominator', this.peek().span);
    if (wrt.length > 2) throw this.err('at most second derivatives are supported', this.peek().span, 'unsupported');
    return { wrt, squared };
  }

  private parseWrtTarget(): Node {
    const t = this.peek();
    const start = t.span.start;
    if (this.is(t, 'command', '\\operatorname') || this.is(t, 'command', '\\mathrm')) {
      const word = this.peekBraceText(1);
      if (word === 'vec') {
        this.next();
        this.pos = skipGroup(this.toks, this.pos);
        const arg = this.isP('(') ? this.parseAtomNode() : this.parseAtomNode();
        return { k: 'fn', fn: 'vec', arg, span: this.spanFrom(start) };
      }
    }
    const node = this.parseAtomNode();
    if (this.isP('_')) {
      const us = this.next();
      const idx = this.parseIndexList(us);
      return { k: 'entry', of: node, idx, span: this.spanFrom(start) };
    }
    return node;
  }

  private parseNabla(): Item {
    const t = this.next();
    const start = t.span.start;
    let order: 1 | 2 = 1;
    let target: Node | null = null;
    for (let k = 0; k < 2; k++) {
      if (this.isP('^')) {
        this.next();
        const o = this.next();
        const ot = o.text === '{' ? (this.next().text + (this.expectP('}', 'after the order'), '')) : o.text;
        if (ot !== '2') throw this.err('\\nabla^2 is the only higher-order ∇', o.span, 'unsupported');
        order = 2;
      } else if (this.isP('_')) {
        this.next();
        if (this.isP('{')) {
          this.next();
          target = this.parseWrtTarget();
          this.expectP('}', 'to close the subscript of \\nabla');
        } else target = this.parseAtomNode();
      }
    }
    if (!target) throw this.err('write the variable of \\nabla as a subscript: \\nabla_X', t.span);
    const wrt: Wrt[] = order === 2 ? [{ node: target, transposed: false }, { node: target, transposed: true }] : [{ node: target, transposed: false }];
    return { operator: { op: 'deriv', wrt, order, nabla: true, span: this.spanFrom(start) } };
  }

  private parseBigOp(which: 'sum' | 'prod'): Item {
    const t = this.next();
    const start = t.span.start;
    if (this.isC('\\limits')) this.next();
    if (!this.isP('_')) {
      return { operator: { op: 'sumall', which, span: t.span } };
    }
    this.next();
    const idx: string[] = [];
    let hi: string | undefined;
    const readIdx = (tokens: Token[]) => {
      // i   i,j   i=1   ij
      let k = 0;
      while (k < tokens.length) {
        const x = tokens[k]!;
        if (x.type === 'letter') {
          if (idx.includes(x.text)) throw this.err(`the index ${x.text} is summed twice`, x.span);
          idx.push(x.text);
          k++;
          if (tokens[k] && this.is(tokens[k]!, 'punct', '=')) {
            // lower limit: must be 1
            const lo = tokens[k + 1];
            if (!lo || lo.text !== '1') throw this.err('sums start at 1 (indices are 1-based)', lo?.span ?? x.span, 'unsupported');
            k += 2;
          }
        } else if (this.is(x, 'punct', ',')) k++;
        else throw this.err(`cannot read ${describe(x)} as a summation index`, x.span);
      }
    };
    if (this.isP('{')) {
      const end = skipGroup(this.toks, this.pos);
      readIdx(this.toks.slice(this.pos + 1, end - 1));
      this.pos = end;
    } else readIdx([this.next()]);
    if (this.isP('^')) {
      this.next();
      if (this.isP('{')) {
        const end = skipGroup(this.toks, this.pos);
        hi = this.toks.slice(this.pos + 1, end - 1).map((x) => x.text).join('');
        this.pos = end;
      } else hi = this.next().text;
    }
    if (idx.length === 0) throw this.err('a sum needs an index', t.span);
    return { operator: { op: 'isum', which, idx, hi, span: this.spanFrom(start) } };
  }

  // ---------- environments ----------
  private parseEnvironment(): Node {
    const begin = this.next();
    const start = begin.span.start;
    const env = this.readBraceWord();
    if (ALIGN_ENVS.has(env)) throw this.err(`an ${env} block must be the whole formula`, this.spanFrom(start));
    const kind = MATRIX_ENVS.get(env);
    if (!kind) throw this.err(`unknown environment ${env}`, this.spanFrom(start), 'unknown-macro');
    const rows: Node[][] = [];
    let row: Node[] = [];
    const save = { bar: this.barDepth, norm: this.normDepth, operand: this.operandDepth };
    this.barDepth = 0;
    this.normDepth = 0;
    this.operandDepth = 0;
    for (;;) {
      if (this.isC('\\end')) {
        this.next();
        const name = this.readBraceWord();
        if (name !== env) throw this.err(`\\begin{${env}} is closed by \\end{${name}}`, this.spanFrom(start));
        break;
      }
      if (this.peek().type === 'eof') throw this.err(`\\begin{${env}} is never closed`, begin.span);
      if (this.isC('\\\\')) {
        this.next();
        if (row.length) rows.push(row);
        row = [];
        continue;
      }
      if (this.isP('&')) {
        throw this.err('an empty matrix cell', this.peek().span);
      }
      row.push(this.parseExpr());
      if (this.isP('&')) this.next();
    }
    if (row.length) rows.push(row);
    this.barDepth = save.bar;
    this.normDepth = save.norm;
    this.operandDepth = save.operand;
    if (rows.length === 0) throw this.err('an empty matrix', this.spanFrom(start));
    const width = rows[0]!.length;
    for (const r of rows) {
      if (r.length !== width) throw this.err(`the rows of this matrix have different lengths (${width} and ${r.length})`, this.spanFrom(start), 'parse');
    }
    const mat: Node = { k: 'mat', rows, span: this.spanFrom(start) };
    if (kind === 'det') return { k: 'fn', fn: 'det', arg: mat, span: this.spanFrom(start) };
    return mat;
  }
}

function numberNode(t: Token): Node {
  const s = t.text;
  const dot = s.indexOf('.');
  if (dot < 0) return { k: 'num', p: Number(s), q: 1, span: t.span };
  const decimals = s.length - dot - 1;
  const q = 10 ** decimals;
  const p = Number(s.replace('.', ''));
  const g = gcd(p, q);
  return { k: 'num', p: p / g, q: q / g, span: t.span };
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

function withSpan(n: Node, span: Span, paren: boolean): Node {
  if (paren && (n.k === 'sym' || n.k === 'num')) return n;
  return { ...n, span };
}

function fnLabel(fn: FnName): string {
  return fn === 'bars' ? '|·|' : fn;
}

export function describe(t: Token): string {
  if (t.type === 'eof') return 'the end of the formula';
  return `'${t.text}'`;
}

/** Parse a formula's LaTeX. Throws `EngineError` pointing at the offending span. */
export function parseFormula(src: string, ctx?: ParseContext): ParsedFormula {
  return new Parser(src, ctx).parseFormula();
}

export function parseExpression(src: string, ctx?: ParseContext, offset = 0): Node {
  return new Parser(src, ctx, offset).parseOnlyExpr();
}
