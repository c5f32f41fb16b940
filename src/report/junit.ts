/** JUnit XML: one test suite per file, one test case per formula. */
import type { FormulaResult, PageReport } from '../engine/api.ts';
import { passes, summarize } from './summary.ts';
import { resultLine } from './text.ts';

export function toJUnit(reports: readonly PageReport[], options: { strict?: boolean } = {}): string {
  const strict = options.strict ?? false;
  const all = summarize(reports);
  const count = (fs: readonly FormulaResult[], tag: 'failure' | 'error'): number =>
    fs.filter((f) => !passes(f, strict) && tagOf(f) === tag).length;
  const everything = reports.flatMap((r) => r.formulas);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="proofsheet" tests="${all.total}" failures="${count(everything, 'failure')}" errors="${count(everything, 'error')}">`,
  ];
  for (const report of reports) {
    const fs = report.formulas;
    lines.push(
      `  <testsuite name="${xml(report.file)}" tests="${fs.length}" failures="${count(fs, 'failure')}" errors="${count(fs, 'error')}">`,
    );
    for (const f of fs) {
      const open = `    <testcase classname="${xml(report.file)}" name="${xml(f.id)}" file="${xml(f.file)}" line="${f.line}"`;
      if (passes(f, strict)) {
        lines.push(`${open}/>`);
        continue;
      }
      const tag = tagOf(f);
      const details = [resultLine(f), `latex: ${f.latex}`];
      if (f.counterexample) details.push(`counterexample: ${JSON.stringify(f.counterexample)}`);
      lines.push(
        `${open}>`,
        `      <${tag} type="${f.status}" message="${xml(f.message ?? f.status)}">${xml(details.join('\n'))}</${tag}>`,
        '    </testcase>',
      );
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** JUnit's distinction: an `error` could not be checked, anything else that fails is a `failure`. */
function tagOf(f: FormulaResult): 'failure' | 'error' {
  return f.status === 'error' ? 'error' : 'failure';
}

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
