/**
 * The site's verification report: the JSON report of shared/spec/report.md plus what the
 * `/verification/` page shows beside it (engine version, coverage per page).
 * `verification.json` is the whole object; the page (through `virtual:proofsheet/report`) gets
 * its index (`toReportIndex`): no steps, values or counterexamples, which it does not show, and
 * the build time.
 *
 * The report holds no build time: the same pages, seed and engine give the same bytes, so two
 * builds' reports can be compared with a plain diff, and a build that changed no formula leaves
 * the previous build's `verification.json` as it was (outputs.ts keeps unchanged files).
 */
import type { PageReport } from '../engine/api.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { toJsonReport, type JsonFormula, type JsonReport } from '../report/json.ts';

export interface PageCoverage {
  file: string;
  /** Formulas wrapped in a directive (checked), display and inline. */
  checked: number;
  /** Display formulas that no directive wraps (rendered, never checked). */
  unwrapped: number;
}

export interface SiteReport extends JsonReport {
  engine: string;
  pages: PageCoverage[];
}

export function toSiteReport(reports: readonly PageReport[], seed: number): SiteReport {
  return {
    ...toJsonReport(reports, seed),
    engine: ENGINE_VERSION,
    pages: reports.map((report) => ({ file: report.file, checked: report.formulas.length, unwrapped: report.unwrapped })),
  };
}

/** What the `/verification/` page lists of a formula. */
export type IndexFormula = Pick<JsonFormula, 'file' | 'line' | 'column' | 'id' | 'kind' | 'latex' | 'status' | 'message'>;

export interface ReportIndex extends Omit<SiteReport, 'formulas'> {
  formulas: IndexFormula[];
  /** ISO 8601 time of the build. */
  builtAt: string;
}

export function toReportIndex(report: SiteReport, builtAt: string): ReportIndex {
  const formulas = report.formulas.map(({ file, line, column, id, kind, latex, status, message }) => ({ file, line, column, id, kind, latex, status, message }));
  return { ...report, formulas, builtAt };
}
