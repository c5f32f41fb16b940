/** Math in headings (src/markdown/remark-heading-math.ts): rendered, with a plain form for the table of contents. */
import rehypeStringify from 'rehype-stringify';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import remarkHeadingMath, { plainText } from '../src/markdown/remark-heading-math.ts';

describe('remarkHeadingMath', () => {
  it('writes the plain form with Unicode scripts and no braces', () => {
    expect(plainText('XBX^\\top')).toBe('XBXᵀ');
    expect(plainText('AX^{-1}')).toBe('AX⁻¹');
    expect(plainText('a_{ij} + e^{x}')).toBe('aᵢⱼ + e^x');
  });

  it('renders heading math as raw KaTeX HTML, kept out of the search index, then a hidden plain form', async () => {
    const html = String(
      await unified()
        .use(remarkParse)
        .use(remarkMath)
        .use(remarkHeadingMath, { output: 'htmlAndMathml' })
        .use(remarkRehype, { allowDangerousHtml: true })
        .use(rehypeStringify, { allowDangerousHtml: true })
        .process('### The trace of $AX^{-1}$\n\nText with $x$.\n'),
    );
    expect(html).toMatch(/^<h3>The trace of <span data-pagefind-ignore><span class="katex">.*<\/span><\/span><span hidden>AX⁻¹<\/span><\/h3>/);
    expect(html).not.toMatch(/<h3>[^\n]*\n[^\n]*<\/h3>/); // one line: Astro's heading collection skips it
    expect(html).toContain('<code class="language-math math-inline">x</code>'); // math elsewhere is left to rehype-katex
  });
});
