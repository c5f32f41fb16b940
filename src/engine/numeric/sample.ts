/**
 * Seeded random values that honour the declarations: a distinct size per dimension letter,
 * symmetric / spd / invertible / orthogonal / diagonal matrices, and smooth functions A(t).
 */
import type { Decl } from '../scope.ts';
import { dimSize, type Shape } from '../shape.ts';
import { add, frobenius, identity, inverse, isMat, mat, mul, scale, transpose, type Mat, type Val } from './linalg.ts';

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

export function assignSizes(letters: Iterable<string>): Map<string, number> {
  const sorted = [...new Set(letters)].sort();
  const sizes = new Map<string, number>();
  sorted.forEach((l, i) => sizes.set(l, SIZES[i] ?? 12 + i));
  return sizes;
}

export function lettersOf(shape: Shape): string[] {
  return [shape.r, shape.c].flatMap((d) => d.split('*')).filter((p) => /^[A-Za-z]$/.test(p));
}

function randMat(rng: Rng, r: number, c: number, positive: boolean): Mat {
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
 * A matrix honouring the properties. `attempt` varies the draw when a sample falls outside a
 * function's domain: odd attempts draw positive scalars and entries and positive determinants.
 */
function structured(rng: Rng, decl: Decl, r: number, c: number, attempt: number): Val {
  const p = decl.props;
  const positive = attempt % 2 === 1;
  if (r === 1 && c === 1) {
    const mag = rng.uniform(0.5, 2);
    return positive || rng.next() < 0.5 ? mag : -mag;
  }
  if (p.has('orthogonal')) return cayley(skew(rng, r, 2));
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
    return m;
  }
  const draw = (): Mat => {
    let m = randMat(rng, r, c, positive && !p.has('invertible'));
    if (p.has('symmetric')) m = symmetrize(m);
    if (p.has('invertible') || (p.has('symmetric') && positive)) {
      // odd attempts are diagonally dominant (positive determinant)
      m = add(m, scale(identity(r), positive ? r + 0.5 : 1)) as Mat;
    }
    return m;
  };
  let m = draw();
  // keep invertible samples well conditioned: near a singular matrix, finite differences of
  // inverses and log-determinants lose the accuracy the check needs
  if (p.has('invertible')) for (let k = 0; k < MAX_REDRAWS && !wellConditioned(m); k++) m = draw();
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
  for (const d of decls) {
    const r = dimSize(d.shape.r, sizes);
    const c = dimSize(d.shape.c, sizes);
    if (d.param) {
      fns.set(d.name, sampleFunction(rng, d, r, c, attempt));
      continue;
    }
    values.set(d.name, structured(rng, d, r, c, attempt));
  }
  return { values, fns };
}

/** A smooth function t ↦ A0 + t A1 + t² A2 with the declared structure (orthogonal: Q0·cayley(tS)). */
function sampleFunction(rng: Rng, d: Decl, r: number, c: number, attempt: number): (t: number) => Val {
  if (d.props.has('orthogonal')) {
    const q0 = cayley(skew(rng, r, 2));
    const s = skew(rng, r, 1);
    return (t) => mul(q0, cayley(scale(s, t) as Mat));
  }
  const a0 = structured(rng, d, r, c, attempt);
  const plain: Decl = { ...d, props: new Set([...d.props].filter((x) => x === 'symmetric' || x === 'diagonal')) };
  if (d.props.has('spd')) plain.props.add('symmetric');
  const a1 = scale(structured(rng, plain, r, c, 0), 0.3);
  const a2 = scale(structured(rng, plain, r, c, 0), 0.1);
  return (t) => add(add(a0, scale(a1, t)), scale(a2, t * t));
}

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
