/**
 * Strategies tried when two canonical forms differ: equivalent transformations of both sides
 * that clear inverses of sums (Woodbury, Sherman–Morrison, push-through identities). Each
 * multiplies both sides by something invertible (it appears inverted in the formula), so the
 * sides are equal after it exactly when they were equal before.
 */
import { add, constant, equal, expandWhole, mul, mulAll, neg, scalarAtom, scale, sum, whole, wordKey, wordPoly, type Budget, type Poly, type SAtom, type SymInfo } from './poly.ts';
import { ONE, q } from './rational.ts';

/** A scalar sum in a denominator: 1/(1 + vᵀA⁻¹u). */
function scalarDenominator(p: Poly): { atom: SAtom; k: number } | null {
  for (const t of p.terms)
    for (const f of t.s) if (f.atom.kind === 'poly' && f.e.p < 0 && f.e.q === 1) return { atom: f.atom, k: -f.e.p };
  return null;
}

function inverseAt(p: Poly, end: 'left' | 'right'): Poly | null {
  for (const t of p.terms) {
    const a = end === 'left' ? t.w[0] : t.w[t.w.length - 1];
    if (a?.kind === 'inv') return a.inner!;
  }
  return null;
}

/**
 * Rewrite with K K⁻¹ = I for a sum K = c m + Σ cᵢ mᵢ, oriented on its longest monomial m:
 * m K⁻¹ = (I − Σ cᵢ mᵢ K⁻¹)/c, and K⁻¹ m likewise. One pass over every term.
 */
function reduceByInverses(p: Poly, info: SymInfo, budget: Budget): Poly {
  const parts: Poly[] = [];
  let changed = false;
  for (const t of p.terms) {
    budget.tick();
    let done = false;
    for (let i = 0; i < t.w.length && !done; i++) {
      const a = t.w[i]!;
      if (a.kind !== 'inv' || a.inner!.terms.length < 2) continue;
      const K = a.inner!;
      const lead = [...K.terms].filter((x) => x.s.length === 0 && x.w.length > 0).sort((x, y) => y.w.length - x.w.length || (wordKey(y.w) < wordKey(x.w) ? -1 : 1))[0];
      if (!lead) continue;
      const m = lead.w;
      const others: Poly = { r: K.r, c: K.c, terms: K.terms.filter((x) => x !== lead) };
      const Ki = wordPoly([a], a.r, a.c);
      const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: t.s, w: [] }] };
      const seg = (w: typeof t.w): Poly[] => (w.length ? [wordPoly(w, w[0]!.r, w[w.length - 1]!.c)] : []);
      const inv = q(lead.c.q, lead.c.p);
      // … m K⁻¹ …
      if (i >= m.length && wordKey(t.w.slice(i - m.length, i)) === wordKey(m)) {
        const repl = scale(add(constant(ONE, K.r, K.c), neg(mul(others, Ki, info, budget))), inv);
        parts.push(mulAll([scalars, ...seg(t.w.slice(0, i - m.length)), repl, ...seg(t.w.slice(i + 1))], info, budget));
        done = true;
      } else if (wordKey(t.w.slice(i + 1, i + 1 + m.length)) === wordKey(m)) {
        const repl = scale(add(constant(ONE, K.r, K.c), neg(mul(Ki, others, info, budget))), inv);
        parts.push(mulAll([scalars, ...seg(t.w.slice(0, i)), repl, ...seg(t.w.slice(i + 1 + m.length))], info, budget));
        done = true;
      }
    }
    if (done) changed = true;
    else parts.push({ r: p.r, c: p.c, terms: [t] });
  }
  return changed ? sum(parts, p.r, p.c) : p;
}

export const MAX_CLEARING_ROUNDS = 6;

export function equalAfterClearing(lhs: Poly, rhs: Poly, info: SymInfo, budget: Budget): boolean {
  let L = lhs;
  let R = rhs;
  for (let round = 0; round < MAX_CLEARING_ROUNDS; round++) {
    if (equal(L, R)) return true;
    const L2 = reduceByInverses(L, info, budget);
    const R2 = reduceByInverses(R, info, budget);
    if (L2 !== L || R2 !== R) {
      L = L2;
      R = R2;
      if (equal(L, R)) return true;
    }
    const d = scalarDenominator(L) ?? scalarDenominator(R);
    if (d) {
      const m = scalarAtom(d.atom, q(d.k));
      L = mul(m, L, info, budget);
      R = mul(m, R, info, budget);
      continue;
    }
    // S (S)⁻¹ = I: multiply both sides by an S whose inverse stands at one end of a term
    const end = (['left', 'right'] as const).find((e) => inverseAt(L, e) ?? inverseAt(R, e));
    if (!end) return false;
    const W = whole((inverseAt(L, end) ?? inverseAt(R, end))!);
    const times = (p: Poly) => expandWhole(end === 'left' ? mul(W, p, info, budget) : mul(p, W, info, budget), info, budget);
    L = times(L);
    R = times(R);
  }
  return equal(L, R);
}
