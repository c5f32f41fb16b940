/**
 * Seeded random values that honour the declarations: a distinct size per dimension letter,
 * symmetric / spd / invertible / orthogonal / diagonal matrices, and smooth functions A(t).
 */
import type { Decl } from '../scope.ts';
import { dimSize, type Shape } from '../shape.ts';
import { add, det, frobenius, identity, inverse, isMat, mat, mul, scale, transpose, type Mat, type Val } from './linalg.ts';

/** mulberry32: small, fast, reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
}

/** Sizes given to dimension letters, in alphabetical order of the letters: all distinct. */
const SIZES = [3, 4, 2, 5, 6, 7, 8, 9, 10, 11];

/**
 * `trial` rotates the sizes, so that each letter takes several sizes over the trials (still all
 * distinct within a trial): det(−A) = −det A holds for n = 3 but not for n = 4.
 */
export function assignSizes(letters: Iterable<string>, trial = 0): Map<string, number> {
  const sorted = [...new Set(letters)].sort();
  const sizes = new Map<string, number>();
  sorted.forEach((l, i) => sizes.set(l, i < SIZES.length ? SIZES[(i + trial) % SIZES.length]! : 12 + i));
  return sizes;
}

export function lettersOf(shape: Shape): string[] {
  return [shape.r, shape.c].flatMap((d) => d.split('*')).filter((p) => /^[A-Za-z]$/.test(p));
}

export function randMat(rng: Rng, r: number, c: number, positive: boolean): Mat {
  const m = mat(r, c);
  for (let i = 0; i < m.d.length; i++) m.d[i] = positive ? rng.uniform(0.2, 1.2) : rng.uniform(-1, 1);
  return m;
}

function symmetrize(m: Mat): Mat {
  return scale(add(m, transpose(m)), 0.5) as Mat;
}

function skew(rng: Rng, n: number, size = 1): Mat {
  const m = randMat(rng, n, n, false);
  return scale(add(m, scale(transpose(m), -1)), 0.5 * size) as Mat;
}

/** Cayley transform of a skew matrix: orthogonal with determinant 1. */
function cayley(s: Mat): Mat {
  const n = s.r;
  const I = identity(n);
  return mul(inverse(add(I, scale(s, -1))), add(I, s)) as Mat;
}

/**
 * The sign a draw must take, or null for a random one. Odd attempts (the redraws that look for a
 * function's domain) are positive. Even attempts follow a fixed pattern for the first two symbols
 * of a formula, so that the trials meet every sign combination, (−,+), (+,−), (−,−), whatever the
 * seed: `|a| = a`, `|ab| = ab`, `det Q = 1` for an orthogonal Q, `|det X| = det X` fail for every seed.
 */
function signAt(rng: Rng, attempt: number, j: number): 1 | -1 {
  if (attempt % 2 === 1) return 1;
  if (j >= 2) return rng.next() < 0.5 ? 1 : -1;
  const m = attempt / 2;
  return (((m + 1) >> j) & 1) === 1 ? -1 : 1;
}

/** Negate the first row when the determinant's sign is not the wanted one. */
function withDetSign(m: Mat, sign: 1 | -1): Mat {
  if (Math.sign(det(m)) !== -sign) return m;
  const out = mat(m.r, m.c, m.d.slice());
  for (let k = 0; k < m.c; k++) out.d[k] = -out.d[k]!;
  return out;
}

/**
 * A matrix honouring the properties. `attempt` varies the draw when a sample falls outside a
 * function's domain: odd attempts draw positive scalars and entries and positive determinants;
 * `j` is the symbol's position in the formula (see `signAt`).
 */
function structured(rng: Rng, decl: Decl, r: number, c: number, attempt: number, j = 2): Val {
  const p = decl.props;
  const positive = attempt % 2 === 1;
  if (r === 1 && c === 1) {
    return signAt(rng, attempt, j) * rng.uniform(0.5, 2);
  }
  if (p.has('orthogonal')) {
    // Cayley transforms have determinant 1; a reflection of the first row gives the others
    return withDetSign(cayley(skew(rng, r, 2)), signAt(rng, attempt, j));
  }
  if (p.has('spd')) {
    const b = randMat(rng, r, r, false);
    return add(scale(mul(b, transpose(b)), 1 / r), scale(identity(r), 0.5));
  }
  if (p.has('diagonal')) {
    const m = mat(r, r);
    for (let i = 0; i < r; i++) {
      const mag = rng.uniform(0.5, 2);
      m.d[i * r + i] = positive || rng.next() < 0.5 ? mag : -mag;
    }
    if (positive) return m;
    // the determinant's sign follows the pattern
    if (Math.sign(m.d.reduce((q, x, k) => (k % (r + 1) === 0 ? q * x : q), 1)) !== signAt(rng, attempt, j)) m.d[0] = -m.d[0]!;
    return m;
  }
  const draw = (): Mat => {
    let m = randMat(rng, r, c, positive && !p.has('invertible'));
    if (p.has('symmetric')) m = symmetrize(m);
    if (p.has('invertible') || (p.has('symmetric') && positive)) {
      // odd attempts are diagonally dominant (positive determinant), rescaled so that the
      // entries stay of order 1 (a determinant of 7.5⁷ makes sin(det X) useless to differentiate)
      m = positive ? (scale(add(m, scale(identity(r), r + 0.5)), 1.5 / (r + 0.5)) as Mat) : (add(m, identity(r)) as Mat);
    }
    return m;
  };
  let m = draw();
  // keep invertible samples well conditioned: near a singular matrix, finite differences of
  // inverses and log-determinants lose the accuracy the check needs
  if (p.has('invertible')) for (let k = 0; k < MAX_REDRAWS && !wellConditioned(m); k++) m = draw();
  // I + U(−1, 1) almost always has a positive determinant: give invertible samples both signs
  if (p.has('invertible') && !p.has('symmetric') && !positive) m = withDetSign(m, signAt(rng, attempt, j));
  return m;
}

/** Redraws of an ill-conditioned invertible sample before giving up on conditioning. */
const MAX_REDRAWS = 50;

/** Bound on ‖X‖_F ‖X⁻¹‖_F per row of an invertible sample (about the 95th percentile of I + U(-1,1)). */
const MAX_SAMPLE_COND_PER_ROW = 25;

function wellConditioned(m: Mat): boolean {
  try {
    return frobenius(m) * frobenius(inverse(m)) <= MAX_SAMPLE_COND_PER_ROW * m.r;
  } catch {
    return false;
  }
}

export interface Sampled {
  values: Map<string, Val>;
  /** A(t): the value as a function of the parameter's value. */
  fns: Map<string, (t: number) => Val>;
}

export function sampleSymbols(decls: Decl[], sizes: Map<string, number>, rng: Rng, attempt: number): Sampled {
  const values = new Map<string, Val>();
  const fns = new Map<string, (t: number) => Val>();
  // positions among the symbols that have a sign (scalars) or a determinant (square matrices)
  let signed = 0;
  decls.forEach((d) => {
    const r = dimSize(d.shape.r, sizes);
    const c = dimSize(d.shape.c, sizes);
    const j = r === c ? signed++ : 2;
    if (d.param) fns.set(d.name, sampleFunction(rng, d, r, c, attempt, j));
    else values.set(d.name, structured(rng, d, r, c, attempt, j));
  });
  return { values, fns };
}

/** A smooth function t ↦ A0 + t A1 + t² A2 with the declared structure (orthogonal: Q0·cayley(tS)). */
function sampleFunction(rng: Rng, d: Decl, r: number, c: number, attempt: number, j: number): (t: number) => Val {
  if (d.props.has('orthogonal')) {
    const q0 = withDetSign(cayley(skew(rng, r, 2)), signAt(rng, attempt, j));
    const s = skew(rng, r, 1);
    return (t) => mul(q0, cayley(scale(s, t) as Mat));
  }
  const a0 = structured(rng, d, r, c, attempt, j);
  const plain: Decl = { ...d, props: new Set([...d.props].filter((x) => x === 'symmetric' || x === 'diagonal')) };
  if (d.props.has('spd')) plain.props.add('symmetric');
  let a1 = scale(structured(rng, plain, r, c, 0), 0.3);
  let a2 = scale(structured(rng, plain, r, c, 0), 0.1);
  if (isMat(a0) && (d.props.has('invertible') || d.props.has('spd'))) {
    // stay invertible (spd) along the path: for |t| ≤ T_RANGE the change is at most half of A0's
    // smallest singular value, so A(t) never comes near a singular matrix
    const room = 0.5 / frobenius(inverse(a0));
    const change = T_RANGE * frobenius(a1) + T_RANGE * T_RANGE * frobenius(a2);
    if (change > room) {
      a1 = scale(a1, room / change);
      a2 = scale(a2, room / change);
    }
  }
  return (t) => add(add(a0, scale(a1, t)), scale(a2, t * t));
}

/** Scalars are drawn with magnitudes up to 2: the range of t over which A(t) keeps its properties. */
const T_RANGE = 2;

/** A direction dX for a differential, tangent to the declared structure at X. */
export function sampleDirection(rng: Rng, d: Decl | undefined, value: Val): Val {
  if (!isMat(value)) return rng.uniform(-1, 1);
  const m = randMat(rng, value.r, value.c, false);
  if (!d) return m;
  if (d.props.has('orthogonal')) return mul(value, skew(rng, value.r));
  if (d.props.has('diagonal')) {
    const out = mat(value.r, value.c);
    for (let i = 0; i < value.r; i++) out.d[i * value.c + i] = m.d[i * value.c + i]!;
    return out;
  }
  if (d.props.has('symmetric') || d.props.has('spd')) return symmetrize(m);
  return m;
}
