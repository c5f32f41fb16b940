/**
 * Index notation in canonical forms. An entry is eᵢᵀ M eⱼ with basis vectors eᵢ; a sum over an
 * index contracts the two eᵢ it meets (Σᵢ eᵢ eᵢᵀ = I), so Σᵢⱼ AᵢⱼBᵢⱼ becomes tr(AᵀB).
 */
import { mulAll, normalize, power, scalarAtom, constant, trace, transposeWord, Unsupported, wordPoly, sum, type Budget, type MAtom, type Poly, type SymInfo, type Term, type Word } from './poly.ts';
import { q, ONE } from './rational.ts';

const isE = (a: MAtom, i: string) => a.kind === 'e' && a.name === i;

function countIn(w: Word, i: string): number {
  let n = 0;
  for (const a of w) {
    if (isE(a, i)) n++;
    else if (a.inner || a.parts) throw new Unsupported(`the index ${i} appears inside a function`);
  }
  return n;
}

/** Rotate (and transpose) a trace word so that eᵢ stands last as a column. */
function endWithColumn(w: Word, i: string, info: SymInfo): Word {
  let x = w;
  let k = x.findIndex((a) => isE(a, i));
  if (x[k]!.t) {
    x = transposeWord(x, info);
    k = x.findIndex((a) => isE(a, i));
  }
  return [...x.slice(k + 1), ...x.slice(0, k + 1)];
}

/** Rotate (and transpose) a trace word so that eᵢᵀ stands first as a row. */
function startWithRow(w: Word, i: string, info: SymInfo): Word {
  let x = w;
  let k = x.findIndex((a) => isE(a, i));
  if (!x[k]!.t) {
    x = transposeWord(x, info);
    k = x.findIndex((a) => isE(a, i));
  }
  return [...x.slice(k), ...x.slice(0, k)];
}

function seg(w: Word): Poly | null {
  return w.length ? wordPoly(w, w[0]!.r, w[w.length - 1]!.c) : null;
}

/** Σᵢ over one term. */
function contractTerm(t0: Term, whole: Poly, i: string, dim: string, info: SymInfo, budget: Budget): Poly {
  budget.tick();
  // a squared entry holds the index twice: (eᵢᵀXeⱼ)² = (eᵢᵀXeⱼ)(eᵢᵀXeⱼ)
  const t: Term = {
    ...t0,
    s: t0.s.flatMap((f) => (f.atom.word && f.e.q === 1 && f.e.p > 1 && f.e.p <= 4 && f.atom.word.some((a) => isE(a, i)) ? Array.from({ length: f.e.p }, () => ({ atom: f.atom, e: ONE })) : [f])),
  };
  const inWord = countIn(t.w, i);
  const inScalars = t.s.map((f) => (f.atom.word ? countIn(f.atom.word, i) : f.atom.arg ? (JSON.stringify(f.atom.key).includes(`e${i}`) ? 99 : 0) : 0));
  const total = inWord + inScalars.reduce((a, b) => a + b, 0);
  const scalars = (skip: number[], extra: Poly[] = []): Poly[] => [
    { r: '1', c: '1', terms: [{ c: t.c, s: t.s.filter((_, k) => !skip.includes(k)), w: [] }] },
    ...extra,
  ];
  if (total === 0) {
    // Σᵢ of something free of i: n times it
    const n = /^\d+$/.test(dim) ? constant(q(Number(dim))) : scalarAtom({ kind: 'dim', key: `dim:${dim}`, name: dim });
    return mulAll([n, { r: whole.r, c: whole.c, terms: [t] }], info, budget);
  }
  if (total === 1 && inScalars.every((c, k) => c === 0 || (c === 1 && t.s[k]!.atom.kind === 'tr' && t.s[k]!.e.p === 1 && t.s[k]!.e.q === 1))) {
    // Σᵢ eᵢ = 𝟏: the term is linear in its only eᵢ (Σᵢ xᵢ = 𝟏ᵀx)
    const toOnes = (w: Word): Word => w.map((a) => (isE(a, i) ? { kind: 'ones', name: '1', t: a.t, inv: false, r: a.r, c: a.c } : a));
    const factors: Poly[] = [{ r: '1', c: '1', terms: [{ c: t.c, s: t.s.filter((_, k) => !inScalars[k]), w: [] }] }];
    t.s.forEach((f, k) => {
      if (inScalars[k]) factors.push(trace(wordPoly(toOnes(f.atom.word!), '1', '1'), info, budget));
    });
    factors.push(seg(toOnes(t.w)) ?? constant(ONE, whole.r, whole.c));
    return mulAll(factors, info, budget);
  }
  if (total !== 2) throw new Unsupported(`the index ${i} appears ${total} times in a term`);
  const holders = inScalars.flatMap((c, k) => (c ? [k] : []));
  for (const k of holders) if (t.s[k]!.e.p !== 1 || t.s[k]!.e.q !== 1) throw new Unsupported(`the index ${i} is inside a power`);
  // both in one trace factor: make them adjacent as eᵢeᵢᵀ and drop them
  if (holders.length === 1 && inScalars[holders[0]!] === 2) {
    const k = holders[0]!;
    const w = endWithColumn(t.s[k]!.atom.word!, i, info);
    if (!w[0] || !isE(w[0], i) || !w[0].t) throw new Unsupported('cannot contract this index');
    const inner = w.slice(1, -1);
    const tr: Poly = inner.length ? trace(wordPoly(inner, inner[0]!.r, inner[inner.length - 1]!.c), info, budget) : /^\d+$/.test(dim) ? constant(q(Number(dim))) : scalarAtom({ kind: 'dim', key: `dim:${dim}`, name: dim });
    const word = seg(t.w) ?? constant(ONE, whole.r, whole.c);
    return mulAll([...scalars([k]), tr, word], info, budget);
  }
  // in two trace factors: (P eᵢ)(eᵢᵀ Q) = P Q
  if (holders.length === 2) {
    const [a, b] = holders as [number, number];
    const P = endWithColumn(t.s[a]!.atom.word!, i, info).slice(0, -1);
    const Q = startWithRow(t.s[b]!.atom.word!, i, info).slice(1);
    const joined = [...P, ...Q];
    const tr: Poly = joined.length ? trace(wordPoly(joined, '1', '1'), info, budget) : constant(ONE);
    const word = seg(t.w) ?? constant(ONE, whole.r, whole.c);
    return mulAll([...scalars([a, b]), tr, word], info, budget);
  }
  // one in the word, one in a trace factor
  if (holders.length === 1 && inWord === 1) {
    const k = holders[0]!;
    const p = t.w.findIndex((x) => isE(x, i));
    const L = t.w.slice(0, p);
    const R = t.w.slice(p + 1);
    const mid = t.w[p]!.t ? endWithColumn(t.s[k]!.atom.word!, i, info).slice(0, -1) : startWithRow(t.s[k]!.atom.word!, i, info).slice(1);
    const word = seg([...L, ...mid, ...R]) ?? constant(ONE, whole.r, whole.c);
    return mulAll([...scalars([k]), word], info, budget);
  }
  // both in the word: adjacent eᵢeᵢᵀ = I after summing
  if (inWord === 2) {
    const p = t.w.findIndex((x) => isE(x, i));
    const a = t.w[p]!;
    const b = t.w[p + 1];
    if (!a.t && b && isE(b, i) && b.t) {
      const word = seg([...t.w.slice(0, p), ...t.w.slice(p + 2)]) ?? constant(ONE, whole.r, whole.c);
      return mulAll([...scalars([]), word], info, budget);
    }
  }
  throw new Unsupported('cannot contract this index');
}

/** Σ over the index i (ranging over `dim`) of a canonical form. */
export function contract(p: Poly, i: string, dim: string, info: SymInfo, budget: Budget): Poly {
  return normalize(sum(p.terms.map((t) => contractTerm(t, p, i, dim, info, budget)), p.r, p.c));
}


const numeric = (d: string) => /^\d+$/.test(d);

/**
 * Write every symbol of literal size by its entries, X = Σᵢⱼ (eᵢᵀXeⱼ) eᵢeⱼᵀ, so that a symbol
 * meets a literal matrix of its entries (x = [x₁; x₂]). Used when the plain forms differ.
 */
export function expandNumeric(p: Poly, info: SymInfo, budget: Budget): Poly {
  const expandAtom = (a: MAtom): Poly => {
    const plain = (a.kind === 'sym' || a.kind === 'd') && !a.inv && numeric(a.r) && numeric(a.c) && Number(a.r) * Number(a.c) <= 64;
    if (!plain) return wordPoly([a], a.r, a.c);
    const parts: Poly[] = [];
    for (let i = 1; i <= Number(a.r); i++)
      for (let j = 1; j <= Number(a.c); j++) {
        const left: Word = a.r === '1' ? [] : [{ kind: 'e', name: String(i), t: true, inv: false, r: '1', c: a.r }];
        const right: Word = a.c === '1' ? [] : [{ kind: 'e', name: String(j), t: false, inv: false, r: a.c, c: '1' }];
        const entry = trace(wordPoly([...left, a, ...right], '1', '1'), info, budget);
        const place: Word = [...(a.r === '1' ? [] : [{ kind: 'e', name: String(i), t: false, inv: false, r: a.r, c: '1' } as MAtom]), ...(a.c === '1' ? [] : [{ kind: 'e', name: String(j), t: true, inv: false, r: '1', c: a.c } as MAtom])];
        parts.push(mulAll([entry, place.length ? wordPoly(place, a.r, a.c) : constant(ONE)], info, budget));
      }
    return sum(parts, a.r, a.c);
  };
  const expandWord = (w: Word, r: string, c: string): Poly => (w.length ? mulAll(w.map(expandAtom), info, budget) : constant(ONE, r, c));
  const out: Poly[] = [];
  for (const t of p.terms) {
    budget.tick();
    const factors: Poly[] = [constant(t.c)];
    for (const f of t.s) {
      const base = f.atom.kind === 'tr' && f.atom.word ? trace(expandWord(f.atom.word, f.atom.word[0]!.r, f.atom.word[f.atom.word.length - 1]!.c), info, budget) : scalarAtom(f.atom);
      factors.push(power(base, f.e, info, budget));
    }
    factors.push(expandWord(t.w, p.r, p.c));
    out.push(mulAll(factors, info, budget));
  }
  return sum(out, p.r, p.c);
}
