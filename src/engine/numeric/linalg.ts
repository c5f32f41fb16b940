/**
 * Dense float64 values for the numeric checker. Elementwise work and products are small loops
 * over plain arrays of doubles (the hot path), with LU and Jacobi routines of our own for det,
 * inverse and symmetric eigenvalues; eigenvalues of general matrices, expm and sqrtm come from
 * mathjs. Not Float64Array: V8 keeps a typed array of more than 64 bytes (a 3×3 matrix) outside
 * its heap, and allocating one cost ~10 times a plain array's (measured: 335 ns against 32 ns);
 * the checker allocates millions.
 */
import { DomainError } from '../errors.ts';

type MathJs = typeof import('mathjs');
let mathjsModule: MathJs | undefined;

/**
 * mathjs, loaded on first use: importing it costs ~0.45 s (measured), and only a few formulas
 * need it (eigenvalues of a general matrix, expm, sqrtm); a build whose verdicts all come from
 * the cache never does. In Node it is required synchronously; elsewhere (a browser bundle) call
 * `loadNumerics()` before checking formulas that need it.
 */
function mathjs(): MathJs {
  if (mathjsModule) return mathjsModule;
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeModule = host?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!nodeModule) throw new Error('mathjs is not loaded: await loadNumerics() first');
  mathjsModule = nodeModule.createRequire(import.meta.url)('mathjs') as MathJs;
  return mathjsModule;
}

/** Load mathjs ahead of use (needed where it cannot be required synchronously, e.g. a browser). */
export async function loadNumerics(): Promise<void> {
  mathjsModule ??= (await import('mathjs')) as MathJs;
}

export interface Mat {
  r: number;
  c: number;
  /** Row-major entries (a plain array of doubles: see above). */
  d: number[];
}

export type Val = number | Mat;

export function isMat(v: Val): v is Mat {
  return typeof v !== 'number';
}

export function mat(r: number, c: number, d?: number[]): Mat {
  return { r, c, d: d ?? zeros(r * c) };
}

/** n zeros, as a packed array (pushed: `new Array(n)` would make a holey one). */
export function zeros(n: number): number[] {
  const d: number[] = [];
  for (let i = 0; i < n; i++) d.push(0);
  return d;
}

/** 1×1 matrices are scalars. */
export function norm1x1(m: Mat): Val {
  return m.r === 1 && m.c === 1 ? m.d[0]! : m;
}

export function asMat(v: Val): Mat {
  return isMat(v) ? v : { r: 1, c: 1, d: [v] };
}

export function identity(n: number): Mat {
  const m = mat(n, n);
  for (let i = 0; i < n; i++) m.d[i * n + i] = 1;
  return m;
}

export function toRows(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.r; i++) out.push(m.d.slice(i * m.c, (i + 1) * m.c));
  return out;
}

export function fromRows(rows: number[][]): Mat {
  const r = rows.length;
  const c = rows[0]?.length ?? 0;
  const m = mat(r, c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) m.d[i * c + j] = rows[i]![j]!;
  return m;
}

/** A plain JSON value: number, vector as array, matrix as array of rows. */
export function toJSON(v: Val): unknown {
  if (!isMat(v)) return v;
  if (v.c === 1) return Array.from(v.d);
  return toRows(v);
}

export function map(v: Val, f: (x: number) => number): Val {
  if (!isMat(v)) return f(v);
  const out = mat(v.r, v.c);
  for (let i = 0; i < v.d.length; i++) out.d[i] = f(v.d[i]!);
  return out;
}

function sameShape(a: Mat, b: Mat, what: string): void {
  if (a.r !== b.r || a.c !== b.c) throw new Error(`internal: ${what} of ${a.r}×${a.c} and ${b.r}×${b.c}`);
}

export function add(a: Val, b: Val): Val {
  if (!isMat(a) && !isMat(b)) return a + b;
  const A = asMat(a);
  const B = asMat(b);
  sameShape(A, B, 'sum');
  const out = mat(A.r, A.c);
  for (let i = 0; i < A.d.length; i++) out.d[i] = A.d[i]! + B.d[i]!;
  return out;
}

export function sub(a: Val, b: Val): Val {
  return add(a, scale(b, -1));
}

export function scale(a: Val, s: number): Val {
  if (!isMat(a)) return a * s;
  const out = mat(a.r, a.c);
  for (let i = 0; i < a.d.length; i++) out.d[i] = a.d[i]! * s;
  return out;
}

/** Juxtaposition: a scalar scales, matrices multiply. */
export function mul(a: Val, b: Val): Val {
  if (!isMat(a)) return scale(b, a);
  if (!isMat(b)) return scale(a, b);
  if (a.c !== b.r) throw new Error(`internal: product of ${a.r}×${a.c} and ${b.r}×${b.c}`);
  const out = mat(a.r, b.c);
  const n = a.c;
  for (let i = 0; i < a.r; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.d[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < b.c; j++) out.d[i * b.c + j] += aik * b.d[k * b.c + j]!;
    }
  }
  return norm1x1(out);
}

export function hadamard(a: Val, b: Val): Val {
  if (!isMat(a) && !isMat(b)) return a * b;
  const A = asMat(a);
  const B = asMat(b);
  sameShape(A, B, 'Hadamard product');
  const out = mat(A.r, A.c);
  for (let i = 0; i < A.d.length; i++) out.d[i] = A.d[i]! * B.d[i]!;
  return out;
}

export function kron(a: Val, b: Val): Val {
  const A = asMat(a);
  const B = asMat(b);
  const out = mat(A.r * B.r, A.c * B.c);
  for (let i = 0; i < A.r; i++)
    for (let j = 0; j < A.c; j++) {
      const x = A.d[i * A.c + j]!;
      for (let k = 0; k < B.r; k++) for (let l = 0; l < B.c; l++) out.d[(i * B.r + k) * out.c + j * B.c + l] = x * B.d[k * B.c + l]!;
    }
  return norm1x1(out);
}

export function transpose(a: Val): Val {
  if (!isMat(a)) return a;
  const out = mat(a.c, a.r);
  for (let i = 0; i < a.r; i++) for (let j = 0; j < a.c; j++) out.d[j * a.r + i] = a.d[i * a.c + j]!;
  return out;
}

export function trace(a: Val): number {
  if (!isMat(a)) return a;
  let s = 0;
  for (let i = 0; i < a.r; i++) s += a.d[i * a.c + i]!;
  return s;
}

/** The largest absolute entry; Infinity when an entry is NaN. */
export function maxAbs(v: Val): number {
  if (!isMat(v)) return Math.abs(v);
  const d = v.d;
  let m = 0;
  for (let i = 0; i < d.length; i++) {
    const ax = Math.abs(d[i]!);
    // true when larger, or NaN (a NaN entry makes the value unusable)
    if (!(ax <= m)) m = ax === ax ? ax : Infinity;
  }
  return m;
}

export function frobenius(v: Val): number {
  if (!isMat(v)) return Math.abs(v);
  let s = 0;
  for (const x of v.d) s += x * x;
  return Math.sqrt(s);
}

// ---------- mathjs-backed ----------

/**
 * A determinant below this fraction of Hadamard's bound (the product of the columns' norms) is
 * rounding noise: the matrix is singular. Without this, det(x xᵀ) comes out ±1e-17 and
 * ln|x xᵀ| looks like a finite number instead of a value outside ln's domain.
 */
const SINGULAR_DET = 1e-12;

/**
 * LU factorisation with partial pivoting of a square matrix, in place on a copy: the factors,
 * the row swaps' sign, and whether a pivot was exactly zero. Small dense loops: the matrices the
 * checker samples have a dozen rows at most, and mathjs's generic dispatch cost more than the
 * arithmetic.
 */
function lu(a: Mat): { f: number[]; perm: number[]; sign: number; singular: boolean } {
  const n = a.r;
  const f = a.d.slice();
  const perm: number[] = [];
  for (let i = 0; i < n; i++) perm.push(i);
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(f[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(f[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best === 0) {
      singular = true;
      continue;
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = f[k * n + j]!;
        f[k * n + j] = f[p * n + j]!;
        f[p * n + j] = t;
      }
      const t = perm[k]!;
      perm[k] = perm[p]!;
      perm[p] = t;
      sign = -sign;
    }
    const pivot = f[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const m = f[i * n + k]! / pivot;
      f[i * n + k] = m;
      if (m === 0) continue;
      for (let j = k + 1; j < n; j++) f[i * n + j]! -= m * f[k * n + j]!;
    }
  }
  return { f, perm, sign, singular };
}

export function det(a: Val): number {
  if (!isMat(a)) return a;
  if (a.r !== a.c) throw new Error(`internal: determinant of a ${a.r}×${a.c} matrix`);
  const { f, sign, singular } = lu(a);
  let d = singular ? 0 : sign;
  for (let i = 0; i < a.r && d !== 0; i++) d *= f[i * a.r + i]!;
  let bound = 1;
  for (let j = 0; j < a.c; j++) {
    let s = 0;
    for (let i = 0; i < a.r; i++) s += a.d[i * a.c + j]! ** 2;
    bound *= Math.sqrt(s);
  }
  return Math.abs(d) <= SINGULAR_DET * bound ? 0 : d;
}

/** Reciprocal condition estimate: too ill-conditioned samples are redrawn. */
const MAX_COND = 1e8;

export function inverse(a: Val): Val {
  if (!isMat(a)) {
    if (Math.abs(a) < 1e-12) throw new DomainError('division by zero');
    return 1 / a;
  }
  if (a.r !== a.c) throw new Error(`internal: inverse of a ${a.r}×${a.c} matrix`);
  const n = a.r;
  const { f, perm, singular } = lu(a);
  if (singular) throw new DomainError('the matrix is singular');
  // solve L U x = P e_j for every column j
  const inv = mat(n, n);
  const x = zeros(n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = perm[i] === j ? 1 : 0;
      for (let k = 0; k < i; k++) s -= f[i * n + k]! * x[k]!;
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i]!;
      for (let k = i + 1; k < n; k++) s -= f[i * n + k]! * x[k]!;
      x[i] = s / f[i * n + i]!;
    }
    for (let i = 0; i < n; i++) inv.d[i * n + j] = x[i]!;
  }
  if (!(frobenius(a) * frobenius(inv) <= MAX_COND)) throw new DomainError('the matrix is nearly singular');
  return inv;
}

/** Eigenvalues of a square matrix, ascending (real parts; samples are symmetric when it matters). */
export function eigenvalues(a: Val): Val {
  if (!isMat(a)) return a;
  // a symmetric matrix (a symmetric sample, AᵀA): Jacobi rotations, without mathjs
  if (isSymmetric(a)) return mat(a.r, 1, symmetricEigenvalues(a));
  // values only: the same values as with eigenvectors, without computing the vectors
  let res: { values: unknown };
  try {
    res = mathjs().eigs(toRows(a), { eigenvectors: false }) as unknown as { values: unknown };
  } catch (e) {
    // mathjs gives up on some non-symmetric samples: like complex eigenvalues, a value outside the domain
    throw new DomainError(`the eigenvalues cannot be computed (${e instanceof Error ? e.message.replace(/\.\s.*$/s, '') : String(e)})`);
  }
  const vals = (Array.isArray(res.values) ? res.values : (res.values as { toArray(): unknown[] }).toArray()) as unknown[];
  const nums = vals.map((x) => {
    if (typeof x === 'number') return x;
    const c = x as { re: number; im: number };
    if (Math.abs(c.im) > 1e-9 * (1 + Math.abs(c.re))) throw new DomainError('complex eigenvalues');
    return c.re;
  });
  nums.sort((p, q) => p - q);
  return mat(nums.length, 1, nums);
}

export function expm(a: Mat): Mat {
  let res: { toArray(): number[][] };
  try {
    const { expm: mjExpm, matrix } = mathjs();
    res = mjExpm(matrix(toRows(a))) as unknown as { toArray(): number[][] };
  } catch {
    // mathjs gives up when the scaling-and-squaring parameters overflow
    throw new DomainError('the matrix exponential overflows');
  }
  return fromRows(res.toArray());
}

export function sqrtm(a: Mat): Mat {
  const res = mathjs().sqrtm(toRows(a)) as unknown as number[][];
  return fromRows(res);
}

function isSymmetric(a: Mat): boolean {
  if (a.r !== a.c) return false;
  for (let i = 0; i < a.r; i++) for (let j = i + 1; j < a.c; j++) if (a.d[i * a.c + j] !== a.d[j * a.c + i]) return false;
  return true;
}

/** Eigenvalues of a symmetric matrix by cyclic Jacobi rotations (accurate to rounding). */
export function symmetricEigenvalues(s: Mat): number[] {
  const n = s.r;
  const a = s.d.slice();
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! * a[i * n + j]!;
    if (off <= 1e-32 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const sn = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - sn * akq;
          a[k * n + q] = sn * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - sn * aqk;
          a[q * n + k] = sn * apk + c * aqk;
        }
      }
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(a[i * n + i]!);
  return out.sort((x, y) => x - y);
}

/** Spectral norm: the square root of the largest eigenvalue of AᵀA, or of AAᵀ (the same), whichever is smaller. */
export function spectralNorm(a: Val): number {
  if (!isMat(a)) return Math.abs(a);
  if (a.c === 1 || a.r === 1) return frobenius(a);
  const gram = (a.r < a.c ? mul(a, transpose(a)) : mul(transpose(a), a)) as Mat;
  const ev = symmetricEigenvalues(gram);
  return Math.sqrt(Math.max(ev[ev.length - 1]!, 0));
}

/** Matrix sine/cosine through the exponential of a block form: exp([[0, A], [-A, 0]]). */
export function sincosm(a: Mat, which: 'sin' | 'cos'): Mat {
  const n = a.r;
  const big = mat(2 * n, 2 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      big.d[i * 2 * n + (n + j)] = a.d[i * n + j]!;
      big.d[(n + i) * 2 * n + j] = -a.d[i * n + j]!;
    }
  const e = expm(big);
  // exp([[0,A],[-A,0]]) = [[cos A, sin A], [-sin A, cos A]]
  const out = mat(n, n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out.d[i * n + j] = which === 'cos' ? e.d[i * 2 * n + j]! : e.d[i * 2 * n + n + j]!;
  return out;
}

export function adjugate(a: Mat): Mat {
  // adj(A) = det(A) A⁻¹ for invertible A; samples are invertible almost surely
  const d = det(a);
  return asMat(scale(inverse(a), d));
}

export function matPow(a: Val, k: number): Val {
  if (!isMat(a)) return a ** k;
  if (k < 0) return matPow(inverse(a), -k);
  // repeated squaring: A^(10^9) takes 30 products, not 10^9
  let out: Val = identity(a.r);
  let sq: Val = a;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) out = mul(out, sq);
    if (e > 1) sq = mul(sq, sq);
    if (!Number.isFinite(maxAbs(out)) || !Number.isFinite(maxAbs(sq))) throw new DomainError('a matrix power overflows');
  }
  return out;
}
