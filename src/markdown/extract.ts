/**
 * Markdown → the engine's PageInput.
 *
 * Reads the authoring syntax of shared/spec/authoring.md from an mdast tree (remark-parse +
 * remark-frontmatter + remark-math + remark-directive): page frontmatter, `::declare`,
 * `:::identity` / `:::definition` around one display math block, and the inline
 * `:identity[$…$]`. Positions are real file positions even when the tree was parsed from
 * Astro's frontmatter-less body (see `baseOffset`).
 *
 * A malformed directive is not dropped: it becomes a FormulaItem with `renderError` set, so
 * it surfaces as an `error` result at the directive's position (see `verify.ts`).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Nodes, Parents, Root } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import type { InlineMath, Math as MathNode } from 'mdast-util-math';
import katex from 'katex';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import remarkMdx from 'remark-mdx';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { SKIP, visit } from 'unist-util-visit';
import { location } from 'vfile-location';
import { parse as parseYaml } from 'yaml';
import type { DeclareItem, FormulaItem, FormulaKind, Layout, Loc, PageInput } from '../engine/api.ts';

export const LAYOUTS: readonly Layout[] = ['mixed', 'numerator', 'denominator'];
/** Attributes a formula directive accepts (`#id` arrives as `id`, `.x` as `class`). */
const FORMULA_ATTRIBUTES = new Set(['id', 'class', 'where', 'layout']);

type Directive = ContainerDirective | LeafDirective | TextDirective;

export interface ExtractOptions {
  /** The whole file, frontmatter included. */
  source: string;
  /** Path as it should appear in messages (relative to the working directory). */
  file: string;
  /**
   * Offset in `source` of the text the tree was parsed from. 0 for a whole-file parse; for
   * Astro's tree (parsed from the body after the frontmatter) use `bodyOffset(source, body)`.
   */
  baseOffset?: number;
  /**
   * Only find the formulas and their places: no frontmatter (page symbols and layout) and no
   * KaTeX check of each formula (a refusal would be the item's `renderError`). For a page whose
   * verdicts are already known, to match them to its directives (the build's remark plugin).
   */
  locateOnly?: boolean;
}

export function isFormulaDirective(node: Nodes): node is Directive {
  return isDirective(node) && (node.name === 'identity' || node.name === 'definition');
}

export function isDeclareDirective(node: Nodes): node is LeafDirective {
  return node.type === 'leafDirective' && node.name === 'declare';
}

function isDirective(node: Nodes): node is Directive {
  return node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective';
}

/** Where `body` (Astro passes the trimmed text after the frontmatter) starts in `source`. */
export function bodyOffset(source: string, body: string): number {
  const trimmed = body.trim();
  if (trimmed === '') return 0;
  const at = source.lastIndexOf(trimmed);
  return at < 0 ? 0 : at - body.indexOf(trimmed);
}

/** The YAML frontmatter of a Markdown file, or `{}`. */
export function readFrontmatter(source: string): Record<string, unknown> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) return {};
  const data: unknown = parseYaml(match[1]!);
  return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

/** Extract the page's directives, in document order, as the engine's input. */
export function extractPage(tree: Root, options: ExtractOptions): PageInput {
  const { source, file, baseOffset = 0, locateOnly = false } = options;
  const place = location(source);
  const locAt = (offset: number): Loc => {
    const point = place.toPoint(offset);
    return point ? { line: point.line, column: point.column, offset } : { line: 1, column: 1, offset };
  };
  const startOf = (node: Nodes): number => baseOffset + (node.position?.start.offset ?? 0);

  const page: PageInput = { file, items: [], unwrapped: 0 };
  const frontmatter = locateOnly ? {} : readFrontmatter(source);
  const pageErrors: string[] = [];
  if (typeof frontmatter.symbols === 'string') page.symbols = frontmatter.symbols;
  if (frontmatter.layout !== undefined) {
    if (isLayout(frontmatter.layout)) page.layout = frontmatter.layout;
    else pageErrors.push(`frontmatter ${layoutProblem(frontmatter.layout)}`);
  }

  visit(tree, (node: Nodes) => {
    if (node.type === 'math') {
      page.unwrapped! += 1;
      return;
    }
    if (isDeclareDirective(node)) {
      const where = node.attributes?.where;
      const loc = locAt(startOf(node));
      if (typeof where === 'string' && where.trim() !== '') {
        page.items.push({ type: 'declare', where, loc } satisfies DeclareItem);
      } else {
        page.items.push({
          type: 'formula',
          kind: 'definition',
          latex: '',
          loc,
          renderError: { message: '::declare needs a where="…" attribute, e.g. ::declare{where="x: n; A: n×n"}' },
        });
      }
      return SKIP;
    }
    if (!isFormulaDirective(node)) return;
    page.items.push(formulaItem(node, pageErrors, locAt, startOf, source, !locateOnly));
    return SKIP; // math inside a directive is wrapped, never counted as unwrapped
  });
  return page;
}

function formulaItem(
  node: Directive,
  pageErrors: string[],
  locAt: (offset: number) => Loc,
  startOf: (node: Nodes) => number,
  source: string,
  checkRendering: boolean,
): FormulaItem {
  const kind = node.name as FormulaKind;
  const inline = node.type !== 'containerDirective';
  const attributes = node.attributes ?? {};
  const item: FormulaItem = { type: 'formula', kind, latex: '', loc: locAt(startOf(node)) };
  if (inline) item.inline = true;
  if (attributes.id) item.id = attributes.id;
  if (typeof attributes.where === 'string') item.where = attributes.where;

  const problems: string[] = [];
  const layout = attributes.layout;
  if (layout != null) {
    if (isLayout(layout)) item.layout = layout;
    else problems.push(layoutProblem(layout));
  }
  if (item.layout === undefined) problems.push(...pageErrors);
  for (const name of Object.keys(attributes)) {
    if (!FORMULA_ATTRIBUTES.has(name)) problems.push(`unknown attribute "${name}" (use #id, where="…" or layout="…")`);
  }

  const maths = mathIn(node);
  const wanted = inline ? 'inlineMath' : 'math';
  const found = maths.filter((m) => m.type === wanted);
  const syntax = inline ? `:${kind}[$…$]` : `:::${kind}`;
  const math = found[0];
  if (found.length === 0) {
    const what = inline ? 'one inline formula $…$ in its label' : 'one display math block $$…$$';
    const extra = !inline && maths.length > 0 ? ' (inline $…$ is not checked here: use $$…$$ on its own lines)' : '';
    problems.push(`${syntax} must wrap ${what}; found none${extra}`);
  } else if (found.length > 1) {
    problems.push(`${syntax} must wrap exactly one ${inline ? 'inline formula' : 'display math block'}; found ${found.length}: give each formula its own directive`);
  }

  if (math) {
    item.latex = math.value;
    if (found.length === 1 && math.value.trim() === '') problems.push(`${syntax} wraps an empty formula`);
    const start = startOf(math);
    const at = math.value === '' ? -1 : source.indexOf(math.value, start);
    const firstLine = math.value.split('\n', 1)[0]!;
    const fallback = firstLine === '' ? -1 : source.indexOf(firstLine, start);
    item.latexLoc = locAt(at >= 0 ? at : fallback >= 0 ? fallback : start);
  }

  if (problems.length > 0) item.renderError = { message: problems.join('; ') };
  else if (checkRendering) item.renderError = katexError(item.latex, !inline);
  if (item.renderError === undefined) delete item.renderError;
  return item;
}

/** The math nodes inside a directive (its label included for text/leaf directives). */
function mathIn(node: Parents): Array<MathNode | InlineMath> {
  const found: Array<MathNode | InlineMath> = [];
  visit(node, (child: Nodes) => {
    if (child.type === 'math' || child.type === 'inlineMath') found.push(child);
  });
  return found;
}

/**
 * KaTeX's own verdict on the LaTeX: what is rendered is what is checked. KaTeX refuses LaTeX
 * while parsing it, before either output is built, so the cheaper MathML output is built here
 * (2.6 times faster than the page's HTML and MathML, measured on the bench's pages).
 */
export function katexError(latex: string, displayMode: boolean): FormulaItem['renderError'] {
  try {
    katex.renderToString(latex, { displayMode, throwOnError: true, strict: 'ignore', output: 'mathml' });
    return undefined;
  } catch (error) {
    if (!(error instanceof katex.ParseError)) throw error;
    const { position, length } = error;
    return {
      message: `KaTeX: ${error.rawMessage}`,
      ...(position == null ? {} : { span: { start: position, end: position + Math.max(length ?? 1, 1) } }),
    };
  }
}

function isLayout(value: unknown): value is Layout {
  return LAYOUTS.includes(value as Layout);
}

function layoutProblem(value: unknown): string {
  return `unknown layout ${JSON.stringify(value)} (use mixed, numerator or denominator)`;
}

const parsers = {
  md: unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkMath).use(remarkDirective),
  mdx: unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter).use(remarkGfm).use(remarkMath).use(remarkDirective),
};

/** Parse Markdown (or MDX, by extension) the way the site does, frontmatter included. */
export function parseMarkdown(source: string, path = 'page.md'): Root {
  const parser = path.endsWith('.mdx') ? parsers.mdx : parsers.md;
  return parser.runSync(parser.parse(source)) as Root;
}

/** Path as reports show it: relative to the working directory. */
export function displayPath(path: string, cwd = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel === '' ? path : rel.split('\\').join('/');
}

/**
 * Read, parse and extract one file. Pass `from` with Astro's tree and the text it was parsed
 * from (the body after the frontmatter) to extract from that tree with real file positions.
 */
export function parseMarkdownFile(path: string, from?: { tree: Root; value: string; locateOnly?: boolean }): PageInput {
  const source = readFileSync(path, 'utf8');
  const file = displayPath(path);
  if (from) return extractPage(from.tree, { source, file, baseOffset: bodyOffset(source, from.value), locateOnly: from.locateOnly ?? false });
  return extractPage(parseMarkdown(source, path), { source, file });
}
