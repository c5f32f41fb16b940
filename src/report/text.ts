/** The verifier's text output (shared/spec/report.md). */
import type { FormulaResult, PageReport } from '../engine/api.ts';
import { codeFrame, type FramePoint } from './frame.ts';
import { failures, summarize, summaryLine } from './summary.ts';

/** `file:line:column  verdict  id  message` */
export function resultLine(f: FormulaResult): string {
  return `${f.file}:${f.line}:${f.column}  ${f.status}  ${f.id}  ${oneLine(f.message ?? f.status)}`;
}

/** Where a code frame points: at the offending LaTeX when the engine located it, else the directive. */
export function framePoint(f: FormulaResult): FramePoint {
  if (f.source) return { line: f.source.line, column: f.source.column, length: f.source.span.end - f.source.span.start };
  return { line: f.line, column: f.column };
}

/** The lines for one failing formula: the located line, then its code frame when the source is known. */
export function formatFailure(f: FormulaResult, source: string | undefined): string {
  const parts = [resultLine(f)];
  if (source !== undefined) parts.push(indent(codeFrame(source, framePoint(f))));
  if (f.counterexample) parts.push(indent(formatCounterexample(f.counterexample)));
  return parts.join('\n');
}

export interface TextOptions {
  strict?: boolean;
  /** The text of a report's file, for code frames. */
  readSource?: (file: string) => string | undefined;
}

export function formatText(reports: readonly PageReport[], options: TextOptions = {}): string {
  const blocks = failures(reports, options.strict).map((f) => formatFailure(f, options.readSource?.(f.file)));
  blocks.push(summaryLine(summarize(reports)));
  return blocks.join('\n\n') + '\n';
}

function formatCounterexample(c: NonNullable<FormulaResult['counterexample']>): string {
  const values = Object.entries(c.values).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
  return [
    `counterexample${c.pair ? ` (pair ${c.pair + 1})` : ''}: ${values.join(', ')}`,
    `  left  = ${JSON.stringify(c.lhs)}`,
    `  right = ${JSON.stringify(c.rhs)}`,
  ].join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
