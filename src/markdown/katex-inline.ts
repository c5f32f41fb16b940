/**
 * Inline math rendered by KaTeX now, as one line of raw HTML (an mdast `html` value): for math
 * that a remark plugin places itself instead of leaving it to rehype-katex (a heading's math, the
 * bound symbol of a definition note).
 */
import katex, { type KatexOptions } from 'katex';

export function inlineKatexHtml(latex: string, options: KatexOptions = {}): string {
  return katex.renderToString(latex, { ...options, displayMode: false }).replace(/\n/g, ' ');
}
