/**
 * The site's own formulas as test material for the bench, the fuzzer, the mutation tester and
 * the determinism check: every page of content/ extracted the way the build extracts it, with
 * the page context (frontmatter symbols and layout, `::declare`, definitions) each identity is
 * checked in.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FormulaItem, FormulaResult, Layout, PageInput, PageItem, Verdict } from '../../src/engine/api.ts';
import { verifyPage } from '../../src/engine/index.ts';
import { tokenize } from '../../src/engine/latex/lexer.ts';
import { functionByWord } from '../../src/engine/latex/macros.ts';
import { parseMarkdownFile } from '../../src/markdown/extract.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CONTENT = join(ROOT, 'content');

export interface CorpusPage {
  file: string;
  page: PageInput;
  results: FormulaResult[];
}

/** Every .md/.mdx page under `dir`, extracted and verified once. */
export function loadCorpus(dir = CONTENT): CorpusPage[] {
  const files: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (['.md', '.mdx'].includes(extname(name))) files.push(path);
    }
  };
  walk(resolve(dir));
  return files.map((file) => {
    const page = parseMarkdownFile(file);
    return { file, page, results: verifyPage(page).formulas };
  });
}

/** One identity with everything it is checked in: the page up to it, without other identities. */
export interface ContextIdentity {
  file: string;
  symbols?: string;
  layout?: Layout;
  /** Declarations and definitions before the identity, in order. */
  context: PageItem[];
  item: FormulaItem;
  verdict: Verdict;
}

/** Results in document order, one per formula item (declaration errors are not formula items). */
export function resultsByItem(page: PageInput, results: FormulaResult[]): Map<FormulaItem, FormulaResult> {
  const byLoc = new Map(results.map((r) => [`${r.line}:${r.column}:${r.kind}:${r.latex}`, r]));
  const out = new Map<FormulaItem, FormulaResult>();
  for (const item of page.items) {
    if (item.type !== 'formula') continue;
    const r = byLoc.get(`${item.loc.line}:${item.loc.column}:${item.kind}:${item.latex}`);
    if (r) out.set(item, r);
  }
  return out;
}

/** Every wrapped identity of the corpus with its context. */
export function contextIdentities(corpus: CorpusPage[]): ContextIdentity[] {
  const out: ContextIdentity[] = [];
  for (const { file, page, results } of corpus) {
    const verdicts = resultsByItem(page, results);
    const context: PageItem[] = [];
    for (const item of page.items) {
      if (item.type === 'declare' || item.kind === 'definition') {
        context.push(item);
        continue;
      }
      const r = verdicts.get(item);
      if (!r || item.renderError) continue;
      out.push({
        file,
        ...(page.symbols !== undefined ? { symbols: page.symbols } : {}),
        ...(page.layout !== undefined ? { layout: page.layout } : {}),
        context: [...context],
        item,
        verdict: r.status,
      });
    }
  }
  return out;
}

/** A page of its own for one identity (and its context). */
export function pageOf(ci: ContextIdentity, latex = ci.item.latex, file = ci.file): PageInput {
  return {
    file,
    ...(ci.symbols !== undefined ? { symbols: ci.symbols } : {}),
    ...(ci.layout !== undefined ? { layout: ci.layout } : {}),
    items: [...ci.context, { ...ci.item, latex }],
  };
}

// ---------------------------------------------------------------------------------------------
// Windows of consecutive identities, symbol renaming, Markdown out

/** Part of a real page: its context and a run of consecutive identities. */
export interface Window {
  source: string;
  symbols?: string;
  layout?: Layout;
  items: PageItem[];
  /** Verdicts of the window's formula items, in order (definitions included). */
  verdicts: Verdict[];
  /** Identities in the window (not counting its context). */
  identities: number;
}

/** Cut every page into windows of `size` consecutive identities, each with its full context. */
export function windows(corpus: CorpusPage[], size = 10): Window[] {
  const out: Window[] = [];
  for (const { file, page, results } of corpus) {
    const verdicts = resultsByItem(page, results);
    const context: PageItem[] = [];
    let current: PageItem[] = [];
    let count = 0;
    const flush = () => {
      if (count === 0) return;
      const items = [...context, ...current];
      out.push({
        source: file,
        ...(page.symbols !== undefined ? { symbols: page.symbols } : {}),
        ...(page.layout !== undefined ? { layout: page.layout } : {}),
        items,
        identities: count,
        verdicts: items.filter((i): i is FormulaItem => i.type === 'formula').map((i) => verdicts.get(i)?.status ?? 'error'),
      });
      context.push(...current.filter((i) => i.type === 'declare' || i.kind === 'definition'));
      current = [];
      count = 0;
    };
    for (const item of page.items) {
      if (item.type === 'formula' && item.renderError) continue;
      current.push(item);
      if (item.type === 'formula' && item.kind === 'identity' && ++count === size) flush();
    }
    flush();
  }
  return out;
}

/** mulberry32 */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)]!;
}

export function shuffle<T>(random: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Letters with a fixed meaning somewhere in the notation (transpose, differential, e, identity, indices). */
const RESERVED = new Set(['T', 'H', 'I', 'O', 'd', 'e', 'i', 'j', 'k', 'l', 'o']);
const UPPER_POOL = 'ABCDEFGJKLMNPQRSUVWXYZ'.split('');
const LOWER_POOL = 'abcfghpqrsuvwxyz'.split('');
const DIM_POOL = 'mnpqrs'.split('');

/** Brace groups after these are words (tr, d, Tr), never symbols: left alone. */
const WORD_GROUP_COMMANDS = new Set(['\\operatorname', '\\operatorname*', '\\mathrm', '\\text', '\\textrm', '\\mathsf', '\\textsf', '\\textit', '\\textbf', '\\mbox', '\\begin', '\\end']);

/**
 * Rename single Latin letters of a LaTeX string through `map`, token by token (commands,
 * words such as `Tr`, `\operatorname{tr}`, `\mathrm{d}` and `\begin{…}` are left alone).
 * Returns null when the string cannot be tokenized.
 */
export function renameLetters(latex: string, map: Map<string, string>): string | null {
  let tokens;
  try {
    tokens = tokenize(latex);
  } catch {
    return null;
  }
  const protect = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'command' && WORD_GROUP_COMMANDS.has(t.text) && tokens[i + 1]?.text === '{') {
      let depth = 0;
      for (let j = i + 1; j < tokens.length; j++) {
        const u = tokens[j]!;
        if (u.text === '{' && u.type === 'punct') depth++;
        else if (u.text === '}' && u.type === 'punct' && --depth === 0) break;
        else protect.add(j);
      }
    }
    // plain words: Tr(…), tr, diag … (adjacent letters that spell a function name)
    if (t.type === 'letter') {
      let j = i;
      let word = '';
      while (tokens[j]?.type === 'letter' && (j === i || tokens[j]!.span.start === tokens[j - 1]!.span.end)) word += tokens[j++]!.text;
      for (let len = word.length; len > 1; len--) {
        if (functionByWord(word.slice(0, len))) {
          for (let k = i; k < i + len; k++) protect.add(k);
          break;
        }
      }
    }
    // ^T, ^H: transpose marks
    if (t.type === 'letter' && (t.text === 'T' || t.text === 'H')) protect.add(i);
  }
  let out = '';
  let at = 0;
  tokens.forEach((t, i) => {
    if (t.type !== 'letter' || protect.has(i)) return;
    const to = map.get(t.text);
    if (to === undefined) return;
    out += latex.slice(at, t.span.start) + to;
    at = t.span.end;
  });
  return out + latex.slice(at);
}

/** Rename names and dimensions in a `where` string (`X: n×n invertible; a, b: n`). */
export function renameWhere(where: string, names: Map<string, string>, dims: Map<string, string>): string | null {
  const parts: string[] = [];
  for (const entry of where.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0) {
      parts.push(entry);
      continue;
    }
    const lhs = renameLetters(entry.slice(0, colon), names);
    if (lhs === null) return null;
    const rhs = entry.slice(colon + 1).replace(/(^|[\s×x])([A-Za-z])(?=$|[\s×x])/g, (m, pre: string, letter: string) =>
      letter === 'x' && pre !== '' && pre.trim() === '' ? m : `${pre}${dims.get(letter) ?? letter}`,
    );
    parts.push(`${lhs}:${rhs}`);
  }
  return parts.join(';');
}

function lettersOf(text: string): Set<string> {
  return new Set(text.match(/[A-Za-z]/g) ?? []);
}

/** Declared Latin single-letter names and dimension letters of a window. */
function namesAndDims(w: Window): { names: Set<string>; dims: Set<string> } {
  const names = new Set<string>();
  const dims = new Set<string>();
  const wheres = [w.symbols, ...w.items.map((i) => (i.type === 'declare' ? i.where : i.where))].filter((x): x is string => !!x);
  for (const where of wheres) {
    for (const entry of where.split(';')) {
      const colon = entry.indexOf(':');
      if (colon < 0) continue;
      for (const raw of entry.slice(0, colon).split(',')) {
        const n = raw.trim().replace(/\\(mathbf|boldsymbol|bm)\{(.*)\}/, '$2');
        const m = /^([A-Za-z])(\(([A-Za-z])\))?$/.exec(n);
        if (m) {
          names.add(m[1]!);
          if (m[3]) names.add(m[3]);
        }
      }
      for (const word of entry.slice(colon + 1).trim().split(/\s*[×x\s]\s*/)) if (/^[A-Za-z]$/.test(word)) dims.add(word);
    }
  }
  for (const item of w.items) {
    if (item.type === 'formula' && item.kind === 'definition') {
      const m = /^\s*(?:\\mathbf\{)?([A-Za-z])\}?\s*(\(|=)/.exec(item.latex);
      if (m) names.add(m[1]!);
    }
  }
  return { names, dims };
}

/**
 * The same window with its symbols (and, sometimes, its dimension letters) renamed to letters
 * the window does not use. Null when a part cannot be renamed.
 */
export function renameWindow(w: Window, random: () => number): Window | null {
  const { names, dims } = namesAndDims(w);
  const all = [w.symbols ?? '', ...w.items.map((i) => (i.type === 'declare' ? i.where : `${i.latex} ${i.where ?? ''}`))].join(' ');
  const used = lettersOf(all);
  const free = (pool: string[]) => shuffle(random, pool.filter((l) => !used.has(l)));
  const upper = free(UPPER_POOL);
  const lower = free(LOWER_POOL);
  const map = new Map<string, string>();
  for (const n of [...names].sort()) {
    if (RESERVED.has(n) || dims.has(n)) continue;
    if (random() < 0.25) continue; // keep some names as they are
    const to = (n === n.toUpperCase() ? upper : lower).pop();
    if (to) map.set(n, to);
  }
  const dimMap = new Map<string, string>();
  if (random() < 0.5) {
    const freeDims = free(DIM_POOL);
    for (const d of [...dims].sort()) {
      if (names.has(d)) continue;
      const to = freeDims.pop();
      if (to) dimMap.set(d, to);
    }
  }
  const latexMap = new Map([...map, ...dimMap]);
  const items: PageItem[] = [];
  for (const item of w.items) {
    if (item.type === 'declare') {
      const where = renameWhere(item.where, map, dimMap);
      if (where === null) return null;
      items.push({ ...item, where });
      continue;
    }
    const latex = renameLetters(item.latex, latexMap);
    const where = item.where === undefined ? undefined : renameWhere(item.where, map, dimMap);
    if (latex === null || where === null) return null;
    const { latexLoc: _drop, ...rest } = item;
    items.push({ ...rest, latex, ...(where !== undefined ? { where } : {}) });
  }
  const symbols = w.symbols === undefined ? undefined : renameWhere(w.symbols, map, dimMap);
  if (symbols === null) return null;
  return { ...w, ...(symbols !== undefined ? { symbols } : {}), items };
}

/** Verdicts of a window's formula items when it is verified as a page. */
export function windowVerdicts(w: Window, seed?: number): Verdict[] {
  const page: PageInput = { file: 'window.md', ...(w.symbols !== undefined ? { symbols: w.symbols } : {}), ...(w.layout ? { layout: w.layout } : {}), items: w.items };
  return verifyPage(page, seed === undefined ? {} : { seed }).formulas.filter((f) => !f.id.startsWith('declare-') && f.id !== 'frontmatter-symbols').map((f) => f.status);
}

/** A YAML double-quoted string. */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** A directive attribute value (no escapes in directive attributes: quotes become entities). */
function attr(value: string): string {
  return `"${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`;
}

/** A Markdown page that extracts to this window. */
export function windowToMarkdown(w: Window, title: string): string {
  const lines = ['---', `title: ${yamlString(title)}`];
  if (w.symbols !== undefined) lines.push(`symbols: ${yamlString(w.symbols)}`);
  if (w.layout !== undefined) lines.push(`layout: ${w.layout}`);
  lines.push('---', '', `Generated from ${w.source.replace(ROOT, '')} for the benchmark.`, '');
  for (const item of w.items) {
    if (item.type === 'declare') {
      lines.push(`::declare{where=${attr(item.where)}}`, '');
      continue;
    }
    const attrs = [item.id ? `#${item.id}` : '', item.where !== undefined ? `where=${attr(item.where)}` : '', item.layout ? `layout="${item.layout}"` : '']
      .filter(Boolean)
      .join(' ');
    const braces = attrs ? `{${attrs}}` : '';
    if (item.inline) {
      lines.push(`Inline: :${item.kind}[$${item.latex}$]${braces}`, '');
    } else {
      lines.push(`:::${item.kind}${braces}`, '$$', item.latex.trim(), '$$', ':::', '');
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `pages` pages of `identitiesPerPage` identities each, cut from the site's own pages with
 * their symbols renamed. Every renamed window is verified against the original's verdicts; a
 * window whose renaming changes a verdict is used as it is instead.
 */
export function syntheticSite(corpus: CorpusPage[], pages: number, identitiesPerPage = 10, seed = 1): { files: { name: string; text: string; window: Window }[]; renamed: number; kept: number } {
  const random = rng(seed);
  const ws = windows(corpus, identitiesPerPage).filter((w) => w.identities === identitiesPerPage && w.verdicts.every((v) => v === 'proved' || v === 'verified'));
  const files: { name: string; text: string; window: Window }[] = [];
  let renamed = 0;
  let kept = 0;
  for (let p = 0; p < pages; p++) {
    const w = ws[p % ws.length]!;
    let chosen: Window = w;
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = renameWindow(w, random);
      if (r && sameVerdicts(windowVerdicts(r), w.verdicts)) {
        chosen = r;
        break;
      }
    }
    if (chosen === w) kept++;
    else renamed++;
    const name = `p${String(p).padStart(4, '0')}.md`;
    files.push({ name, text: windowToMarkdown(chosen, `Synthetic page ${p}`), window: chosen });
  }
  return { files, renamed, kept };
}

function sameVerdicts(a: Verdict[], b: Verdict[]): boolean {
  // proved and verified both pass; the symbolic engine may prove one spelling and not another
  const pass = (v: Verdict) => (v === 'proved' || v === 'verified' ? 'pass' : v);
  return a.length === b.length && a.every((v, i) => pass(v) === pass(b[i]!));
}
