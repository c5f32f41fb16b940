/**
 * Rewrite rules on words, as data: each is small and pure, and `simplifyTerm` applies them
 * until none fires (a fixpoint strategy under the step budget, in the manner of SymPy's
 * `sympy.strategies`). Every rule shortens the word, so the strategy terminates.
 */
import { mulFactors, polyKey, traceAtom, wordKey, type Budget, type MAtom, type Poly, type SymInfo, type Term, type Word } from './poly.ts';

export interface WordRule {
  name: string;
  /** The rewritten word, or null when the rule does not apply. */
  apply(w: Word, info: SymInfo): Word | null;
}

const isSym = (a: MAtom | undefined): a is MAtom => !!a && a.kind === 'sym';

/** Signals that a rule made the whole term zero (eᵢᵀeⱼ = 0 for i ≠ j). */
export const ZERO_WORD: Word = [];

export const WORD_RULES: WordRule[] = [
  {
    name: 'eᵢᵀ eⱼ = δᵢⱼ',
    apply(w) {
      for (let i = 0; i + 1 < w.length; i++) {
        const a = w[i]!;
        const b = w[i + 1]!;
        if (a.kind === 'e' && b.kind === 'e' && a.t && !b.t) {
          if (a.name === b.name) return [...w.slice(0, i), ...w.slice(i + 2)];
          if (/^\d+$/.test(a.name) && /^\d+$/.test(b.name)) return ZERO_WORD;
        }
      }
      return null;
    },
  },
  {
    name: 'X X⁻¹ = I',
    apply(w) {
      for (let i = 0; i + 1 < w.length; i++) {
        const a = w[i]!;
        const b = w[i + 1]!;
        if (isSym(a) && isSym(b) && a.name === b.name && a.t === b.t && a.inv !== b.inv) return [...w.slice(0, i), ...w.slice(i + 2)];
      }
      return null;
    },
  },
  {
    name: 'QᵀQ = QQᵀ = I for orthogonal Q',
    apply(w, info) {
      for (let i = 0; i + 1 < w.length; i++) {
        const a = w[i]!;
        const b = w[i + 1]!;
        if (isSym(a) && isSym(b) && a.name === b.name && a.t !== b.t && !a.inv && !b.inv && info.props(a.name).has('orthogonal')) return [...w.slice(0, i), ...w.slice(i + 2)];
      }
      return null;
    },
  },
  {
    name: 'S (S)⁻¹ = (S)⁻¹ S = I',
    apply(w) {
      for (let i = 0; i + 1 < w.length; i++) {
        const a = w[i]!;
        const b = w[i + 1]!;
        if (((a.kind === 'fwd' && b.kind === 'inv') || (a.kind === 'inv' && b.kind === 'fwd')) && polyKey(a.inner!) === polyKey(b.inner!)) return [...w.slice(0, i), ...w.slice(i + 2)];
      }
      return null;
    },
  },
  {
    name: 'W (W)⁻¹ = I',
    apply(w) {
      for (let i = 0; i < w.length; i++) {
        const a = w[i]!;
        if (a.kind !== 'inv') continue;
        const inner = a.inner!;
        if (inner.terms.length !== 1 || inner.terms[0]!.s.length || inner.terms[0]!.c.p !== 1 || inner.terms[0]!.c.q !== 1) continue;
        const iw = inner.terms[0]!.w;
        const k = wordKey(iw);
        if (i >= iw.length && wordKey(w.slice(i - iw.length, i)) === k) return [...w.slice(0, i - iw.length), ...w.slice(i + 1)];
        if (i + 1 + iw.length <= w.length && wordKey(w.slice(i + 1, i + 1 + iw.length)) === k) return [...w.slice(0, i), ...w.slice(i + 1 + iw.length)];
      }
      return null;
    },
  },
];

/** A 1×1 stretch of a word is a scalar: it leaves the word as a trace (xᵀAy = tr(xᵀAy)). */
function extractScalar(t: Term, whole: { r: string; c: string }, info: SymInfo): Term | null {
  const w = t.w;
  if (w.length === 0) return null;
  if (whole.r === '1' && whole.c === '1') {
    return { c: t.c, s: mulFactors(t.s, [{ atom: traceAtom(w, info), e: { p: 1, q: 1 } }]), w: [] };
  }
  for (let i = 0; i < w.length; i++) {
    if (w[i]!.r !== '1') continue;
    for (let j = i; j < w.length; j++) {
      if (w[j]!.c !== '1') continue;
      if (i === 0 && j === w.length - 1) return null;
      const sub = w.slice(i, j + 1);
      return { c: t.c, s: mulFactors(t.s, [{ atom: traceAtom(sub, info), e: { p: 1, q: 1 } }]), w: [...w.slice(0, i), ...w.slice(j + 1)] };
    }
  }
  return null;
}

export function simplifyTerm(t: Term, whole: Poly, info: SymInfo, budget: Budget): Term[] {
  let cur = t;
  for (;;) {
    budget.tick();
    let changed = false;
    for (const rule of WORD_RULES) {
      const w = rule.apply(cur.w, info);
      if (w === ZERO_WORD) return [];
      if (w) {
        cur = { ...cur, w };
        changed = true;
        break;
      }
    }
    if (changed) continue;
    const ex = extractScalar(cur, whole, info);
    if (ex) {
      cur = ex;
      continue;
    }
    return [cur];
  }
}
