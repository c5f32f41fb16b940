/**
 * Inline math rendered by KaTeX now, as one line of raw HTML (an mdast `html` value): for math
 * that a remark plugin places itself instead of leaving it to rehype-katex (a heading's math, the
 * bound symbol in a definition's badge).
 */
import katex, { type KatexOptions } from 'katex';

export function inlineKatexHtml(latex: string, options: KatexOptions = {}): string {
  return katex.renderToString(latex, { ...options, displayMode: false }).replace(/\n/g, ' ');
}

/**
 * A symbol in running text as bare MathML, for the browser to draw: KaTeX's MathML output
 * without what only tools read (the namespace, which the HTML parser supplies, and the TeX
 * annotation). A third of KaTeX's bytes, in a badge that every build stores, bundles and writes again.
 */
export function inlineMathml(latex: string): string {
  return inlineKatexHtml(latex, { output: 'mathml', throwOnError: false, trust: false, strict: 'ignore' })
    .replace(' xmlns="http://www.w3.org/1998/Math/MathML"', '')
    .replace(/<\/?semantics>|<annotation encoding="application\/x-tex">[^<]*<\/annotation>/g, '');
}
