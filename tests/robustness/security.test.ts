/**
 * Page content is data, never markup or code: directive attributes, ids, `where` and LaTeX cannot
 * put HTML or script into a page; KaTeX's `trust` stays off; nothing in src/ evaluates text as
 * code (no eval, no Function constructor, no node:vm, no mathjs expression parser).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Root, RootContent } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import rehypeKatex from 'rehype-katex';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import remarkDirective from 'remark-directive';
import remarkMath from 'remark-math';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { KATEX_OPTIONS } from '../../src/astro/markdown.ts';
import { indexHtml } from '../../src/astro/report-page.ts';
import { verdictLabel } from '../../src/report/verdict-label.ts';
import { markdownForStepsPath, stepsPath } from '../../src/markdown/steps-files.ts';
import remarkProofsheet, { type RemarkProofsheetOptions } from '../../src/markdown/remark-proofsheet.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Hostile values in well-formed directives (a directive whose attributes do not parse is not a
 * directive but prose, and raw HTML in prose is the author's own markup, as in any Astro site).
 */
const HOSTILE = `---
title: Hostile
symbols: "A, B: n×n"
---

:::identity{id='"><script>alert(1)</script>' where="A: n×n; <img src=x onerror=alert(2)>: n"}
$$
\\operatorname{tr}(AB) = \\operatorname{tr}(BA)
$$
:::

:::identity{id='x" onmouseover="alert(3)' layout="<script>alert(4)</script>"}
$$
A + B = B + A \\text{<img src=x onerror=alert(5)>}
$$
:::

:::identity{#href}
$$
\\href{javascript:alert(6)}{A} = A
$$
:::

:::identity{#url}
$$
\\url{javascript:alert(7)} + \\htmlClass{x}{A} + \\includegraphics{x.png} = A
$$
:::

:::identity{#unknown onload="alert(8)" class="<script>"}
$$
\\unknownmacro{<script>alert(9)</script>} = A
$$
:::

:::definition
$$
y = \\operatorname{tr}(A) \\quad \\text{</figure><script>alert(10)</script>}
$$
:::

:::identity{where="A: n×n; x: n"}
$$
\\frac{\\partial}{\\partial x} x^\\top A x = 2 A x \\text{<iframe src=javascript:alert(11)>}
$$
:::

Inline :identity[$A = A$]{id='"><svg/onload=alert(12)>'} and :identity[$\\text{<b onclick=alert(13)>}A = A$]{where="<iframe>: n"}.
`;

async function render(text: string, options: RemarkProofsheetOptions = {}, raw = true) {
  const path = join(mkdtempSync(join(tmpdir(), 'proofsheet-security-')), 'page.md');
  writeFileSync(path, text);
  const file = new VFile({ path, value: text.replace(/^---\n[\s\S]*?\n---\n/, '').trim() });
  // Like Astro: raw HTML in the author's prose is allowed (remark-rehype + rehype-raw)…
  const processor = unified()
    .use(remarkParse)
    .use(remarkMath)
    .use(remarkDirective)
    .use(remarkProofsheet, options)
    .use(remarkRehype, { allowDangerousHtml: raw });
  if (raw) processor.use(rehypeRaw);
  const result = await processor.use(rehypeKatex, KATEX_OPTIONS).use(rehypeStringify).process(file);
  return String(result.value);
}

/** Elements and attributes of the parsed page that would run or load something. */
function injected(html: string): string[] {
  const found: string[] = [];
  const visit = (node: Root | RootContent) => {
    if (node.type === 'element') {
      if (['script', 'img', 'iframe', 'svg', 'object', 'embed', 'b', 'style', 'link', 'meta'].includes(node.tagName)) found.push(`<${node.tagName}>`);
      for (const [key, value] of Object.entries(node.properties)) {
        if (/^on/i.test(key)) found.push(`${node.tagName} ${key}`);
        if (['href', 'src', 'action', 'formAction'].includes(key) && /^\s*javascript:/i.test(String(value))) found.push(`${node.tagName} ${key}=${String(value)}`);
      }
    }
    if ('children' in node) node.children.forEach(visit);
  };
  visit(fromHtml(html, { fragment: true }));
  return found;
}

describe('security', () => {
  it('KaTeX trust stays off', () => {
    expect(KATEX_OPTIONS.trust).toBe(false);
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      expect(text, relative(root, file)).not.toMatch(/trust\s*:\s*(true|\(|function)/);
    }
  });

  for (const [name, options, raw] of [
    ['checked, as Astro renders it (raw HTML on)', {}, true],
    ['checked, raw HTML off', {}, false],
    ['checking switched off', { check: false }, true],
  ] as const) {
    it(`attributes, ids, where and LaTeX cannot inject markup: ${name}`, async () => {
      const html = await render(HOSTILE, options, raw);
      expect(html).toContain('ps-identity');
      expect(injected(html)).toEqual([]);
      // the hostile text is still there, as text
      const text = fromHtml(html, { fragment: true });
      expect(JSON.stringify(text)).toContain('<script>alert(1)</script>');
    });
  }

  it('a hostile id stays the value of its attribute', async () => {
    const ids: Record<string, unknown>[] = [];
    const visit = (node: Root | RootContent) => {
      if (node.type === 'element' && node.properties.id !== undefined) ids.push(node.properties);
      if ('children' in node) node.children.forEach(visit);
    };
    visit(fromHtml(await render(HOSTILE), { fragment: true }));
    const byId = (id: string) => ids.find((p) => p.id === id);
    expect(byId('"><script>alert(1)</script>')).toBeDefined();
    expect(byId('x" onmouseover="alert(3)')).toBeDefined();
    expect(byId('x" onmouseover="alert(3)')).not.toHaveProperty('onMouseOver');
    expect(byId('"><svg/onload=alert(12)>')).toBeDefined();
  });

  it('the formula index of /verification/ keeps hostile ids, titles and LaTeX as text', () => {
    const hostile = '"><script>alert(1)</script>';
    const html = indexHtml([
      {
        file: 'page.md',
        title: `<img src=x onerror=alert(2)>`,
        href: `/p/"onmouseover="alert(3)`,
        anchor: hostile,
        checked: 1,
        unwrapped: 0,
        formulas: [
          {
            file: 'page.md',
            line: 1,
            column: 1,
            id: hostile,
            kind: 'identity',
            latex: `A = A \\text{</code><script>alert(4)</script>}`,
            status: 'proved',
            message: null,
            href: `/p/#${hostile}`,
            verdict: verdictLabel({ kind: 'identity', latex: 'A = A', status: 'proved' }),
          },
        ],
      },
    ]);
    expect(injected(html)).toEqual([]);
    expect(JSON.stringify(fromHtml(html, { fragment: true }))).toContain('</code><script>alert(4)</script>');
  });

  it('the dev server answers steps files of content pages only, whatever the path says', () => {
    const site = '/site';
    const ok = (path: string) => markdownForStepsPath(site, 'content', path);
    expect(ok('_proofsheet/steps/content/good.md.json')).toBe(join(site, 'content/good.md'));
    expect(ok('_proofsheet/steps/content/a%20b/c.mdx.json')).toBe(join(site, 'content/a b/c.mdx'));
    // the page a card links to is the file the dev server reads
    expect(ok(stepsPath(site, join(site, 'content/a b/c.mdx')))).toBe(join(site, 'content/a b/c.mdx'));
    // a page outside the project still gets a path inside the output folder
    expect(stepsPath(site, '/elsewhere/docs/p.md')).toBe('_proofsheet/steps/_/elsewhere/docs/p.md.json');
    for (const hostile of [
      '_proofsheet/steps/content/../package.json.json',
      '_proofsheet/steps/content/..%2F..%2Fetc%2Fpasswd.md.json',
      '_proofsheet/steps/content%2F..%2Fsecret.md.json',
      '_proofsheet/steps/%2Fetc%2Fpasswd.md.json',
      '_proofsheet/steps/content/.md.json/../../x.md.json',
      '_proofsheet/steps/content/%E0%A4%A.md.json',
      '_proofsheet/steps/content/page.json',
      '_proofsheet/steps/content.md.json',
      '_proofsheet/steps/content/good.md',
      'content/good.md.json',
    ]) {
      expect(ok(hostile), hostile).toBeUndefined();
    }
  });

  it('nothing in src/ evaluates page text as code', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles()) {
      const text = stripComments(readFileSync(file, 'utf8'));
      const rel = relative(root, file);
      if (/\beval\s*\(/.test(text)) offenders.push(`${rel}: eval(`);
      if (/\bnew\s+Function\b|\bFunction\s*\(/.test(text)) offenders.push(`${rel}: Function constructor`);
      if (/from\s+['"](node:)?vm['"]|require\(\s*['"](node:)?vm['"]\s*\)/.test(text)) {
        // node:vm only to fetch V8's gc function (collect-garbage.ts): `runInNewContext('gc')`, a constant
        const onlyGc =
          /import\s*\{\s*runInNewContext\s*\}\s*from\s*['"]node:vm['"]/.test(text) &&
          [...text.matchAll(/\brunInNewContext\s*\(([^)]*)\)/g)].every((m) => m[1]!.trim() === "'gc'") &&
          !/require\(\s*['"](node:)?vm['"]/.test(text);
        if (!onlyGc) offenders.push(`${rel}: node:vm`);
      }
      if (/setTimeout\s*\(\s*['"`]|setInterval\s*\(\s*['"`]/.test(text)) offenders.push(`${rel}: timer with a string`);
      for (const m of text.matchAll(/import\s+(type\s+)?(\*\s+as\s+\w+|\{[^}]*\}|\w+)\s+from\s+['"]mathjs['"]/g)) {
        if (m[1]) continue;
        if (!m[2]!.startsWith('{')) offenders.push(`${rel}: mathjs imported whole (${m[2]})`);
        const names = m[2]!.replace(/[{}]/g, '').split(',').map((s) => s.trim().split(/\s+as\s+/)[0]!);
        for (const bad of ['evaluate', 'parse', 'compile', 'simplify', 'derivative', 'rationalize', 'parser', 'Parser', 'create', 'all']) {
          if (names.includes(bad)) offenders.push(`${rel}: mathjs ${bad}`);
        }
      }
      if (/\bmath\.(evaluate|parse|compile)\b|\bmathjs\.(evaluate|parse|compile)\b/.test(text)) offenders.push(`${rel}: mathjs expression parser`);
      // mathjs loaded on first use (numeric/linalg.ts): only these functions are taken from it
      const lazy = [...text.matchAll(/\bmathjs\(\)\.(\w+)/g)].map((m) => m[1]!);
      for (const m of text.matchAll(/\{([^{}]*)\}\s*=\s*mathjs\(\)/g)) lazy.push(...m[1]!.split(',').map((s) => s.trim().split(/\s*:\s*/)[0]!));
      for (const name of lazy) if (!['eigs', 'expm', 'sqrtm', 'matrix'].includes(name)) offenders.push(`${rel}: mathjs ${name}`);
    }
    expect(offenders).toEqual([]);
  });
});

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|astro)$/.test(entry.name)) out.push(path);
    }
  };
  walk(join(root, 'src'));
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}
