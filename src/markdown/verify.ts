/**
 * The one place the adapters (remark plugin, Astro integration, CLI) call the engine.
 *
 * Results are memoized by page content, seed and engine version, so a page that the build gate
 * already verified is not verified again when Astro renders it. The cache lives on `globalThis`
 * because Astro may load this module more than once (config loader and Vite's SSR runner).
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULT_SEED, type FormulaItem, type FormulaResult, type PageInput, type PageReport, type Span, type VerifyOptions } from '../engine/api.ts';
import { ENGINE_VERSION, locate, verifyPage } from '../engine/index.ts';
import { parseMarkdownFile } from './extract.ts';

const CACHE_LIMIT = 1000;
const cacheKey = Symbol.for('proofsheet.verify-cache');
const cache: Map<string, PageReport> = ((globalThis as Record<symbol, unknown>)[cacheKey] ??= new Map()) as Map<
  string,
  PageReport
>;

/** Verify one page, memoized. Never throws: an engine crash becomes `error` results. */
export function verifyPageCached(page: PageInput, options: VerifyOptions = {}): PageReport {
  const seed = options.seed ?? DEFAULT_SEED;
  const key = JSON.stringify([ENGINE_VERSION, seed, options.trials ?? null, page]);
  const hit = cache.get(key);
  if (hit) return hit;
  const report = enforceRenderErrors(page, safeVerify(page, { ...options, seed }));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, report);
  return report;
}

export interface VerifiedFile {
  page: PageInput;
  report: PageReport;
}

/** Read, extract and verify one Markdown file. */
export function verifyFile(path: string, options: VerifyOptions = {}): VerifiedFile {
  const page = parseMarkdownFile(path);
  return { page, report: verifyPageCached(page, options) };
}

export const MARKDOWN_EXTENSIONS = new Set(['.md', '.mdx']);

/** The .md/.mdx files under each path (files are taken as given), sorted, without duplicates. */
export function findMarkdownFiles(paths: string[]): string[] {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (MARKDOWN_EXTENSIONS.has(extname(entry.name))) found.add(path);
    }
  };
  for (const path of paths) {
    if (statSync(path).isDirectory()) walk(path);
    else found.add(path);
  }
  return [...found].sort();
}

function safeVerify(page: PageInput, options: VerifyOptions): PageReport {
  try {
    return verifyPage(page, options);
  } catch (error) {
    const message = `internal error in the checker: ${error instanceof Error ? error.message : String(error)}`;
    return {
      file: page.file,
      unwrapped: page.unwrapped ?? 0,
      formulas: formulaItems(page).map((item, index) => errorResult(page.file, item, index, message, 'internal')),
    };
  }
}

/**
 * A malformed directive or LaTeX that KaTeX refuses (`renderError`, set by extraction) is an
 * `error` with extraction's own message, whatever the engine made of it. Results are the
 * engine's, one per formula item, in document order.
 */
function enforceRenderErrors(page: PageInput, report: PageReport): PageReport {
  const items = formulaItems(page);
  if (report.formulas.length !== items.length) return report;
  const formulas = report.formulas.map((result, index): FormulaResult => {
    const item = items[index]!;
    const problem = item.renderError;
    if (!problem) return result;
    const source = result.source ?? locateSpan(item, problem.span);
    return {
      ...result,
      ...(source ? { source } : {}),
      status: 'error',
      message: problem.message,
      counterexample: null,
      checks: { symbolic: 'not-applicable', numeric: null },
    };
  });
  return { ...report, formulas };
}

/** The file position of a span of the formula's LaTeX (verbatim in the file from `latexLoc`). */
function locateSpan(item: FormulaItem, span: Span | undefined): FormulaResult['source'] {
  if (!span || !item.latexLoc) return undefined;
  return { ...locate(item.latexLoc, item.latex, span.start), span, excerpt: item.latex.slice(span.start, span.end) };
}

export function formulaItems(page: PageInput): FormulaItem[] {
  return page.items.filter((item): item is FormulaItem => item.type === 'formula');
}

function errorResult(file: string, item: FormulaItem, index: number, message: string, ruleId?: string): FormulaResult {
  return {
    file,
    line: item.loc.line,
    column: item.loc.column,
    id: item.id ?? `formula-${index + 1}`,
    kind: item.kind,
    latex: item.latex,
    status: 'error',
    derived: null,
    steps: [],
    message,
    counterexample: null,
    checks: { symbolic: 'not-applicable', numeric: null },
    ...(ruleId ? { ruleId } : {}),
  };
}
