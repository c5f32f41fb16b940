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
import remarkProofsheet, { pagesTransformed, type RemarkProofsheetOptions } from '../src/markdown/remark-proofsheet.ts';

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
async function render(text: string, options: RemarkProofsheetOptions = {}, raw = false) {
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
  it('counts the Markdown pages it transforms, checked or not, with or without formulas (the integration: did the content sync render pages?)', async () => {
    const before = pagesTransformed();
    await render(source, { check: false });
    await render('No formula here.');
    expect(pagesTransformed()).toBe(before + 2);
    // not a Markdown page (no .md or .mdx path): not counted
    await unified().use(remarkParse).use(remarkProofsheet).use(remarkRehype).use(rehypeStringify).process(new VFile({ value: 'text' }));
    expect(pagesTransformed()).toBe(before + 2);
  });

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

  it('a definition card\'s badge says what it binds, the symbol as bare MathML (the browser draws it), and it has no derivation', async () => {
    const page = '---\ntitle: t\n---\n\n:::definition{#phi where="q: n"}\n$$\n\\phi = \\ln\\left(1 + q^\\top q\\right)\n$$\n:::\n';
    const { html, messages } = await render(page, {}, true);
    expect(messages).toEqual([]);
    const badge = /<figure class="ps-identity ps-definition" id="phi"[^>]*><div class="ps-identity-header" data-pagefind-ignore=""><span class="ps-verdict" title="([^"]+)">([\s\S]*?)<\/span><a/.exec(html);
    expect(badge).not.toBeNull();
    expect(badge![1]).toMatch(/^Notation, not a fact: binds its symbol for the rest of the page/);
    expect(badge![2]).toBe('≔ defines <span class="katex"><math><mrow><mi>ϕ</mi></mrow></math></span> (scalar)');
    expect(html).not.toContain('ps-derivation');
    // the card's own formula keeps KaTeX's HTML and MathML
    expect(html).toContain('<span class="katex-html" aria-hidden="true">');
  });

  it('derivations: in the page\'s steps file, linked once after the cards; or, without steps files, folded inside each card', async () => {
    const withFile = await render(source, { stepsFiles: { rootDir: '/', base: '/docs/' } });
    expect(withFile.html).not.toContain('ps-derivation');
    expect(withFile.html.match(/class="ps-steps-file"/g)).toHaveLength(1);
    expect(withFile.html).toMatch(/<p class="ps-steps-file" data-pagefind-ignore=""><a href="\/docs\/_proofsheet\/steps\/[^"]+\/page\.md\.json">[^<]+<\/a><\/p>$/);
    const inCard = await render(source);
    expect(inCard.html).not.toContain('ps-steps-file');
    const card = /<figure class="ps-identity" id="cyclic"[^>]*>([\s\S]*?)<\/figure>/.exec(inCard.html)![1]!;
    expect(card).toMatch(/<details class="ps-derivation" data-pagefind-ignore=""><summary>Derivation<\/summary><pre class="ps-steps">[^<]+<\/pre>/);
    expect(card).toMatch(/<p class="ps-checked">checked: \d+ random trials/);
  });
});
