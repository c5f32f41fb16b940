/** The JSON report of shared/spec/report.md. */
import type { FormulaResult, PageReport } from '../engine/api.ts';
import { summarize, type Summary } from './summary.ts';

export interface JsonFormula
  extends Pick<
    FormulaResult,
    'file' | 'line' | 'column' | 'id' | 'kind' | 'latex' | 'status' | 'derived' | 'steps' | 'message' | 'counterexample' | 'checks'
  > {}

export interface JsonReport {
  version: 1;
  seed: number;
  summary: Summary;
  formulas: JsonFormula[];
}

export function toJsonReport(reports: readonly PageReport[], seed: number): JsonReport {
  return {
    version: 1,
    seed,
    summary: summarize(reports),
    formulas: reports.flatMap((report) => report.formulas.map(toJsonFormula)),
  };
}

function toJsonFormula(f: FormulaResult): JsonFormula {
  return {
    file: f.file,
    line: f.line,
    column: f.column,
    id: f.id,
    kind: f.kind,
    latex: f.latex,
    status: f.status,
    derived: f.derived,
    steps: f.steps,
    message: f.message,
    counterexample: f.counterexample,
    checks: f.checks,
  };
}
