/**
 * The plain form of a formula's LaTeX that the site's search (Pagefind) indexes, so that a
 * reader who types TeX finds the formula: `tr(AB)`, `\ln|X|`, `X^{-1}`, `X^T`.
 *
 * Pagefind splits text into words at whitespace only, then drops from the indexed word and
 * from the query word every character that is not a letter, a digit or one of its include
 * characters: `\`, `{`, `(`, `|`, `-` all vanish (`^` is kept, being an include character of
 * this site, see `src/astro/search-index.ts`). So `\operatorname{tr}(AB)` is indexed as
 * `operatornametrab`, and the query `tr(AB)` (→ `trab`) misses it. This form spells every
 * term as the word a reader would type: font and operator wrappers dropped
 * (`\operatorname{tr}` → `tr`, `\mathbf{A}` → `A`), sizing and spacing dropped, every
 * transpose written `^T`, one word per factor with its arguments and postfix operators
 * (`tr(AB)`, `ln|X|`, `X^{-1}`), and words separated at relations, sums, fractions and the
 * spaces between factors.
 */

const ENVIRONMENT = /\\(?:begin|end)\s*\{[^{}]*\}/g;
const TAG = /\\tag\*?\s*\{[^{}]*\}/g;
/** `\operatorname{tr}`, `\text{Tr}`: a function name, which starts a word like a command. */
const OPERATOR = /\\(?:operatorname\*?|mathrm|text|textrm)\s*\{([^{}]*)\}/g;
/** `\mathbf{A}`: a symbol in another font, part of its word. */
const FONT = /\\(?:mathbf|boldsymbol|bm|mathsf|mathit|mathcal|mathbb)\s*\{([^{}]*)\}/g;
const SIZING = /\\(?:left|right|[bB]ig{1,2}[lr]?)(?![a-zA-Z])\s*\.?/g;
const INVERSE_TRANSPOSE = /\^\s*\{\s*-\s*(?:\\top|\\intercal|T)\s*\}/g;
const TRANSPOSE = /\^\s*(?:\{\s*(?:\\top|\\intercal|\\mathsf\s*T|T)\s*\}|\\top|\\intercal|T(?![a-zA-Z]))/g;

/** Commands that separate words: relations, binary operators, spacing, fractions. */
const SEPARATING_COMMANDS = new Set([
  'ne', 'neq', 'approx', 'equiv', 'coloneqq', 'leq', 'geq', 'le', 'ge',
  'cdot', 'times', 'circ', 'odot', 'otimes', 'quad', 'qquad', 'frac', 'dfrac', 'tfrac',
  'displaystyle', 'textstyle',
]);
/** Characters that separate words (a minus only where it is not part of `^{-1}`, `(-x)`). */
const SEPARATING_CHARS = new Set(['=', '+', '&', ',', '<', '>', ';']);

export function searchText(latex: string): string {
  return splitGroups(words(simplify(latex))).replace(/\s+/g, ' ').trim();
}

/**
 * A short readable form for a search result's title: `∂/∂X ln|X| = X^{-1}`.
 * Simple fractions become `a/b`, relations stay, other commands lose their backslash.
 */
export function searchTitle(latex: string, max = 80): string {
  let s = simplify(latex).replace(/\\partial\s*/g, '∂').replace(/\\nabla\s*/g, '∇');
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(FRACTION, (_, top: string, bottom: string) => `${atom(top)}/${atom(bottom)}`);
  }
  s = s
    .replace(/\\neq?(?![a-zA-Z])/g, ' ≠ ')
    .replace(/\\\|/g, '‖')
    .replace(/\\\\|&/g, ' ')
    .replace(/\\[,;:! ]/g, ' ')
    .replace(/\\(?:quad|qquad)(?![a-zA-Z])/g, ' ')
    .replace(/\\([a-zA-Z]+)\s*/g, (_, name: string, at: number, all: string) => `${at > 0 && /[\w)|]/.test(all[at - 1]!) ? ' ' : ''}${name}${/^[a-zA-Z]/.test(all.slice(at + _.length)) ? ' ' : ''}`)
    .replace(/\s*([=<>])\s*/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

const FRACTION = /\\[dt]?frac\s*\{((?:[^{}]|\{[^{}]*\})*)\}\s*\{((?:[^{}]|\{[^{}]*\})*)\}/g;

/** `x` or `(x + y)`: one side of an inline fraction. */
function atom(s: string): string {
  const t = s.trim();
  return /^[\w∂∇|^{}\\-]*$/.test(t) && !/^-/.test(t) && !/\s/.test(t.replace(/^∂\s*/, '')) ? t : `(${t})`;
}

/** Environments, tags, sizing and fonts dropped; function names unwrapped; transposes as ^T. */
function simplify(latex: string): string {
  let s = latex.replace(ENVIRONMENT, ' ').replace(TAG, ' ').replace(SIZING, '');
  // Nested wrappers (`\mathbf{\mathrm{x}}`) unwrap from the inside out.
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(FONT, '$1').replace(OPERATOR, ' $1');
  }
  return s.replace(INVERSE_TRANSPOSE, '^{-T}').replace(TRANSPOSE, '^T');
}

/**
 * Commands lose their backslash and start a new word; separators and spaces between factors
 * become word breaks; spaces inside parentheses go (`\operatorname{tr}(A B)` → `tr(AB)`).
 */
function words(s: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    const command = /^\\([a-zA-Z]+)\s*/.exec(s.slice(i));
    if (command) {
      const name = command[1]!;
      out += SEPARATING_COMMANDS.has(name) ? ' ' : ` ${name}${/[a-zA-Z]/.test(s[i + command[0].length] ?? '') ? ' ' : ''}`;
      i += command[0].length;
      continue;
    }
    if (ch === '\\') {
      // `\\` (a new row), `\,` `\;` `\!` `\:` `\ ` (spacing), `\{` `\|` (delimiters)
      const next = s[i + 1] ?? '';
      if (next === '{' || next === '}' || next === '|') out += next;
      else out += next === '\\' || depth === 0 ? ' ' : '';
      i += 2;
      continue;
    }
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if (SEPARATING_CHARS.has(ch) || (ch === '-' && !/[{^(\[|]$/.test(out.trimEnd()))) out += ' ';
    else if (/\s/.test(ch)) out += depth === 0 ? ' ' : '';
    else out += ch;
    i++;
  }
  return out;
}

/** Braces of `^{…}` and `_{…}` belong to their word; any other group (a fraction's numerator
 * or denominator, a bare `{…}`) is a word of its own. */
function splitGroups(s: string): string {
  const scripts: boolean[] = [];
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '{') {
      const script = s[i - 1] === '^' || s[i - 1] === '_';
      scripts.push(script);
      out += script ? ch : ' ';
    } else if (ch === '}') out += scripts.pop() ? ch : ' ';
    else out += ch;
  }
  return out;
}
