/**
 * The data of the `/verification/` page: the site report grouped by page, with links. Formulas
 * are listed as LaTeX source, rendered in the browser as they scroll into view (lazy-math.ts).
 */
import { resolve } from 'node:path';
import { verdictLabel, type VerdictLabel } from '../report/verdict-label.ts';
import type { IndexFormula, ReportIndex } from './site-report.ts';

/** What the page needs of a content entry (Starlight's `docs` collection). */
export interface ContentEntry {
  id: string;
  filePath?: string;
  data: { title: string; sidebar?: { order?: number } };
}

export interface IndexedFormula extends IndexFormula {
  href: string;
  verdict: VerdictLabel;
}

export interface IndexedPage {
  file: string;
  title: string;
  href: string;
  /** Anchor of this page's group in the formula index. */
  anchor: string;
  checked: number;
  unwrapped: number;
  formulas: IndexedFormula[];
}

/** The site's pages in sidebar order (frontmatter `sidebar.order`, then path), each with its formulas. */
export function indexPages(report: ReportIndex, entries: readonly ContentEntry[], rootDir: string, base: string): IndexedPage[] {
  const byPath = new Map(entries.filter((e) => e.filePath).map((e) => [resolve(rootDir, e.filePath!), e]));
  const prefix = base.endsWith('/') ? base : `${base}/`;
  // each page's entry and place, found once (not in every comparison of the sort)
  const found = new Map(report.pages.map((page) => [page, byPath.get(resolve(page.file))]));
  const order = (page: ReportIndex['pages'][number]): number => found.get(page)?.data.sidebar?.order ?? Number.MAX_SAFE_INTEGER;
  const collator = new Intl.Collator(); // localeCompare's order, without an ICU set-up per comparison
  const pages = [...report.pages].sort((a, b) => order(a) - order(b) || collator.compare(a.file, b.file));
  const byFile = Map.groupBy(report.formulas, (f) => f.file);
  return pages.map((page) => {
    const entry = found.get(page);
    const slug = entry ? (entry.id === 'index' ? '' : `${entry.id}/`) : '';
    const href = `${prefix}${slug}`;
    const formulas = (byFile.get(page.file) ?? []).map((f) => ({ ...f, href: `${href}#${f.id}`, verdict: verdictLabel(f) }));
    return {
      file: page.file,
      title: entry?.data.title ?? page.file,
      href,
      anchor: `page-${(slug || 'index').replace(/\/$/, '').replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`,
      checked: page.checked,
      unwrapped: page.unwrapped,
      formulas,
    };
  });
}

/** Checked formulas as a share of all formulas a reader sees (wrapped, plus unwrapped display math). */
export function coverage(page: Pick<IndexedPage, 'checked' | 'unwrapped'>): string {
  const total = page.checked + page.unwrapped;
  return total === 0 ? '—' : `${Math.round((100 * page.checked) / total)}%`;
}

/**
 * The formula index as HTML: a section per page, an item per formula (its id linking to it, its
 * verdict, its LaTeX for the page script to render). Written as one string: thousands of items as
 * Astro elements cost the bench site's build more than a second.
 *
 * Each section is `data-pagefind-ignore="all"`. The page is left out of the search index
 * (`pagefind: false`), and Proofsheet's search index does not give Pagefind this page to read
 * (search-index.ts); but a Pagefind run that reads it (Starlight's own, where Proofsheet does not
 * take it over) reads every word of it before dropping it: on the bench site (4,197 formulas)
 * that took about 0.1 s, and the attribute lets Pagefind skip the sections' text.
 */
export function indexHtml(pages: readonly IndexedPage[]): string {
  let out = '';
  for (const page of pages) {
    if (page.formulas.length === 0) continue;
    out += `<section class="ps-index-page" data-pagefind-ignore="all"><h3 id="${esc(page.anchor)}"><a href="${esc(page.href)}">${esc(page.title)}</a></h3><ol class="ps-index">`;
    for (const f of page.formulas) {
      out +=
        `<li class="ps-index-item" data-tone="${esc(f.verdict.tone)}"><div class="ps-index-head"><a href="${esc(f.href)}"><code>${esc(f.id)}</code></a>` +
        `<span class="ps-verdict" title="${esc(f.verdict.title)}">${esc(f.verdict.label)}</span></div><code class="ps-tex">${esc(f.latex)}</code></li>`;
    }
    out += '</ol></section>';
  }
  return out;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;

/** Text or attribute value as HTML (most need no change: they are returned as they are). */
function esc(text: string): string {
  return SPECIAL.test(text) ? text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!) : text;
}
