/**
 * The registry of LaTeX the reader knows: one table per role, so a new spelling is a new row,
 * not a new branch in the parser.
 */
import type { FnName } from '../ast.ts';

/** Function names written as words: `\operatorname{tr}`, `\mathrm{Tr}`, plain `Tr(…)`. */
const WORD_FUNCTIONS: Record<string, FnName | 'd'> = {
  tr: 'tr',
  Tr: 'tr',
  trace: 'tr',
  det: 'det',
  diag: 'diag',
  vec: 'vec',
  adj: 'adj',
  softmax: 'softmax',
  sech: 'sech',
  eig: 'eig',
  ln: 'ln',
  log: 'ln',
  exp: 'exp',
  sigmoid: 'sigma',
  d: 'd',
};

export function functionByWord(word: string): FnName | 'd' | null {
  return Object.hasOwn(WORD_FUNCTIONS, word) ? WORD_FUNCTIONS[word]! : null;
}

/** Function commands: `\det`, `\ln`, `\sigma(…)` (the logistic function unless σ is declared). */
export const FUNCTION_COMMANDS = new Map<string, FnName>([
  ['\\det', 'det'],
  ['\\ln', 'ln'],
  ['\\log', 'ln'],
  ['\\exp', 'exp'],
  ['\\sin', 'sin'],
  ['\\cos', 'cos'],
  ['\\tan', 'tan'],
  ['\\tanh', 'tanh'],
  ['\\sinh', 'sinh'],
  ['\\cosh', 'cosh'],
  ['\\sigma', 'sigma'],
  ['\\tr', 'tr'],
  ['\\Tr', 'tr'],
]);

/** Commands that make a letter bold or upright without changing the symbol. */
export const BOLD_WRAPPERS = new Set(['\\mathbf', '\\boldsymbol', '\\bm', '\\pmb', '\\mathit', '\\mathbb', '\\mathcal', '\\vec']);

/** Accents that make a new symbol name: `\hat{\mu}` is not `\mu`. */
export const ACCENTS = new Set(['\\hat', '\\bar', '\\tilde', '\\widehat', '\\widetilde', '\\overline', '\\check', '\\dot', '\\ddot']);

/** Greek letters usable as symbol names. */
export const GREEK = new Set(
  [
    'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
    'lambda', 'mu', 'nu', 'xi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
    'ell', 'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Upsilon', 'Phi', 'Psi', 'Omega',
  ].map((g) => `\\${g}`),
);

/** Rendered, never checked. */
export const IGNORED_COMMANDS = new Set([
  '\\quad', '\\qquad', '\\,', '\\;', '\\!', '\\:', '\\ ', '\\>', '\\displaystyle', '\\textstyle', '\\nonumber', '\\notag',
  '\\limits', '\\nolimits', '\\mathstrut', '\\strut', '\\phantom', '\\middle',
]);

/** Delimiter sizing: the delimiter that follows is kept. */
export const SIZING_COMMANDS = new Set([
  '\\left', '\\right', '\\big', '\\Big', '\\bigg', '\\Bigg', '\\bigl', '\\bigr', '\\Bigl', '\\Bigr', '\\biggl', '\\biggr', '\\Biggl', '\\Biggr', '\\bigm', '\\Bigm',
]);

/** Commands that typeset an operator name: `\operatorname{tr}`, `\operatorname*{tr}`, `\mathrm{Tr}`, `\mathop{…}`. */
export const OPERATOR_NAME_COMMANDS = new Set(['\\operatorname', '\\operatorname*', '\\mathrm', '\\text', '\\textrm', '\\mathop']);

/** Old-style font switches inside a group: `{\rm tr}` is `\mathrm{tr}`, `{\bf x}` is `\mathbf{x}`. */
export const FONT_SWITCHES = new Map<string, string>([
  ['\\rm', '\\mathrm'],
  ['\\mathrm', '\\mathrm'],
  ['\\bf', '\\mathbf'],
  ['\\it', '\\mathit'],
  ['\\sf', '\\mathsf'],
]);

/** Text-mode commands: their group is rendered, never checked (`\text{tr}` excepted: a function name). */
export const TEXT_COMMANDS = new Set(['\\text', '\\textrm', '\\textit', '\\textbf', '\\textsf', '\\texttt', '\\mbox', '\\hbox']);

/** Font commands that change how a mark looks, not what it means: `^{\mathsf T}` is `^T`. */
export const FONT_COMMANDS = new Set(['\\mathsf', '\\mathrm', '\\mathit', '\\mathbf', '\\text', '\\textsf', '\\textrm', '\\rm', '\\sf', '\\operatorname']);

/** Other spellings of delimiters: `\lVert x \rVert` is `\|x\|`, `\lvert X \rvert` is `|X|`. */
export const DELIMITER_ALIASES = new Map<string, { type: 'command' | 'punct'; text: string }>([
  ['\\lVert', { type: 'command', text: '\\|' }],
  ['\\rVert', { type: 'command', text: '\\|' }],
  ['\\Vert', { type: 'command', text: '\\|' }],
  ['\\lvert', { type: 'punct', text: '|' }],
  ['\\rvert', { type: 'punct', text: '|' }],
  ['\\vert', { type: 'punct', text: '|' }],
  ['\\mid', { type: 'punct', text: '|' }],
  ['\\lbrack', { type: 'punct', text: '[' }],
  ['\\rbrack', { type: 'punct', text: ']' }],
  ['\\lbrace', { type: 'command', text: '\\{' }],
  ['\\rbrace', { type: 'command', text: '\\}' }],
  ['\\lparen', { type: 'punct', text: '(' }],
  ['\\rparen', { type: 'punct', text: ')' }],
]);

/** Superscripts that mean transpose (conjugate transpose is the same for real values). */
export const TRANSPOSE_MARKS = new Set(['T', '\\top', '\\intercal', 'H', '*', '\\ast', '\\prime', '\\dagger', "'"]);

/** Matrix environments: a literal matrix, or its determinant. */
export const MATRIX_ENVS = new Map<string, 'matrix' | 'det'>([
  ['bmatrix', 'matrix'],
  ['pmatrix', 'matrix'],
  ['matrix', 'matrix'],
  ['Bmatrix', 'matrix'],
  ['smallmatrix', 'matrix'],
  ['vmatrix', 'det'],
]);

/** Blocks whose rows continue a chain. */
export const ALIGN_ENVS = new Set(['aligned', 'align', 'align*', 'split', 'alignedat', 'gathered', 'eqnarray', 'eqnarray*']);
