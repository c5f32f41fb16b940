/**
 * The one place the adapters (remark plugin, Astro integration, CLI) call the engine.
 *
 * Results are memoized by page content, seed and engine version, so a page that the build gate
 * already verified is not verified again when Astro renders it. The cache lives on `globalThis`
 * because Astro may load this module more than once (config loader and Vite's SSR runner).
 *
 * With `cacheDir`, verdicts are also kept on disk (see cache.ts): per formula, so an edited page
 * only rechecks what changed, and per file, so an unchanged file is not even parsed again.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { DEFAULT_SEED, type FormulaItem, type FormulaResult, type PageInput, type PageReport, type Span, type VerifyOptions } from '../engine/api.ts';
import { ENGINE_VERSION, locate, stableId, verifyPage } from '../engine/index.ts';
import { formulaKeys, openCache, pageKey, type CachedFormula, type CachedReport, type PageEntry, type VerdictCache } from './cache.ts';
import { displayPath, extractPage, parseMarkdown, parseMarkdownFile } from './extract.ts';

export interface CheckOptions extends VerifyOptions {
  /** Folder of the verdict cache on disk (e.g. `node_modules/.astro/proofsheet`); none when absent. */
  cacheDir?: string;
}

const CACHE_LIMIT = 1000;
const cacheKey = Symbol.for('proofsheet.verify-cache');
const cache: Map<string, PageReport> = ((globalThis as Record<symbol, unknown>)[cacheKey] ??= new Map()) as Map<
  string,
  PageReport
>;

/** Verify one page, memoized. Never throws: an engine crash becomes `error` results. */
export function verifyPageCached(page: PageInput, options: CheckOptions = {}): PageReport {
  const engine = engineOptions(options);
  const hit = cache.get(memoKey(page, engine));
  if (hit) return hit;
  const report = options.cacheDir
    ? verifyWithDiskCache(page, engine, openCache(options.cacheDir))
    : enforceRenderErrors(page, safeVerify(page, engine));
  remember(page, engine, report);
  return report;
}

function memoKey(page: PageInput, options: VerifyOptions): string {
  return JSON.stringify([ENGINE_VERSION, options.seed ?? DEFAULT_SEED, options.trials ?? null, page]);
}

/** Empty this process's memo (the disk cache is untouched): for tests and benchmarks. */
export function forgetMemo(): void {
  cache.clear();
}

/** Put a report verified elsewhere (a worker thread) into this thread's memo. */
export function remember(page: PageInput, options: VerifyOptions, report: PageReport): void {
  const key = memoKey(page, options);
  if (cache.size >= CACHE_LIMIT && !cache.has(key)) cache.delete(cache.keys().next().value!);
  cache.set(key, report);
}

/**
 * Verify a page, taking each identity's verdict from the disk cache when it is there. The
 * engine still walks the whole page (declarations, definitions, ids), but a cached identity is
 * replaced by a stand-in that costs nothing; its result is then rebuilt from the entry, at the
 * identity's current position. Results are the same as without the cache. The page's entry is
 * rewritten with exactly its current formulas (and, with `source`, the whole report).
 */
function verifyWithDiskCache(
  page: PageInput,
  options: VerifyOptions,
  disk: VerdictCache,
  source?: { pageKey: string; entry: PageEntry | undefined },
): PageReport {
  const keys = formulaKeys(page, engineOptions(options));
  const entry = source ? source.entry : disk.read(page.file);
  const cached = new Map<FormulaItem, CachedFormula>();
  for (const [item, key] of keys) {
    const value = entry?.formulas[key];
    if (value && value.latex === item.latex && value.kind === item.kind) cached.set(item, value);
  }
  const stand = page.items.map((item) =>
    item.type === 'formula' && cached.has(item)
      ? { ...item, id: item.id ?? stableId(item.kind, item.latex), renderError: { message: 'verdict in the cache' } }
      : item,
  );
  let raw: PageReport;
  try {
    raw = verifyPage({ ...page, items: stand }, options);
  } catch {
    // an engine crash: no cache, the plain path reports it
    return enforceRenderErrors(page, safeVerify(page, options));
  }
  const byPlace = new Map(raw.formulas.map((r) => [placeKey(r.line, r.column, r.kind, r.latex), r]));
  const replaced = new Map<FormulaResult, FormulaResult>();
  const formulas: Record<string, CachedFormula> = {};
  let fresh = 0;
  for (const item of formulaItems(page)) {
    const result = byPlace.get(placeKey(item.loc.line, item.loc.column, item.kind, item.latex));
    const key = keys.get(item);
    if (!result || !key) continue;
    const hit = cached.get(item);
    if (hit) {
      replaced.set(result, fromCache(result, item, hit));
      formulas[key] = hit;
      disk.stats.hits++;
    } else {
      const value = toCache(result, item);
      if (value) formulas[key] = value;
      fresh++;
      disk.stats.misses++;
    }
  }
  const report = enforceRenderErrors(page, { ...raw, formulas: raw.formulas.map((r) => replaced.get(r) ?? r) });
  const sameFormulas = entry !== undefined && fresh === 0 && Object.keys(entry.formulas).length === Object.keys(formulas).length;
  if (source) disk.write({ file: page.file, formulas, pageKey: source.pageKey, report });
  else if (!sameFormulas) disk.write({ file: page.file, formulas });
  return report;
}

function placeKey(line: number, column: number, kind: string, latex: string): string {
  return `${line}:${column}:${kind}:${latex}`;
}

/** A result as it is stored: without its position; where its `source` is, relative to the formula. */
function toCache(result: FormulaResult, item: FormulaItem): CachedFormula | undefined {
  const { file: _file, line: _line, column: _column, id: _id, source, ...rest } = result;
  if (!source) return rest;
  const inLatex = item.latexLoc ? locate(item.latexLoc, item.latex, source.span.start) : undefined;
  let at: 'latex' | 'loc';
  if (inLatex && inLatex.line === source.line && inLatex.column === source.column) at = 'latex';
  else if (!item.latexLoc && source.line === item.loc.line && source.column === item.loc.column) at = 'loc';
  else return undefined; // a position the cache cannot recompute: not cached
  return { ...rest, source: { at, span: source.span, excerpt: source.excerpt } };
}

/** A stored result at the formula's current position, with the id the page gave it. */
function fromCache(standIn: FormulaResult, item: FormulaItem, entry: CachedFormula): FormulaResult {
  const { source, ...rest } = entry;
  const result: FormulaResult = { file: standIn.file, line: standIn.line, column: standIn.column, id: standIn.id, ...rest };
  if (source) {
    const at = source.at === 'latex' && item.latexLoc ? locate(item.latexLoc, item.latex, source.span.start) : { line: item.loc.line, column: item.loc.column };
    const ordered: FormulaResult = { ...result, source: { ...at, span: source.span, excerpt: source.excerpt } };
    // the engine sets ruleId before source
    if (rest.ruleId !== undefined) {
      const { ruleId, source: s, ...others } = ordered;
      return { ...others, ruleId, source: s! };
    }
    return ordered;
  }
  return result;
}

export interface VerifiedFile {
  page: PageInput;
  report: PageReport;
}

/** Read, extract and verify one Markdown file. */
export function verifyFile(path: string, options: CheckOptions = {}): VerifiedFile {
  const page = parseMarkdownFile(path);
  return { page, report: verifyPageCached(page, options) };
}

/**
 * The report of one Markdown file. With `cacheDir`, an unchanged file's report comes from the
 * disk cache without parsing it; `page` is set when the file was parsed.
 */
export function verifyFileReport(path: string, options: CheckOptions = {}): { report: PageReport; page?: PageInput } {
  if (!options.cacheDir) return verifyFile(path, options);
  const disk = openCache(options.cacheDir);
  // the key is made from the file's bytes (as the cache lookup of a build makes it), the page from their text
  const bytes = readFileSync(path);
  const { file, key } = fileKey(path, bytes, options);
  const source = bytes.toString('utf8');
  const engine = engineOptions(options);
  const found = disk.lookup(file, key);
  if (found.report) {
    disk.stats.pageHits++;
    return { report: found.report };
  }
  // parse the very text the key was made from
  const page = extractPage(parseMarkdown(source, path), { source, file });
  const report = verifyWithDiskCache(page, engine, disk, { pageKey: key, entry: found.entry });
  remember(page, engine, report);
  return { page, report };
}

/** The cached report of an unchanged file (unparsed, with its summary), without parsing the file; undefined when it must be checked. */
export function cachedFileReport(path: string, options: CheckOptions): CachedReport | undefined {
  if (!options.cacheDir) return undefined;
  try {
    const { file, key } = fileKey(path, readFileSync(path), options);
    const disk = openCache(options.cacheDir);
    const cached = disk.readCached(file, key);
    if (cached) disk.stats.pageHits++;
    return cached;
  } catch {
    return undefined;
  }
}

/** A file's path as reports show it, and the page key of its bytes under these settings. */
function fileKey(path: string, source: Uint8Array, options: CheckOptions): { file: string; key: string } {
  const file = displayPath(path);
  return { file, key: pageKey(file, source, engineOptions(options)) };
}

/** What the engine is given of a check's options (the seed defaulted): also what its verdicts are keyed by. */
export function engineOptions(options: VerifyOptions): VerifyOptions & { seed: number } {
  return { seed: options.seed ?? DEFAULT_SEED, ...(options.trials ? { trials: options.trials } : {}) };
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
