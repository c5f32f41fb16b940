/**
 * remark plugin: math in a heading, rendered by KaTeX, without spoiling the table of contents.
 *
 * Astro takes a heading's table-of-contents text and id from every text node in it, KaTeX's
 * MathML and LaTeX annotation included, so `### The trace of $XBX^\top$` would be listed as
 * "The trace of XBX⊤XBX^\topXBX⊤". Here the math is rendered now, as one line of raw HTML (which
 * heading collection skips, and which stays out of the search index), followed by a hidden plain
 * form (`XBXᵀ`, `AX⁻¹`) that the table of contents, the id and the anchor's label read instead.
 */
import type { Emphasis, Html, Root } from 'mdast';
import type {} from 'mdast-util-to-hast';
import type { KatexOptions } from 'katex';
import { visit } from 'unist-util-visit';
import { inlineKatexHtml } from './katex-inline.ts';
import { searchTitle } from './search-text.ts';

export default function remarkHeadingMath(options: KatexOptions = {}) {
  return function transformer(tree: Root): void {
    visit(tree, 'heading', (heading) => {
      visit(heading, 'inlineMath', (math, index, parent) => {
        if (!parent || index === undefined) return;
        const html = inlineKatexHtml(math.value, options);
        const rendered: Html = { type: 'html', value: `<span data-pagefind-ignore>${html}</span>` };
        // `hidden`: not shown and not read out (the MathML above is); still text for the table of contents.
        const hidden: Emphasis = {
          type: 'emphasis',
          children: [{ type: 'text', value: plainText(math.value) }],
          data: { hName: 'span', hProperties: { hidden: true } },
        };
        parent.children.splice(index, 1, rendered, hidden);
        return index + 2;
      });
    });
  };
}

const SUPERSCRIPTS: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻', '+': '⁺', T: 'ᵀ', n: 'ⁿ', i: 'ⁱ', k: 'ᵏ' };
const SUBSCRIPTS: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ' };

/** `XBX^T` → `XBXᵀ`, `AX^{-1}` → `AX⁻¹`, `a_{ij}` → `aᵢⱼ`; scripts without a Unicode form keep `^`/`_`, never braces. */
export function plainText(latex: string): string {
  return searchTitle(latex).replace(/([\^_])(?:\{([^{}]*)\}|(.))/g, (whole, mark: string, group?: string, single?: string) => {
    const script = group ?? single ?? '';
    const table = mark === '^' ? SUPERSCRIPTS : SUBSCRIPTS;
    const chars = [...script];
    return chars.every((c) => table[c]) ? chars.map((c) => table[c]).join('') : `${mark}${script}`;
  });
}
