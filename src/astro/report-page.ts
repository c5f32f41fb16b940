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
  const order = (file: string): number => byPath.get(resolve(file))?.data.sidebar?.order ?? Number.MAX_SAFE_INTEGER;
  const pages = [...report.pages].sort((a, b) => order(a.file) - order(b.file) || a.file.localeCompare(b.file));
  return pages.map((page) => {
    const entry = byPath.get(resolve(page.file));
    const slug = entry ? (entry.id === 'index' ? '' : `${entry.id}/`) : '';
    const href = `${prefix}${slug}`;
    const formulas = report.formulas
      .filter((f) => f.file === page.file)
      .map((f) => ({ ...f, href: `${href}#${f.id}`, verdict: verdictLabel(f) }));
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
