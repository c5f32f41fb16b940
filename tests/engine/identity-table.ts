/**
 * Published identities (The Matrix Cookbook, Bishop's PRML appendix C, the tutorial's "derivative
 * with respect to a matrix" examples, standard machine-learning gradients), each with wrong
 * variants: a missing transpose, swapped factors, a sign flip, a dropped term, a non-cyclic trace
 * permutation, … Used by identities.test.ts and determinism.test.ts.
 */
import type { Row } from './helpers.ts';

const r = String.raw;

const BASICS: Row[] = [
  {
    name: '[Cookbook] inverse of a product',
    where: 'A, B, C: n×n invertible',
    ok: [r`(AB)^{-1} = B^{-1}A^{-1}`, r`(ABC)^{-1} = C^{-1}B^{-1}A^{-1}`],
    bad: [r`(AB)^{-1} = A^{-1}B^{-1}`, r`(ABC)^{-1} = A^{-1}B^{-1}C^{-1}`],
  },
  {
    name: '[Cookbook] transpose of a product and a sum',
    where: 'A, B, C: n×n',
    ok: [r`(ABC)^T = C^T B^T A^T`, r`(A + B)^T = A^T + B^T`],
    bad: [r`(ABC)^T = A^T B^T C^T`, r`(A + B)^T = A + B^T`],
  },
  {
    name: '[Cookbook / PRML C.3] inverse and transpose commute',
    where: 'A: n×n invertible',
    ok: [r`(A^T)^{-1} = (A^{-1})^T`],
    bad: [r`(A^T)^{-1} = A^{-1}`],
  },
  {
    name: '[Cookbook] trace is the sum of the diagonal and of the eigenvalues',
    where: 'A: n×n; S: n×n symmetric',
    ok: [r`\operatorname{tr}(A) = \sum_i A_{ii}`, r`\operatorname{tr}(S) = \sum \operatorname{eig}(S)`],
    bad: [r`\operatorname{tr}(A) = \sum_i A_{i1}`, r`\operatorname{tr}(S^2) = \left(\sum\operatorname{eig}(S)\right)^2`],
  },
  {
    name: '[Cookbook] trace of a transpose, of a sum',
    where: 'A, B: n×n',
    ok: [r`\operatorname{tr}(A) = \operatorname{tr}(A^T)`, r`\operatorname{tr}(A + B) = \operatorname{tr}(A) + \operatorname{tr}(B)`],
    bad: [r`\operatorname{tr}(A + B) = \operatorname{tr}(A)\operatorname{tr}(B)`],
  },
  {
    name: '[Cookbook / PRML] cyclic trace',
    where: 'A: m×n; B: n×m; P, Q, R: n×n',
    ok: [r`\operatorname{tr}(AB) = \operatorname{tr}(BA)`, r`\operatorname{tr}(PQR) = \operatorname{tr}(QRP) = \operatorname{tr}(RPQ)`],
    bad: [r`\operatorname{tr}(PQR) = \operatorname{tr}(PRQ)`, r`\operatorname{tr}(PQR) = \operatorname{tr}(RQP)`, r`\operatorname{tr}(PQ) = \operatorname{tr}(P^T Q)`],
  },
  {
    name: '[Cookbook] a scalar is its own trace',
    where: 'a, b: n; A: n×n',
    ok: [r`a^T b = \operatorname{tr}(a b^T)`, r`a^T A b = \operatorname{tr}(A b a^T)`],
    bad: [r`a^T A b = \operatorname{tr}(A a b^T)`],
  },
  {
    name: '[Cookbook] determinant of a product, an inverse, a transpose',
    where: 'A, B: n×n invertible',
    ok: [r`\det(AB) = \det(A)\det(B)`, r`\det(A^{-1}) = \frac{1}{\det(A)}`, r`\det(A^T) = \det(A)`],
    bad: [r`\det(A + B) = \det(A) + \det(B)`, r`\det(A^{-1}) = \det(A)`],
  },
  {
    name: '[Cookbook] determinant of a scaled matrix',
    where: 'A: 3×3; c: scalar',
    ok: [r`\det(cA) = c^3 \det(A)`],
    bad: [r`\det(cA) = c\det(A)`],
  },
  {
    name: '[Cookbook / PRML C.11] matrix determinant lemma',
    where: 'A: n×n invertible; u, v: n',
    ok: [r`\det(I + uv^T) = 1 + u^T v`, r`\det(A + uv^T) = (1 + v^T A^{-1} u)\det(A)`],
    bad: [r`\det(I + uv^T) = 1 - u^T v`, r`\det(A + uv^T) = (1 + v^T A u)\det(A)`],
  },
  {
    name: '[Cookbook / PRML C.10] Sylvester’s determinant identity',
    where: 'A: m×n; B: n×m; P, Q: n×m',
    ok: [r`\det(I_m + AB) = \det(I_n + BA)`, r`|I_n + PQ^T| = |I_m + P^T Q|`],
    bad: [r`\det(I_m + AB) = 1 + \operatorname{tr}(AB)`, r`|I_n + PQ^T| = |I_m + P^T P|`],
  },
  {
    name: '[Cookbook / PRML C.7] Woodbury identity',
    where: 'A: n×n invertible; C: k×k invertible; U: n×k; V: k×n',
    ok: [r`(A + UCV)^{-1} = A^{-1} - A^{-1}U(C^{-1} + VA^{-1}U)^{-1}VA^{-1}`],
    bad: [r`(A + UCV)^{-1} = A^{-1} + A^{-1}U(C^{-1} + VA^{-1}U)^{-1}VA^{-1}`, r`(A + UCV)^{-1} = A^{-1} - A^{-1}U(C + VA^{-1}U)^{-1}VA^{-1}`],
  },
  {
    name: '[Cookbook] Sherman–Morrison formula',
    where: 'A: n×n invertible; u, v: n',
    ok: [r`(A + uv^T)^{-1} = A^{-1} - \frac{A^{-1}uv^TA^{-1}}{1 + v^TA^{-1}u}`],
    bad: [r`(A + uv^T)^{-1} = A^{-1} - \frac{A^{-1}uv^TA^{-1}}{1 - v^TA^{-1}u}`, r`(A + uv^T)^{-1} = A^{-1} - \frac{A^{-1}vu^TA^{-1}}{1 + v^TA^{-1}u}`],
  },
  {
    name: '[PRML C.5] the push-through identity for Gaussian conditioning',
    where: 'P: n×n spd; R: m×m spd; B: m×n',
    ok: [r`(P^{-1} + B^TR^{-1}B)^{-1}B^TR^{-1} = PB^T(BPB^T + R)^{-1}`],
    bad: [r`(P^{-1} + B^TR^{-1}B)^{-1}B^TR^{-1} = B^T(BPB^T + R)^{-1}`, r`(P^{-1} + B^TR^{-1}B)^{-1}B^TR^{-1} = PB^T(BPB^T + R^{-1})^{-1}`],
  },
  {
    name: '[PRML C.6] (I + AB)^{-1}A = A(I + BA)^{-1}',
    where: 'A: m×n; B: n×m; P, Q: n×n',
    ok: [r`(I + AB)^{-1}A = A(I + BA)^{-1}`],
    bad: [r`(I + PQ)^{-1}P = P(I + PQ)^{-1}`],
  },
  {
    name: '[Cookbook] adjugate',
    where: 'A: n×n invertible',
    ok: [r`\operatorname{adj}(A) = \det(A)A^{-1}`, r`A\operatorname{adj}(A) = \det(A) I`],
    bad: [r`\operatorname{adj}(A) = A^{-1}`],
  },
  {
    name: '[Cookbook] inverse of a 2×2 matrix',
    where: 'a, b, c, d: scalar',
    ok: [r`\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1} = \frac{1}{ad - bc}\begin{bmatrix} d & -b \\ -c & a \end{bmatrix}`],
    bad: [r`\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1} = \frac{1}{ad - bc}\begin{bmatrix} a & -b \\ -c & d \end{bmatrix}`, r`\begin{bmatrix} a & b \\ c & d \end{bmatrix}^{-1} = \frac{1}{ad + bc}\begin{bmatrix} d & -b \\ -c & a \end{bmatrix}`],
  },
];

const KRONECKER_HADAMARD: Row[] = [
  {
    name: '[Cookbook] mixed-product property',
    where: 'A, C: n×n; B, D: m×m',
    ok: [r`(A \otimes B)(C \otimes D) = (AC) \otimes (BD)`],
    bad: [r`(A \otimes B)(C \otimes D) = (CA) \otimes (BD)`],
  },
  {
    name: '[Cookbook] inverse and transpose of a Kronecker product',
    where: 'A, B: n×n invertible',
    ok: [r`(A \otimes B)^{-1} = A^{-1} \otimes B^{-1}`, r`(A \otimes B)^T = A^T \otimes B^T`],
    bad: [r`(A \otimes B)^{-1} = B^{-1} \otimes A^{-1}`, r`(A \otimes B)^T = B^T \otimes A^T`],
  },
  {
    name: '[Cookbook] trace and determinant of a Kronecker product',
    where: 'A: 2×2; B: 3×3',
    ok: [r`\operatorname{tr}(A \otimes B) = \operatorname{tr}(A)\operatorname{tr}(B)`, r`\det(A \otimes B) = \det(A)^3\det(B)^2`],
    bad: [r`\operatorname{tr}(A \otimes B) = \operatorname{tr}(A) + \operatorname{tr}(B)`, r`\det(A \otimes B) = \det(A)^2\det(B)^3`],
  },
  {
    name: '[Cookbook] Kronecker product distributes',
    where: 'A: m×n; B, C: p×q',
    ok: [r`A \otimes (B + C) = A \otimes B + A \otimes C`],
    bad: [r`A \otimes (B + C) = A \otimes B + A \otimes (C \circ C)`],
  },
  {
    name: '[Cookbook] vec of a product',
    where: 'A: m×n; X: n×p; B: p×q',
    ok: [r`\operatorname{vec}(AXB) = (B^T \otimes A)\operatorname{vec}(X)`, r`\operatorname{vec}(XB) = (B^T \otimes I_n)\operatorname{vec}(X)`],
    bad: [r`\operatorname{vec}(AXB) = (A \otimes B^T)\operatorname{vec}(X)`, r`\operatorname{vec}(AXB) = (B^T \otimes (-A))\operatorname{vec}(X)`],
  },
  {
    name: '[Cookbook] trace as vec inner product',
    where: 'A, B: m×n',
    ok: [r`\operatorname{tr}(A^T B) = \operatorname{vec}(A)^T\operatorname{vec}(B)`],
    bad: [r`\operatorname{tr}(A^T B) = \operatorname{vec}(A^T)^T\operatorname{vec}(B)`],
  },
  {
    name: '[Cookbook] Hadamard product commutes and transposes',
    where: 'A, B: m×n; P, Q: n×n',
    ok: [r`A \circ B = B \circ A`, r`(A \circ B)^T = A^T \circ B^T`],
    bad: [r`(P \circ Q)^T = P \circ Q^T`],
  },
  {
    name: '[Cookbook] trace with a Hadamard product',
    where: 'A, B, C: m×n',
    ok: [r`\operatorname{tr}(A^T(B \circ C)) = \operatorname{tr}((A \circ B)^T C)`],
    bad: [r`\operatorname{tr}(A^T(B \circ C)) = \operatorname{tr}(A^T B)\operatorname{tr}(A^T C)`],
  },
  {
    name: '[Cookbook] x^T(A∘B)y = tr(diag(x) A diag(y) B^T)',
    where: 'A, B: n×n; x, y: n',
    ok: [r`x^T(A \circ B)y = \operatorname{tr}(\operatorname{diag}(x) A \operatorname{diag}(y) B^T)`],
    bad: [r`x^T(A \circ B)y = \operatorname{tr}(\operatorname{diag}(x) A \operatorname{diag}(y) B)`],
  },
];

const QUADRATIC_NORMS: Row[] = [
  {
    name: '[Cookbook] a quadratic form as a trace',
    where: 'A: n×n; x: n',
    ok: [r`x^T A x = \operatorname{tr}(A x x^T)`, r`x^T A x = \frac{1}{2}x^T(A + A^T)x`],
    bad: [r`x^T A x = \operatorname{tr}(A)x^T x`, r`x^T A x = \frac{1}{2}x^T(A - A^T)x`],
  },
  {
    name: '[Cookbook] expanding a shifted quadratic form',
    where: 'S: n×n symmetric; x, a: n',
    ok: [r`(x - a)^T S (x - a) = x^T S x - 2a^T S x + a^T S a`],
    bad: [r`(x - a)^T S (x - a) = x^T S x - 2a^T S x - a^T S a`, r`(x - a)^T S (x - a) = x^T S x - a^T S x + a^T S a`],
  },
  {
    name: '[Cookbook] norms of vectors',
    where: 'x, y: n; A: n×n; Q: n×n orthogonal',
    ok: [r`\|x - y\|^2 = \|x\|^2 - 2x^T y + \|y\|^2`, r`\|Ax\|^2 = x^T A^T A x`, r`\|Qx\|_2 = \|x\|_2`],
    bad: [r`\|x - y\|^2 = \|x\|^2 + 2x^T y + \|y\|^2`, r`\|Ax\|^2 = x^T A A^T x`, r`\|Ax\|_2 = \|x\|_2`],
  },
  {
    name: '[Cookbook] Frobenius norm',
    where: 'A, B: m×n',
    ok: [r`\|A\|_F^2 = \operatorname{tr}(A^T A) = \sum_{i,j} A_{ij}^2`, r`\|A + B\|_F^2 = \|A\|_F^2 + \|B\|_F^2 + 2\operatorname{tr}(A^T B)`],
    bad: [r`\|A + B\|_F^2 = \|A\|_F^2 + \|B\|_F^2`, r`\|A\|_F = \sum_{i,j} A_{ij}^2`],
  },
  {
    name: '[Cookbook] spectral norm',
    where: 'A: m×n; S: n×n symmetric',
    ok: [r`\|A\|_2^2 = \|A^T A\|_2`, r`\|S^2\|_2 = \|S\|_2^2`],
    bad: [r`\|A\|_2 = \|A\|_F`, r`\|A\|_2^2 = \operatorname{tr}(A^T A)`],
  },
];

const DERIVATIVES: Row[] = [
  {
    name: '[Cookbook / PRML C.16] ∂(x^T a)/∂x = a',
    where: 'x, a: n',
    ok: [r`\frac{\partial x^T a}{\partial x} = \frac{\partial a^T x}{\partial x} = a`],
    bad: [r`\frac{\partial x^T a}{\partial x} = x`],
  },
  {
    name: '[Cookbook] ∂(a^T X b)/∂X = ab^T',
    where: 'X: n×n; a, b: n',
    ok: [r`\frac{\partial a^T X b}{\partial X} = a b^T`, r`\frac{\partial a^T X^T b}{\partial X} = b a^T`, r`\frac{\partial a^T X a}{\partial X} = a a^T`],
    bad: [r`\frac{\partial a^T X b}{\partial X} = b a^T`, r`\frac{\partial a^T X^T b}{\partial X} = a b^T`],
  },
  {
    name: '[Cookbook] ∂(x^T B x)/∂x = (B + B^T)x',
    where: 'B: n×n; x: n; S: n×n spd',
    ok: [r`\frac{\partial x^T B x}{\partial x} = (B + B^T)x`, r`\frac{\partial x^T S x}{\partial x} = 2Sx`],
    bad: [r`\frac{\partial x^T B x}{\partial x} = 2Bx`, r`\frac{\partial x^T S x}{\partial x} = Sx`],
  },
  {
    name: '[Cookbook] ∂(b^T X^T X c)/∂X = X(bc^T + cb^T)',
    where: 'X: m×n; b, c: n',
    ok: [r`\frac{\partial b^T X^T X c}{\partial X} = X(bc^T + cb^T)`],
    bad: [r`\frac{\partial b^T X^T X c}{\partial X} = 2Xbc^T`],
  },
  {
    name: '[Cookbook] ∂((Bx + b)^T C (Dx + d))/∂x',
    where: 'B, D: m×n; C: m×m; x: n; b, d: m',
    ok: [r`\frac{\partial}{\partial x}(Bx + b)^T C (Dx + d) = B^T C (Dx + d) + D^T C^T (Bx + b)`],
    bad: [r`\frac{\partial}{\partial x}(Bx + b)^T C (Dx + d) = B^T C (Dx + d)`, r`\frac{\partial}{\partial x}(Bx + b)^T C (Dx + d) = B^T C (Dx + d) + D^T C (Bx + b)`],
  },
  {
    name: '[Cookbook / PRML C.22] ∂ tr(X)/∂X = I',
    where: 'X: n×n',
    ok: [r`\frac{\partial}{\partial X}\operatorname{tr}(X) = I`],
    bad: [r`\frac{\partial}{\partial X}\operatorname{tr}(X) = X`],
  },
  {
    name: '[Cookbook / PRML C.20–21] ∂ tr(XA)/∂X = A^T, ∂ tr(X^T A)/∂X = A',
    where: 'X, A: n×n',
    ok: [r`\frac{\partial \operatorname{tr}(XA)}{\partial X} = A^T`, r`\frac{\partial \operatorname{tr}(AX)}{\partial X} = A^T`, r`\frac{\partial \operatorname{tr}(X^T A)}{\partial X} = A`],
    bad: [r`\frac{\partial \operatorname{tr}(XA)}{\partial X} = A`, r`\frac{\partial \operatorname{tr}(X^T A)}{\partial X} = A^T`],
  },
  {
    name: '[Cookbook] ∂ tr(AXB)/∂X = A^T B^T, ∂ tr(AX^T B)/∂X = BA',
    where: 'X, A, B: n×n',
    ok: [r`\frac{\partial \operatorname{tr}(AXB)}{\partial X} = A^T B^T`, r`\frac{\partial \operatorname{tr}(AX^TB)}{\partial X} = BA`],
    bad: [r`\frac{\partial \operatorname{tr}(AXB)}{\partial X} = B^T A^T`, r`\frac{\partial \operatorname{tr}(AX^TB)}{\partial X} = AB`],
  },
  {
    name: '[Cookbook] ∂ tr(X^T X)/∂X = 2X, ∂ tr(X^2)/∂X = 2X^T',
    where: 'X: n×n; Y: m×n',
    ok: [r`\frac{\partial \operatorname{tr}(Y^T Y)}{\partial Y} = 2Y`, r`\frac{\partial \operatorname{tr}(X^2)}{\partial X} = 2X^T`],
    bad: [r`\frac{\partial \operatorname{tr}(Y^T Y)}{\partial Y} = Y`, r`\frac{\partial \operatorname{tr}(X^2)}{\partial X} = 2X`],
  },
  {
    name: '[Cookbook / PRML C.23] ∂ tr(X B X^T)/∂X and ∂ tr(X^T B X)/∂X',
    where: 'X: m×n; B: n×n; C: m×m',
    ok: [r`\frac{\partial}{\partial X}\operatorname{tr}\left(X B X^\top\right) = X\left(B + B^\top\right)`, r`\frac{\partial}{\partial X}\operatorname{tr}(X^T C X) = CX + C^T X`],
    bad: [r`\frac{\partial}{\partial X}\operatorname{tr}\left(X B X^\top\right) = 2XB`, r`\frac{\partial}{\partial X}\operatorname{tr}(X^T C X) = 2CX`],
  },
  {
    name: '[Cookbook] ∂ tr(AXBX)/∂X',
    where: 'X, A, B: n×n',
    ok: [r`\frac{\partial \operatorname{tr}(AXBX)}{\partial X} = A^T X^T B^T + B^T X^T A^T`],
    bad: [r`\frac{\partial \operatorname{tr}(AXBX)}{\partial X} = 2A^T X^T B^T`, r`\frac{\partial \operatorname{tr}(AXBX)}{\partial X} = A^T X^T B^T`],
  },
  {
    name: '[Cookbook] ∂ tr(X^k)/∂X = k (X^{k-1})^T',
    where: 'X: n×n',
    ok: [r`\frac{\partial \operatorname{tr}(X^3)}{\partial X} = 3(X^2)^T`],
    bad: [r`\frac{\partial \operatorname{tr}(X^3)}{\partial X} = 3X^2`],
  },
  {
    name: '[Cookbook] ∂ tr(AX^{-1}B)/∂X and ∂ tr(X^{-1})/∂X',
    where: 'X: n×n invertible; A, B: n×n',
    ok: [r`\frac{\partial \operatorname{tr}(AX^{-1}B)}{\partial X} = -(X^{-1}BAX^{-1})^T`, r`\frac{\partial \operatorname{tr}(X^{-1})}{\partial X} = -(X^{-2})^T`],
    bad: [r`\frac{\partial \operatorname{tr}(AX^{-1}B)}{\partial X} = -X^{-1}BAX^{-1}`, r`\frac{\partial \operatorname{tr}(X^{-1})}{\partial X} = -X^{-2}`],
  },
  {
    name: '[Cookbook] ∂ det(X)/∂X = det(X) X^{-T} (Jacobi)',
    where: 'X: n×n invertible',
    ok: [r`\frac{\partial \det(X)}{\partial X} = \det(X)X^{-T}`, r`\frac{\partial |X|}{\partial X} = \operatorname{adj}(X)^T`],
    bad: [r`\frac{\partial \det(X)}{\partial X} = \det(X)X^{-1}`],
  },
  {
    name: '[Cookbook / PRML C.28] ∂ ln|det X|/∂X = X^{-T}',
    where: 'X: n×n invertible; S: n×n spd',
    ok: [r`\frac{\partial \ln|\det X|}{\partial X} = X^{-T}`, r`\frac{\partial \ln|X|}{\partial X} = (X^{-1})^T`, r`\frac{\partial \ln\det S}{\partial S} = S^{-1}`],
    bad: [r`\frac{\partial \ln|\det X|}{\partial X} = X^{-1}`, r`\frac{\partial \ln|X|}{\partial X} = X^{T}`],
  },
  {
    name: '[Cookbook] ∂ det(AXB)/∂X and ∂ det(X^T A X)/∂X',
    where: 'X, A, B: n×n invertible',
    ok: [r`\frac{\partial \det(AXB)}{\partial X} = \det(AXB)X^{-T}`, r`\frac{\partial \det(X^T A X)}{\partial X} = 2\det(X^T A X)X^{-T}`],
    bad: [r`\frac{\partial \det(AXB)}{\partial X} = \det(AXB)(AXB)^{-T}`, r`\frac{\partial \det(X^T A X)}{\partial X} = \det(X^T A X)X^{-T}`],
  },
  {
    name: '[Cookbook] ∂ ln det(X^T X)/∂X = 2X^{-T} for a square X',
    where: 'X: n×n invertible',
    ok: [r`\frac{\partial \ln\det(X^T X)}{\partial X} = 2X^{-T}`],
    bad: [r`\frac{\partial \ln\det(X^T X)}{\partial X} = 2X^{-1}`],
  },
  {
    name: '[Cookbook] ∂ a^T X^{-1} b/∂X = -X^{-T}ab^T X^{-T}',
    where: 'X: n×n invertible; a, b: n',
    ok: [r`\frac{\partial a^T X^{-1} b}{\partial X} = -X^{-T}ab^TX^{-T}`],
    bad: [r`\frac{\partial a^T X^{-1} b}{\partial X} = -X^{-1}ab^TX^{-1}`, r`\frac{\partial a^T X^{-1} b}{\partial X} = X^{-T}ab^TX^{-T}`],
  },
  {
    name: '[Cookbook] gradients of norms',
    where: 'x, a: n; X: m×n',
    ok: [r`\frac{\partial \|x\|}{\partial x} = \frac{x}{\|x\|}`, r`\frac{\partial \|x - a\|^2}{\partial x} = 2(x - a)`, r`\frac{\partial \|X\|_F^2}{\partial X} = 2X`, r`\frac{\partial \|X\|_F}{\partial X} = \frac{X}{\|X\|_F}`],
    bad: [r`\frac{\partial \|x\|}{\partial x} = x`, r`\frac{\partial \|x - a\|^2}{\partial x} = 2(a - x)`, r`\frac{\partial \|X\|_F}{\partial X} = X`],
  },
  {
    name: '[Cookbook] Hadamard products under a derivative',
    where: 'X, A: m×n',
    ok: [r`\frac{\partial}{\partial X}\operatorname{tr}(A^T(X \circ X)) = 2A \circ X`],
    bad: [r`\frac{\partial}{\partial X}\operatorname{tr}(A^T(X \circ X)) = A \circ X`],
  },
];

const DIFFERENTIALS: Row[] = [
  {
    name: '[Cookbook] d(X^{-1}) = -X^{-1} dX X^{-1}',
    where: 'X: n×n invertible',
    ok: [r`d(X^{-1}) = -X^{-1}\,dX\,X^{-1}`, r`\partial(X^{-1}) = -X^{-1}(\partial X)X^{-1}`],
    bad: [r`d(X^{-1}) = -X^{-2}\,dX`, r`d(X^{-1}) = X^{-1}\,dX\,X^{-1}`],
  },
  {
    name: '[Cookbook] d det(X) = det(X) tr(X^{-1} dX)',
    where: 'X: n×n invertible',
    ok: [r`d\det(X) = \det(X)\operatorname{tr}(X^{-1}dX)`, r`\partial\det(X) = \operatorname{tr}(\operatorname{adj}(X)\partial X)`],
    bad: [r`d\det(X) = \det(X)\operatorname{tr}(dX)`, r`d\det(X) = \operatorname{tr}(X^{-1}dX)`],
  },
  {
    name: '[Cookbook] d ln det(X) = tr(X^{-1} dX)',
    where: 'X: n×n invertible',
    ok: [r`d\ln|X| = \operatorname{tr}(X^{-1}dX)`],
    bad: [r`d\ln|X| = \operatorname{tr}(X^{-T}dX)`],
  },
  {
    name: '[Cookbook] product rules: d(XY), d(X∘Y), d(X⊗Y)',
    where: 'X, Y: n×n; P: m×m; Q: m×m',
    ok: [r`d(XY) = dX\,Y + X\,dY`, r`d(X \circ Y) = dX \circ Y + X \circ dY`, r`d(X \otimes P) = dX \otimes P + X \otimes dP`],
    bad: [r`d(XY) = dX\,Y + dY\,X`, r`d(X \circ Y) = dX \circ dY`, r`d(X \otimes P) = dX \otimes P + dP \otimes X`],
  },
  {
    name: '[Cookbook] d(X^T) = (dX)^T, d tr(X) = tr(dX)',
    where: 'X: m×n; S: n×n',
    ok: [r`d(X^T) = (dX)^T`, r`d\operatorname{tr}(S) = \operatorname{tr}(dS)`],
    bad: [r`d\operatorname{tr}(S^2) = 2\operatorname{tr}(dS)`],
  },
  {
    name: '[Cookbook] d(a^T X b) and d(x^T A x)',
    where: 'X, A: n×n; a, b, x: n',
    ok: [r`d(a^T X b) = a^T\,dX\,b`, r`d(x^T A x) = x^T(A + A^T)dx`],
    bad: [r`d(a^T X b) = b^T\,dX\,a`, r`d(x^T A x) = 2x^T A\,dx`],
  },
  {
    name: '[Cookbook] d(X^T X) and d‖x‖',
    where: 'X: m×n; x: n',
    ok: [r`d(X^T X) = dX^T\,X + X^T dX`, r`d\|x\| = \frac{x^T dx}{\|x\|}`],
    bad: [r`d(X^T X) = 2X^T dX`, r`d\|x\| = x^T dx`],
  },
  {
    name: '[tutorial] the Taylor expansion to first order',
    where: 'A: n×n; x: n',
    ok: [r`(x + dx)^T A (x + dx) = x^T A x + x^T (A + A^T) dx`],
    bad: [r`(x + dx)^T A (x + dx) = x^T A x + 2x^T A\,dx`],
  },
  {
    name: '[tutorial] the differential of the quadratic form row by row',
    where: 'A: n×n; x: n',
    ok: [r`\begin{aligned} d(x^\top A x) &= dx^\top A x + x^\top A\,dx \\ &= x^\top A^\top dx + x^\top A\,dx \\ &= x^\top(A + A^\top)dx \end{aligned}`],
    bad: [r`\begin{aligned} d(x^\top A x) &= dx^\top A x + x^\top A\,dx \\ &= 2x^\top A\,dx \end{aligned}`],
  },
];

const BY_SCALAR: Row[] = [
  {
    name: '[Cookbook / PRML C.21] ∂A^{-1}/∂t',
    where: 't: scalar; A(t): n×n invertible',
    ok: [r`\frac{\partial A^{-1}}{\partial t} = -A^{-1}\frac{\partial A}{\partial t}A^{-1}`],
    bad: [r`\frac{\partial A^{-1}}{\partial t} = -A^{-2}\frac{\partial A}{\partial t}`, r`\frac{\partial A^{-1}}{\partial t} = -\frac{\partial A}{\partial t}A^{-2}`],
  },
  {
    name: '[Cookbook / PRML C.22] ∂ ln|A|/∂t and ∂ det A/∂t',
    where: 't: scalar; A(t): n×n spd; B(t): n×n invertible',
    ok: [r`\frac{\partial}{\partial t}\ln|A| = \operatorname{tr}\left(A^{-1}\frac{\partial A}{\partial t}\right)`, r`\frac{d}{dt}\det B = \det B\operatorname{tr}\left(B^{-1}\frac{dB}{dt}\right)`],
    bad: [r`\frac{\partial}{\partial t}\ln|A| = \operatorname{tr}\left(\frac{\partial A}{\partial t}\right)`, r`\frac{d}{dt}\det B = \det B\operatorname{tr}\left(B\frac{dB}{dt}\right)`],
  },
  {
    name: '[PRML C.17] product rule and trace',
    where: 't: scalar; A(t), B(t): n×n',
    ok: [r`\frac{\partial (AB)}{\partial t} = \frac{\partial A}{\partial t}B + A\frac{\partial B}{\partial t}`, r`\frac{d}{dt}\operatorname{tr}(A) = \operatorname{tr}\left(\frac{dA}{dt}\right)`, r`\frac{d}{dt}A^2 = \frac{dA}{dt}A + A\frac{dA}{dt}`],
    bad: [r`\frac{\partial (AB)}{\partial t} = \frac{\partial A}{\partial t}B + \frac{\partial B}{\partial t}A`, r`\frac{d}{dt}A^2 = 2A\frac{dA}{dt}`],
  },
  {
    name: 'matrix exponential along a line, and a non-commuting path',
    where: 't: scalar; C: n×n; A(t): n×n',
    ok: [r`\frac{d}{dt}e^{tC} = Ce^{tC}`, r`\frac{d}{dt}e^{tC} = e^{tC}C`],
    bad: [r`\frac{d}{dt}e^{tC} = e^{tC}`, r`\frac{d}{dt}e^{A} = \frac{dA}{dt}e^{A}`],
  },
  {
    name: 'a vector-valued x(t)',
    where: 't: scalar; x(t): n; C: n×n',
    ok: [r`\frac{d}{dt}(x^T C x) = \frac{dx}{dt}^T(C + C^T)x`],
    bad: [r`\frac{d}{dt}(x^T C x) = 2\frac{dx}{dt}^T C x`],
  },
];

const JACOBIANS: Row[] = [
  {
    name: '[Cookbook] ∂(Ax)/∂x = A',
    where: 'A: m×n; x: n; B: n×n',
    ok: [r`\frac{\partial (Ax)}{\partial x} = A`],
    bad: [r`\frac{\partial (Bx)}{\partial x} = B^T`],
  },
  {
    name: 'Jacobian of the softmax',
    where: 'z: n',
    ok: [r`\frac{\partial \operatorname{softmax}(z)}{\partial z} = \operatorname{diag}(\operatorname{softmax}(z)) - \operatorname{softmax}(z)\operatorname{softmax}(z)^T`],
    bad: [r`\frac{\partial \operatorname{softmax}(z)}{\partial z} = \operatorname{diag}(\operatorname{softmax}(z))`, r`\frac{\partial \operatorname{softmax}(z)}{\partial z} = \operatorname{softmax}(z)\operatorname{softmax}(z)^T - \operatorname{diag}(\operatorname{softmax}(z))`],
  },
  {
    name: 'Jacobian of the entrywise logistic function',
    where: 'z: n',
    ok: [r`\frac{\partial \sigma(z)}{\partial z} = \operatorname{diag}(\sigma(z) \circ (\mathbf{1} - \sigma(z)))`],
    bad: [r`\frac{\partial \sigma(z)}{\partial z} = \operatorname{diag}(\sigma(z))`],
  },
  {
    name: 'Jacobian of a Hadamard product',
    where: 'x, y: n',
    ok: [r`\frac{\partial (x \circ y)}{\partial x} = \operatorname{diag}(y)`],
    bad: [r`\frac{\partial (x \circ y)}{\partial x} = \operatorname{diag}(x)`],
  },
  {
    name: 'Jacobian of normalisation x/‖x‖',
    where: 'x: n',
    ok: [r`\frac{\partial}{\partial x}\frac{x}{\|x\|} = \frac{1}{\|x\|}\left(I - \frac{xx^T}{x^T x}\right)`],
    bad: [r`\frac{\partial}{\partial x}\frac{x}{\|x\|} = \frac{I}{\|x\|}`, r`\frac{\partial}{\partial x}\frac{x}{\|x\|} = \frac{1}{\|x\|}\left(I + \frac{xx^T}{x^T x}\right)`],
  },
  {
    name: 'chain rule through tanh',
    where: 'A: m×n; x: n',
    ok: [r`\frac{\partial \tanh(Ax)}{\partial x} = \operatorname{diag}(\mathbf{1} - \tanh(Ax) \circ \tanh(Ax))A`],
    bad: [r`\frac{\partial \tanh(Ax)}{\partial x} = \operatorname{diag}(\mathbf{1} - \tanh(Ax))A`],
  },
  {
    name: '∂(x x^T a)/∂x = x a^T + (a^T x) I',
    where: 'x, a: n',
    ok: [r`\frac{\partial (x x^T a)}{\partial x} = x a^T + (a^T x) I`],
    bad: [r`\frac{\partial (x x^T a)}{\partial x} = a x^T + (a^T x) I`, r`\frac{\partial (x x^T a)}{\partial x} = x a^T`],
  },
  {
    name: '[Magnus–Neudecker] ∂ vec(X^{-1}) / ∂ vec(X)^T = -(X^{-T} ⊗ X^{-1})',
    where: 'X: n×n invertible',
    ok: [r`\frac{\partial \operatorname{vec}(X^{-1})}{\partial \operatorname{vec}(X)^T} = -(X^{-T} \otimes X^{-1})`],
    bad: [r`\frac{\partial \operatorname{vec}(X^{-1})}{\partial \operatorname{vec}(X)^T} = -(X^{-1} \otimes X^{-T})`, r`\frac{\partial \operatorname{vec}(X^{-1})}{\partial \operatorname{vec}(X)^T} = X^{-T} \otimes X^{-1}`],
  },
  {
    name: '[Magnus–Neudecker] ∂ vec(AX) and ∂ vec(XB) by vec(X)^T',
    where: 'A: m×n; X: n×p; B: p×q',
    ok: [r`\frac{\partial \operatorname{vec}(AX)}{\partial \operatorname{vec}(X)^T} = I_p \otimes A`, r`\frac{\partial \operatorname{vec}(XB)}{\partial \operatorname{vec}(X)^T} = B^T \otimes I_n`],
    bad: [r`\frac{\partial \operatorname{vec}(AX)}{\partial \operatorname{vec}(X)^T} = A \otimes I_p`, r`\frac{\partial \operatorname{vec}(XB)}{\partial \operatorname{vec}(X)^T} = I_n \otimes B^T`],
  },
];

const HESSIANS: Row[] = [
  {
    name: '[Cookbook] Hessian of a quadratic form',
    where: 'A: n×n; x: n',
    ok: [r`\frac{\partial^2 x^T A x}{\partial x\,\partial x^T} = A + A^T`, r`\nabla^2_x\,x^T A x = A + A^T`],
    bad: [r`\frac{\partial^2 x^T A x}{\partial x\,\partial x^T} = 2A`, r`\nabla^2_x\,x^T A x = A`],
  },
  {
    name: 'Hessian of least squares',
    where: 'A: n×m; x: m; b: n',
    ok: [r`\frac{\partial^2}{\partial x\,\partial x^T}\frac{1}{2}\|Ax - b\|^2 = A^T A`],
    bad: [r`\frac{\partial^2}{\partial x\,\partial x^T}\frac{1}{2}\|Ax - b\|^2 = 2A^T A`],
  },
  {
    name: 'Hessian of log-sum-exp',
    where: 'x: n',
    ok: [r`\nabla^2_x \ln\left(\mathbf{1}^T\exp(x)\right) = \operatorname{diag}(\operatorname{softmax}(x)) - \operatorname{softmax}(x)\operatorname{softmax}(x)^T`],
    bad: [r`\nabla^2_x \ln\left(\mathbf{1}^T\exp(x)\right) = \operatorname{diag}(\operatorname{softmax}(x))`],
  },
  {
    name: 'Hessian of the logistic-regression loss',
    where: 'X: m×n; w: n; y: m',
    ok: [r`\frac{\partial^2}{\partial w\,\partial w^T}\left(-y^T\ln\sigma(Xw) - (\mathbf{1} - y)^T\ln(\mathbf{1} - \sigma(Xw))\right) = X^T\operatorname{diag}(\sigma(Xw) \circ (\mathbf{1} - \sigma(Xw)))X`],
    bad: [r`\frac{\partial^2}{\partial w\,\partial w^T}\left(-y^T\ln\sigma(Xw) - (\mathbf{1} - y)^T\ln(\mathbf{1} - \sigma(Xw))\right) = X^T X`],
  },
];

const MACHINE_LEARNING: Row[] = [
  {
    name: 'least squares: ∂‖Ax − b‖²/∂x = 2Aᵀ(Ax − b)',
    where: 'A: n×m; x: m; b: n',
    ok: [r`\frac{\partial \|Ax - b\|^2}{\partial x} = 2A^T(Ax - b)`, r`\nabla_x (Ax - b)^T(Ax - b) = 2A^TAx - 2A^Tb`],
    bad: [r`\frac{\partial \|Ax - b\|^2}{\partial x} = 2A^T(b - Ax)`, r`\frac{\partial \|Ax - b\|^2}{\partial x} = A^T(Ax - b)`, r`\frac{\partial \|Ax - b\|^2}{\partial x} = 2A^T A x`],
  },
  {
    name: 'least squares: the normal equations',
    where: 'A: n×m; b: n',
    ok: [r`A^T\left(A(A^TA)^{-1}A^Tb - b\right) = 0`],
    bad: [r`A(A^TA)^{-1}A^Tb = b`],
  },
  {
    name: 'ridge and weighted least squares',
    where: 'A: n×m; x: m; b: n; W: n×n spd; \\lambda: scalar',
    ok: [r`\frac{\partial}{\partial x}\left(\|Ax - b\|^2 + \lambda\|x\|^2\right) = 2A^T(Ax - b) + 2\lambda x`, r`\frac{\partial}{\partial x}(Ax - b)^T W (Ax - b) = 2A^T W (Ax - b)`],
    bad: [r`\frac{\partial}{\partial x}\left(\|Ax - b\|^2 + \lambda\|x\|^2\right) = 2A^T(Ax - b) + \lambda x`, r`\frac{\partial}{\partial x}(Ax - b)^T W (Ax - b) = 2A^T (Ax - b)`],
  },
  {
    name: 'Gaussian log-likelihood: gradient with respect to μ',
    where: 'x, \\mu: n; \\Sigma: n×n spd',
    ok: [r`\frac{\partial}{\partial \mu}\left(-\frac{1}{2}\ln|\Sigma| - \frac{1}{2}(x - \mu)^T\Sigma^{-1}(x - \mu)\right) = \Sigma^{-1}(x - \mu)`],
    bad: [r`\frac{\partial}{\partial \mu}\left(-\frac{1}{2}\ln|\Sigma| - \frac{1}{2}(x - \mu)^T\Sigma^{-1}(x - \mu)\right) = \Sigma^{-1}(\mu - x)`, r`\frac{\partial}{\partial \boldsymbol{\mu}}\left(-\frac{1}{2}(x - \mu)^T\Sigma^{-1}(x - \mu)\right) = \Sigma(x - \mu)`],
  },
  {
    name: 'Gaussian log-likelihood: gradient with respect to Σ',
    where: 'x, \\mu: n; \\Sigma: n×n spd; S: n×n spd; N: scalar',
    ok: [
      r`\frac{\partial}{\partial \Sigma}\left(-\frac{1}{2}\ln|\Sigma| - \frac{1}{2}(x - \mu)^T\Sigma^{-1}(x - \mu)\right) = -\frac{1}{2}\Sigma^{-1} + \frac{1}{2}\Sigma^{-1}(x - \mu)(x - \mu)^T\Sigma^{-1}`,
      r`\frac{\partial}{\partial \boldsymbol\Sigma}\left(-\frac{N}{2}\ln|\Sigma| - \frac{1}{2}\operatorname{tr}(\Sigma^{-1}S)\right) = -\frac{N}{2}\Sigma^{-1} + \frac{1}{2}\Sigma^{-1}S\Sigma^{-1}`,
    ],
    bad: [
      r`\frac{\partial}{\partial \Sigma}\left(-\frac{1}{2}\ln|\Sigma| - \frac{1}{2}(x - \mu)^T\Sigma^{-1}(x - \mu)\right) = -\frac{1}{2}\Sigma^{-1} + \frac{1}{2}(x - \mu)(x - \mu)^T`,
      r`\frac{\partial}{\partial \boldsymbol\Sigma}\left(-\frac{N}{2}\ln|\Sigma| - \frac{1}{2}\operatorname{tr}(\Sigma^{-1}S)\right) = -\frac{N}{2}\Sigma^{-1} - \frac{1}{2}\Sigma^{-1}S\Sigma^{-1}`,
    ],
  },
  {
    name: 'logistic regression: gradient of the cross-entropy',
    where: 'X: m×n; w: n; y: m',
    ok: [r`\frac{\partial}{\partial w}\left(-y^T\ln\sigma(Xw) - (\mathbf{1} - y)^T\ln(\mathbf{1} - \sigma(Xw))\right) = X^T(\sigma(Xw) - y)`],
    bad: [r`\frac{\partial}{\partial w}\left(-y^T\ln\sigma(Xw) - (\mathbf{1} - y)^T\ln(\mathbf{1} - \sigma(Xw))\right) = X^T(y - \sigma(Xw))`, r`\frac{\partial}{\partial w}\left(-y^T\ln\sigma(Xw) - (\mathbf{1} - y)^T\ln(\mathbf{1} - \sigma(Xw))\right) = X^T\sigma(Xw)`],
  },
  {
    name: 'logistic regression: one sample',
    where: 'x, w: n; y: scalar',
    ok: [r`\frac{\partial}{\partial w}\left(-y\,x^T w + \ln(1 + e^{x^T w})\right) = x(\sigma(x^T w) - y)`],
    bad: [r`\frac{\partial}{\partial w}\left(-y\,x^T w + \ln(1 + e^{x^T w})\right) = x(\sigma(x^T w) + y)`],
  },
  {
    name: '[tutorial] softmax regression: ∂(−yᵀ ln softmax(Wx))/∂W',
    where: 'W: m×n; x: n; y: m',
    ok: [r`\frac{\partial}{\partial W}\left(-y^T\ln\operatorname{softmax}(Wx)\right) = \left((\mathbf{1}^T y)\operatorname{softmax}(Wx) - y\right)x^T`],
    bad: [r`\frac{\partial}{\partial W}\left(-y^T\ln\operatorname{softmax}(Wx)\right) = (\operatorname{softmax}(Wx) - y)x^T`, r`\frac{\partial}{\partial W}\left(-y^T\ln\operatorname{softmax}(Wx)\right) = \left(y - (\mathbf{1}^T y)\operatorname{softmax}(Wx)\right)x^T`],
  },
  {
    name: '[tutorial] f = aᵀ exp(Xb): ∂f/∂X = (a ∘ exp(Xb)) bᵀ',
    where: 'X: m×n; a: m; b: n',
    ok: [r`\frac{\partial}{\partial X}a^T\exp(Xb) = (a \circ \exp(Xb))b^T`],
    bad: [r`\frac{\partial}{\partial X}a^T\exp(Xb) = ab^T`, r`\frac{\partial}{\partial X}a^T\exp(Xb) = (a \circ \exp(Xb))b^T + a b^T`],
  },
  {
    name: '[tutorial] f = tr(Yᵀ M Y), Y = σ(WX)',
    where: 'W: p×n; X: n×q; M: p×p',
    ok: [r`\frac{\partial}{\partial X}\operatorname{tr}\left(\sigma(WX)^T M \sigma(WX)\right) = W^T\left(\left((M + M^T)\sigma(WX)\right) \circ \sigma(WX) \circ (\mathbf{1}_p\mathbf{1}_q^T - \sigma(WX))\right)`],
    bad: [r`\frac{\partial}{\partial X}\operatorname{tr}\left(\sigma(WX)^T M \sigma(WX)\right) = W^T\left(\left(2M\sigma(WX)\right) \circ \sigma(WX) \circ (\mathbf{1}_p\mathbf{1}_q^T - \sigma(WX))\right)`],
  },
  {
    name: '[tutorial] the chain rule through a linear map: ∂ f(AXB)',
    where: 'A: m×n; X: n×p; B: p×q; C: m×q',
    ok: [r`\frac{\partial}{\partial X}\operatorname{tr}(C^T AXB) = A^T C B^T`],
    bad: [r`\frac{\partial}{\partial X}\operatorname{tr}(C^T AXB) = -A^T C B^T`],
  },
];

export const IDENTITY_TABLE: Record<string, Row[]> = {
  'basics: transpose, inverse, trace, determinant': BASICS,
  'Kronecker and Hadamard products': KRONECKER_HADAMARD,
  'quadratic forms and norms': QUADRATIC_NORMS,
  'derivatives of scalars by vectors and matrices': DERIVATIVES,
  differentials: DIFFERENTIALS,
  'derivatives by a scalar': BY_SCALAR,
  Jacobians: JACOBIANS,
  Hessians: HESSIANS,
  'machine learning gradients': MACHINE_LEARNING,
};

