/**
 * The verdict cache on disk, in Astro's cache folder (`node_modules/.astro/proofsheet/` or the
 * configured `cacheDir`). Safe to delete at any time: a missing or unreadable entry is a miss.
 *
 * One entry per page (a file named by a hash of the page's path), holding
 * - its formulas' verdicts, each under a SHA-256 key of everything the verdict depends on: the
 *   LaTeX, `where`, layout, the page context before it (frontmatter symbols and layout, every
 *   `::declare` and definition, in order), the seed, the number of trials and the checker's
 *   fingerprint (ENGINE_VERSION plus a hash of the engine's and the Markdown adapters' sources
 *   and of the KaTeX and mathjs versions). Positions are not part of the key: a formula that
 *   moves on its page keeps its verdict, and its position is recomputed;
 * - the whole page's report under a key of the file's bytes and the same settings, so an
 *   unchanged page is neither parsed nor checked again.
 * An entry only holds the page's current formulas, so the cache does not grow with edits.
 *
 * Entries are written to a temporary file and renamed into place, so a killed build never
 * leaves a half-written entry under an entry's name; each entry also repeats its name's key and
 * a checksum of its content, and an entry that does not check out is ignored (and rewritten).
 *
 * An entry is three lines: a header (format, name, page key, the page's summary, the checksums
 * of the other two lines), the page's report, its formulas' verdicts. An unchanged page is
 * answered from the header and the report line alone, and that line is not even parsed
 * (`readCached`): the build's gate needs only the summaries (how many formulas fail), and the
 * reports are parsed by the thread that writes the build's files (outputs.ts). The report line's
 * checksum also covers the summary, so a summary the gate trusts is the one written with it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import type { FormulaItem, FormulaResult, PageInput, PageReport, Verdict } from '../engine/api.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { pageSummary, type PageSummary } from '../report/summary.ts';

/** Bump when the layout of an entry changes. */
const FORMAT = 3;
const VERDICTS = new Set<Verdict>(['proved', 'verified', 'failed', 'error']);

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

let fingerprint: string | undefined;

/**
 * What the checker is: ENGINE_VERSION, the sources of the engine and of the Markdown adapters
 * next to this file, the module that decides which verdicts fail the build (report/summary.ts:
 * an entry's summary counts them), and the versions of KaTeX (it decides render errors) and
 * mathjs. Any edit to the checker gives new keys, so a cache never outlives the code that filled it.
 */
export function checkerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256').update(`${FORMAT}\0${ENGINE_VERSION}\0`);
  let here: string | undefined;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch {
    here = undefined; // bundled: ENGINE_VERSION and the package versions only
  }
  // the engine, the adapters beside this file, and what counts as failing (report/summary.ts: an
  // entry's summary holds it, and the gate trusts that)
  const sources = here ? [...listFiles(join(here, '../engine')), ...listFiles(here), join(here, '../report/summary.ts')] : [];
  for (const file of sources) {
    hash.update(relative(here!, file)).update('\0');
    hash.update(readFileSync(file)).update('\0');
  }
  const require = createRequire(import.meta.url);
  for (const name of ['katex', 'mathjs']) {
    try {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\0`);
    } catch {
      hash.update(`${name}@?\0`);
    }
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (/\.(ts|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

export interface CacheStats {
  /** Formulas whose verdict came from the cache. */
  hits: number;
  /** Formulas that were checked and stored. */
  misses: number;
  /** Pages whose whole report came from the cache. */
  pageHits: number;
  writes: number;
  /** Entries that were there but did not check out (truncated, corrupt, another page's). */
  rejected: number;
}

/** What is stored for one page. */
export interface PageEntry {
  /** The page's path as reports show it. */
  file: string;
  /** Verdicts of the page's identities, by formula key. */
  formulas: Record<string, CachedFormula>;
  /** The key of the file's bytes and settings that `report` belongs to. */
  pageKey?: string;
  report?: PageReport;
}

interface Header {
  format: number;
  name: string;
  pageKey: string | null;
  /** The report's counts (null without a report). */
  summary: PageSummary | null;
  /** SHA-256 of the report line (then a newline and the summary's JSON) and of the formulas line, as written. */
  sums: { report: string; formulas: string };
}

/**
 * An entry as read: its header, and its bytes with where the report and formulas lines lie
 * (each is decoded and hashed only when it is needed: a warm build needs only the report).
 */
interface Lines {
  header: Header;
  bytes: Buffer;
  report: [start: number, end: number];
  formulas: [start: number, end: number];
}

/** The checksum of a report line: its bytes, a newline, and the JSON of the summary in the header. */
function reportSum(line: string | Uint8Array, summary: PageSummary | null): string {
  return createHash('sha256').update(line).update(`\n${JSON.stringify(summary)}`).digest('hex');
}

/** Whether one line of an entry matches the header's checksum. */
function lineChecks(lines: Lines, which: 'report' | 'formulas'): boolean {
  const bytes = lines.bytes.subarray(...lines[which]);
  const sum = which === 'report' ? reportSum(bytes, lines.header.summary) : sha256(bytes);
  return sum === lines.header.sums[which];
}

/** One line of an entry, parsed when its bytes match the header's checksum; throws when they do not parse. */
function checkedLine(lines: Lines, which: 'report' | 'formulas'): unknown {
  return lineChecks(lines, which) ? JSON.parse(lines.bytes.toString('utf8', ...lines[which])) : undefined;
}

/**
 * A page's report as the disk cache answers it: its summary, and the report as JSON, parsed only
 * where it is needed (`reportOf`). The JSON was checked against the entry's checksum when read.
 */
export interface CachedReport {
  file: string;
  summary: PageSummary;
  /** The report as UTF-8 JSON (not decoded: the build's thread never needs it). */
  json: Uint8Array;
}

/** A page's result in a build: its report, or the disk cache's answer for it. */
export type PageResult = PageReport | CachedReport;

export function isCached(result: PageResult): result is CachedReport {
  return (result as CachedReport).json instanceof Uint8Array;
}

/** The report of a result (parsed when it came from the cache); throws when cached JSON is not a report of its file. */
export function reportOf(result: PageResult): PageReport {
  if (!isCached(result)) return result;
  const { json } = result;
  const report: unknown = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
  if (!isPageReport(report) || report.file !== result.file) throw new Error(`the cached report of ${result.file} is not a report of that page`);
  return report;
}

/** The counts of a result (from the cache entry's header, or counted). */
export function summaryOf(result: PageResult): PageSummary {
  return isCached(result) ? result.summary : pageSummary(result);
}

/** One cache folder. Never throws: a cache that cannot be read or written is a cache that misses. */
export class VerdictCache {
  readonly dir: string;
  readonly stats: CacheStats = { hits: 0, misses: 0, pageHits: 0, writes: 0, rejected: 0 };
  private made = false;

  constructor(dir: string) {
    this.dir = dir;
  }

  /** The entry file of a page. */
  path(file: string): string {
    return join(this.dir, 'pages', `${sha256(JSON.stringify([FORMAT, file]))}.json`);
  }

  /** The page's entry, or undefined when there is none or it does not check out. */
  read(file: string): PageEntry | undefined {
    const lines = this.lines(file);
    return lines && this.entry(file, lines);
  }

  /**
   * The report stored for the file's current bytes (`pageKey`), unparsed, with its summary: only
   * the entry's header and report line are checked; undefined when there is none, it belongs to
   * other bytes, or it does not check out.
   */
  readCached(file: string, pageKey: string): CachedReport | undefined {
    const lines = this.lines(file);
    if (!lines || lines.header.pageKey !== pageKey) return undefined;
    const { summary } = lines.header;
    if (summary && lineChecks(lines, 'report')) return { file, summary, json: lines.bytes.subarray(...lines.report) };
    this.stats.rejected++;
    return undefined;
  }

  /** Both at one read: the report when it belongs to `pageKey`, otherwise the entry (for its verdicts). */
  lookup(file: string, pageKey: string): { report?: PageReport; entry?: PageEntry } {
    const lines = this.lines(file);
    if (!lines) return {};
    if (lines.header.pageKey === pageKey) {
      const report = this.report(lines, file, pageKey);
      return report ? { report } : {};
    }
    const entry = this.entry(file, lines);
    return entry ? { entry } : {};
  }

  private report(lines: Lines, file: string, pageKey: string): PageReport | undefined {
    if (lines.header.pageKey !== pageKey) return undefined;
    try {
      const report = checkedLine(lines, 'report');
      if (isPageReport(report) && report.file === file) return report;
    } catch {
      // not JSON: ignored, and rewritten by the next write()
    }
    this.stats.rejected++;
    return undefined;
  }

  private entry(file: string, lines: Lines): PageEntry | undefined {
    try {
      const report = checkedLine(lines, 'report') as PageReport | null | undefined;
      const formulas = report !== undefined ? checkedLine(lines, 'formulas') : undefined;
      if (formulas !== undefined) {
        const { pageKey } = lines.header;
        const entry = { file, formulas, ...(pageKey !== null && report ? { pageKey, report } : {}) };
        if (isPageEntry(entry, file)) return entry;
      }
    } catch {
      // not JSON: ignored, and rewritten by the next write()
    }
    this.stats.rejected++;
    return undefined;
  }

  /** An entry's header (checked for format and name) and where its other two lines lie. */
  private lines(file: string): Lines | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(file));
    } catch {
      return undefined;
    }
    // a newline byte is always a newline in UTF-8, and JSON escapes those inside strings
    const first = bytes.indexOf(10);
    const second = first < 0 ? -1 : bytes.indexOf(10, first + 1);
    const end = second < 0 ? -1 : bytes.indexOf(10, second + 1);
    try {
      if (end === bytes.length - 1) {
        const header = JSON.parse(bytes.toString('utf8', 0, first)) as Header;
        if (
          header?.format === FORMAT &&
          header.name === file &&
          (header.pageKey === null || typeof header.pageKey === 'string') &&
          (header.summary === null || isSummary(header.summary)) &&
          typeof header.sums?.report === 'string' &&
          typeof header.sums.formulas === 'string'
        ) {
          return { header, bytes, report: [first + 1, second], formulas: [second + 1, end] };
        }
      }
    } catch {
      // truncated or not JSON
    }
    this.stats.rejected++;
    return undefined;
  }

  /** Replace the page's entry (atomically: a temporary file renamed into place). */
  write(entry: PageEntry): void {
    const path = this.path(entry.file);
    // the report is kept only with the page key it belongs to
    const withReport = entry.pageKey !== undefined && entry.report !== undefined;
    const reportLine = JSON.stringify(withReport ? entry.report : null);
    const formulasLine = JSON.stringify(entry.formulas);
    const summary = withReport ? pageSummary(entry.report!) : null;
    const header: Header = {
      format: FORMAT,
      name: entry.file,
      pageKey: withReport ? entry.pageKey! : null,
      summary,
      sums: { report: reportSum(reportLine, summary), formulas: sha256(formulasLine) },
    };
    const tmp = `${path}.${process.pid}-${threadId}-${randomBytes(4).toString('hex')}.tmp`;
    try {
      if (!this.made) {
        mkdirSync(dirname(path), { recursive: true });
        this.made = true;
      }
      writeFileSync(tmp, `${JSON.stringify(header)}\n${reportLine}\n${formulasLine}\n`);
      renameSync(tmp, path);
      this.stats.writes++;
    } catch {
      this.made = false;
      try {
        rmSync(tmp, { force: true });
      } catch {
        // nothing to clean up
      }
    }
  }

  /** Remove temporary files older than an hour that killed processes left behind. */
  sweep(maxAgeMs = 3_600_000): void {
    const dir = join(this.dir, 'pages');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      if (!name.endsWith('.tmp')) continue;
      try {
        if (now - statSync(join(dir, name)).mtimeMs > maxAgeMs) rmSync(join(dir, name), { force: true });
      } catch {
        // already gone
      }
    }
  }
}

const caches: Map<string, VerdictCache> = ((globalThis as Record<symbol, unknown>)[Symbol.for('proofsheet.disk-caches')] ??= new Map()) as Map<
  string,
  VerdictCache
>;

/** The cache of a folder (one instance per folder and process). */
export function openCache(dir: string): VerdictCache {
  let cache = caches.get(dir);
  if (!cache) {
    cache = new VerdictCache(dir);
    cache.sweep();
    caches.set(dir, cache);
  }
  return cache;
}

// ---------------------------------------------------------------------------------------------
// Keys

export interface KeyOptions {
  seed: number;
  trials?: number;
}

/**
 * The key of every identity of a page that can be cached (not definitions: they bind names for
 * what follows and are cheap; not formulas with a render error). The context of a formula is a
 * running hash of the frontmatter and of every declaration and definition before it.
 */
export function formulaKeys(page: PageInput, options: KeyOptions): Map<FormulaItem, string> {
  const base = [FORMAT, checkerFingerprint(), options.seed, options.trials ?? null];
  let context = sha256(JSON.stringify([...base, page.symbols ?? null, page.layout ?? null]));
  const keys = new Map<FormulaItem, string>();
  for (const item of page.items) {
    if (item.type === 'declare') {
      context = sha256(JSON.stringify([context, 'declare', item.where]));
      continue;
    }
    if (item.kind === 'definition') {
      context = sha256(
        JSON.stringify([context, 'definition', item.latex, item.where ?? null, item.layout ?? null, item.renderError ? item.renderError.message : null]),
      );
      continue;
    }
    if (item.renderError) continue;
    keys.set(
      item,
      sha256(JSON.stringify([context, 'identity', item.latex, item.where ?? null, item.layout ?? null, !!item.inline, !!item.latexLoc])),
    );
  }
  return keys;
}

/** The key of a whole file's report, from the file's bytes (a string is taken as its UTF-8 bytes). */
export function pageKey(file: string, source: string | Uint8Array, options: KeyOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([FORMAT, checkerFingerprint(), options.seed, options.trials ?? null, file]))
    .update('\0')
    .update(source)
    .digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Values

/** A formula's result without its position (file, line, column, id); `source` is relative. */
export type CachedFormula = Omit<FormulaResult, 'file' | 'line' | 'column' | 'id' | 'source'> & {
  source?: { at: 'latex' | 'loc'; span: { start: number; end: number }; excerpt: string };
};

export function isCachedFormula(value: unknown): value is CachedFormula {
  const v = value as CachedFormula;
  return (
    !!v &&
    typeof v === 'object' &&
    VERDICTS.has(v.status) &&
    typeof v.latex === 'string' &&
    Array.isArray(v.steps) &&
    (v.message === null || typeof v.message === 'string') &&
    !!v.checks &&
    typeof v.checks === 'object' &&
    (v.source === undefined || (typeof v.source.span?.start === 'number' && typeof v.source.span.end === 'number' && (v.source.at === 'latex' || v.source.at === 'loc')))
  );
}

const SUMMARY_KEYS = ['total', 'proved', 'verified', 'failed', 'error', 'unwrapped', 'failing', 'failingStrict'] as const;

function isSummary(value: unknown): value is PageSummary {
  const v = value as Record<string, unknown>;
  return !!v && typeof v === 'object' && SUMMARY_KEYS.every((key) => Number.isSafeInteger(v[key]) && (v[key] as number) >= 0);
}

export function isPageReport(value: unknown): value is PageReport {
  const v = value as PageReport;
  return !!v && typeof v === 'object' && typeof v.file === 'string' && typeof v.unwrapped === 'number' && Array.isArray(v.formulas) && v.formulas.every((f) => VERDICTS.has(f?.status));
}

function isPageEntry(value: unknown, file: string): value is PageEntry {
  const v = value as PageEntry;
  return (
    !!v &&
    typeof v === 'object' &&
    v.file === file &&
    !!v.formulas &&
    typeof v.formulas === 'object' &&
    Object.values(v.formulas).every(isCachedFormula) &&
    (v.pageKey === undefined || (typeof v.pageKey === 'string' && isPageReport(v.report)))
  );
}
