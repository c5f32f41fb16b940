/**
 * authoring.md §1–§4: every notation row and grammar item, each with at least one true identity
 * that must hold and one wrong variant that must fail.
 */
import { describe, expect, it } from 'vitest';
import { check, definition, declare, expectFails, expectHolds, fails, formula, holds, page, runRows, type Row } from './helpers.ts';

const r = String.raw;

const SQ = 'A, B, C, D: n×n; X: n×n invertible; a, b, c: scalar; x, y, z: n';

// ---------------------------------------------------------------- §1 wrapping
describe('§1 relations', () => {
  runRows([
    {
      name: 'equation lhs = rhs',
      where: SQ,
      ok: [r`(AB)^T = B^T A^T`],
      bad: [r`(AB)^T = A^T B^T`],
    },
    {
      name: 'chain a = b = c (every adjacent pair)',
      where: SQ,
      ok: [r`\operatorname{tr}(ABC) = \operatorname{tr}(BCA) = \operatorname{tr}(CAB)`, r`x^T y = y^T x = \sum_i x_i y_i = \operatorname{tr}(x y^T)`],
      bad: [r`\operatorname{tr}(ABC) = \operatorname{tr}(BCA) = \operatorname{tr}(BAC)`, r`\operatorname{tr}(ABC) = \operatorname{tr}(ACB) = \operatorname{tr}(CBA)`],
    },
    {
      name: 'aligned rows continue the chain',
      where: SQ,
      ok: [r`\begin{aligned} \operatorname{tr}(AB) &= \sum_i \sum_j A_{ij} B_{ji} \\ &= \sum_j \sum_i B_{ji} A_{ij} \\ &= \operatorname{tr}(BA) \end{aligned}`],
      bad: [r`\begin{aligned} \operatorname{tr}(AB) &= \sum_i \sum_j A_{ij} B_{ij} \\ &= \operatorname{tr}(BA) \end{aligned}`],
    },
    {
      name: 'align* rows',
      where: SQ,
      ok: [r`\begin{align*} (A+B)^2 &= A^2 + AB + BA + B^2 \\ &= A(A+B) + B(A+B) \end{align*}`],
      bad: [r`\begin{align*} (A+B)^2 &= A^2 + AB + BA + B^2 \\ &= A^2 + 2AB + B^2 \end{align*}`],
    },
    {
      name: 'split rows',
      where: SQ,
      ok: [r`\begin{split} d(X^{-1}) &= -X^{-1}\,dX\,X^{-1} \\ &= -X^{-1}(dX)X^{-1} \end{split}`],
      bad: [r`\begin{split} d(X^{-1}) &= -X^{-1}\,dX\,X^{-1} \\ &= -X^{-2}\,dX \end{split}`],
    },
    {
      name: 'aligned details: comments after &&, \\nonumber and \\label, a trailing \\\\, = {} & spacing, a first row alone',
      where: SQ,
      ok: [
        r`\begin{aligned} \operatorname{tr}(AB) &= \operatorname{tr}(BA) && \text{(cyclic)} \\ &= \operatorname{tr}(A^TB^T) && \text{(transpose)} \\ \end{aligned}`,
        r`\begin{align} \operatorname{tr}(AB) &= \operatorname{tr}(BA) \nonumber \\ &= \operatorname{tr}(A^TB^T) \label{eq:x} \end{align}`,
        r`\begin{aligned} \operatorname{tr}(AB) = {} & \operatorname{tr}(BA) \\ = {} & \operatorname{tr}(A^T B^T) \end{aligned}`,
        r`\begin{aligned} &\operatorname{tr}(AB) \\ &= \operatorname{tr}(BA) \end{aligned}`,
        r`\begin{aligned} \operatorname{tr}(AB) &= \operatorname{tr}(BA) \\ \operatorname{tr}(A) &= \operatorname{tr}(A^T) \end{aligned}`,
      ],
      bad: [
        r`\begin{aligned} \operatorname{tr}(AB) = {} & \operatorname{tr}(BA) \\ = {} & \operatorname{tr}(A B^T) \end{aligned}`,
        r`\begin{aligned} \operatorname{tr}(AB) &= \operatorname{tr}(BA) \\ \operatorname{tr}(A) &= \operatorname{tr}(B) \end{aligned}`,
      ],
    },
    {
      name: 'inequation \\neq holds when a counterexample exists',
      where: SQ,
      ok: [r`AB \neq BA`, r`(A+B)^2 \neq A^2 + 2AB + B^2`, r`(AB)^T \ne A^T B^T`],
      bad: [r`(AB)^T \neq B^T A^T`, r`\operatorname{tr}(AB) \ne \operatorname{tr}(BA)`],
    },
  ]);

  it('a failed chain names the pair that failed', () => {
    const res = fails(r`\operatorname{tr}(ABC) = \operatorname{tr}(BCA) = \operatorname{tr}(BAC)`, { where: SQ });
    expect(res.counterexample?.pair).toBe(1);
    expect(res.message).toMatch(/step 2/);
  });
});

describe('§1 ignored markup', () => {
  runRows([
    {
      name: '\\tag{…}',
      where: SQ,
      ok: [r`(AB)^T = B^T A^T \tag{3}`, r`\tag*{(a)} (AB)^T = B^T A^T`],
      bad: [r`(AB)^T = A^T B^T \tag{3}`],
    },
    {
      name: '\\text{…}',
      where: SQ,
      ok: [r`(AB)^{-1} = B^{-1}A^{-1} \text{ for invertible $A$, $B$ (see §2.1)}`, r`\text{if $a$ is not zero } a a^{-1} = 1`],
      bad: [r`(AB)^{-1} = A^{-1}B^{-1} \text{ (wrong)}`],
    },
    {
      name: 'spacing \\quad \\qquad \\, \\; \\!',
      where: SQ,
      ok: [r`\quad d(XA) \;=\; dX\,A \qquad`, r`x^T\!A\,y = y^T\!A^T x`],
      bad: [r`d(XA) \;=\; A\,dX \quad`, r`x^T\!A\,y = y^T\!A\,x`],
    },
    {
      name: '\\left/\\right sizing',
      where: SQ,
      ok: [r`\left(A B\right)^T = B^T A^T`, r`\left[A + B\right]C = \left. AC + BC \right.`, r`\bigl(A+B\bigr)^T = A^T + B^T`],
      bad: [r`\left(A B\right)^T = \left(A^T B^T\right)`],
    },
    {
      name: 'trailing . or ,',
      where: SQ,
      ok: [r`(AB)^T = B^T A^T.`, r`(AB)^T = B^T A^T,`, r`\begin{aligned} (AB)^T &= B^T A^T, \\ &= (B^T A^T). \end{aligned}`],
      bad: [r`(AB)^T = A^T B^T.`],
    },
  ]);
});

// ---------------------------------------------------------------- §3 declarations
describe('§3 where grammar', () => {
  runRows([
    {
      name: 'several names, × and x for matrices',
      where: 'A, B: n x m; C: m×n; v: m',
      ok: [r`\operatorname{tr}((A+B)C) = \operatorname{tr}(C(A+B))`, r`(A+B)v = Av + Bv`],
      bad: [r`\operatorname{tr}((A+B)C) = \operatorname{tr}(CA)`],
    },
    {
      name: 'x without spaces (2x2, nxn), spaces around ×, several properties, accented names',
      where: r`X: 2x2; Y: nxn; P: n × n spd invertible; \hat\mu, \bar{x}: n`,
      ok: [r`\det X = X_{11}X_{22} - X_{12}X_{21}`, r`Y^2 = YY`, r`\ln|P^{-1}| = -\ln|P|`, r`\hat{\mu}^T \bar x = \bar{x}^T \hat\mu`],
      bad: [r`\det X = X_{11}X_{22} + X_{12}X_{21}`, r`\hat{\mu}^T \bar x = \bar{x}^T \bar x`],
    },
    {
      name: '\\times in a declaration, integer dimensions',
      where: r`A: 2 \times 3; v: 3`,
      ok: [r`(Av)_1 = A_{11} v_1 + A_{12} v_2 + A_{13} v_3`],
      bad: [r`(Av)_1 = A_{11} v_1 + A_{21} v_2 + A_{13} v_3`],
    },
    {
      name: 'symmetric',
      where: 'S: n×n symmetric; x: n',
      ok: [r`S^T = S`, r`\frac{\partial x^T S x}{\partial x} = 2Sx`],
      bad: [r`S^T = -S`, r`\frac{\partial x^T S x}{\partial x} = Sx`],
    },
    {
      name: 'spd',
      where: 'S: n×n spd; x: n',
      ok: [r`\ln|S^2| = 2\ln|S|`, r`\sqrt{x^T S x}^2 = x^T S x`],
      bad: [r`\ln|S^2| = \ln|S|`],
    },
    {
      name: 'invertible',
      where: 'X: n×n invertible',
      ok: [r`X X^{-1} = I`, r`X^{-1} X = I`, r`|\det X| = \sqrt{\det(X^T X)}`],
      bad: [r`X X^{-1} = X^{-1} X + X - X^T`, r`|\det X| = \det X`],
    },
    {
      name: 'orthogonal',
      where: 'Q: n×n orthogonal; x: n',
      ok: [r`Q^T Q = I`, r`\|Qx\| = \|x\|`, r`Q^{-1} = Q^T`, r`(\det Q)^2 = 1`, r`|Q| = \det Q^T`],
      bad: [r`Q^T = Q`, r`Q x = x`, r`\det Q = 1`],
    },
    {
      name: 'diagonal',
      where: 'D, E: n×n diagonal; A: n×n',
      ok: [r`DE = ED`, r`D^T = D`, r`\det D = \prod \operatorname{diag}(D)`],
      bad: [r`DA = AD`, r`|\det D| = \det D`],
    },
    {
      name: 'A(t): a function of a scalar parameter',
      where: 't: scalar; A(t): n×n invertible',
      ok: [r`\frac{d}{dt} A^{-1} = -A^{-1}\frac{dA}{dt}A^{-1}`, r`\frac{d}{dt} A(t)^{-1} = -A(t)^{-1}\frac{dA}{dt}A(t)^{-1}`],
      bad: [r`\frac{d}{dt} A^{-1} = -A^{-2}\frac{dA}{dt}`],
    },
    {
      name: '\\mathbf, \\boldsymbol, \\bm and plain are one symbol',
      where: 'A: n×n; x, y: n; \\mu: n',
      ok: [
        r`\mathbf{x}^T \mathbf{A} \mathbf{y} = \boldsymbol{y}^T \bm{A}^T x`,
        r`\boldsymbol{\mu}^T \mathbf{x} = x^T \mu`,
        r`\mathbf{Ax} = A x`,
      ],
      bad: [r`\mathbf{x}^T \mathbf{A} \mathbf{y} = \boldsymbol{y}^T \bm{A} x`, r`\boldsymbol{\mu}^T \mathbf{A} x = x^T A \mu`],
    },
    {
      name: 'a bold name declared bold',
      where: r`\mathbf{x}: n; \boldsymbol{\Sigma}: n×n spd`,
      ok: [r`x^T \Sigma^{-1} x = \mathbf{x}^T \boldsymbol{\Sigma}^{-1} \mathbf{x}`],
      bad: [r`x^T \Sigma^{-1} x = \mathbf{x}^T \boldsymbol{\Sigma} \mathbf{x}`],
    },
  ]);
});

describe('§3 entries and index sums', () => {
  runRows([
    {
      name: 'x_1, x_{2}: entries of a vector',
      where: 'x: 3',
      ok: [r`x_1 + x_{2} + x_3 = \mathbf{1}^T x`, r`x_{1} = \begin{bmatrix} 1 & 0 & 0 \end{bmatrix} x`],
      bad: [r`x_1 + x_{2} = \mathbf{1}^T x`, r`x_{2} = \begin{bmatrix} 1 & 0 & 0 \end{bmatrix} x`],
    },
    {
      name: 'a_{12}: entry (1,2) of the matrix A',
      where: 'A: 2×2',
      ok: [r`a_{12} = A_{12}`, r`\det A = a_{11} a_{22} - a_{12} a_{21}`, r`A_{1,2} = a_{12}`],
      bad: [r`a_{12} = A_{21}`, r`\det A = a_{11} a_{22} - a_{12} a_{12}`],
    },
    {
      name: 'Greek entries: \\mu_i of \\mu, \\Sigma_{ij} and \\sigma_{ij} of \\Sigma',
      where: r`\mu, x: n; \Sigma: n×n spd`,
      ok: [r`\mu^T x = \sum_i \mu_i x_i`, r`x^T \Sigma x = \sum_{i,j} x_i \Sigma_{ij} x_j`, r`x^T \Sigma x = \sum_{i,j} x_i \sigma_{ij} x_j`, r`\boldsymbol{\mu}_1 = \mu_1`],
      bad: [r`x^T \Sigma x = \sum_{i,j} x_i \sigma_{ji} x_i`, r`\mu^T x = \sum_i \mu_i x_1`],
    },
    {
      name: 'A_{ij} with free indices',
      where: 'A, B: n×n',
      ok: [r`(A^T)_{ij} = A_{ji}`, r`(A+B)_{ij} = A_{ij} + B_{ij}`],
      bad: [r`(A^T)_{ij} = A_{ij}`],
    },
    {
      name: 'x_i with a free index',
      where: 'x, y: n',
      ok: [r`(x + y)_i = x_i + y_i`, r`(x \circ y)_i = x_i y_i`],
      bad: [r`(x \circ y)_i = x_i + y_i`],
    },
    {
      name: '\\sum_i',
      where: 'x, y: n',
      ok: [r`\sum_i x_i y_i = x^T y`],
      bad: [r`\sum_i x_i y_i = x^T x`],
    },
    {
      name: '\\sum_{i=1}^{n}',
      where: 'x: n',
      ok: [r`\sum_{i=1}^{n} x_i^2 = x^T x`, r`\sum_{i=1}^{n} 1 = \mathbf{1}_n^T\mathbf{1}_n`],
      bad: [r`\sum_{i=1}^{n} x_i^2 = (\mathbf{1}^T x)^2`],
    },
    {
      name: '\\sum_{i,j}',
      where: 'A, B: m×n',
      ok: [r`\sum_{i,j} A_{ij} B_{ij} = \operatorname{tr}(A^T B)`],
      bad: [r`\sum_{i,j} A_{ij} B_{ij} = \operatorname{tr}(A B^T) + 1`],
    },
    {
      name: '\\sum_i\\sum_j',
      where: 'A: m×n; x: m; y: n',
      ok: [r`\sum_i\sum_j x_i A_{ij} y_j = x^T A y`],
      bad: [r`\sum_i\sum_j x_i A_{ij} y_j = \sum_i x_i \sum_j y_j`],
    },
    {
      name: 'a symbol declared with a subscript is its own symbol',
      where: 'x: n; x_1: n',
      ok: [r`x_1 + x = x + x_1`],
      bad: [r`x_1 = x`],
    },
    {
      name: '(Ax)_j: entry of a parenthesised expression',
      where: 'A: m×n; x: n',
      ok: [r`(Ax)_j = \sum_i A_{ji} x_i`, r`(\mathbf{A}\mathbf{x})_j = \sum_{k=1}^{n} A_{jk} x_k`],
      bad: [r`(Ax)_j = \sum_i A_{ji} x_i + x_1`],
    },
    {
      name: '(Ax)_j with a square A: the index order matters',
      where: 'A: n×n; x: n',
      ok: [r`(A^T x)_j = \sum_i A_{ij} x_i`],
      bad: [r`(Ax)_j = \sum_i A_{ij} x_i`, r`(Ax)_j = \sum_i A_{ji} x_j`],
    },
    {
      name: '(AB)_{ij}: entry of a product',
      where: 'A: m×n; B: n×p',
      ok: [r`(AB)_{ij} = \sum_k A_{ik} B_{kj}`],
      bad: [r`(AB)_{ij} = \sum_k A_{ik} B_{kj} + A_{i1}B_{1j}`],
    },
  ]);
});

describe('§3 identity, zero and ones', () => {
  runRows([
    {
      name: 'I takes the size the context needs',
      where: 'A: n×m',
      ok: [r`I A = A I`, r`(I + A A^T)^T = I + A A^T`],
      bad: [r`I A = A I + A`, r`(I + A A^T)^T = I + 2A A^T`],
    },
    {
      name: 'I_n, \\mathbf{I}_p, \\mathbf{I}_{p} give the size',
      where: 'A: n×p',
      ok: [r`I_n A = A \mathbf{I}_p`, r`\mathbf{I}_{n} A = A`, r`\mathbf{I} A = A`, r`\mathrm{I}_n A = A`],
      bad: [r`I_n A = 2 A \mathbf{I}_p`],
    },
    {
      name: '0 of whatever shape',
      where: 'A: m×n; x: n',
      ok: [r`A - A = 0`, r`A + 0 = A`, r`0 = Ax - Ax`, r`0 x = 0`],
      bad: [r`A - 2A = 0`, r`Ax = 0`],
    },
    {
      name: '\\mathbf{1} is the all-ones vector',
      where: 'x: n; A: m×n',
      ok: [r`\mathbf{1}^T x = \sum_i x_i`, r`(A\mathbf{1})_i = \sum_j A_{ij}`],
      bad: [r`\mathbf{1}^T x = \prod x`, r`\mathbf{1}_n^T \mathbf{1}_n = 1`],
    },
    {
      name: 'd, e, I and \\sigma declared as symbols are symbols',
      where: r`d, e, x: n; I: n×n; \sigma: scalar`,
      ok: [r`d^T e = e^T d`, r`\sigma^2 x = \sigma(\sigma x)`, r`(I + I^T)x = I x + I^T x`],
      bad: [r`d^T e = d^T d`, r`I x = x`, r`\sigma(x) = x`],
    },
    {
      name: 'an undeclared symbol is inferred where its use leaves one possibility',
      where: 'x: n',
      ok: [r`x + y = y + x`],
      bad: [r`x + y = y - x`],
    },
  ]);
});

// ---------------------------------------------------------------- §4 notation
describe('§4 products', () => {
  runRows([
    {
      name: 'juxtaposition is the matrix product',
      where: SQ,
      ok: [r`(AB)C = A(BC)`, r`A(B + C) = AB + AC`],
      bad: [r`AB = BA`, r`A(B+C) = AB + CA`],
    },
    {
      name: 'a scalar scales',
      where: SQ,
      ok: [r`a(AB) = A(aB)`, r`(a A)^T = a A^T`, r`a x^T y = x^T (a y)`],
      bad: [r`a(A + B) = aA + B`],
    },
    {
      name: '\\cdot between scalars or a scalar and a matrix',
      where: SQ,
      ok: [r`a \cdot b = b \cdot a`, r`a \cdot A = A a`, r`2 \cdot 3 = 6`],
      bad: [r`a \cdot b = a + b`, r`2 \cdot 3 = 5`],
    },
    {
      name: '\\times between scalars or a scalar and a matrix',
      where: SQ,
      ok: [r`a \times b = b \times a`, r`a \times A = a A`, r`2 \times 3 = 6`],
      bad: [r`a \times A = A`, r`2 \times 3 = 5`],
    },
    {
      name: '\\circ Hadamard',
      where: SQ,
      ok: [r`A \circ B = B \circ A`, r`(A \circ B)^T = A^T \circ B^T`, r`x^T (y \circ z) = \operatorname{tr}(\operatorname{diag}(x)\operatorname{diag}(y)\operatorname{diag}(z))`],
      bad: [r`A \circ B = AB`],
    },
    {
      name: '\\odot Hadamard',
      where: SQ,
      ok: [r`A \odot (B + C) = A \odot B + A \odot C`, r`A \odot B = A \circ B`],
      bad: [r`A \odot B = BA`],
    },
    {
      name: '\\otimes Kronecker',
      where: 'A, B, C, D: n×n; P: m×p; R: q×r',
      ok: [r`(A \otimes B)^T = A^T \otimes B^T`, r`(A \otimes B)(C \otimes D) = (AC) \otimes (BD)`, r`(P \otimes R)^T = P^T \otimes R^T`],
      bad: [r`(A \otimes B)^T = B^T \otimes A^T`, r`(A \otimes B)(C \otimes D) = (AD) \otimes (BC)`],
    },
  ]);
});

describe('§4 postfix operators', () => {
  runRows([
    { name: '^T', where: SQ, ok: [r`(AB)^T = B^T A^T`], bad: [r`(AB)^T = A^T B^T`] },
    { name: '^{T}', where: SQ, ok: [r`(AB)^{T} = B^{T} A^{T}`], bad: [r`(AB)^{T} = A^{T} B^{T}`] },
    { name: '^\\top', where: SQ, ok: [r`(AB)^\top = B^\top A^\top`, r`(AB)^{\top} = B^{\top} A^{\top}`], bad: [r`(AB)^\top = A^\top B^\top`] },
    { name: '^{\\mathsf T}', where: SQ, ok: [r`(AB)^{\mathsf T} = B^{\mathsf{T}} A^{\mathsf T}`], bad: [r`(AB)^{\mathsf T} = A^{\mathsf T} B^{\mathsf T}`] },
    { name: '^{\\mathrm T}, ^{\\rm T}, ^\\mathsf{T}', where: SQ, ok: [r`(AB)^{\mathrm{T}} = B^{\rm T} A^\mathsf{T}`], bad: [r`(AB)^{\mathrm T} = A^{\rm T} B^\mathsf{T}`] },
    { name: '^{\\intercal}', where: SQ, ok: [r`(AB)^{\intercal} = B^\intercal A^{\intercal}`], bad: [r`(AB)^{\intercal} = A^{\intercal} B^{\intercal}`] },
    { name: "' (prime)", where: SQ, ok: [r`(AB)' = B'A'`, r`x'Ay = y'A'x`], bad: [r`(AB)' = A'B'`] },
    { name: '^H conjugate transpose', where: SQ, ok: [r`(AB)^H = B^H A^H`, r`A^H = A^T`], bad: [r`(AB)^H = A^H B^H`] },
    { name: '^* conjugate transpose', where: SQ, ok: [r`(AB)^* = B^* A^*`, r`A^{*} = A^\top`], bad: [r`(AB)^* = A^* B^*`] },
    {
      name: 'transposes mixed and repeated',
      where: SQ,
      ok: [r`(A^T)^\top = A`, r`A'^{\mathsf T} = A`, r`x^T y = y^\top x`],
      bad: [r`(A^T)^\top = A^T`],
    },
    {
      name: '^{-1} inverse',
      where: 'A, B, X: n×n invertible; a: scalar',
      ok: [r`(AB)^{-1} = B^{-1} A^{-1}`, r`(a A)^{-1} = a^{-1} A^{-1}`, r`(A^{-1})^{-1} = A`],
      bad: [r`(AB)^{-1} = A^{-1} B^{-1}`, r`(A + B)^{-1} = A^{-1} + B^{-1}`],
    },
    {
      name: '^{-T} and ^{-\\top} inverse transpose',
      where: 'A, B: n×n invertible',
      ok: [r`A^{-T} = (A^T)^{-1}`, r`A^{-\top} = (A^{-1})^\top`, r`(AB)^{-T} = A^{-T}B^{-T}`],
      bad: [r`A^{-T} = A^{-1}`, r`A^{-\top} = A^\top`, r`(AB)^{-T} = B^{-T}A^{-T}`],
    },
    {
      name: '^2 and ^k powers',
      where: 'A, B: n×n; a, b, k: scalar',
      ok: [r`A^2 = AA`, r`A^3 = A A^2`, r`(ab)^k = a^k b^k`, r`a^{2} a^{3} = a^{5}`],
      bad: [r`A^2 = A^T A`, r`(A+B)^2 = A^2 + 2AB + B^2`, r`(ab)^k = a^k b`],
    },
  ]);
});

describe('§4 grouping', () => {
  runRows([
    { name: '( )', where: SQ, ok: [r`(A + B)C = AC + BC`], bad: [r`(A + B)C = AC + B`] },
    { name: '[ ]', where: SQ, ok: [r`[A + B]C = AC + BC`, r`[(A + B)C]^T = C^T(A^T + B^T)`], bad: [r`[A + B]C = AC + CB`] },
    { name: '\\{ \\}', where: SQ, ok: [r`\{A + B\}C = AC + BC`], bad: [r`\{A + B\}C = CA + CB`] },
    {
      name: '\\left … \\right',
      where: SQ,
      ok: [r`\left(A + B\right)C = \left[AC + BC\right]`, r`\left\{A + B\right\}C = AC + BC`, r`\left|AB\right| = \left|A\right|\left|B\right|`],
      bad: [r`\left(A + B\right)C = \left[AC + C B\right]`],
    },
    { name: 'braces', where: SQ, ok: [r`{A + B}C = AC + BC`, r`{(AB)}^T = {B^T}{A^T}`], bad: [r`{A + B}C = {AC} + {CB}`] },
  ]);
});

describe('§4 functions', () => {
  const tr = (spell: string): Row => ({
    name: `trace spelled ${spell}`,
    where: 'A, B: n×n; P: m×n; Q: n×m',
    ok: [`${spell}(A + B) = ${spell}(A) + ${spell}(B)`, `${spell}(PQ) = ${spell}(QP)`, `${spell}[A^T] = ${spell}[A]`],
    bad: [`${spell}(AB) = ${spell}(A)${spell}(B)`, `${spell}(A^T B) = ${spell}(A B)`],
  });
  runRows(
    [
      r`\operatorname{tr}`, r`\operatorname{Tr}`, r`\mathrm{tr}`, r`\mathrm{Tr}`, r`\text{tr}`, r`\text{Tr}`, 'Tr', 'tr', r`\operatorname{trace}`,
      r`\operatorname*{tr}`, r`{\rm tr}`, r`\mathop{\rm Tr}`, r`\mathop{\mathrm{tr}}`,
    ].map(tr),
  );
  runRows([
    {
      name: 'a function without delimiters applies to the product that follows, up to the next function',
      where: 'A, B: n×n; X: n×p; C: p×q; a, b: scalar',
      ok: [
        r`\operatorname{tr} A + \operatorname{tr} B = \operatorname{tr}(A + B)`,
        r`\operatorname{tr}A^T = \operatorname{tr}A`,
        r`\operatorname{tr} AB = \operatorname{tr} BA`,
        r`\det AB = \det A \det B`,
        r`\ln a^2 b^2 = \ln a^2 + \ln b^2`,
        r`\operatorname{vec} AXC = (C^T \otimes A)\operatorname{vec} X`,
        r`\sin a \cos b + \cos a \sin b = \sin(a + b)`,
        r`\ln a^2 \cdot b = b \ln a^2`,
      ],
      bad: [r`\operatorname{tr} A^T = -\operatorname{tr} A`, r`\operatorname{tr} AB = \operatorname{tr} A \operatorname{tr} B`, r`\det A \det B = \det(A + B)`],
    },
    {
      name: '\\det',
      where: 'A, B: n×n; a: scalar',
      ok: [r`\det(AB) = \det(A)\det(B)`, r`\det A^T = \det A`, r`\det(A^{-1}) = \frac{1}{\det A}`],
      bad: [r`\det(A + B) = \det A + \det B`, r`\det(aA) = a\det A`],
    },
    {
      name: '|X| is the determinant of a matrix',
      where: 'A, B: n×n',
      ok: [r`|AB| = |A||B|`, r`|A^T| = \det A`, r`|A^{-1}| = |A|^{-1}`],
      bad: [r`|A + B| = |A| + |B|`, r`|A^{-1}| = |A|`],
    },
    {
      name: '|x| is the absolute value of a scalar',
      where: 'a, b: scalar',
      ok: [r`|ab| = |a||b|`, r`|a|^2 = a^2`, r`|-a| = |a|`],
      bad: [r`|ab| = |a| + |b|`, r`|-a| = -|a|`, r`|a| = a`, r`|ab| = ab`, r`|a|b = a|b|`],
    },
    {
      name: '\\ln (natural)',
      where: 'a, b: scalar',
      ok: [r`\ln(|a||b|) = \ln|a| + \ln|b|`, r`\ln e^{a} = a`, r`\ln(a^2) = 2\ln|a|`],
      bad: [r`\ln(|a| + |b|) = \ln|a| + \ln|b|`, r`\ln(10^{a}) = a`],
    },
    {
      name: '\\log (natural)',
      where: 'a, b: scalar',
      ok: [r`\log(e^{a}) = a`, r`\log(a^2 b^2) = \log(a^2) + \log(b^2)`],
      bad: [r`\log(10^{a}) = a`, r`\log(a^2 b^2) = \log(a^2)\log(b^2)`],
    },
    {
      name: '\\exp',
      where: 'a, b: scalar',
      ok: [r`\exp(a + b) = \exp(a)\exp(b)`, r`\exp(\ln(a^2)) = a^2`],
      bad: [r`\exp(a + b) = \exp(a) + \exp(b)`],
    },
    {
      name: '\\sqrt',
      where: 'x: n; a: scalar',
      ok: [r`\sqrt{x^T x} = \|x\|`, r`\sqrt{a^2} = |a|`, r`\sqrt{4} = 2`],
      bad: [r`\sqrt{x^T x} = x^T x`, r`\sqrt{4 a^2} = 4|a|`],
    },
    {
      name: '\\|x\\| and \\|x\\|_2 of a vector',
      where: 'x: n; a: scalar',
      ok: [r`\|x\|^2 = x^T x`, r`\|x\|_2^2 = x^T x`, r`\|a x\| = |a|\|x\|`, r`\|x\|_2 = \|x\|`],
      bad: [r`\|x\| = x^T x`, r`\|a x\|_2 = a^2\|x\|_2`],
    },
    {
      name: 'norm scripts in either order, \\lVert \\rVert, \\left\\| \\right\\|',
      where: 'x: n; X: m×n',
      ok: [r`\|x\|^2_2 = x^T x`, r`\lVert x \rVert^2 = x^T x`, r`\left\| X \right\|_F^2 = \operatorname{tr}(X^T X)`, r`\left\lVert X \right\rVert^{2}_{F} = \operatorname{tr}(X X^T)`],
      bad: [r`\|x\|^2_2 = \|x\|_2`, r`\lVert x \rVert^2 = \mathbf{1}^T x`],
    },
    {
      name: '||x|| typed with plain bars is the norm; |a||b| stays two absolute values',
      where: 'x: n; X: m×n; A: n×n; a, b: scalar',
      ok: [r`||x||^2 = x^T x`, r`||X||_F^2 = \operatorname{tr}(X^T X)`, r`\frac{\partial}{\partial x}||Ax||_2^2 = 2A^T A x`, r`|a||b| = |ab|`],
      bad: [r`||x|| = x^T x`, r`|a||b| = |a + b|`],
    },
    {
      name: '\\lvert X \\rvert is |X|',
      where: 'A, B: n×n; a: scalar',
      ok: [r`\lvert AB \rvert = \lvert A \rvert \lvert B \rvert`, r`\left\lvert a \right\rvert^2 = a^2`],
      bad: [r`\lvert A + B \rvert = \lvert A \rvert + \lvert B \rvert`],
    },
    {
      name: '\\|X\\|_F Frobenius norm',
      where: 'X: m×n',
      ok: [r`\|X\|_F^2 = \operatorname{tr}(X^T X)`, r`\|X\|_F = \|X^T\|_F`, r`\|X\|_F^2 = \|\operatorname{vec}(X)\|^2`],
      bad: [r`\|X\|_F = \operatorname{tr}(X^T X)`],
    },
    {
      name: '\\|X\\|_2 spectral norm',
      where: 'X: m×n; Q: m×m orthogonal',
      ok: [r`\|QX\|_2 = \|X\|_2`, r`\|X\|_2^2 = \|X^T X\|_2`, r`\|X\|_2 = \|X^T\|_2`, r`\|X\|_2 \neq \|X\|_F`],
      bad: [r`\|X\|_2 = \|X\|_F`, r`\|X\|_2^2 = \operatorname{tr}(X^T X)`],
    },
    {
      name: 'diag: vector → diagonal matrix',
      where: 'x, y: n; A: n×n',
      ok: [r`\operatorname{diag}(x) y = x \circ y`, r`\operatorname{diag}(x)^T = \operatorname{diag}(x)`, r`\operatorname{diag}(x)\mathbf{1} = x`],
      bad: [r`\operatorname{diag}(x) A = A \operatorname{diag}(x)`, r`\operatorname{diag}(x)\mathbf{1} = \mathbf{1}`],
    },
    {
      name: 'diag: square matrix → its diagonal',
      where: 'x: n; A: n×n',
      ok: [r`\mathbf{1}^T \operatorname{diag}(A) = \operatorname{tr}(A)`, r`\operatorname{diag}(\operatorname{diag}(x)) = x`, r`\operatorname{diag}(A^T) = \operatorname{diag}(A)`],
      bad: [r`\mathbf{1}^T \operatorname{diag}(A) = \mathbf{1}^T A \mathbf{1}`],
    },
    {
      name: 'vec',
      where: 'A: m×n; X: n×p; B: p×q',
      ok: [r`\operatorname{vec}(AXB) = (B^T \otimes A)\operatorname{vec}(X)`, r`\operatorname{vec}(AX) = (I_p \otimes A)\operatorname{vec}(X)`],
      bad: [r`\operatorname{vec}(AXB) = (A \otimes B^T)\operatorname{vec}(X)`],
    },
    {
      name: 'vec is column-major',
      where: 'X: 2×2',
      ok: [r`\operatorname{vec}(X) = \begin{bmatrix} X_{11} \\ X_{21} \\ X_{12} \\ X_{22} \end{bmatrix}`],
      bad: [r`\operatorname{vec}(X) = \begin{bmatrix} X_{11} \\ X_{12} \\ X_{21} \\ X_{22} \end{bmatrix}`],
    },
    {
      name: 'adj (adjugate)',
      where: 'A: n×n invertible',
      ok: [r`\operatorname{adj}(A) A = \det(A) I`, r`\operatorname{adj}(A) = \det(A) A^{-1}`],
      bad: [r`\operatorname{adj}(A) = \det(A) A^{-T}`, r`\operatorname{adj}(A) = \det(A) A`],
    },
    {
      name: 'adj of a literal 2×2 matrix',
      where: 'a, b, c, d: scalar',
      ok: [r`\operatorname{adj}\begin{bmatrix} a & b \\ c & d \end{bmatrix} = \begin{bmatrix} d & -b \\ -c & a \end{bmatrix}`],
      bad: [r`\operatorname{adj}\begin{bmatrix} a & b \\ c & d \end{bmatrix} = \begin{bmatrix} d & -c \\ -b & a \end{bmatrix}`],
    },
    {
      name: 'softmax',
      where: 'x: n; c: scalar',
      ok: [r`\mathbf{1}^T \operatorname{softmax}(x) = 1`, r`\operatorname{softmax}(x + c\mathbf{1}) = \operatorname{softmax}(x)`, r`\operatorname{softmax}(x) = \frac{\exp(x)}{\mathbf{1}^T\exp(x)}`],
      bad: [r`\operatorname{softmax}(2x) = \operatorname{softmax}(x)`, r`\operatorname{softmax}(x) = \frac{x}{\mathbf{1}^T x}`],
    },
    {
      name: 'tanh and sech',
      where: 't: scalar; x: n',
      ok: [r`\frac{d}{dt}\tanh(t) = \operatorname{sech}^2(t)`, r`\tanh^2 t + \operatorname{sech}^2 t = 1`, r`\tanh(-x) = -\tanh(x)`],
      bad: [r`\frac{d}{dt}\tanh(t) = \operatorname{sech}(t)`, r`\tanh^2 t - \operatorname{sech}^2 t = 1`],
    },
    {
      name: 'sin and cos',
      where: 'a, b: scalar',
      ok: [r`\sin^2 a + \cos^2 a = 1`, r`\sin(a + b) = \sin a \cos b + \cos a \sin b`, r`\frac{d}{da}\sin a = \cos a`],
      bad: [r`\sin(2a) = 2\sin a`, r`\frac{d}{da}\cos a = \sin a`],
    },
    {
      name: '\\sigma (logistic)',
      where: 'a, t: scalar',
      ok: [r`\sigma(a) + \sigma(-a) = 1`, r`\frac{d}{dt}\sigma(t) = \sigma(t)(1 - \sigma(t))`, r`\sigma(a) = \frac{1}{1 + e^{-a}}`],
      bad: [r`\sigma(-a) = \sigma(a)`, r`\frac{d}{dt}\sigma(t) = \sigma(t)`],
    },
    {
      name: 'e^{…} is \\exp',
      where: 'a, b: scalar',
      ok: [r`e^{a} e^{b} = e^{a + b}`, r`e^{a} = \exp(a)`, r`e^a = \exp a`, r`\mathrm{e}^{a}\mathrm{e}^{-a} = 1`],
      bad: [r`e^{a} e^{b} = e^{ab}`, r`\mathrm{e}^{a} = a`],
    },
    {
      name: 'scalar functions act entrywise on vectors and non-square matrices',
      where: 'x: n; X: m×n',
      ok: [r`\exp(x) \circ \exp(-x) = \mathbf{1}`, r`\ln(\exp(x)) = x`, r`\tanh(-X) = -\tanh(X)`, r`(e^{X})_{ij} = e^{X_{ij}}`],
      bad: [r`\exp(x) \circ \exp(x) = \exp(x)`, r`(\sin X)_{ij} = \cos X_{ij}`],
    },
    {
      name: 'e^{M}, \\exp, \\sin, \\cos of a square matrix are matrix functions',
      where: 'A, B: n×n',
      ok: [
        r`e^{A} e^{-A} = I`,
        r`\det(e^{A}) = e^{\operatorname{tr}A}`,
        r`\exp(A)^T = \exp(A^T)`,
        r`\sin^2(A) + \cos^2(A) = I`,
        r`\sin(2A) = 2\sin(A)\cos(A)`,
        r`e^{A} A = A e^{A}`,
      ],
      bad: [r`e^{A} e^{B} = e^{A + B}`, r`(e^{A})_{ij} = e^{A_{ij}}`, r`\sin^2(A) + \cos^2(A) = \mathbf{1}\mathbf{1}^T`],
    },
    {
      name: '\\sum and \\prod without an index add or multiply the entries',
      where: 'x: n',
      ok: [r`\sum x = \mathbf{1}^T x`, r`\prod \exp(x) = \exp(\sum x)`, r`\sum (x \circ x) = x^T x`],
      bad: [r`\prod x = \sum x`, r`\sum \exp(x) = \exp(\sum x)`],
    },
    {
      name: 'eig: the vector of eigenvalues',
      where: 'S: n×n symmetric; P: n×n spd',
      ok: [r`\sum \operatorname{eig}(S) = \operatorname{tr}(S)`, r`\prod \operatorname{eig}(P) = \det P`, r`\mathbf{1}^T\operatorname{eig}(S^2) = \operatorname{tr}(S^2)`],
      bad: [r`\sum \operatorname{eig}(S) = \det S`, r`\prod \operatorname{eig}(P) = \operatorname{tr} P`],
    },
  ]);
});

describe('§4 numbers', () => {
  runRows([
    { name: 'integers', where: 'a: scalar', ok: [r`2a + 3a = 5a`, r`10 = 2 \cdot 5`], bad: [r`2a + 3a = 6a`] },
    { name: 'decimals', where: 'a: scalar', ok: [r`0.5a + 0.25a = 0.75a`, r`1.5 = \frac{3}{2}`], bad: [r`0.5a + 0.25a = 0.7a`] },
    { name: '\\frac', where: 'a, b: scalar', ok: [r`\frac{1}{2} + \frac{1}{3} = \frac{5}{6}`, r`\frac{a}{b} b = a`], bad: [r`\frac{1}{2} + \frac{1}{3} = \frac{2}{5}`] },
    { name: '\\tfrac and \\dfrac', where: 'a: scalar', ok: [r`\tfrac{1}{2} a + \dfrac{1}{2} a = a`, r`\tfrac12 = 0.5`], bad: [r`\tfrac{1}{2} a = \dfrac{1}{3} a`] },
    { name: '\\frac12, \\frac ab: single-token arguments', where: 'a, b: scalar; x: n', ok: [r`\frac12 x^T x = \tfrac{1}{2}\|x\|^2`, r`\frac ab = a/b`, r`\dfrac1{2} = 0.5`], bad: [r`\frac12 = 2`, r`\frac ab = \frac ba`] },
    { name: 'an undeclared divisor is a scalar', where: 'x: n', ok: [r`\frac{x}{c} c = x`], bad: [r`\frac{x}{c} = c x`] },
    { name: 'a/b between scalars', where: 'a, b: scalar', ok: [r`a/b = \frac{a}{b}`, r`1/2 = 0.5`, r`(a/b)b = a`], bad: [r`a/b = b/a`, r`1/2 = 2`] },
    { name: 'a matrix over a scalar', where: 'A: n×n; a: scalar', ok: [r`\frac{A}{a} a = A`, r`A/2 + A/2 = A`], bad: [r`A/2 = 2A`] },
  ]);
});

describe('§4 literal matrices', () => {
  runRows([
    {
      name: 'bmatrix',
      where: 'a, b, c, d: scalar',
      ok: [r`\begin{bmatrix} a & b \\ c & d \end{bmatrix}^T = \begin{bmatrix} a & c \\ b & d \end{bmatrix}`, r`\begin{bmatrix} 1 & 0 \\ 0 & 1 \end{bmatrix} = I_2`],
      bad: [r`\begin{bmatrix} a & b \\ c & d \end{bmatrix}^T = \begin{bmatrix} a & b \\ c & d \end{bmatrix}`],
    },
    {
      name: 'pmatrix',
      where: 'a, b: scalar; x: 2',
      ok: [r`\begin{pmatrix} a & 0 \\ 0 & b \end{pmatrix} x = \begin{pmatrix} a x_1 \\ b x_2 \end{pmatrix}`],
      bad: [r`\begin{pmatrix} a & 0 \\ 0 & b \end{pmatrix} x = \begin{pmatrix} a x_2 \\ b x_1 \end{pmatrix}`],
    },
    {
      name: 'matrix',
      where: 'a, b: scalar',
      ok: [r`\begin{matrix} a & b \end{matrix} \begin{matrix} 1 \\ 1 \end{matrix} = a + b`],
      bad: [r`\begin{matrix} a & b \end{matrix} \begin{matrix} 1 \\ 1 \end{matrix} = a b`],
    },
    {
      name: 'vmatrix is the determinant',
      where: 'a, b, c, d: scalar',
      ok: [r`\begin{vmatrix} a & b \\ c & d \end{vmatrix} = ad - bc`, r`\begin{vmatrix} 2 & 0 \\ 0 & 3 \end{vmatrix} = 6`],
      bad: [r`\begin{vmatrix} a & b \\ c & d \end{vmatrix} = ad + bc`],
    },
    {
      name: 'a literal matrix times a declared one',
      where: 'A: 2×2',
      ok: [r`\begin{bmatrix} 0 & 1 \\ 1 & 0 \end{bmatrix} A = \begin{bmatrix} A_{21} & A_{22} \\ A_{11} & A_{12} \end{bmatrix}`],
      bad: [r`\begin{bmatrix} 0 & 1 \\ 1 & 0 \end{bmatrix} A = \begin{bmatrix} A_{12} & A_{11} \\ A_{22} & A_{21} \end{bmatrix}`],
    },
  ]);
});

describe('§4 derivative spellings', () => {
  const W = 'a, x: n; A: n×n; X: n×n; t: scalar';
  runRows([
    { name: '\\frac{\\partial f}{\\partial X}', where: W, ok: [r`\frac{\partial \operatorname{tr}(AX)}{\partial X} = A^T`], bad: [r`\frac{\partial \operatorname{tr}(AX)}{\partial X} = A`] },
    { name: '\\frac{\\partial}{\\partial X} f', where: W, ok: [r`\frac{\partial}{\partial X} \operatorname{tr}(AX) = A^T`], bad: [r`\frac{\partial}{\partial X} \operatorname{tr}(AX) = A`] },
    { name: '\\frac{d f}{d X}', where: W, ok: [r`\frac{d (a^T x)}{d x} = a`, r`\frac{d\,x^T x}{dx} = 2x`], bad: [r`\frac{d (x^T x)}{d x} = x`] },
    {
      name: '\\frac{\\mathrm{d}}{\\mathrm{d}X}[…]',
      where: W,
      ok: [r`\frac{\mathrm{d}}{\mathrm{d}x}\left[x^T A x\right] = (A + A^T)x`, r`\frac{\mathrm{d}}{\mathrm{d}X}[\operatorname{tr}(X^T X)] = 2X`],
      bad: [r`\frac{\mathrm{d}}{\mathrm{d}x}\left[x^T A x\right] = 2Ax`],
    },
    { name: '\\nabla_X f', where: W, ok: [r`\nabla_x (x^T x) = 2x`, r`\nabla_X \operatorname{tr}(AX) = A^T`, r`\nabla_{x} a^T x = a`], bad: [r`\nabla_x (x^T x) = x`, r`\nabla_X \operatorname{tr}(AX) = A`] },
    { name: '\\partial f / \\partial X', where: W, ok: [r`\partial (a^T x) / \partial x = a`, r`\partial\operatorname{tr}(AX)/\partial X = A^T`], bad: [r`\partial (a^T x) / \partial x = x`] },
    {
      name: 'an operator applies to the whole product term on its right',
      where: W,
      ok: [r`\frac{\partial}{\partial x} a^T x = a`, r`\frac{\partial}{\partial x} x^T A x + x = (A + A^T) x + x`, r`\frac{\partial}{\partial x} x^T x + x = 3x`],
      bad: [r`\frac{\partial}{\partial x} x^T x + x = 2x`],
    },
    {
      name: 'with respect to an entry x_k',
      where: W,
      ok: [r`\frac{\partial (a^T x)}{\partial x_k} = a_k`, r`\frac{\partial\, x^T x}{\partial x_i} = 2 x_i`, r`\frac{\partial (a^T x)}{\partial x_2} = a_2`],
      bad: [r`\frac{\partial (a^T x)}{\partial x_k} = x_k`, r`\frac{\partial (a^T x)}{\partial x_2} = a_1`],
    },
    {
      name: 'with respect to an entry A_{ij}',
      where: 'A, B: n×n',
      ok: [r`\frac{\partial}{\partial A_{ij}} \operatorname{tr}(AB) = B_{ji}`, r`\frac{\partial \operatorname{tr}(A^T A)}{\partial A_{ij}} = 2A_{ij}`],
      bad: [r`\frac{\partial}{\partial A_{ij}} \operatorname{tr}(AB) = B_{ij}`],
    },
    {
      name: 'with respect to x^T: the numerator-layout Jacobian',
      where: 'a, x: n; A: n×n; M: m×n',
      ok: [r`\frac{\partial (a^T x)}{\partial x^T} = a^T`, r`\frac{\partial (Mx)}{\partial x^T} = M`, r`\frac{\partial (x^T A x)}{\partial x^\top} = x^T(A + A^T)`],
      bad: [r`\frac{\partial (Ax)}{\partial x^T} = A^T`, r`\frac{\partial (x^T A x)}{\partial x^T} = x^T A`],
    },
    {
      name: 'Magnus–Neudecker: ∂ vec F / ∂ vec(X)^T',
      where: 'A: m×n; X: n×p; B: p×q',
      ok: [r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^T} = B^T \otimes A`, r`\frac{\partial \operatorname{vec}(AX)}{\partial \operatorname{vec}(X)^T} = I_p \otimes A`],
      bad: [r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^T} = A \otimes B^T`, r`\frac{\partial \operatorname{vec}(AXB)}{\partial \operatorname{vec}(X)^T} = -B^T \otimes A`],
    },
    {
      name: 'Hessian \\frac{\\partial^2 f}{\\partial x\\,\\partial x^T}',
      where: W,
      ok: [r`\frac{\partial^2 (x^T A x)}{\partial x\,\partial x^T} = A + A^T`, r`\frac{\partial^2 (a^T x)^2}{\partial x \partial x^T} = 2aa^T`],
      bad: [r`\frac{\partial^2 (x^T A x)}{\partial x\,\partial x^T} = 2A`, r`\frac{\partial^2 (a^T x)^2}{\partial x \partial x^T} = aa^T`],
    },
    {
      name: 'Hessian \\nabla^2_x f',
      where: W,
      ok: [r`\nabla^2_x (x^T A x) = A + A^T`, r`\nabla_x^2 \frac{1}{2}x^T x = I`],
      bad: [r`\nabla^2_x (x^T A x) = 2A`],
    },
    {
      name: 'second derivative of a scalar function of a scalar',
      where: 't: scalar',
      ok: [r`\frac{d^2}{dt^2} t^3 = 6t`, r`\frac{\partial^2 \sin t}{\partial t^2} = -\sin t`],
      bad: [r`\frac{d^2}{dt^2} t^3 = 3t^2`],
    },
    {
      name: 'derivatives of a declared A(t)',
      where: 't: scalar; A(t), B(t): n×n invertible',
      ok: [
        r`\frac{d}{dt}(AB) = \frac{dA}{dt}B + A\frac{dB}{dt}`,
        r`\frac{d}{dt}\ln|A^T A| = 2\operatorname{tr}\left(A^{-1}\frac{dA}{dt}\right)`,
        r`\frac{\partial A(t)}{\partial t} = \frac{dA}{dt}`,
      ],
      bad: [r`\frac{d}{dt}(A^2) = 2A\frac{dA}{dt}`, r`\frac{d}{dt}(AB) = \frac{dA}{dt}B + \frac{dB}{dt}A`],
    },
  ]);
});

describe('§4 differentials', () => {
  const W = 'A, B: n×n; X: n×n invertible; x, a: n';
  runRows([
    { name: 'dX', where: W, ok: [r`d(AXB) = A\,dX\,B`, r`d(X + A) = dX`], bad: [r`d(AXB) = B\,dX\,A`] },
    { name: 'dx', where: W, ok: [r`d(x^T x) = 2x^T dx`, r`d(a^T x) = a^T dx`], bad: [r`d(x^T x) = x^T dx`] },
    { name: 'd(…)', where: W, ok: [r`d(X^2) = dX\,X + X\,dX`, r`d(XA) = (dX)A`], bad: [r`d(X^2) = 2X\,dX`] },
    {
      name: 'd\\ln|X|',
      where: W,
      ok: [r`d\ln|X| = \operatorname{tr}(X^{-1}dX)`, r`d\ln|X^T X| = 2\operatorname{tr}(X^{-1}dX)`],
      bad: [r`d\ln|X| = \operatorname{tr}(X\,dX)`, r`d\ln|X| = \operatorname{tr}(dX)`],
    },
    { name: '\\mathrm{d}X', where: W, ok: [r`\mathrm{d}(X^T) = (\mathrm{d}X)^T`, r`\mathrm{d}(AX) = A\,\mathrm{d}X`], bad: [r`\mathrm{d}(AX) = \mathrm{d}X\,A`] },
    { name: '{\\rm d}X (old-style upright d)', where: W, ok: [r`{\rm d}(x^T x) = 2x^T{\rm d}x`, r`\frac{{\rm d}}{{\rm d}X}\operatorname{tr}(AX) = A^T`], bad: [r`{\rm d}(x^T x) = x^T{\rm d}x`] },
    {
      name: '\\partial X and \\partial(…) outside a fraction',
      where: W,
      ok: [r`\partial(XA) = (\partial X)A`, r`\partial(X^{-1}) = -X^{-1}(\partial X)X^{-1}`, r`\partial \operatorname{tr}(X) = \operatorname{tr}(\partial X)`],
      bad: [r`\partial(XA) = A\,\partial X`, r`\partial(X^{-1}) = -X^{-2}\partial X`],
    },
    {
      name: 'dX^{-1} means d(X^{-1})',
      where: W,
      ok: [r`dX^{-1} = -X^{-1}\,dX\,X^{-1}`, r`dX^{-1} = d(X^{-1})`],
      bad: [r`dX^{-1} = -X^{-2}\,dX`, r`dX^{-1} = -X^{-1} dX`],
    },
    {
      name: 'dX^T means d(X^T)',
      where: W,
      ok: [r`dX^T = (dX)^T`, r`d(X^T X) = dX^T\,X + X^T dX`],
      bad: [r`d(X^T X) = 2X^T dX`],
    },
    {
      name: 'dX\\,B means (dX)B',
      where: W,
      ok: [r`d(XB) = dX\,B`, r`d(AXB) = A\,dX\,B`],
      bad: [r`d(XB) = B\,dX`],
    },
    {
      name: 'first-order agreement',
      where: W,
      ok: [r`d(X^3) = dX\,X^2 + X\,dX\,X + X^2\,dX`, r`d\operatorname{tr}(X^T X) = 2\operatorname{tr}(X^T dX)`, r`d|X| = |X|\operatorname{tr}(X^{-1}dX)`],
      bad: [r`d(X^3) = 3X^2\,dX`, r`d|X| = \operatorname{tr}(X^{-1}dX)`],
    },
  ]);
});

// ---------------------------------------------------------------- §2 in passing
describe('§2 page declarations in notation', () => {
  it('frontmatter symbols apply to every formula', () => {
    expectHolds(check(r`(AB)^T = B^T A^T`, { symbols: 'A, B: n×n' }));
    expectFails(check(r`(AB)^T = A^T B^T`, { symbols: 'A, B: n×n' }));
  });
  it('::declare applies from that point on', () => {
    const rs = page([declare('A, B: n×n'), formula(r`(AB)^T = B^T A^T`), formula(r`(AB)^T = A^T B^T`)]);
    expectHolds(rs[0]!);
    expectFails(rs[1]!);
  });
  it('a definition is usable afterwards', () => {
    const rs = page([definition(r`y = x^T A x`, 'x: n; A: n×n'), formula(r`\frac{\partial y}{\partial x} = (A + A^T)x`, { where: 'x: n; A: n×n' }), formula(r`\frac{\partial y}{\partial x} = 2Ax`, { where: 'x: n; A: n×n' })]);
    expect(rs[0]!.status).toBe('verified');
    expectHolds(rs[1]!);
    expectFails(rs[2]!);
  });
});

// ---------------------------------------------------------------- §6 verdicts
describe('§6 what a verdict carries', () => {
  it('a true identity: proved or verified, with the numeric check’s trials and error', () => {
    const res = check(r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A^T`, { where: 'X, A: n×n' });
    expectHolds(res);
    expect(res.checks.numeric!.maxRelError).toBeLessThan(1e-6);
    expect(res.counterexample).toBeNull();
  });
  it('an identity the rules proved gets 2 numeric trials (a cross-check); one only verified gets 5; set trials apply to both', () => {
    const proved = check(r`\frac{\partial}{\partial X}\operatorname{tr}(AX) = A^T`, { where: 'X, A: n×n' });
    expect(proved.status).toBe('proved');
    expect(proved.checks.numeric?.trials).toBe(2);
    const verified = check(r`(A + B)^{-1} = A^{-1}\left(A^{-1} + B^{-1}\right)^{-1}B^{-1}`, { where: 'A, B: n×n invertible' });
    expect(verified.status).toBe('verified');
    expect(verified.checks.numeric?.trials).toBe(5);
    expect(check(proved.latex, { where: 'X, A: n×n', trials: 7 }).checks.numeric?.trials).toBe(7);
    expect(check(verified.latex, { where: 'A, B: n×n invertible', trials: 7 }).checks.numeric?.trials).toBe(7);
  });
  it('a failed identity: the file, line and column, both sides’ values and the counterexample', () => {
    const item = formula(r`(AB)^T = A^T B^T`, { where: 'A, B: n×n' });
    const res = page([item])[0]!;
    expectFails(res);
    expect(res).toMatchObject({ file: 'tests/engine/page.md', line: item.loc.line, column: item.loc.column, kind: 'identity' });
    expect(res.message).toMatch(/left .*right /);
    expect(Object.keys(res.counterexample!.values).sort()).toEqual(['A', 'B']);
    expect(Array.isArray(res.counterexample!.lhs)).toBe(true);
    expect(res.counterexample!.rhs).not.toEqual(res.counterexample!.lhs);
    expect(res.counterexample).toMatchObject({ lhsLatex: '(AB)^T', rhsLatex: 'A^T B^T' });
    expect(res.source).toMatchObject({ line: item.latexLoc!.line, column: 1 });
  });
  it('a failed differential: the counterexample shows the sampled directions', () => {
    const res = fails(r`d(X^{-1}) = -X^{-2}dX`, { where: 'X: n×n invertible' });
    expect(Object.keys(res.counterexample!.values)).toEqual(expect.arrayContaining(['X', 'dX']));
  });
  it('an inequation whose sides are equal fails with no counterexample', () => {
    const res = fails(r`(AB)^T \neq B^T A^T`, { where: 'A, B: n×n' });
    expect(res.message).toMatch(/in fact an identity/);
    expect(res.counterexample).toBeNull();
  });
  it('an error has no numeric check and says why', () => {
    const res = check(r`A + B = A`, { where: 'A: m×n; B: n×m' });
    expect(res.status).toBe('error');
    expect(res.checks.numeric).toBeNull();
    expect(res.message).toMatch(/mismatch/);
  });
  it('an inline formula is checked like a display one', () => {
    const rs = page([formula(r`(AB)^T = B^T A^T`, { where: 'A, B: n×n', inline: true }), formula(r`(AB)^T = A^T B^T`, { where: 'A, B: n×n', inline: true })]);
    expectHolds(rs[0]!);
    expectFails(rs[1]!);
  });
});
