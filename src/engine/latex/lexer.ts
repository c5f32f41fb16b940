/**
 * LaTeX tokenizer. Every token carries its span in the source string so that every parse
 * error, and every node built from tokens, can point at the LaTeX it came from.
 */
import type { Span } from '../api.ts';
import { EngineError } from '../errors.ts';
import { TEXT_COMMANDS } from './macros.ts';

export type TokenType =
  | 'command' // \frac, \partial, \|, \{, \\ …  (text holds the name with its backslash)
  | 'letter' // one letter (LaTeX math juxtaposes letters)
  | 'number' // 12, 3.5
  | 'punct' // { } ^ _ & ' ( ) [ ] | + - = , . / * < > ! :
  | 'eof';

export interface Token {
  type: TokenType;
  text: string;
  span: Span;
}

const PUNCT = new Set(['{', '}', '^', '_', '&', "'", '(', ')', '[', ']', '|', '+', '-', '=', ',', '.', '/', '*', '<', '>', '!', ':', ';']);

export const MAX_LATEX_LENGTH = 200_000;

export function tokenize(src: string): Token[] {
  if (src.length > MAX_LATEX_LENGTH) {
    throw new EngineError(`formula is too long (${src.length} characters, at most ${MAX_LATEX_LENGTH})`, { start: 0, end: src.length }, 'too-large');
  }
  const out: Token[] = [];
  let i = 0;
  const n = src.length;
  // brace depth, and the depths at which text-mode groups (\text{…}) were opened: any character
  // may stand in text, which is rendered and never checked
  let depth = 0;
  const textAt: number[] = [];
  let textPending = false;
  while (i < n) {
    const ch = src[i]!;
    const inText = textAt.length > 0;
    if (ch === '{') {
      depth++;
      if (textPending) textAt.push(depth);
      textPending = false;
    } else if (ch === '}') {
      if (textAt[textAt.length - 1] === depth) textAt.pop();
      depth--;
    } else if (textPending && !/\s/.test(ch)) textPending = false;
    if (ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '%') {
      // comment to end of line
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (ch === '\\') {
      const start = i;
      i++;
      if (i >= n) throw new EngineError('a lone backslash ends the formula', { start, end: i }, 'parse');
      if (/[A-Za-z]/.test(src[i]!)) {
        while (i < n && /[A-Za-z]/.test(src[i]!)) i++;
        // `\operatorname*` and friends
        if (src[i] === '*') i++;
      } else {
        i++;
      }
      const text = src.slice(start, i);
      if (TEXT_COMMANDS.has(text)) textPending = true;
      out.push({ type: 'command', text, span: { start, end: i } });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const start = i;
      while (i < n && /[0-9]/.test(src[i]!)) i++;
      if (src[i] === '.' && /[0-9]/.test(src[i + 1] ?? '')) {
        i++;
        while (i < n && /[0-9]/.test(src[i]!)) i++;
      }
      out.push({ type: 'number', text: src.slice(start, i), span: { start, end: i } });
      continue;
    }
    if (/[A-Za-z]/.test(ch)) {
      out.push({ type: 'letter', text: ch, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    if (PUNCT.has(ch) || inText) {
      out.push({ type: 'punct', text: ch, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    // Unicode conveniences authors type by accident
    const uni: Record<string, string> = { '×': '\\times', '·': '\\cdot', '∂': '\\partial', '≠': '\\neq', '⊤': '\\top', '−': '-', '∘': '\\circ', '⊗': '\\otimes', '⊙': '\\odot', '∇': '\\nabla' };
    if (uni[ch]) {
      out.push({ type: 'command', text: uni[ch]!, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    throw new EngineError(`unexpected character '${ch}'`, { start: i, end: i + 1 }, 'parse');
  }
  out.push({ type: 'eof', text: '', span: { start: n, end: n } });
  return out;
}
