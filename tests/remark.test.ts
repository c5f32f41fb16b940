/** The remark plugin on its own: directives become cards, with Astro's frontmatter-less body. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rehypeKatex from 'rehype-katex';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import remarkProofsheet from '../src/markdown/remark-proofsheet.ts';

const source = `---
title: Plugin
symbols: "A, B: n×n"
---

::declare

:::identity{#cyclic}
$$
\\operatorname{tr}(AB) = \\operatorname{tr}(BA)
$$
:::

:::identity{#wrong}
$$
\\operatorname{tr}(AB) = \\operatorname{tr}(A)\\operatorname{tr}(B)
$$
:::

See :identity[$\\left(A^\\top\\right)^\\top = A$].
`;

/** `raw`: keep raw HTML, as Astro's pipeline does (remark-rehype's allowDangerousHtml). */
async function render(text: string, options: { check?: boolean } = {}, raw = false) {
  const path = join(mkdtempSync(join(tmpdir(), 'proofsheet-remark-')), 'page.md');
  writeFileSync(path, text);
  // Like Astro: the body after the frontmatter, trimmed, with the file's path.
  const file = new VFile({ path, value: text.replace(/^---\n[\s\S]*?\n---\n/, '').trim() });
  const result = await unified()
    .use(remarkParse)
    .use(remarkMath)
    .use(remarkDirective)
    .use(remarkProofsheet, options)
    .use(remarkRehype, { allowDangerousHtml: raw })
    .use(rehypeKatex)
    .use(rehypeStringify, { allowDangerousHtml: raw })
    .process(file);
  return { html: String(result.value), messages: result.messages };
}

describe('remarkProofsheet', () => {
  it('with checking switched off: the same cards, badged unchecked, without derivations or messages', async () => {
    const { html, messages } = await render(source, { check: false });
    expect(messages).toEqual([]);
    for (const id of ['cyclic', 'wrong']) {
      const card = new RegExp(`<figure class="ps-identity ps-unchecked" id="${id}" data-verdict="unchecked" data-kind="identity"[^>]*>([\\s\\S]*?)</figure>`).exec(html);
      expect(card, id).not.toBeNull();
      expect(card![1]).toContain('<span class="ps-verdict" title="Not checked: this site was built with formula checking switched off">○ unchecked</span>');
      expect(card![1]).toContain(`<a class="ps-permalink" href="#${id}" aria-label="Link to formula ${id}">#</a>`);
      expect(card![1]).toContain('<span class="ps-search-text" hidden>tr(AB) ');
      expect(card![1]).not.toContain('ps-derivation');
    }
    expect(html).toMatch(/<span class="ps-identity-inline ps-unchecked" id="[^"]+" data-verdict="unchecked"/);
    expect(html).not.toContain('::declare');
  });

  it('claims every directive, in order, even after a malformed ::declare', async () => {
    const { html, messages } = await render(source);
    expect(html).toMatch(/<figure class="ps-identity" id="cyclic" data-verdict="(proved|verified)" data-kind="identity"[ >]/);
    expect(html).toMatch(/<figure class="ps-identity" id="wrong" data-verdict="failed" data-kind="identity"[ >]/);
    expect(html).toMatch(/<span class="ps-identity-inline" id="[^"]+" data-verdict="(proved|verified)"[^>]*><span class="katex">/);
    expect(html).toContain('<p class="ps-message">');
    expect(html).not.toMatch(/::declare|:::|:identity/);

    // vfile messages for what does not hold, at the node (real file lines in the text).
    // vfile messages for what does not hold, placed at the node in the text the plugin was given
    // (the body), naming the real file position.
    expect(messages.map((m) => [m.ruleId, m.source, m.line])).toEqual([
      ['error', 'proofsheet', 1],
      ['failed', 'proofsheet', 9],
    ]);
    expect(messages[0]?.reason).toMatch(/^error: \S+: ::declare needs a where=.* \(.*page\.md:6:1\)$/);
    expect(messages[1]?.reason).toMatch(/^failed: wrong: .* \(.*page\.md:14:1\)$/);
  });

  it('leaves pages without formula directives alone', async () => {
    const { html, messages } = await render('---\ntitle: t\n---\n\n$$\na = b\n$$\n\n:::note\nAn aside.\n:::\n');
    expect(html).toContain('<span class="katex-display">');
    expect(html).not.toContain('ps-identity');
    expect(messages).toEqual([]);
  });

  it('a definition card says what it binds, the symbol as MathML only (the browser draws it)', async () => {
    const page = '---\ntitle: t\n---\n\n:::definition{#phi where="q: n"}\n$$\n\\phi = \\ln\\left(1 + q^\\top q\\right)\n$$\n:::\n';
    const { html, messages } = await render(page, {}, true);
    expect(messages).toEqual([]);
    const note = /<p class="ps-definition-note" data-pagefind-ignore="">([\s\S]*?)<\/p>/.exec(html);
    expect(note).not.toBeNull();
    expect(note![1]).toMatch(/^Defines <span class="katex"><math xmlns="http:\/\/www.w3.org\/1998\/Math\/MathML"><semantics><mrow><mi>ϕ<\/mi><\/mrow><annotation encoding="application\/x-tex">\\phi<\/annotation><\/semantics><\/math><\/span> \(scalar\) from here to the end of the page; checked for being well-formed\.$/);
    expect(note![1]).not.toContain('katex-html');
    // the card's own formula keeps KaTeX's HTML and MathML
    expect(html).toContain('<span class="katex-html" aria-hidden="true">');
  });
});
