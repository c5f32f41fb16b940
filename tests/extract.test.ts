import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FormulaItem, PageInput } from '../src/engine/api.ts';
import { bodyOffset, extractPage, parseMarkdown, parseMarkdownFile } from '../src/markdown/extract.ts';

const fixture = fileURLToPath(new URL('./fixtures/extract/page.md', import.meta.url));
const source = readFileSync(fixture, 'utf8');
const offsetOf = (text: string, from = 0): number => {
  const at = source.indexOf(text, from);
  if (at < 0) throw new Error(`not in fixture: ${text}`);
  return at;
};

const expected: PageInput = {
  file: 'tests/fixtures/extract/page.md',
  symbols: 'X: n×n invertible; A, B: n×n; x: n',
  layout: 'mixed',
  unwrapped: 2, // the \det block and the one inside the :::note aside; inline $…$ never counts
  items: [
    {
      type: 'declare',
      where: 't: scalar; U(t): n×n invertible',
      loc: { line: 9, column: 1, offset: offsetOf('::declare') },
    },
    {
      type: 'formula',
      kind: 'identity',
      id: 'trace-quadratic',
      where: 'X: m×n; B: n×n',
      latex: '\\frac{\\partial}{\\partial X}\\operatorname{tr}\\left(X B X^\\top\\right) = X\\left(B + B^\\top\\right)',
      loc: { line: 11, column: 1, offset: offsetOf(':::identity{#trace-quadratic') },
      latexLoc: { line: 13, column: 1, offset: offsetOf('\\frac{\\partial}{\\partial X}') },
    },
    {
      type: 'formula',
      kind: 'definition',
      latex: 'y = x^\\top A x',
      loc: { line: 17, column: 1, offset: offsetOf(':::definition') },
      latexLoc: { line: 19, column: 1, offset: offsetOf('y = x^\\top A x') },
    },
    {
      type: 'formula',
      kind: 'identity',
      inline: true,
      where: 'A: n×n',
      latex: '\\operatorname{tr}(A^\\top) = \\operatorname{tr}(A)',
      loc: { line: 23, column: 20, offset: offsetOf(':identity[') },
      latexLoc: { line: 23, column: 31, offset: offsetOf('\\operatorname{tr}(A^\\top)') },
    },
    {
      type: 'formula',
      kind: 'identity',
      latex: '\\frac{\\partial y}{\\partial x} = (A + A^\\top) x',
      loc: { line: 29, column: 1, offset: offsetOf(':::identity{layout=sideways}') },
      latexLoc: { line: 31, column: 1, offset: offsetOf('\\frac{\\partial y}') },
      renderError: { message: 'unknown layout "sideways" (use mixed, numerator or denominator)' },
    },
    {
      type: 'formula',
      kind: 'identity',
      id: 'empty',
      latex: '',
      loc: { line: 35, column: 1, offset: offsetOf(':::identity{#empty}') },
      renderError: { message: ':::identity must wrap one display math block $$…$$; found none' },
    },
    {
      type: 'formula',
      kind: 'identity',
      id: 'two',
      latex: 'a = a',
      loc: { line: 39, column: 1, offset: offsetOf(':::identity{#two}') },
      latexLoc: { line: 41, column: 1, offset: offsetOf('a = a') },
      renderError: {
        message: ':::identity must wrap exactly one display math block; found 2: give each formula its own directive',
      },
    },
    {
      type: 'formula',
      kind: 'identity',
      id: 'bad-latex',
      latex: '\\frac{1}{2 = x',
      loc: { line: 49, column: 1, offset: offsetOf(':::identity{#bad-latex}') },
      latexLoc: { line: 51, column: 1, offset: offsetOf('\\frac{1}{2 = x') },
      renderError: {
        message: "KaTeX: Unexpected end of input in a macro argument, expected '}'",
        span: { start: 14, end: 15 },
      },
    },
  ],
};

describe('extractPage', () => {
  it('turns the fixture into the engine input, with real file positions', () => {
    expect(parseMarkdownFile(fixture)).toEqual(expected);
  });

  it("gives the same positions from Astro's tree, parsed from the body after the frontmatter", () => {
    // Astro renders `content.trim()` after removing the frontmatter.
    const body = source.replace(/^---\n[\s\S]*?\n---\n/, '').trim();
    const tree = parseMarkdown(body);
    expect(tree.children[0]?.position?.start.line).toBe(1);
    expect(parseMarkdownFile(fixture, { tree, value: body })).toEqual(expected);
    expect(bodyOffset(source, body)).toBe(source.indexOf('Some text'));
  });

  it('reads the math of a list item and inside other directives, and a multi-line formula', () => {
    const md = [
      '- item',
      '',
      '  :::identity{#in-list}',
      '  $$',
      '  a',
      '  = a',
      '  $$',
      '  :::',
      '',
      ':::note',
      ':::definition',
      '$$',
      'f(X) = X^2',
      '$$',
      ':::',
      ':::',
      '',
    ].join('\n');
    const page = extractPage(parseMarkdown(md), { source: md, file: 'x.md' });
    const [inList, nested] = page.items as FormulaItem[];
    expect(inList).toMatchObject({ id: 'in-list', latex: 'a\n= a', loc: { line: 3, column: 3 }, latexLoc: { line: 5, column: 3 } });
    expect(inList?.renderError).toBeUndefined();
    expect(nested).toMatchObject({ kind: 'definition', latex: 'f(X) = X^2', loc: { line: 11, column: 1 } });
    expect(page.unwrapped).toBe(0);
  });

  it('reports malformed directives as formulas with a renderError', () => {
    const md = [
      ':identity[no math here]',
      '',
      ':identity[$a$ and $b$]',
      '',
      '::declare',
      '',
      ':::definition{wher="x: n"}',
      '$$',
      'y = x',
      '$$',
      ':::',
      '',
      ':::identity',
      'inline only: $a = a$',
      ':::',
      '',
    ].join('\n');
    const page = extractPage(parseMarkdown(md), { source: md, file: 'x.md' });
    const messages = page.items.map((item) => (item.type === 'formula' ? item.renderError?.message : item.type));
    expect(messages).toEqual([
      ':identity[$…$] must wrap one inline formula $…$ in its label; found none',
      ':identity[$…$] must wrap exactly one inline formula; found 2: give each formula its own directive',
      '::declare needs a where="…" attribute, e.g. ::declare{where="x: n; A: n×n"}',
      'unknown attribute "wher" (use #id, where="…" or layout="…")',
      ':::identity must wrap one display math block $$…$$; found none (inline $…$ is not checked here: use $$…$$ on its own lines)',
    ]);
    expect(page.items.map((item) => item.loc.line)).toEqual([1, 3, 5, 7, 13]);
  });

  it('flags an unknown page layout on every formula that does not set its own', () => {
    const md = '---\ntitle: t\nlayout: diagonal\n---\n\n:::identity{layout=numerator}\n$$\na = a\n$$\n:::\n\n:::identity\n$$\nb = b\n$$\n:::\n';
    const page = extractPage(parseMarkdown(md), { source: md, file: 'x.md' });
    const [own, inherited] = page.items as FormulaItem[];
    expect(page.layout).toBeUndefined();
    expect(own?.renderError).toBeUndefined();
    expect(inherited?.renderError?.message).toBe('frontmatter unknown layout "diagonal" (use mixed, numerator or denominator)');
  });

  it('with locateOnly, finds the same formulas at the same places without reading the frontmatter or asking KaTeX', () => {
    const md = '---\ntitle: t\nsymbols: "x: n"\nlayout: diagonal\n---\n\n:::identity{#bad}\n$$\n\\frac{a = a\n$$\n:::\n\n:identity[$b = b$]\n';
    const full = extractPage(parseMarkdown(md), { source: md, file: 'x.md' });
    const located = extractPage(parseMarkdown(md), { source: md, file: 'x.md', locateOnly: true });
    expect(full).toMatchObject({ symbols: 'x: n' });
    expect((full.items[0] as FormulaItem).renderError?.message).toMatch(/^frontmatter unknown layout/);
    expect((full.items[1] as FormulaItem).renderError?.message).toMatch(/^frontmatter unknown layout/);
    expect(located.symbols).toBeUndefined();
    expect(located.items.map((item) => (item as FormulaItem).renderError)).toEqual([undefined, undefined]);
    const where = (page: PageInput) => page.items.map((item) => [item.loc, (item as FormulaItem).latexLoc, (item as FormulaItem).latex]);
    expect(where(located)).toEqual(where(full));
    // without the frontmatter's problem, the full extraction asks KaTeX, which refuses the first formula
    const plain = md.replace('layout: diagonal\n', '');
    expect((extractPage(parseMarkdown(plain), { source: plain, file: 'x.md' }).items[0] as FormulaItem).renderError?.message).toMatch(/^KaTeX: /);
    expect((extractPage(parseMarkdown(plain), { source: plain, file: 'x.md', locateOnly: true }).items[0] as FormulaItem).renderError).toBeUndefined();
  });

  it('parses .mdx pages', () => {
    const mdx = '---\ntitle: t\n---\nimport X from "./x.astro";\n\n<X />\n\n:::identity{#m}\n$$\na_{1} = a_{1}\n$$\n:::\n';
    const page = extractPage(parseMarkdown(mdx, 'page.mdx'), { source: mdx, file: 'page.mdx' });
    expect(page.items).toMatchObject([{ id: 'm', latex: 'a_{1} = a_{1}', loc: { line: 8, column: 1 } }]);
  });
});
