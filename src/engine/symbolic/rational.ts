/** Exact rational coefficients. Numerators and denominators stay small in practice; an
 * overflow beyond safe integers aborts the proof (the numeric check still stands). */

export interface Q {
  p: number;
  q: number;
}

export class Overflow extends Error {}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a || 1;
}

export function q(p: number, d = 1): Q {
  if (d === 0) throw new Overflow('division by zero');
  if (!Number.isSafeInteger(p) || !Number.isSafeInteger(d)) throw new Overflow('coefficient too large');
  if (d < 0) {
    p = -p;
    d = -d;
  }
  const g = gcd(p, d);
  return { p: p / g, q: d / g };
}

export const ZERO: Q = { p: 0, q: 1 };
export const ONE: Q = { p: 1, q: 1 };

export const qadd = (a: Q, b: Q): Q => q(a.p * b.q + b.p * a.q, a.q * b.q);
export const qmul = (a: Q, b: Q): Q => q(a.p * b.p, a.q * b.q);
export const qneg = (a: Q): Q => ({ p: -a.p, q: a.q });
export const qinv = (a: Q): Q => q(a.q, a.p);
export const qeq = (a: Q, b: Q): boolean => a.p === b.p && a.q === b.q;
export const qzero = (a: Q): boolean => a.p === 0;
export const qstr = (a: Q): string => (a.q === 1 ? String(a.p) : `${a.p}/${a.q}`);
