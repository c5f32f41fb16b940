/**
 * Shapes, declarations and definitions (authoring.md §2–§3): dimension mismatches name both
 * shapes, undeclared symbols name the declaration to add, `where` overrides the page,
 * `::declare` replaces, definitions bind names for later formulas.
 */
import { describe, expect, it } from 'vitest';
import { check, declare, definition, errors, expectError, expectFails, expectHolds, formula, page } from './helpers.ts';

const r = String.raw;

describe('dimension mismatches name both shapes', () => {
  const W = 'A: m×n; B: n×m; C: m×n; x: n; y: m; S: n×n';
  const cases: { latex: string; shapes: RegExp[] }[] = [
    { latex: r`A + B = C`, shapes: [/m×n/, /n×m/] },
    { latex: r`A C = C`, shapes: [/m×n times m×n/] },
    { latex: r`A = A^T`, shapes: [/m×n on the left/, /n×m on the right/] },
    { latex: r`x^T y = 1`, shapes: [/1×n/, /m-vector/] },
    { latex: r`x + y = y + x`, shapes: [/n-vector/, /m-vector/] },
    { latex: r`A \circ B = C`, shapes: [/m×n/, /n×m/] },
    { latex: r`A x = x`, shapes: [/m-vector/, /n-vector/] },
    { latex: r`S A = A`, shapes: [/n×n times m×n/] },
    { latex: r`\operatorname{tr}(x^T S) = 0`, shapes: [/1×n/] },
  ];
  for (const c of cases) {
    it(`${c.latex}`, () => {
      const res = errors(c.latex, { where: W });
      expect(res.ruleId).toBe('shape');
      for (const s of c.shapes) expect(res.message).toMatch(s);
      expect(res.source?.excerpt).toBeTruthy();
    });
  }

  it('a trace, determinant or inverse of a non-square matrix', () => {
    expectError(check(r`\operatorname{tr}(A) = 1`, { where: W }), /square.*m×n/);
    expectError(check(r`\det(A) = 1`, { where: W }), /square.*m×n/);
    expectError(check(r`A^{-1} = B`, { where: W }), /square.*m×n/);
    expectError(check(r`|A| = 1`, { where: W }), /square|m×n/);
    expectError(check(r`A^2 = A`, { where: W }), /square.*m×n/);
  });

  it('|x| of a vector points to the norm; \\|X\\| of a matrix is ambiguous', () => {
    expectError(check(r`|x| = 1`, { where: W }), /\\\|x\\\|/);
    expectError(check(r`\|A\| = 1`, { where: W }), /\\\|X\\\|_F|Frobenius/);
  });

  it('an entry outside the declared range, an entry of a scalar, a wrong number of indices', () => {
    expectError(check(r`x_4 = 1`, { where: 'x: 3' }), /out of range/);
    expectError(check(r`a_1 = 1`, { where: 'a: scalar' }), /scalar.*no entries/);
    expectError(check(r`A_{1} = 1`, { where: 'A: 2×3' }), /two indices/);
  });

  it('a sum whose index range cannot be inferred', () => {
    expectError(check(r`\sum_i 1 = 1`, { where: W }), /range of the index i/);
  });

  it('the derivative of a matrix by a matrix is not a matrix: use vec', () => {
    expectError(check(r`\frac{\partial (AS)}{\partial S} = 0`, { where: W }), /vec/);
  });

  it('a Hessian of a vector-valued function', () => {
    expectError(check(r`\frac{\partial^2 (Sx)}{\partial x\,\partial x^T} = 0`, { where: W }), /scalar function/);
  });

  it('a literal matrix with rows of different lengths', () => {
    expectError(check(r`\begin{bmatrix} 1 & 2 \\ 3 \end{bmatrix} = 0`), /rows.*different lengths/);
  });

  it('I_n where the context needs another size', () => {
    expectError(check(r`I_m A = A`, { where: 'A: n×p' }), /m×m times n×p|mismatch/);
  });

  it('I, 0 or \\mathbf{1} whose size the context leaves open', () => {
    expectError(check(r`\mathbf{1}^T \mathbf{1} = 2`), /all-ones vector.*\\mathbf\{1\}_n/);
    expectError(check(r`\operatorname{tr}(I) = 2`), /identity matrix.*I_n/);
  });
});

describe('undeclared symbols', () => {
  it('an undeclared symbol that usage cannot pin names the declaration to add', () => {
    const res = errors(r`\operatorname{tr}(Y) = \operatorname{tr}(Y^T)`, { where: 'x: n' });
    expect(res.ruleId).toBe('unknown-symbol');
    expect(res.message).toMatch(/Y/);
    expect(res.message).toMatch(/where="Y: /);
    expect(res.source?.excerpt).toBe('Y');
  });

  it('in a product, an undeclared symbol might be a scalar or a matrix', () => {
    const res = errors(r`Y x = x`, { where: 'x: n' });
    expect(res.message).toMatch(/Y.*not declared/);
    expect(res.message).toMatch(/where="Y: n×n"|Y: scalar/);
  });

  it('in a product, the one reading that fits is inferred (authoring.md §3)', () => {
    // a trace of AᵀY needs Y m×n: a scalar Y cannot fit
    expectHolds(check(r`\operatorname{tr}(A^T Y) = \operatorname{tr}(Y^T A)`, { where: 'A: m×n' }));
    // c x = x c: a matrix c cannot fit both sides, a scalar c can
    expectHolds(check(r`c x = x c`, { where: 'x: n' }));
    expectFails(check(r`c x = 2 x c`, { where: 'x: n' }));
    // X Q = Q X fits a scalar Q and an n×n Q
    const res = errors(r`X Q = Q X`, { where: 'X: n×n' });
    expect(res.message).toMatch(/Q is not declared and its use fits both a scalar and a n×n/);
    expect(res.source?.excerpt).toBe('Q');
  });

  it('an undeclared letter before ( is a function that is not defined', () => {
    const res = errors(r`x^T x = g(x)`, { where: 'x: n' });
    expect(res.message).toMatch(/g\(…\) is not a defined function/);
    expectHolds(check(r`c(x + x) = 2cx`, { where: 'x: n; c: scalar' }));
  });

  it('an entry of an undeclared symbol names the declaration to add', () => {
    const res = errors(r`z_1 = 1`, { where: 'x: n' });
    expect(res.message).toMatch(/z is not declared/);
    expect(res.message).toMatch(/where="z: n"/);
  });

  it('a derivative with respect to an undeclared symbol', () => {
    const res = errors(r`\frac{\partial (x^T x)}{\partial w} = 0`, { where: 'x: n' });
    expect(res.message).toMatch(/variable w is not declared.*where="w: /);
    expect(res.source?.excerpt).toBe('w');
    // pinned by its use in what is differentiated, it is inferred
    expectHolds(check(r`\frac{\partial (x + y)}{\partial y} = I`, { where: 'x: n' }));
  });

  it('an undeclared symbol pinned by its use is inferred', () => {
    expectHolds(check(r`x + y = y + x`, { where: 'x: n' }));
    expectHolds(check(r`A + Y = Y + A`, { where: 'A: m×n' }));
    expectHolds(check(r`\operatorname{tr}(A^T (Y + A)) = \operatorname{tr}((Y + A)^T A)`, { where: 'A: m×n' }));
    expectFails(check(r`\operatorname{tr}(A^T (Y + A)) = \operatorname{tr}(Y^T Y)`, { where: 'A: m×n' }));
  });

  it('a declaration that cannot be read is an error in the declaration', () => {
    expectError(check(r`x = x`, { where: 'x: n by n' }), /in the declaration/);
    expectError(check(r`x = x`, { where: 'x' }), /names: type/);
    expectError(check(r`A = A`, { where: 'A: m×n symmetric' }), /square/);
    expectError(check(r`A = A`, { where: 'A: n×n hermitian' }), /unknown property/);
  });
});

describe('where overrides page symbols', () => {
  it('a formula where replaces a frontmatter declaration of the same name', () => {
    expectHolds(check(r`A^2 = AA`, { symbols: 'A: m×n', where: 'A: n×n' }));
    expectError(check(r`A^2 = AA`, { symbols: 'A: m×n' }), /square/);
  });
  it('a formula where replaces a ::declare for that formula only', () => {
    const rs = page([declare('A: m×n; x: n'), formula(r`A^T A x = A^T (A x)`), formula(r`A^2 x = A(Ax)`, { where: 'A: n×n' }), formula(r`A^T A x = A^T (A x)`)]);
    expectHolds(rs[0]!);
    expectHolds(rs[1]!);
    expectHolds(rs[2]!);
  });
  it('symbols the where does not mention keep the page declaration', () => {
    expectHolds(check(r`x^T A x = x^T A^T x`, { symbols: 'x: n; A: m×m', where: 'A: n×n' }));
    expectFails(check(r`A x = A^T x`, { symbols: 'x: n; A: m×m', where: 'A: n×n' }));
  });
  it('a where that changes a symbol’s properties', () => {
    expectFails(check(r`S = S^T`, { symbols: 'S: n×n' }));
    expectHolds(check(r`S = S^T`, { symbols: 'S: n×n', where: 'S: n×n symmetric' }));
  });
});

describe('::declare', () => {
  it('applies from that point to the end of the page', () => {
    const rs = page([formula(r`A^T = A`), declare('A: n×n symmetric'), formula(r`A^T = A`)]);
    expectError(rs[0]!, /A/);
    expectHolds(rs[1]!);
  });
  it('a later declaration of the same name replaces the earlier one', () => {
    const rs = page([declare('A: m×n; x: n'), formula(r`A x = x`), declare('A: n×n'), formula(r`A^2 x = A(Ax)`), formula(r`Ax = x`)]);
    expectError(rs[0]!, /m-vector.*n-vector|mismatch|shapes/);
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });
  it('replaces a frontmatter declaration', () => {
    const rs = page([formula(r`S^T = S`), declare('S: n×n symmetric'), formula(r`S^T = S`)], { symbols: 'S: n×n' });
    expectFails(rs[0]!);
    expectHolds(rs[1]!);
  });
  it('a declaration that cannot be read is reported, and the page goes on', () => {
    const rs = page([declare('A: m×'), declare('A: n×n'), formula(r`A^2 = AA`)]);
    expectError(rs[0]!, /declaration/);
    expectHolds(rs[1]!);
  });
});

describe('definitions', () => {
  const W = 'X: m×n; B: n×n; A: n×n; x: n';
  it('a definition is checked for being well formed, not for truth', () => {
    const rs = page([definition(r`y = \operatorname{tr}(X B X^T)`)], { symbols: W });
    expect(rs[0]!.status).toBe('verified');
    expect(rs[0]!.message).toMatch(/defines y: scalar/);
    const bad = page([definition(r`y = \operatorname{tr}(X B X)`)], { symbols: W });
    expectError(bad[0]!, /mismatch/);
    const unparsable = page([definition(r`y = \operatorname{tr}(X`)], { symbols: W });
    expectError(unparsable[0]!, /never closed|unbalanced/);
  });

  const defY = () => definition(r`y = \operatorname{tr}\left(X B X^\top\right)`);

  it('y used as a value', () => {
    const rs = page([defY(), formula(r`y = \operatorname{tr}(B X^T X)`), formula(r`y = \operatorname{tr}(X^T X B^T B)`)], { symbols: W });
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });

  it('∂y/∂X of a defined y', () => {
    const rs = page([defY(), formula(r`\frac{\partial y}{\partial X} = X(B + B^T)`), formula(r`\frac{\partial y}{\partial X} = 2XB`)], { symbols: W });
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });

  it('dy of a defined y', () => {
    const rs = page([defY(), formula(r`dy = \operatorname{tr}(dX (B + B^T) X^T)`), formula(r`dy = 2\operatorname{tr}(dX\,B X^T)`)], { symbols: W });
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });

  it('f(X) = … called with other arguments', () => {
    const rs = page(
      [
        definition(r`f(X) = \operatorname{tr}(X^T X)`),
        formula(r`f(2X) = 4 f(X)`),
        formula(r`f(X) = \|X\|_F^2`),
        formula(r`\frac{\partial f(X)}{\partial X} = 2X`),
        formula(r`f(-X) = -f(X)`),
        formula(r`\frac{\partial f(X)}{\partial X} = X`),
      ],
      { symbols: W },
    );
    expectHolds(rs[1]!);
    expectHolds(rs[2]!);
    expectHolds(rs[3]!);
    expectFails(rs[4]!);
    expectFails(rs[5]!);
  });

  it('a vector-valued definition and its Jacobian', () => {
    const rs = page([definition(r`g = \tanh(Ax)`), formula(r`\frac{\partial g}{\partial x} = \operatorname{diag}(\mathbf{1} - g \circ g) A`), formula(r`\frac{\partial g}{\partial x} = A \operatorname{diag}(\mathbf{1} - g \circ g)`)], { symbols: W });
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });

  it('definitions build on earlier definitions', () => {
    const rs = page([definition(r`u = Ax`), definition(r`v = u^T u`), formula(r`\frac{\partial v}{\partial x} = 2A^T u`), formula(r`\frac{\partial v}{\partial x} = 2A u`)], { symbols: W });
    expectHolds(rs[2]!);
    expectFails(rs[3]!);
  });

  it('a definition with \\coloneqq or := and a bold name', () => {
    const rs = page([definition(r`\mathbf{u} \coloneqq A\mathbf{x}`), definition(r`s := x^T x`), formula(r`u^T u = x^T A^T A x`), formula(r`s = \|x\|^2`)], { symbols: W });
    rs.forEach(expectHolds);
  });

  it('a definition is visible only after it', () => {
    const rs = page([formula(r`y = y`), defY(), formula(r`y = y`)], { symbols: W });
    expectError(rs[0]!, /y/);
    expectHolds(rs[2]!);
  });

  it('a later ::declare of the same name replaces the definition', () => {
    const rs = page([defY(), declare('y: n'), formula(r`y + x = x + y`), formula(r`y = \operatorname{tr}(X B X^T)`)], { symbols: W });
    expectHolds(rs[1]!);
    expectError(rs[2]!, /shape|mismatch/);
  });

  it('a definition with its own where: its parameters and body keep those declarations', () => {
    const rs = page([
      definition(r`f(X) = \operatorname{tr}(X^T X)`, 'X: m×n'),
      formula(r`f(A) = \|A\|_F^2`, { where: 'A: m×n' }),
      formula(r`f(2A) = 2f(A)`, { where: 'A: m×n' }),
      definition(r`y = \ln|S|`, 'S: n×n spd'),
      formula(r`y + 1 = 1 + y`),
      formula(r`2y = y`),
    ]);
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
    expectHolds(rs[4]!);
    expectFails(rs[5]!);
  });

  it('a symbol declared only by a definition’s where is not visible to later formulas', () => {
    const rs = page([definition(r`y = x^T x`, 'x: n'), formula(r`\frac{\partial y}{\partial x} = 2x`)]);
    expectError(rs[1]!, /x is not declared/);
  });

  it('a definition whose parameter is not declared', () => {
    const rs = page([definition(r`h(Z) = \operatorname{tr}(Z)`)], { symbols: W });
    expectError(rs[0]!, /parameter Z.*declared/);
  });

  it('a function called with the wrong number of arguments or a wrong shape', () => {
    const rs = page([definition(r`f(X) = \operatorname{tr}(X^T X)`), formula(r`f(X, X) = 1`), formula(r`f(A) = 1`)], { symbols: W });
    expectError(rs[1]!, /argument/);
    expectError(rs[2]!, /m×n|n×n|mismatch/);
  });
});
