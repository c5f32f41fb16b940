/** Report formatting on hand-made engine results (no engine run). */
import { describe, expect, it } from 'vitest';
import type { FormulaResult, PageReport } from '../src/engine/api.ts';
import { codeFrame } from '../src/report/frame.ts';
import { toJsonReport } from '../src/report/json.ts';
import { toJUnit } from '../src/report/junit.ts';
import { failures, summarize, summaryLine } from '../src/report/summary.ts';
import { formatText } from '../src/report/text.ts';

const result = (over: Partial<FormulaResult>): FormulaResult => ({
  file: 'content/page.md',
  line: 5,
  column: 1,
  id: 'f',
  kind: 'identity',
  latex: 'a = a',
  status: 'proved',
  derived: null,
  steps: [],
  message: null,
  counterexample: null,
  checks: { symbolic: 'proved', numeric: { trials: 5, maxRelError: 0 } },
  ...over,
});

const source = ['---', 'title: t', '---', '', ':::identity{#bad}', '$$', 'x^\\top A x = 2 A x', '$$', ':::', ''].join('\n');
const reports: PageReport[] = [
  {
    file: 'content/page.md',
    unwrapped: 3,
    formulas: [
      result({ id: 'ok' }),
      result({ id: 'numeric', status: 'verified', message: 'symbolic equality not established', checks: { symbolic: 'not-established', numeric: { trials: 5, maxRelError: 1e-12 } } }),
      result({
        id: 'bad',
        status: 'failed',
        message: 'the two sides differ',
        latex: 'x^\\top A x = 2 A x',
        counterexample: { values: { x: [1, 0] }, lhs: 1, rhs: 2 },
        source: { line: 7, column: 14, span: { start: 13, end: 18 }, excerpt: '2 A x' },
      }),
      result({ id: 'def', kind: 'definition', status: 'verified', message: 'defines y: scalar' }),
      result({ id: 'x<&"y>', line: 9, status: 'error', message: 'unknown symbol <Q> & "R"' }),
    ],
  },
];

describe('reports', () => {
  it('summarizes, and fails only what the verdicts say (strict: identities that are only verified)', () => {
    expect(summarize(reports)).toEqual({ total: 5, proved: 1, verified: 2, failed: 1, error: 1, unwrapped: 3 });
    expect(summaryLine(summarize(reports))).toBe('5 formulas: 1 proved, 2 verified, 1 failed, 1 error');
    expect(summaryLine(summarize([]))).toBe('0 formulas: 0 proved, 0 verified, 0 failed, 0 error');
    expect(failures(reports).map((f) => f.id)).toEqual(['bad', 'x<&"y>']);
    expect(failures(reports, true).map((f) => f.id)).toEqual(['numeric', 'bad', 'x<&"y>']);
  });

  it('prints located lines with a code frame pointing at the offending LaTeX', () => {
    const text = formatText(reports, { readSource: () => source });
    expect(text).toBe(
      [
        'content/page.md:5:1  failed  bad  the two sides differ',
        '      5 | :::identity{#bad}',
        '      6 | $$',
        '    > 7 | x^\\top A x = 2 A x',
        '        |              ^^^^^',
        '      8 | $$',
        '      9 | :::',
        '    counterexample: x = [1,0]',
        '      left  = 1',
        '      right = 2',
        '',
        'content/page.md:9:1  error  x<&"y>  unknown symbol <Q> & "R"',
        '       7 | x^\\top A x = 2 A x',
        '       8 | $$',
        '    >  9 | :::',
        '         | ^',
        '      10 |',
        '',
        '5 formulas: 1 proved, 2 verified, 1 failed, 1 error',
        '',
      ].join('\n'),
    );
  });

  it('draws a caret under tabs and clamps to the file', () => {
    expect(codeFrame('a\n\tb = c', { line: 2, column: 4 })).toBe(['  1 | a', '> 2 | \tb = c', '    | \t  ^'].join('\n'));
    expect(codeFrame('one line', { line: 40, column: 1 }, 0)).toBe(['> 1 | one line', '    | ^'].join('\n'));
  });

  it('writes the JSON report with exactly the fields of report.md', () => {
    const json = toJsonReport(reports, 3);
    expect(json.seed).toBe(3);
    expect(json.summary.unwrapped).toBe(3);
    expect(Object.keys(json.formulas[2]!)).toEqual([
      'file', 'line', 'column', 'id', 'kind', 'latex', 'status', 'derived', 'steps', 'message', 'counterexample', 'checks',
    ]);
  });

  it('writes JUnit XML with escaped text', () => {
    const xml = toJUnit(reports);
    expect(xml).toContain('<testsuites name="proofsheet" tests="5" failures="1" errors="1">');
    expect(xml).toContain('<testcase classname="content/page.md" name="ok" file="content/page.md" line="5"/>');
    expect(xml).toContain('name="x&lt;&amp;&quot;y&gt;"');
    expect(xml).toContain('<error type="error" message="unknown symbol &lt;Q&gt; &amp; &quot;R&quot;">');
    expect(toJUnit(reports, { strict: true })).toContain('failures="2" errors="1"');
  });
});
