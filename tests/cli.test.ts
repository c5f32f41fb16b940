/** The verifier's command line: shared/spec/report.md. Runs the real CLI in a child process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'src/cli/verify.ts');
const SUMMARY = /^(\d+) formulas?: (\d+) proved, (\d+) verified, (\d+) failed, (\d+) error$/m;

function verify(args: string[], cwd = root) {
  const run = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, npm_lifecycle_event: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const out = (name: string): string => join(mkdtempSync(join(tmpdir(), 'proofsheet-cli-')), name);

describe('verify CLI', () => {
  it('exits 0 and prints only the summary when every formula holds', () => {
    const run = verify(['tests/fixtures/cli/good.md']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const [, total, proved, verified, failed, error] = SUMMARY.exec(run.stdout)!.map(Number);
    expect({ total, holds: proved! + verified!, failed, error }).toEqual({ total: 2, holds: 2, failed: 0, error: 0 });
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('exits 1 with located lines, code frames and the summary when a formula fails', () => {
    const run = verify(['tests/fixtures/cli/bad.md']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^tests\/fixtures\/cli\/bad\.md:8:1 {2}failed {2}wrong-gradient {2}\S/m);
    expect(run.stdout).toMatch(/^tests\/fixtures\/cli\/bad\.md:14:1 {2}error {2}no-math {2}:::identity must wrap one display math block/m);
    // A code frame: numbered source lines, the offending one marked, a caret under the column.
    expect(run.stdout).toMatch(/^ {4}> +14 \| :::identity\{#no-math\}\n {4} +\| \^$/m);
    expect(run.stdout).toMatch(/^ {4}> +\d+ \| .*\n {4} +\| *\^+$/m);
    expect(SUMMARY.exec(run.stdout)?.slice(1).map(Number)).toEqual([2, 0, 0, 1, 1]);
  });

  it('writes the JSON report of report.md', () => {
    const json = out('report.json');
    const run = verify(['tests/fixtures/cli/bad.md', 'tests/fixtures/cli/good.md', '--json', json]);
    expect(run.status).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report)).toEqual(['version', 'seed', 'summary', 'formulas']);
    expect(report).toMatchObject({ version: 1, seed: 1 });
    expect(Object.keys(report.summary)).toEqual(['total', 'proved', 'verified', 'failed', 'error', 'unwrapped']);
    expect(report.summary).toMatchObject({ total: 4, failed: 1, error: 1, unwrapped: 0 });
    expect(report.formulas.map((f: { file: string; id: string }) => `${f.file}#${f.id}`)).toEqual([
      'tests/fixtures/cli/bad.md#wrong-gradient',
      'tests/fixtures/cli/bad.md#no-math',
      'tests/fixtures/cli/good.md#trace-transpose',
      'tests/fixtures/cli/good.md#quadratic-form',
    ]);
    const [wrong, malformed] = report.formulas;
    expect(Object.keys(wrong)).toEqual([
      'file', 'line', 'column', 'id', 'kind', 'latex', 'status', 'derived', 'steps', 'message', 'counterexample', 'checks',
    ]);
    expect(wrong).toMatchObject({
      line: 8,
      column: 1,
      kind: 'identity',
      status: 'failed',
      latex: '\\frac{\\partial}{\\partial x} x^\\top A x = 2 A x',
      message: expect.any(String),
      counterexample: { values: expect.any(Object) },
    });
    expect(malformed).toMatchObject({ line: 14, status: 'error', latex: '', counterexample: null });
    for (const f of report.formulas) {
      expect(['proved', 'not-established', 'not-applicable']).toContain(f.checks.symbolic);
      expect(Array.isArray(f.steps)).toBe(true);
      if (f.status === 'proved') expect(f.message).toBeNull();
    }
  });

  it('writes JUnit XML with one test case per formula', () => {
    const xml = out('junit.xml');
    verify(['tests/fixtures/cli', '--junit', xml]);
    const text = readFileSync(xml, 'utf8');
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="proofsheet" tests="7"/);
    expect(text.match(/<testcase /g)).toHaveLength(7);
    expect(text).toMatch(/<testcase classname="tests\/fixtures\/cli\/bad.md" name="wrong-gradient" file="tests\/fixtures\/cli\/bad.md" line="8">\n\s*<failure type="failed"/);
    expect(text).toMatch(/name="no-math"[^>]*>\n\s*<error type="error" message=":::identity must wrap/);
    expect(text.match(/<testsuite /g)).toHaveLength(5);
  });

  it('searches folders recursively for .md and .mdx and counts unwrapped display math', () => {
    const json = out('folder.json');
    const run = verify(['tests/fixtures/cli/folder', '--json', json]);
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.formulas.map((f: { file: string }) => f.file)).toEqual([
      'tests/fixtures/cli/folder/deeper/two.mdx',
      'tests/fixtures/cli/folder/one.md',
    ]);
    expect(report.summary.unwrapped).toBe(1);
  });

  it('verifies content/ by default, with paths relative to the working directory', () => {
    const json = out('default.json');
    const run = verify(['--json', json], join(root, 'tests/fixtures/cli/project'));
    expect(run.status).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.formulas.map((f: { file: string }) => f.file)).toEqual(['content/page.md']);
  });

  it('repeats exactly for a seed, and records it', () => {
    const [a, b] = [out('a.json'), out('b.json')];
    verify(['tests/fixtures/cli', '--seed', '7', '--json', a]);
    verify(['tests/fixtures/cli', '--seed', '7', '--json', b]);
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(b, 'utf8'));
    expect(JSON.parse(readFileSync(a, 'utf8')).seed).toBe(7);
  });

  it('--strict fails formulas that are only verified', () => {
    const json = out('strict.json');
    const run = verify(['tests/fixtures/cli/good.md', '--strict', '--json', json]);
    const { verified } = JSON.parse(readFileSync(json, 'utf8')).summary;
    expect(run.status).toBe(verified > 0 ? 1 : 0);
    if (verified > 0) expect(run.stdout).toMatch(/ {2}verified {2}/);
  });

  it.each([
    [['--bogus'], /Unknown option '--bogus'/],
    [['tests/fixtures/cli/missing.md'], /no such file or folder: tests\/fixtures\/cli\/missing\.md/],
    [['--seed', 'abc'], /--seed needs an integer/],
    [['--json'], /--json/],
  ])('exits 2 with a usage message when used wrongly: %j', (args, message) => {
    const run = verify(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^usage: npm run verify -- \[PATH \.\.\.\]/m);
    expect(run.stdout).toBe('');
  });

  it('prints help', () => {
    const run = verify(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^usage: npm run verify/);
  });
});
