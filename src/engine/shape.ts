/**
 * Shapes with symbolic dimensions. A dimension is a canonical string: a positive integer
 * ("3"), a letter ("n"), a product ("m*n", "2*n"), or an inference variable ("?4") that
 * unification binds. Vectors are columns (n×1); scalars are 1×1.
 */

export type Dim = string;

export interface Shape {
  r: Dim;
  c: Dim;
}

export const SCALAR: Shape = { r: '1', c: '1' };

export function isVar(d: Dim): boolean {
  return d.startsWith('?');
}

/** Multiply dimensions, keeping a canonical order: number first, then sorted factors. */
export function mulDim(a: Dim, b: Dim): Dim {
  let num = 1;
  const fac: string[] = [];
  for (const part of [...a.split('*'), ...b.split('*')]) {
    if (/^\d+$/.test(part)) num *= Number(part);
    else fac.push(part);
  }
  fac.sort();
  if (fac.length === 0) return String(num);
  return num === 1 ? fac.join('*') : `${num}*${fac.join('*')}`;
}

export function showDim(d: Dim): string {
  return d.replaceAll('*', '·').replace(/\?\d+/g, '?');
}

export function showShape(s: Shape): string {
  if (s.r === '1' && s.c === '1') return 'scalar';
  if (s.c === '1') return `${showDim(s.r)}-vector (${showDim(s.r)}×1)`;
  return `${showDim(s.r)}×${showDim(s.c)}`;
}

/** Union-find over dimension variables. */
export class Dims {
  private parent = new Map<string, Dim>();
  private counter = 0;

  fresh(): Dim {
    return `?${++this.counter}`;
  }

  freshShape(): Shape {
    return { r: this.fresh(), c: this.fresh() };
  }

  resolve(d: Dim): Dim {
    if (!d.includes('?')) return d;
    if (!d.includes('*')) {
      const p = this.parent.get(d);
      if (p === undefined) return d;
      const r = this.resolve(p);
      this.parent.set(d, r);
      return r;
    }
    return d.split('*').map((x) => this.resolve(x)).reduce(mulDim);
  }

  resolveShape(s: Shape): Shape {
    return { r: this.resolve(s.r), c: this.resolve(s.c) };
  }

  /** Bind so that a = b; returns false when they cannot be equal. */
  unify(a: Dim, b: Dim): boolean {
    a = this.resolve(a);
    b = this.resolve(b);
    if (a === b) return true;
    if (isVar(a) && !a.includes('*')) {
      this.parent.set(a, b);
      return true;
    }
    if (isVar(b) && !b.includes('*')) {
      this.parent.set(b, a);
      return true;
    }
    // products containing variables are accepted here and compared once resolved
    if (a.includes('?') || b.includes('?')) return true;
    return false;
  }

  isScalar(s: Shape): boolean {
    return this.resolve(s.r) === '1' && this.resolve(s.c) === '1';
  }

  isKnown(s: Shape): boolean {
    const r = this.resolveShape(s);
    return !r.r.includes('?') && !r.c.includes('?');
  }
}

/** Evaluate a (resolved) dimension with concrete sizes for its letters. */
export function dimSize(d: Dim, sizes: Map<string, number>): number {
  let v = 1;
  for (const part of d.split('*')) {
    if (/^\d+$/.test(part)) v *= Number(part);
    else {
      const s = sizes.get(part);
      if (s === undefined) throw new Error(`no size for dimension ${part}`);
      v *= s;
    }
  }
  return v;
}
