import type { FormulaResult, PageReport } from '../engine/api.ts';

export interface Summary {
  total: number;
  proved: number;
  verified: number;
  failed: number;
  error: number;
  unwrapped: number;
}

const emptySummary = (): Summary => ({ total: 0, proved: 0, verified: 0, failed: 0, error: 0, unwrapped: 0 });

export function summarize(reports: readonly PageReport[]): Summary {
  const summary = emptySummary();
  for (const report of reports) {
    summary.unwrapped += report.unwrapped;
    for (const formula of report.formulas) {
      summary.total += 1;
      summary[formula.status] += 1;
    }
  }
  return summary;
}

/**
 * Whether a formula lets the build pass (authoring.md §6). `strict` also fails identities that
 * are only `verified`; a definition is checked for being well-formed, never proved, so it passes.
 */
export function passes(formula: Pick<FormulaResult, 'status' | 'kind'>, strict = false): boolean {
  const { status, kind } = formula;
  return status === 'proved' || (status === 'verified' && (!strict || kind === 'definition'));
}

export function failures(reports: readonly PageReport[], strict = false): FormulaResult[] {
  return reports.flatMap((report) => report.formulas.filter((formula) => !passes(formula, strict)));
}

/** One page's counts, and how many of its formulas stop the build without and with `strict`. */
export interface PageSummary extends Summary {
  failing: number;
  failingStrict: number;
}

export function pageSummary(report: PageReport): PageSummary {
  return { ...summarize([report]), failing: failures([report]).length, failingStrict: failures([report], true).length };
}

/** The counts of several pages together. */
export function addSummaries(summaries: readonly Summary[]): Summary {
  const total = emptySummary();
  for (const summary of summaries) for (const key of Object.keys(total) as (keyof Summary)[]) total[key] += summary[key];
  return total;
}

/** `N formulas: P proved, V verified, F failed, E error` */
export function summaryLine(summary: Summary): string {
  const { total, proved, verified, failed, error } = summary;
  return `${total} formula${total === 1 ? '' : 's'}: ${proved} proved, ${verified} verified, ${failed} failed, ${error} error`;
}
