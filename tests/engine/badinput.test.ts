/**
 * Bad input: every one is an `error` with a `source` span pointing at the offending LaTeX, comes
 * back quickly, and never throws or hangs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FormulaResult, Loc } from '../../src/engine/api.ts';
import { verifyPage } from '../../src/engine/index.ts';
import { check, expectError, expectFails, expectHolds, formula, page } from './helpers.ts';

const r = String.raw;

/** Generous: CI machines vary; the real bound is checked by a benchmark. */
const TIME_LIMIT_MS = 3000;

const LATEX_LOC: Loc = { line: 21, column: 5 };

function run(latex: string, where?: string): { res: FormulaResult; ms: number } {
  const t0 = performance.now();
  const rep = verifyPage({
    file: 'content/bad.md',
    items: [{ type: 'formula', kind: 'identity', latex, ...(where ? { where } : {}), loc: { line: 20, column: 1 }, latexLoc: LATEX_LOC }],
  });
  const ms = performance.now() - t0;
  expect(rep.formulas).toHaveLength(1);
  return { res: rep.formulas[0]!, ms };
}

/** File position of an offset in the LaTeX, computed independently of the engine. */
function position(latex: string, offset: number): { line: number; column: number } {
  const lines = latex.slice(0, offset).split('\n');
  if (lines.length === 1) return { line: LATEX_LOC.line, column: LATEX_LOC.column + offset };
  return { line: LATEX_LOC.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * An error whose source span starts at the `nth` occurrence of `at` and whose excerpt shows it;
 * the file line and column are those of that offset.
 */
function expectErrorAt(latex: string, where: string | undefined, at: string, pattern: RegExp, nth = 0): FormulaResult {
  const { res, ms } = run(latex, where);
  expectError(res, pattern);
  expect(ms).toBeLessThan(TIME_LIMIT_MS);
  let offset = -1;
  for (let k = 0; k <= nth; k++) offset = latex.indexOf(at, offset + 1);
  expect(offset, `'${at}' is in the formula`).toBeGreaterThanOrEqual(0);
  const src = res.source;
  expect(src, `${latex}: a source span`).toBeDefined();
  expect(src!.span.start).toBe(offset);
  expect(src!.excerpt.replace(/\s+/g, ' ')).toContain(at.replace(/\s+/g, ' ').slice(0, 60));
  expect({ line: src!.line, column: src!.column }).toEqual(position(latex, offset));
  return res;
}

describe('unbalanced braces and brackets', () => {
  it('an unclosed {', () => {
    expectErrorAt(r`x^T x = {x^T x`, 'x: n', '{', /unbalanced braces.*never closed/);
  });
  it('a } that closes nothing', () => {
    expectErrorAt(r`x^T x = x^T x}`, 'x: n', '}', /unbalanced braces.*closes nothing/);
  });
  it('an unclosed group of \\frac, on the second line', () => {
    const res = expectErrorAt('x^T x\n  = \\frac{x^T x}{2', 'x: n', '{', /never closed|expected '\}'/, 1);
    expect(res.source!.line).toBe(LATEX_LOC.line + 1);
  });
  it('an unclosed (', () => {
    expectErrorAt(r`(x^T x = 1`, 'x: n', '=', /expected '\)' to close the \(/);
  });
  it('a ) that closes nothing', () => {
    expectErrorAt(r`x^T x) = 1`, 'x: n', ')', /closes nothing/);
  });
  it('\\left( without \\right)', () => {
    expectErrorAt(r`\left( x^T x = 1`, 'x: n', '=', /expected '\)'/);
  });
  it('an unclosed \\begin{bmatrix}', () => {
    expectErrorAt(r`\begin{bmatrix} 1 & 2 \\ 3 & 4`, undefined, r`\begin`, /never closed/);
  });
  it('\\begin{bmatrix} closed by \\end{pmatrix}', () => {
    expectErrorAt(r`\begin{bmatrix} 1 & 2 \end{pmatrix} = 0`, undefined, r`\begin`, /closed by \\end\{pmatrix\}/);
  });
  it('an unclosed |', () => {
    expectErrorAt(r`|A = 1`, 'A: n×n', '|', /never closed/);
  });
  it('an unclosed \\|', () => {
    expectErrorAt(r`\|x = 1`, 'x: n', r`\|`, /never closed/);
  });
});

describe('unknown macros and environments', () => {
  it('an unknown macro, on the second line of the formula', () => {
    const latex = 'x^T x\n  = \\foo x^T x';
    const res = expectErrorAt(latex, 'x: n', r`\foo`, /unknown macro \\foo/);
    expect(res.ruleId).toBe('unknown-macro');
    expect(res.source!).toMatchObject({ line: 22, column: 5, excerpt: r`\foo` });
  });
  it('an unknown \\operatorname', () => {
    expectErrorAt(r`\operatorname{blah}(x) = 1`, 'x: n', r`\operatorname{blah}`, /unknown function/);
  });
  it('an unknown environment', () => {
    expectErrorAt(r`\begin{cases} 1 \end{cases} = 1`, undefined, r`\begin{cases}`, /unknown environment cases/);
  });
  it('a lone backslash at the end', () => {
    expectErrorAt('x = x \\', 'x: n', '\\', /lone backslash/);
  });
  it('an unexpected character', () => {
    expectErrorAt(r`x ? x = 1`, 'x: n', '?', /unexpected character/);
  });
});

describe('undeclared symbols', () => {
  it('a symbol whose shape cannot be inferred', () => {
    const res = expectErrorAt(r`\operatorname{tr}(Y) = 1`, 'x: n', 'Y', /Y is not declared.*where="Y: /);
    expect(res.ruleId).toBe('unknown-symbol');
  });
  it('an entry of an undeclared vector', () => {
    expectErrorAt(r`x_1 + z_2 = 1`, 'x: n', 'z_2', /z is not declared/);
  });
  it('a function that is not defined', () => {
    expectErrorAt(r`x^T x = g(x)`, 'x: n', 'g', /not declared|not a defined function/);
  });
});

describe('shape mismatches', () => {
  it('a sum of different shapes points at the offending term', () => {
    expectErrorAt(r`A + B = A`, 'A: m×n; B: n×m', 'B', /mismatch.*m×n and n×m/);
  });
  it('a product with different inner dimensions points at the right factor', () => {
    expectErrorAt(r`A B^T = A`, 'A: m×n; B: n×m', 'B^T', /m×n times m×n/);
  });
  it('sides of different shapes point at the right side', () => {
    expectErrorAt(r`A^T = A`, 'A: m×n', 'A', /different shapes: n×m on the left, m×n on the right/, 1);
  });
});

describe('values outside a function’s domain on every sample', () => {
  it('\\ln|x x^T| is the log of a singular determinant', () => {
    const res = expectErrorAt(r`\ln|x x^T| = 0`, 'x: n', r`\ln|x x^T|`, /no sample stays inside the domain/);
    expect(res.ruleId).toBe('domain');
  });
  it('\\ln|x x^T| under a derivative', () => {
    expectErrorAt(r`\frac{\partial}{\partial x}\ln|x x^T| = 0`, 'x: n', r`\ln|x x^T|`, /domain/);
  });
  it('the inverse of a rank-one matrix', () => {
    expectErrorAt(r`(x x^T)^{-1} x = x`, 'x: n', '(x x^T)^{-1}', /domain|singular/);
  });
  it('the square root and the log of a negative number, a division by zero', () => {
    expectErrorAt(r`\sqrt{-1 - a^2} = 1`, 'a: scalar', r`\sqrt{-1 - a^2}`, /domain/);
    expectErrorAt(r`\ln(-a^2 - 1) = 0`, 'a: scalar', r`\ln(-a^2 - 1)`, /domain/);
    expectErrorAt(r`\frac{1}{a - a} = 0`, 'a: scalar', 'a - a', /division by zero/);
  });
  it('a value that is in the domain on some samples only is checked on those', () => {
    const { res } = run(r`\ln a^2 = 2\ln|a|`, 'a: scalar');
    expectHolds(res);
  });
});

describe('errors met inside a definition point at its use', () => {
  it('a defined y whose body is never inside the domain', () => {
    const def = formula(r`y = \ln|x x^T| + 1`, { kind: 'definition', where: 'x: n' });
    const use = formula(r`x^T x + y = y + x^T x`, { where: 'x: n' });
    const res = page([def, use])[1]!;
    expectError(res, /domain.*in the definition of y/);
    expect(res.source).toMatchObject({ span: { start: 8, end: 9 }, excerpt: 'y', line: use.latexLoc!.line, column: 9 });
  });
  it('a defined f(X) called where its body is singular', () => {
    const def = formula(r`f(X) = \operatorname{tr}(X^{-1})`, { kind: 'definition', where: 'X: n×n' });
    const use = formula(r`f(x x^T) + 1 = 1 + f(x x^T)`, { where: 'x: n; X: n×n' });
    const res = page([def, use])[1]!;
    expectError(res, /in the definition of f/);
    expect(res.source?.excerpt).toBe('f(x x^T)');
  });
});

describe('too large', () => {
  it('a 5,000-term expression is refused quickly', () => {
    const latex = `x_1${' + x_1'.repeat(4999)} = 5000 x_1`;
    const res = expectErrorAt(latex, 'x: n', 'x_1 + x_1 + x_1', /too large/);
    expect(res.ruleId).toBe('too-large');
  });
  it('a 5,000-factor product is refused quickly', () => {
    expectErrorAt(`${'a '.repeat(5000)}= a`, 'a: scalar', 'a a a a', /too large/);
  });
  it('nesting 500 levels deep is refused quickly, at the ( where the limit is passed', () => {
    const latex = `${'('.repeat(500)}x${')'.repeat(500)} = x`;
    const { res, ms } = run(latex, 'x: n');
    expectError(res, /nested too deeply/);
    expect(ms).toBeLessThan(TIME_LIMIT_MS);
    expect(res.source?.excerpt).toBe('(');
    expect(res.source!.span.start).toBeGreaterThan(0);
    expect(res.source!.column).toBe(LATEX_LOC.column + res.source!.span.start);
  });
  it('a formula longer than the limit is refused', () => {
    const latex = `x = ${'x + '.repeat(60_000)}x`;
    const { res, ms } = run(latex, 'x: n');
    expectError(res, /too long|too large/);
    expect(ms).toBeLessThan(TIME_LIMIT_MS);
  });
  it('a value with too many entries (a tower of Kronecker products)', () => {
    const latex = r`\operatorname{tr}(A \otimes A \otimes A \otimes A \otimes A \otimes A \otimes A \otimes A) = \operatorname{tr}(A)^8`;
    expectErrorAt(latex, 'A: n×n', r`(A \otimes A \otimes A`, /too large/);
  });
  it('a declared dimension too large to sample', () => {
    expectErrorAt(r`\det A = \det A^T`, 'A: 1000×1000', 'A', /too large/);
  });
  it('a huge matrix power does not loop', () => {
    const { res, ms } = run(r`A^{999999999} = A`, 'A: n×n');
    expect(['failed', 'error']).toContain(res.status);
    expect(ms).toBeLessThan(TIME_LIMIT_MS);
  });
});

describe('other unreadable formulas', () => {
  const cases: [string, string, RegExp, number?][] = [
    [r`x^T x`, 'x^T x', /needs a relation/],
    [r`a = `, '', /ends where an expression was expected/],
    [r`= a`, '=', /expected an expression/],
    [r`x & = x`, '&', /unexpected '&'/],
    [r`x = x \\ y`, r`\\`, /unexpected/],
    [r`\sqrt[3]{a} = 1`, r`\sqrt`, /not supported/],
    [r`\sum_{i=0}^{n} x_i = 1`, '0', /1-based/],
    [r`\frac{\partial^3 a}{\partial a^3} = 0`, '^', /first and second derivatives/],
    [r`x_{12} = 1`, 'x_{12}', /out of range/],
    [r`x^23 = 1`, '23', /braces/],
  ];
  for (const [latex, at, pattern] of cases) {
    it(latex || '(empty)', () => {
      if (at === '') {
        const { res } = run(latex, 'x: n; a: scalar');
        expectError(res, pattern);
        expect(res.source?.span.start).toBe(latex.length);
        return;
      }
      expectErrorAt(latex, 'x: n; a: scalar', at, pattern);
    });
  }

  it('an empty formula', () => {
    const { res } = run('', 'x: n');
    expectError(res, /ends where an expression was expected/);
  });

  it('a declaration that cannot be read is reported in the declaration, not in the LaTeX', () => {
    const { res } = run(r`x = x`, 'x: n by n');
    expectError(res, /in the declaration/);
    expect(res.source).toBeUndefined();
  });

  it('a formula KaTeX refused keeps KaTeX’s message and span', () => {
    const rep = verifyPage({
      file: 'content/bad.md',
      items: [{ type: 'formula', kind: 'identity', latex: r`x = \badmacro`, loc: { line: 3, column: 1 }, latexLoc: { line: 4, column: 1 }, renderError: { message: 'Undefined control sequence', span: { start: 4, end: 13 } } }],
    });
    const res = rep.formulas[0]!;
    expectError(res, /KaTeX.*Undefined control sequence/);
    expect(res.source).toMatchObject({ line: 4, column: 5, excerpt: r`\badmacro` });
  });

  it('one bad formula does not stop the page', () => {
    const rs = page([formula(r`x^T x = {x`, { where: 'x: n' }), formula(r`\foo = 1`), formula(r`x^T y = y^T x`, { where: 'x, y: n' })]);
    expectError(rs[0]!);
    expectError(rs[1]!);
    expectHolds(rs[2]!);
  });
});

describe('never a throw, never a hang', () => {
  const TOKENS = [
    'x', 'A', 'B', 'a', 'X', '1', '2', '0', '+', '-', '=', '^', '_', '{', '}', '(', ')', '[', ']', '|', "'", ',', '.', '/', '&',
    r`\\`, r`\frac`, r`\partial`, r`\nabla`, r`\sum`, r`\prod`, r`\det`, r`\ln`, r`\exp`, r`\sqrt`, r`\|`, r`\{`, r`\}`, r`\left(`, r`\right)`,
    r`\operatorname{tr}`, r`\mathbf`, r`\top`, r`^T`, r`^{-1}`, r`\circ`, r`\otimes`, r`\cdot`, r`\neq`, r`\text{a}`, r`\begin{bmatrix}`, r`\end{bmatrix}`,
    r`\begin{aligned}`, r`\end{aligned}`, 'd', r`\mathrm{d}`, 'I', r`\mathbf{1}`, r`\sigma`, r`\tag{1}`, ' ', '\n',
  ];
  it('random token soup always gets exactly one verdict', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { minLength: 0, maxLength: 40 }), (toks) => {
        const latex = toks.join(' ');
        const t0 = performance.now();
        const rep = verifyPage({ file: 'fuzz.md', items: [{ type: 'formula', kind: 'identity', latex, where: 'x: n; A, B, X: n×n; a: scalar', loc: { line: 1, column: 1 }, latexLoc: { line: 2, column: 1 } }] });
        const ms = performance.now() - t0;
        expect(ms).toBeLessThan(TIME_LIMIT_MS);
        expect(rep.formulas).toHaveLength(1);
        const res = rep.formulas[0]!;
        expect(['proved', 'verified', 'failed', 'error']).toContain(res.status);
        if (res.status === 'error') {
          expect(res.message).toBeTruthy();
          expect(res.message).not.toMatch(/internal error in the checker/);
        }
        if (res.source) {
          expect(res.source.span.start).toBeGreaterThanOrEqual(0);
          expect(res.source.span.end).toBeLessThanOrEqual(latex.length);
          expect(res.source.line).toBeGreaterThanOrEqual(2);
        }
      }),
      { numRuns: 400, seed: 20261121 },
    );
  });
});

describe('cases the fuzzer found', () => {
  it('an index summed twice is an error at the repeated index', () => {
    const res = check(r`\sum_{ii,j} A_{ij} = 0`, { where: 'A: n×n' });
    expect(res.status).toBe('error');
    expect(res.message).toMatch(/the index i is summed twice/);
    expect(res.source?.span).toEqual({ start: 7, end: 8 });
  });
  it('a second derivative of A(x) is left to the numbers, never an internal error', () => {
    const res = check(r`\frac{\partial}{\partial x}\frac{\partial}{\partial x}(\mathbf{A}\mathbf{B}) = 0`, { where: 'x: scalar; A(x), B(x): n×n' });
    expect(res.status).toBe('failed');
  });
  it('a fractional power of a product stays whole: √(x₁/t) is defined where x₁, t < 0', () => {
    expectHolds(check(r`\sqrt{\frac{x_1}{t}} = \sqrt{\frac{x_1}{t}}`, { where: 'x: n; t: scalar' }));
    expectFails(check(r`\sqrt{\frac{x_1}{t}} = \frac{\sqrt{x_1}}{t}`, { where: 'x: n; t: scalar' }));
  });
  it('adj of a scalar is 1; ∇ with respect to an entry keeps the shape of f', () => {
    expectHolds(check(r`\operatorname{adj}(a) = 1`, { where: 'a: scalar' }));
    expectHolds(check(r`\nabla_{X_{12}} (X x) = \frac{\partial (Xx)}{\partial X_{12}}`, { where: 'x: 4; X: 4×4' }));
  });
});

describe('a definition whose symbols were declared again since', () => {
  // found by npm run fuzz: the definition's body was sampled with the new shape
  const use = (redeclared: string) =>
    page([
      { type: 'declare', where: 'A: m×m', loc: { line: 1, column: 1 } },
      formula('g = \\operatorname{tr}(A A)', { kind: 'definition' }),
      { type: 'declare', where: redeclared, loc: { line: 9, column: 1 } },
      formula('g + 1 = 1 + g'),
    ]).at(-1)!;

  it('another shape: an error at the use of the definition, naming both declarations', () => {
    const r = use('A: m×n');
    expect(r.status).toBe('error');
    expect(r.message).toMatch(/^g was defined when A was m×m; A is now m×n: define g again/);
    expect(r.source?.excerpt).toBe('g');
  });

  it('other properties: an error too', () => {
    expect(use('A: m×m symmetric').message).toMatch(/A is now m×m \(symmetric\)/);
  });

  it('the same declaration again: fine', () => {
    expect(['proved', 'verified']).toContain(use('A: m×m').status);
  });
});
