/**
 * Canonical forms. An expression is a sum of terms; a term is an exact rational coefficient,
 * a sorted product of commuting scalar factors (traces, determinants, logarithms, scalar
 * symbols, each with a rational exponent) and a non-commuting word of matrix factors.
 *
 * Every constructor normalises, using the small rewrite rules of `simplify.ts`; two
 * expressions are equal when their canonical sums have the same terms.
 */
import type { Node } from '../ast.ts';
import type { Prop } from '../scope.ts';
import { mulDim, type Dim } from '../shape.ts';
import { ONE, q, qadd, qeq, qmul, qneg, qstr, qzero, type Q } from './rational.ts';

/** A matrix factor of a word. */
export interface MAtom {
  kind: 'sym' | 'd' | 'inv' | 'fwd' | 'op' | 'had' | 'ew' | 'diag' | 'ones' | 'kron' | 'e' | 'vec' | 'mexp';
  /** sym, d: the symbol; op: a canonical key of the opaque expression. */
  name: string;
  t: boolean;
  inv: boolean;
  r: Dim;
  c: Dim;
  /** inv: the expression inverted; ew: the argument of the entrywise function; diag: the vector. */
  inner?: Poly;
  /** had: the factors of a Hadamard product (sorted); kron: the two factors, in order. */
  parts?: Poly[];
  /** ew: the scalar function applied entrywise. */
  fn?: string;
  /** op: the expression, for printing, and the symbols it depends on. */
  node?: Node;
  deps?: Set<string>;
}

export type Word = MAtom[];

/** A commuting scalar factor. */
export interface SAtom {
  kind: 'sym' | 'd' | 'tr' | 'det' | 'ln' | 'fn' | 'poly' | 'dim' | 'const' | 'op';
  key: string;
  name?: string;
  word?: Word;
  fn?: string;
  arg?: Poly;
  node?: Node;
  deps?: Set<string>;
}

export interface SFactor {
  atom: SAtom;
  e: Q;
}

export interface Term {
  c: Q;
  s: SFactor[];
  w: Word;
}

export interface Poly {
  r: Dim;
  c: Dim;
  terms: Term[];
}

/** What the canonicaliser knows about symbols. */
export interface SymInfo {
  props(name: string): Set<Prop>;
}

export class Unsupported extends Error {}

export const STEP_BUDGET = 20_000;

export class Budget {
  steps = 0;
  tick(n = 1): void {
    this.steps += n;
    if (this.steps > STEP_BUDGET) throw new Unsupported('the rewrite step budget is exhausted');
  }
}

// ---------- keys ----------

export function atomKey(a: MAtom): string {
  switch (a.kind) {
    case 'sym':
      return `${a.name}${a.inv ? '⁻¹' : ''}${a.t ? 'ᵀ' : ''}`;
    case 'd':
      return `d${a.name}${a.t ? 'ᵀ' : ''}`;
    case 'inv':
      return `inv[${polyKey(a.inner!)}]`;
    case 'fwd':
      return `fwd[${polyKey(a.inner!)}]`;
    case 'vec':
      return `vec[${polyKey(a.inner!)}]${a.t ? 'ᵀ' : ''}`;
    case 'mexp':
      return `mexp[${polyKey(a.inner!)}]`;
    case 'op':
      return `op[${a.name}]${a.t ? 'ᵀ' : ''}`;
    case 'had':
      return `had{${a.parts!.map(polyKey).join(' ; ')}}`;
    case 'kron':
      return `kron{${a.parts!.map(polyKey).join(' ; ')}}`;
    case 'ew':
      return `${a.fn}∘[${polyKey(a.inner!)}]`;
    case 'diag':
      return `diag[${polyKey(a.inner!)}]`;
    case 'ones':
      return `1_${a.t ? `${a.c}ᵀ` : a.r}`;
    case 'e':
      return `e${a.name}${a.t ? 'ᵀ' : ''}`;
  }
}

/** The standard basis vector e_i (i an index name or a number) of length r: entries are eᵢᵀ M eⱼ. */
export function basis(index: string, r: Dim): MAtom {
  return { kind: 'e', name: index, t: false, inv: false, r, c: '1' };
}

export function wordKey(w: Word): string {
  return w.map(atomKey).join(' ');
}

export function factorsKey(s: SFactor[]): string {
  return s.map((f) => (qeq(f.e, ONE) ? f.atom.key : `${f.atom.key}^${qstr(f.e)}`)).join('·');
}

export function termKey(t: Term): string {
  return `${factorsKey(t.s)}|${wordKey(t.w)}`;
}

export function polyKey(p: Poly): string {
  return p.terms.map((t) => `${qstr(t.c)}*${termKey(t)}`).join(' + ') || '0';
}

// ---------- construction ----------

export function zero(r: Dim, c: Dim): Poly {
  return { r, c, terms: [] };
}

export function constant(v: Q, r: Dim = '1', c: Dim = '1'): Poly {
  // a constant matrix is v·I (square only)
  return normalize({ r, c, terms: [{ c: v, s: [], w: [] }] });
}

export function scalarAtom(atom: SAtom, e: Q = ONE): Poly {
  return normalize({ r: '1', c: '1', terms: [{ c: ONE, s: [{ atom, e }], w: [] }] });
}

export function wordPoly(w: Word, r: Dim, c: Dim, coef: Q = ONE): Poly {
  return { r, c, terms: [{ c: coef, s: [], w }] };
}

export function isScalarShape(p: { r: Dim; c: Dim }): boolean {
  return p.r === '1' && p.c === '1';
}

// ---------- arithmetic ----------

export function add(a: Poly, b: Poly): Poly {
  return normalize({ r: a.r, c: a.c, terms: [...a.terms, ...b.terms] });
}

export function sum(ps: Poly[], r: Dim, c: Dim): Poly {
  return normalize({ r, c, terms: ps.flatMap((p) => p.terms) });
}

export function scale(a: Poly, k: Q): Poly {
  if (qzero(k)) return zero(a.r, a.c);
  return { r: a.r, c: a.c, terms: a.terms.map((t) => ({ ...t, c: qmul(t.c, k) })) };
}

export function neg(a: Poly): Poly {
  return scale(a, qneg(ONE));
}

export function mulFactors(a: SFactor[], b: SFactor[]): SFactor[] {
  const m = new Map<string, SFactor>();
  for (const f of [...a, ...b]) {
    const prev = m.get(f.atom.key);
    if (prev) m.set(f.atom.key, { atom: prev.atom, e: qadd(prev.e, f.e) });
    else m.set(f.atom.key, f);
  }
  return [...m.values()].filter((f) => !qzero(f.e)).sort((x, y) => (x.atom.key < y.atom.key ? -1 : x.atom.key > y.atom.key ? 1 : 0));
}

/** Matrix product (a scalar scales). */
export function mul(a: Poly, b: Poly, info: SymInfo, budget: Budget): Poly {
  const aS = isScalarShape(a);
  const bS = isScalarShape(b);
  const r = aS ? b.r : a.r;
  const c = bS ? a.c : b.c;
  const terms: Term[] = [];
  budget.tick(a.terms.length * b.terms.length);
  for (const x of a.terms) for (const y of b.terms) terms.push({ c: qmul(x.c, y.c), s: mulFactors(x.s, y.s), w: [...x.w, ...y.w] });
  return simplifyPoly({ r, c, terms }, info, budget);
}

export function mulAll(ps: Poly[], info: SymInfo, budget: Budget): Poly {
  let acc = ps[0]!;
  for (let i = 1; i < ps.length; i++) acc = mul(acc, ps[i]!, info, budget);
  return acc;
}

/** Combine like terms, drop zeros, sort. */
export function normalize(p: Poly): Poly {
  const m = new Map<string, Term>();
  for (const t of p.terms) {
    if (qzero(t.c)) continue;
    const k = termKey(t);
    const prev = m.get(k);
    if (prev) m.set(k, { ...prev, c: qadd(prev.c, t.c) });
    else m.set(k, t);
  }
  const terms = [...m.entries()]
    .filter(([, t]) => !qzero(t.c))
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .map(([, t]) => t);
  return { r: p.r, c: p.c, terms };
}

export function isZero(p: Poly): boolean {
  return p.terms.length === 0;
}

export function equal(a: Poly, b: Poly): boolean {
  return polyKey(a) === polyKey(b);
}

// ---------- transpose, inverse ----------

export function transposeAtom(a: MAtom, info: SymInfo): MAtom {
  switch (a.kind) {
    case 'sym':
    case 'd': {
      const props = info.props(a.name);
      const sym = props.has('symmetric') || props.has('spd') || props.has('diagonal');
      return { ...a, t: sym ? false : !a.t, r: a.c, c: a.r };
    }
    case 'op':
    case 'ones':
    case 'e':
    case 'vec':
      return { ...a, t: !a.t, r: a.c, c: a.r };
    case 'inv':
    case 'fwd':
    case 'ew':
    case 'mexp':
      return { ...a, inner: transpose(a.inner!, info), r: a.c, c: a.r };
    case 'diag':
      return a;
    case 'had': {
      const parts = a.parts!.map((p) => transpose(p, info)).sort(byKey);
      return { ...a, parts, r: a.c, c: a.r };
    }
    case 'kron':
      return { ...a, parts: a.parts!.map((p) => transpose(p, info)), r: a.c, c: a.r };
  }
}

const byKey = (x: Poly, y: Poly) => {
  const a = polyKey(x);
  const b = polyKey(y);
  return a < b ? -1 : a > b ? 1 : 0;
};

/** The all-ones vector (or matrix) of a shape. */
export function ones(r: Dim, c: Dim): Poly {
  if (r === '1' && c === '1') return constant(ONE);
  const t = r === '1';
  return wordPoly([{ kind: 'ones', name: '1', t, inv: false, r, c }], r, c);
}

const isOnes = (p: Poly) => p.terms.length === 1 && qeq(p.terms[0]!.c, ONE) && p.terms[0]!.s.length === 0 && p.terms[0]!.w.length === 1 && p.terms[0]!.w[0]!.kind === 'ones';

/** The Hadamard product: bilinear, commutative, with the all-ones matrix as its unit. */
export function hadamard(a: Poly, b: Poly, info: SymInfo, budget: Budget): Poly {
  if (isScalarShape(a) && isScalarShape(b)) return mul(a, b, info, budget);
  const terms: Term[] = [];
  for (const x of a.terms)
    for (const y of b.terms) {
      budget.tick();
      const factors: Poly[] = [];
      for (const w of [x.w, y.w]) {
        if (w.length === 0) throw new Unsupported('a Hadamard product with the identity');
        if (w.length === 1 && w[0]!.kind === 'had') factors.push(...w[0]!.parts!);
        else factors.push(wordPoly(w, a.r, a.c));
      }
      const kept = factors.filter((f) => !isOnes(f)).sort(byKey);
      // sech² = 1 − tanh²: written with tanh only, so both spellings meet
      const pair = sechPair(kept);
      if (pair) {
        const th = entrywise('tanh', pair.u);
        let acc = add(ones(a.r, a.c), neg(hadamard(th, th, info, budget)));
        for (const other of pair.rest) acc = hadamard(acc, other, info, budget);
        const scalars: Poly = { r: '1', c: '1', terms: [{ c: qmul(x.c, y.c), s: mulFactors(x.s, y.s), w: [] }] };
        terms.push(...mulAll([scalars, acc], info, budget).terms);
        continue;
      }
      let word: Word;
      if (kept.length === 0) word = ones(a.r, a.c).terms[0]!.w;
      else if (kept.length === 1) word = kept[0]!.terms[0]!.w;
      else word = [{ kind: 'had', name: '', t: false, inv: false, r: a.r, c: a.c, parts: kept }];
      terms.push({ c: qmul(x.c, y.c), s: mulFactors(x.s, y.s), w: word });
    }
  return simplifyPoly({ r: a.r, c: a.c, terms }, info, budget);
}

/** Two equal sech(u) factors of a Hadamard product, and the other factors. */
function sechPair(parts: Poly[]): { u: Poly; rest: Poly[] } | null {
  const isSech = (f: Poly) => f.terms.length === 1 && qeq(f.terms[0]!.c, ONE) && f.terms[0]!.s.length === 0 && f.terms[0]!.w.length === 1 && f.terms[0]!.w[0]!.kind === 'ew' && f.terms[0]!.w[0]!.fn === 'sech';
  for (let i = 0; i < parts.length; i++) {
    if (!isSech(parts[i]!)) continue;
    for (let j = i + 1; j < parts.length; j++) {
      if (polyKey(parts[j]!) === polyKey(parts[i]!)) return { u: parts[i]!.terms[0]!.w[0]!.inner!, rest: parts.filter((_, k) => k !== i && k !== j) };
    }
  }
  return null;
}

/** A scalar function applied entrywise to a vector or matrix. */
export function entrywise(fn: string, p: Poly): Poly {
  if (isScalarShape(p)) return scalarFn(fn, p);
  const rewritten = functionIdentity(fn, p);
  if (rewritten) return rewritten;
  return wordPoly([{ kind: 'ew', name: fn, fn, t: false, inv: false, r: p.r, c: p.c, inner: p }], p.r, p.c);
}

/** diag(v): the diagonal matrix of a vector. */
export function diagOf(v: Poly): Poly {
  // linear: diag(a + b) = diag a + diag b, diag(c a) = c diag a, diag(1) = I
  const terms: Term[] = v.terms.map((t) => {
    const unit: Poly = { r: v.r, c: v.c, terms: [{ c: ONE, s: [], w: t.w }] };
    const w: Word = isOnes(unit) ? [] : [{ kind: 'diag', name: 'diag', t: false, inv: false, r: v.r, c: v.r, inner: unit }];
    return { c: t.c, s: t.s, w };
  });
  return normalize({ r: v.r, c: v.r, terms });
}

/** e^M of a square matrix (its power series); e^0 = I. */
export function mexp(m: Poly): Poly {
  if (m.terms.length === 0) return constant(ONE, m.r, m.c);
  return wordPoly([{ kind: 'mexp', name: 'exp', t: false, inv: false, r: m.r, c: m.c, inner: m }], m.r, m.c);
}

/** If every term of P is a scalar multiple of one word W: that word and the scalar coefficients. */
export function multipleOfOneWord(p: Poly): { w: Word; coef: Poly } | null {
  if (p.terms.length === 0) return null;
  const k = wordKey(p.terms[0]!.w);
  if (!p.terms.every((t) => wordKey(t.w) === k) || p.terms[0]!.w.length === 0) return null;
  return { w: p.terms[0]!.w, coef: normalize({ r: '1', c: '1', terms: p.terms.map((t) => ({ c: t.c, s: t.s, w: [] })) }) };
}

/** vec(M): the columns of M stacked; linear, and vec(x) = x for a column. */
export function vec(m: Poly): Poly {
  if (m.c === '1') return m;
  const r = mulDim(m.r, m.c);
  const terms: Term[] = m.terms.map((t) => {
    const unit: Poly = { r: m.r, c: m.c, terms: [{ c: ONE, s: [], w: t.w }] };
    return { c: t.c, s: t.s, w: [{ kind: 'vec', name: 'vec', t: false, inv: false, r, c: '1', inner: unit }] };
  });
  return normalize({ r, c: '1', terms });
}

/** The Kronecker product: bilinear, with (A⊗B)ᵀ = Aᵀ⊗Bᵀ and the mixed-product rule in `simplifyPoly`. */
export function kron(a: Poly, b: Poly, info: SymInfo, budget: Budget): Poly {
  if (isScalarShape(a) || isScalarShape(b)) return mul(a, b, info, budget);
  const r = mulDim(a.r, b.r);
  const c = mulDim(a.c, b.c);
  const terms: Term[] = [];
  for (const x of a.terms)
    for (const y of b.terms) {
      budget.tick();
      terms.push({
        c: qmul(x.c, y.c),
        s: mulFactors(x.s, y.s),
        w: [{ kind: 'kron', name: '', t: false, inv: false, r, c, parts: [{ r: a.r, c: a.c, terms: [{ c: ONE, s: [], w: x.w }] }, { r: b.r, c: b.c, terms: [{ c: ONE, s: [], w: y.w }] }] }],
      });
    }
  return simplifyPoly({ r, c, terms }, info, budget);
}

export function transposeWord(w: Word, info: SymInfo): Word {
  return w.map((a) => transposeAtom(a, info)).reverse();
}

export function transpose(p: Poly, info: SymInfo): Poly {
  if (isScalarShape(p)) return p;
  return normalize({ r: p.c, c: p.r, terms: p.terms.map((t) => ({ ...t, w: transposeWord(t.w, info) })) });
}

function invertAtom(a: MAtom, info: SymInfo): MAtom | null {
  if (a.r !== a.c) return null;
  if (a.kind === 'sym') {
    const props = info.props(a.name);
    if (props.has('orthogonal')) return { ...a, t: !a.t };
    return { ...a, inv: !a.inv };
  }
  // diag(v)⁻¹ = diag(1/v), entrywise
  if (a.kind === 'diag') return { ...a, inner: entrywise('recip', a.inner!) };
  return null;
}

export function inverse(p: Poly, info: SymInfo, budget: Budget): Poly {
  if (isScalarShape(p)) {
    if (p.terms.length === 1 && p.terms[0]!.w.length === 0) {
      const t = p.terms[0]!;
      if (qzero(t.c)) throw new Unsupported('inverse of zero');
      return normalize({ r: '1', c: '1', terms: [{ c: q(t.c.q, t.c.p), s: t.s.map((f) => ({ atom: f.atom, e: qneg(f.e) })), w: [] }] });
    }
    return scalarAtom(polyAtom(p), qneg(ONE));
  }
  if (p.terms.length === 1) {
    const t = p.terms[0]!;
    // (c s W)⁻¹ = c⁻¹ s⁻¹ W⁻¹ with W⁻¹ reversed when every factor is square
    if (t.w.length === 0) return normalize({ r: p.r, c: p.c, terms: [{ c: q(t.c.q, t.c.p), s: t.s.map((f) => ({ atom: f.atom, e: qneg(f.e) })), w: [] }] });
    const inv: Word = [];
    let ok = true;
    for (const a of [...t.w].reverse()) {
      if (a.kind === 'kron') {
        // (A ⊗ B)⁻¹ = A⁻¹ ⊗ B⁻¹
        const k = kron(inverse(a.parts![0]!, info, budget), inverse(a.parts![1]!, info, budget), info, budget);
        if (k.terms.length !== 1) {
          ok = false;
          break;
        }
        inv.push(...k.terms[0]!.w);
        continue;
      }
      if (a.kind === 'inv') {
        inv.push(...wordOfInner(a));
        continue;
      }
      if (a.kind === 'mexp') {
        // (e^M)⁻¹ = e^{−M}
        inv.push(...mexp(neg(a.inner!)).terms[0]!.w);
        continue;
      }
      const ia = invertAtom(a, info);
      if (!ia) {
        ok = false;
        break;
      }
      inv.push(ia);
    }
    if (ok && inv.every((x) => x !== undefined)) {
      return simplifyPoly({ r: p.r, c: p.c, terms: [{ c: q(t.c.q, t.c.p), s: t.s.map((f) => ({ atom: f.atom, e: qneg(f.e) })), w: inv }] }, info, budget);
    }
  }
  return { r: p.r, c: p.c, terms: [{ c: ONE, s: [], w: [{ kind: 'inv', name: '', t: false, inv: false, r: p.r, c: p.c, inner: p }] }] };
}

function wordOfInner(a: MAtom): Word {
  const inner = a.inner!;
  if (inner.terms.length === 1 && inner.terms[0]!.s.length === 0 && qeq(inner.terms[0]!.c, ONE)) return inner.terms[0]!.w;
  throw new Unsupported('cannot splice an inverse');
}

// ---------- scalar atoms ----------

export function polyAtom(p: Poly): SAtom {
  return { kind: 'poly', key: `(${polyKey(p)})`, arg: p };
}

/** tr of a word: the least of its rotations and of its transpose's rotations (cyclicity, tr Mᵀ = tr M). */
export function traceAtom(w: Word, info: SymInfo): SAtom {
  const cands: Word[] = [];
  const tw = transposeWord(w, info);
  for (const base of [w, tw]) for (let i = 0; i < base.length; i++) cands.push([...base.slice(i), ...base.slice(0, i)]);
  let best = cands[0]!;
  let bestKey = wordKey(best);
  for (const c of cands) {
    const k = wordKey(c);
    if (k < bestKey) {
      best = c;
      bestKey = k;
    }
  }
  return { kind: 'tr', key: `tr(${bestKey})`, word: best };
}

/** The word rules applied around the cycle of a trace: tr(X⁻¹AX) = tr(A), tr(eᵢeᵢᵀ) = 1. */
function cyclicReduce(w: Word, info: SymInfo, budget: Budget): { w: Word; size: Dim } | null {
  let cur = w;
  let size: Dim = w[0]?.r ?? '1';
  for (let guard = 0; guard < 100 && cur.length; guard++) {
    let fired = false;
    for (let k = 0; k < cur.length && !fired; k++) {
      const rot = [...cur.slice(k), ...cur.slice(0, k)];
      for (const rule of WORD_RULES) {
        budget.tick();
        const r = rule.apply(rot, info);
        if (r === ZERO_WORD) return null;
        if (r) {
          cur = r;
          size = rot[0]!.r;
          fired = true;
          break;
        }
      }
    }
    if (!fired) break;
  }
  return { w: cur, size: cur.length ? cur[0]!.r : size };
}

const dimScalar = (d: Dim): Poly => (/^\d+$/.test(d) ? constant(q(Number(d))) : scalarAtom({ kind: 'dim', key: `dim:${d}`, name: d }));

export function trace(p: Poly, info: SymInfo, budget: Budget): Poly {
  if (isScalarShape(p)) return simplifyPoly(p, info, budget);
  const parts: Poly[] = [];
  for (const t of p.terms) {
    budget.tick();
    let sc: Poly;
    if (t.w.length === 1 && t.w[0]!.kind === 'kron' && t.w[0]!.parts!.every((x) => x.r === x.c)) {
      // tr(A ⊗ B) = tr A tr B
      const [A, B] = t.w[0]!.parts as [Poly, Poly];
      const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: t.s, w: [] }] };
      parts.push(mul(scalars, mul(trace(A, info, budget), trace(B, info, budget), info, budget), info, budget));
      continue;
    }
    const red = t.w.length ? cyclicReduce(t.w, info, budget) : { w: [], size: p.r };
    if (!red) continue;
    if (red.w.length === 0) {
      // tr(I_n) = n
      sc = dimScalar(red.size);
    } else if (red.w[0]!.r === '1' && red.w[red.w.length - 1]!.c === '1') {
      sc = simplifyPoly({ r: '1', c: '1', terms: [{ c: ONE, s: [], w: red.w }] }, info, budget);
    } else sc = scalarAtom(traceAtom(red.w, info));
    parts.push(normalize({ r: '1', c: '1', terms: sc.terms.map((x) => ({ c: qmul(x.c, t.c), s: mulFactors(x.s, t.s), w: [] })) }));
  }
  return sum(parts, '1', '1');
}

/** det of a single atom, with det(Xᵀ) = det X and det(X⁻¹) = (det X)⁻¹. */
function detOfAtom(a: MAtom, info: SymInfo): SFactor {
  if (a.kind === 'sym') {
    const props = info.props(a.name);
    const key = props.has('orthogonal') ? null : `det(${a.name})`;
    if (!key) throw new Unsupported('det of an orthogonal matrix is ±1');
    return { atom: { kind: 'det', key, word: [{ ...a, t: false, inv: false, r: a.r, c: a.r }] }, e: a.inv ? qneg(ONE) : ONE };
  }
  if (a.kind === 'inv') {
    const f = detOf(a.inner!, info);
    return { atom: f.atom, e: qneg(f.e) };
  }
  const w: Word = [a.t ? { ...a, t: false, r: a.c, c: a.r } : a];
  return { atom: { kind: 'det', key: `det(${wordKey(w)})`, word: w }, e: ONE };
}

function detOf(p: Poly, info: SymInfo): SFactor {
  if (p.terms.length === 1 && p.terms[0]!.s.length === 0 && qeq(p.terms[0]!.c, ONE) && p.terms[0]!.w.length === 1) return detOfAtom(p.terms[0]!.w[0]!, info);
  return { atom: { kind: 'det', key: `det(${polyKey(p)})`, arg: p }, e: ONE };
}

export function det(p: Poly, info: SymInfo, budget: Budget): Poly {
  if (isScalarShape(p)) return p;
  budget.tick();
  if (p.terms.length === 1) {
    const t = p.terms[0]!;
    if (t.w.length === 0) {
      // det(c I_n) = c^n: only for a literal n or c = 1
      if (qeq(t.c, ONE) && t.s.length === 0) return constant(ONE);
      if (/^\d+$/.test(p.r)) return normalize({ r: '1', c: '1', terms: [{ c: qpow(t.c, Number(p.r)), s: t.s.map((f) => ({ atom: f.atom, e: qmul(f.e, q(Number(p.r))) })), w: [] }] });
      throw new Unsupported('det of a scaled identity of symbolic size');
    }
    if (t.w.every((a) => a.r === a.c && a.kind !== 'e')) {
      // det(c s AB…) = (c s)ⁿ det A det B … (n literal, or c s = 1)
      const scaled = !(qeq(t.c, ONE) && t.s.length === 0);
      if (!scaled || /^\d+$/.test(p.r)) {
        const n = scaled ? Number(p.r) : 1;
        const factors = mulFactors(
          t.s.map((f) => ({ atom: f.atom, e: qmul(f.e, q(n)) })),
          t.w.flatMap((a) => detOfAtomFactors(a, info, budget)),
        );
        return normalize({ r: '1', c: '1', terms: [{ c: scaled ? qpow(t.c, n) : ONE, s: factors, w: [] }] });
      }
    }
  }
  const lemma = detLemma(p, info, budget);
  if (lemma) return lemma;
  const f = detOf(p, info);
  return normalize({ r: '1', c: '1', terms: [{ c: ONE, s: [f], w: [] }] });
}

/** det of one factor; det(A ⊗ B) = det(A)^q det(B)^p for B q×q, A p×p of literal sizes. */
function detOfAtomFactors(a: MAtom, info: SymInfo, budget: Budget): SFactor[] {
  if (a.kind === 'kron' && /^\d+$/.test(a.parts![0]!.r) && /^\d+$/.test(a.parts![1]!.r)) {
    const [A, B] = a.parts as [Poly, Poly];
    const dA = det(A, info, budget);
    const dB = det(B, info, budget);
    const pw = (d: Poly, k: number) => power(d, q(k), info, budget);
    const prod = mul(pw(dA, Number(B.r)), pw(dB, Number(A.r)), info, budget);
    if (prod.terms.length === 1 && qeq(prod.terms[0]!.c, ONE)) return prod.terms[0]!.s;
  }
  return [detOfAtom(a, info)];
}

/** The two terms of a two-term sum, in both orders (none for any other sum). */
function bothOrders(p: Poly): [Term, Term][] {
  if (p.terms.length !== 2) return [];
  const [a, b] = p.terms as [Term, Term];
  return [
    [a, b],
    [b, a],
  ];
}

/**
 * The matrix determinant lemma and Sylvester's identity: det(I + W) is unchanged by rotating
 * the product W (det(I + AB) = det(I + BA)), so a 1×1 rotation gives 1 + tr W; and
 * det(A + W) = det(A) det(I + A⁻¹W) for an invertible A.
 */
function detLemma(p: Poly, info: SymInfo, budget: Budget): Poly | null {
  for (const [base, rest] of bothOrders(p)) {
    if (!qeq(base.c, ONE) || base.s.length) continue;
    if (base.w.length === 0 && rest.w.length > 1) {
      // det(I + s W): rotate W to its smallest square form
      const w = rest.w;
      let best: Word | null = null;
      // det M = det Mᵀ: rotations of W and of Wᵀ
      for (const base2 of [w, transposeWord(w, info)]) {
        for (let k = 0; k < base2.length; k++) {
          const rot = [...base2.slice(k), ...base2.slice(0, k)];
          if (rot[0]!.r === '1') {
            best = rot;
            break;
          }
          if (!best || wordKey(rot) < wordKey(best)) best = rot;
        }
        if (best && best[0]!.r === '1') break;
      }
      if (!best || (best[0]!.r !== '1' && best[0]!.r === p.r && wordKey(best) === wordKey(w))) return null;
      const inner: Poly = { r: best[0]!.r, c: best[best.length - 1]!.c, terms: [{ c: ONE, s: [], w: [] }, { c: rest.c, s: rest.s, w: best }] };
      if (best[0]!.r === '1') return simplifyPoly({ r: '1', c: '1', terms: [{ c: ONE, s: [], w: [] }, { c: rest.c, s: rest.s, w: best }] }, info, budget);
      return { r: '1', c: '1', terms: [{ c: ONE, s: [detOf(simplifyPoly(inner, info, budget), info)], w: [] }] };
    }
    if (base.w.length === 1 && base.w[0]!.kind === 'sym' && base.w[0]!.r === base.w[0]!.c && rest.w.length > 0) {
      // det(A + W) = det(A) det(I + A⁻¹ W)
      const A: Poly = { r: p.r, c: p.c, terms: [base] };
      const Ai = inverse(A, info, budget);
      const inner = add(constant(ONE, p.r, p.c), mul(Ai, { r: p.r, c: p.c, terms: [rest] }, info, budget));
      if (inner.terms.length !== 2) return null;
      const dI = detLemma(inner, info, budget);
      if (!dI) return null;
      return mul(det(A, info, budget), dI, info, budget);
    }
  }
  return null;
}

function qpow(a: Q, k: number): Q {
  let out = ONE;
  for (let i = 0; i < Math.abs(k); i++) out = qmul(out, a);
  return k < 0 ? q(out.q, out.p) : out;
}

/**
 * ln of a scalar. Where ln u is defined it equals ln|u|, so the canonical form is written with
 * ln|·|; that lets a product split soundly: ln(a²b) = 2 ln|a| + ln|b| (not 2 ln a + ln b).
 */
export function ln(p: Poly): Poly {
  const rewritten = functionIdentity('ln', p);
  if (rewritten) return rewritten;
  const lnAbs = (arg: Poly, key: string): SAtom => ({ kind: 'ln', key: `ln|${key}|`, arg, fn: 'abs' });
  if (p.terms.length === 1 && p.terms[0]!.w.length === 0 && p.terms[0]!.c.p !== 0) {
    const t = p.terms[0]!;
    // ln(eᵘ) = u (the argument of exp is real)
    const parts: Poly[] = t.s.map((f) => scale(f.atom.kind === 'fn' && f.atom.fn === 'exp' ? f.atom.arg! : scalarAtom(lnAbs(scalarAtom(f.atom), f.atom.key)), f.e));
    const c = q(Math.abs(t.c.p), t.c.q);
    if (!qeq(c, ONE)) parts.push(scalarAtom({ kind: 'const', key: `ln(${qstr(c)})`, name: `\\ln ${qstr(c)}` }));
    return sum(parts, '1', '1');
  }
  return scalarAtom(lnAbs(p, polyKey(p)));
}

/** The exact positive k-th root of a positive rational (√(4/9) = 2/3), or null. */
function exactRoot(c: Q, k: number): Q | null {
  if (c.p <= 0) return null;
  const root = (n: number) => {
    const r = Math.round(n ** (1 / k));
    return r ** k === n ? r : null;
  };
  const p = root(c.p);
  const d = root(c.q);
  return p !== null && d !== null ? q(p, d) : null;
}

/** A scalar to a rational power: single terms distribute, sums become atoms. */
export function power(p: Poly, e: Q, info: SymInfo, budget: Budget): Poly {
  if (qeq(e, ONE)) return p;
  if (qzero(e)) return constant(ONE);
  if (p.terms.length === 1 && p.terms[0]!.w.length === 0) {
    const t = p.terms[0]!;
    let c: Q;
    if (e.q === 1) c = qpow(t.c, e.p);
    else if (qeq(t.c, ONE)) c = ONE;
    else if (exactRoot(t.c, e.q)) c = qpow(exactRoot(t.c, e.q)!, e.p);
    else throw new Unsupported('a fractional power of a numeric coefficient');
    // (x²)^½ = |x|, not x: a fractional power distributes only over odd powers
    // and (ab)^½ = a^½ b^½ only where a, b ≥ 0: a fractional power of a product stays whole
    if (e.q !== 1 && (t.s.some((f) => f.e.p % 2 === 0) || t.s.length > 1)) return scalarAtom(polyAtom(p), e);
    return simplifyPoly(normalize({ r: '1', c: '1', terms: [{ c, s: t.s.map((f) => ({ atom: f.atom, e: qmul(f.e, e) })), w: [] }] }), info, budget);
  }
  if (e.q === 1 && e.p > 1 && e.p <= 4) {
    let acc = p;
    for (let i = 1; i < e.p; i++) acc = mul(acc, p, info, budget);
    return acc;
  }
  return scalarAtom(polyAtom(p), e);
}

/** A scalar function (exp, sin, …) of a scalar: an atom. */
export function scalarFn(fn: string, p: Poly): Poly {
  if (fn === 'exp' && p.terms.length === 0) return constant(ONE);
  const rewritten = functionIdentity(fn, p);
  if (rewritten) return rewritten;
  return scalarAtom({ kind: 'fn', key: `${fn}(${polyKey(p)})`, fn, arg: p });
}

/** A sum whose leading coefficient is negative: σ(−u) is written 1 − σ(u). */
const negativeLead = (p: Poly) => p.terms.length > 0 && p.terms[0]!.c.p < 0;

/** Is p = 1 − σ(u) (scalar or entrywise)? Then u. */
function oneMinusSigma(p: Poly): Poly | null {
  for (const [one, sig] of bothOrders(p)) {
    const isOne = qeq(one.c, ONE) && one.s.length === 0 && (one.w.length === 0 ? isScalarShape(p) : one.w.length === 1 && one.w[0]!.kind === 'ones');
    if (!isOne || sig.c.p !== -1 || sig.c.q !== 1) continue;
    if (isScalarShape(p) && sig.w.length === 0 && sig.s.length === 1 && sig.s[0]!.atom.kind === 'fn' && sig.s[0]!.atom.fn === 'sigma' && qeq(sig.s[0]!.e, ONE)) return sig.s[0]!.atom.arg!;
    if (!isScalarShape(p) && sig.s.length === 0 && sig.w.length === 1 && sig.w[0]!.kind === 'ew' && sig.w[0]!.fn === 'sigma') return sig.w[0]!.inner!;
  }
  return null;
}

/**
 * Identities between functions, as a table: σ(−u) = 1 − σ(u), and the log-sigmoid
 * ln σ(u) = logσ(u), ln(1 − σ(u)) = logσ(−u), whose derivative σ(−u) needs no division.
 */
const FUNCTION_IDENTITIES: Record<string, (p: Poly, entrywiseShape: boolean) => Poly | null> = {
  sigma: (p, ew) => (negativeLead(p) ? add(ew ? ones(p.r, p.c) : constant(ONE), neg(ew ? entrywise('sigma', neg(p)) : scalarFn('sigma', neg(p)))) : null),
  // 1/(1/u) = u, entrywise
  recip: (p) => (p.terms.length === 1 && qeq(p.terms[0]!.c, ONE) && !p.terms[0]!.s.length && p.terms[0]!.w.length === 1 && p.terms[0]!.w[0]!.fn === 'recip' ? p.terms[0]!.w[0]!.inner! : null),
  // |−u| = |u|
  abs: (p, ew) => (negativeLead(p) && !ew ? scalarFn('abs', neg(p)) : null),
  ln: (p, ew) => {
    const t = p.terms[0];
    if (p.terms.length === 1 && qeq(t!.c, ONE)) {
      if (!ew && t!.w.length === 0 && t!.s.length === 1 && t!.s[0]!.atom.fn === 'sigma' && qeq(t!.s[0]!.e, ONE)) return scalarFn('logsig', t!.s[0]!.atom.arg!);
      if (ew && t!.s.length === 0 && t!.w.length === 1 && t!.w[0]!.kind === 'ew' && t!.w[0]!.fn === 'sigma') return entrywise('logsig', t!.w[0]!.inner!);
    }
    const u = oneMinusSigma(p);
    if (u) return ew ? entrywise('logsig', neg(u)) : scalarFn('logsig', neg(u));
    // softplus: ln(1 + eᵘ) = −ln σ(−u)
    const v = onePlusExp(p);
    if (v) return neg(ew ? entrywise('logsig', neg(v)) : scalarFn('logsig', neg(v)));
    // ln(c eᵁ) = U + ln c, entrywise (ln of a softmax)
    if (ew && p.terms.length === 1 && t!.w.length === 1 && t!.w[0]!.kind === 'ew' && t!.w[0]!.fn === 'exp' && t!.c.p > 0) {
      const c = ln({ r: '1', c: '1', terms: [{ c: t!.c, s: t!.s, w: [] }] });
      return add(t!.w[0]!.inner!, scalarTimesOnes(c, p.r, p.c));
    }
    return null;
  },
};

function scalarTimesOnes(c: Poly, r: Dim, cc: Dim): Poly {
  const o = ones(r, cc).terms[0]!.w;
  return normalize({ r, c: cc, terms: c.terms.map((t) => ({ ...t, w: o })) });
}

/** Is p = 1 + eᵘ (scalar or entrywise)? Then u. */
function onePlusExp(p: Poly): Poly | null {
  for (const [one, ex] of bothOrders(p)) {
    if (!qeq(one.c, ONE) || one.s.length || !qeq(ex.c, ONE)) continue;
    if (isScalarShape(p) && one.w.length === 0 && ex.w.length === 0 && ex.s.length === 1 && ex.s[0]!.atom.fn === 'exp' && qeq(ex.s[0]!.e, ONE)) return ex.s[0]!.atom.arg!;
    if (!isScalarShape(p) && one.w.length === 1 && one.w[0]!.kind === 'ones' && ex.s.length === 0 && ex.w.length === 1 && ex.w[0]!.kind === 'ew' && ex.w[0]!.fn === 'exp') return ex.w[0]!.inner!;
  }
  return null;
}

function functionIdentity(fn: string, p: Poly): Poly | null {
  const rule = FUNCTION_IDENTITIES[fn];
  return rule ? rule(p, !isScalarShape(p)) : null;
}

// ---------- simplification (the rewrite rules live in simplify.ts) ----------

import { simplifyTerm, WORD_RULES, ZERO_WORD } from './simplify.ts';

export function simplifyPoly(p: Poly, info: SymInfo, budget: Budget): Poly {
  const out: Term[] = [];
  for (const t of p.terms) {
    // a sum raised to a small positive integer power is expanded: (u + v)¹ = u + v
    const k = t.s.findIndex((f) => f.atom.kind === 'poly' && f.e.q === 1 && f.e.p >= 1 && f.e.p <= 4);
    if (k >= 0) {
      const f = t.s[k]!;
      const rest: Poly = { r: p.r, c: p.c, terms: [{ c: t.c, s: t.s.filter((_, j) => j !== k), w: t.w }] };
      let acc = rest;
      for (let i = 0; i < f.e.p; i++) acc = mul(f.atom.arg!, acc, info, budget);
      out.push(...acc.terms);
      continue;
    }
    // sech²u = 1 − tanh²u for scalars too
    const sech = t.s.findIndex((f) => f.atom.kind === 'fn' && f.atom.fn === 'sech' && f.e.q === 1 && f.e.p >= 2);
    if (sech >= 0) {
      const f = t.s[sech]!;
      const u = f.atom.arg!;
      const rest: Poly = { r: p.r, c: p.c, terms: [{ c: t.c, s: [...t.s.filter((_, j) => j !== sech), ...(f.e.p > 2 ? [{ atom: f.atom, e: q(f.e.p - 2) }] : [])], w: t.w }] };
      const oneMinus = add(constant(ONE), neg(power(scalarFn('tanh', u), q(2), info, budget)));
      out.push(...mul(oneMinus, rest, info, budget).terms);
      continue;
    }
    const expanded = expandTerm(t, p, info, budget);
    if (expanded) {
      out.push(...expanded.terms);
      continue;
    }
    out.push(...simplifyTerm(t, p, info, budget));
  }
  return normalize({ r: p.r, c: p.c, terms: out });
}

/**
 * Rules that turn one term into a sum: diag(a) v = a ∘ v for a vector v (and its transpose),
 * and the mixed-product rule (A⊗B)(C⊗D) = AC ⊗ BD.
 */
function expandTerm(t: Term, whole: Poly, info: SymInfo, budget: Budget): Poly | null {
  const w = t.w;
  const scalars: Poly = { r: '1', c: '1', terms: [{ c: t.c, s: t.s, w: [] }] };
  const seg = (x: Word): Poly | null => (x.length ? { r: x[0]!.r, c: x[x.length - 1]!.c, terms: [{ c: ONE, s: [], w: x }] } : null);
  for (let i = 0; i < w.length; i++) {
    const a = w[i]!;
    if (a.kind === 'diag') {
      // diag(a) v = a ∘ v, where v = w[i+1..k] is the shortest stretch ending in a column
      const k = w.findIndex((x, j) => j > i && x.c === '1');
      if (k > i) {
        const parts = [scalars, seg(w.slice(0, i)), hadamard(a.inner!, seg(w.slice(i + 1, k + 1))!, info, budget), seg(w.slice(k + 1))].filter((x): x is Poly => !!x);
        return mulAll(parts, info, budget);
      }
      // uᵀ diag(a) = (a ∘ u)ᵀ, where uᵀ = w[j..i-1] is the shortest stretch starting with a row
      let j = -1;
      for (let m = i - 1; m >= 0; m--)
        if (w[m]!.r === '1') {
          j = m;
          break;
        }
      if (j >= 0) {
        const row = seg(w.slice(j, i))!;
        const parts = [scalars, seg(w.slice(0, j)), transpose(hadamard(a.inner!, transpose(row, info), info, budget), info), seg(w.slice(i + 1))].filter((x): x is Poly => !!x);
        return mulAll(parts, info, budget);
      }
    }
    const b = w[i + 1];
    // (P ⊗ Q) vec(M) = vec(Q M Pᵀ)
    if (a.kind === 'kron' && b?.kind === 'vec' && !b.t) {
      const [P, Q] = a.parts as [Poly, Poly];
      const M = b.inner!;
      if (Q.c === M.r && M.c === P.c) {
        const v = vec(mulAll([Q, M, transpose(P, info)], info, budget));
        return mulAll([scalars, seg(w.slice(0, i)), v, seg(w.slice(i + 2))].filter((x): x is Poly => !!x), info, budget);
      }
    }
    // e^{aW} e^{bW} = e^{(a+b)W}: multiples of one matrix commute
    if (a.kind === 'mexp' && b?.kind === 'mexp') {
      const pa = multipleOfOneWord(a.inner!);
      const pb = multipleOfOneWord(b.inner!);
      if (pa && pb && wordKey(pa.w) === wordKey(pb.w)) {
        const e = mexp(add(a.inner!, b.inner!));
        return mulAll([scalars, seg(w.slice(0, i)), e, seg(w.slice(i + 2))].filter((x): x is Poly => !!x), info, budget);
      }
    }
    // e^{aW} W = W e^{aW}: the plain factor goes first
    if (a.kind === 'mexp') {
      const pa = multipleOfOneWord(a.inner!);
      if (pa && wordKey(w.slice(i + 1, i + 1 + pa.w.length)) === wordKey(pa.w)) {
        const moved = [...w.slice(0, i), ...pa.w, a, ...w.slice(i + 1 + pa.w.length)];
        return mulAll([scalars, seg(moved)!], info, budget);
      }
    }
    // vec(A)ᵀ vec(B) = tr(AᵀB)
    if (a.kind === 'vec' && a.t && b?.kind === 'vec' && !b.t) {
      const tr = trace(mul(transpose(a.inner!, info), b.inner!, info, budget), info, budget);
      return mulAll([scalars, seg(w.slice(0, i)), tr, seg(w.slice(i + 2))].filter((x): x is Poly => !!x), info, budget);
    }
    if (a.kind === 'kron' && b?.kind === 'kron' && a.parts![0]!.c === b.parts![0]!.r && a.parts![1]!.c === b.parts![1]!.r) {
      const k = kron(mul(a.parts![0]!, b.parts![0]!, info, budget), mul(a.parts![1]!, b.parts![1]!, info, budget), info, budget);
      const parts = [scalars, seg(w.slice(0, i)), k, seg(w.slice(i + 2))].filter((x): x is Poly => !!x);
      return mulAll(parts, info, budget);
    }
  }
  return null;
}

/** Drop terms of second or higher order in the differentials (first-order agreement). */
export function firstOrder(p: Poly): Poly {
  const degree = (t: Term): number => {
    let d = 0;
    for (const f of t.s) {
      if (f.atom.kind === 'd') d += f.e.p / f.e.q;
      if (f.atom.word) d += f.atom.word.filter((a) => a.kind === 'd').length * (f.e.p / f.e.q);
    }
    return d + t.w.filter((a) => a.kind === 'd').length;
  };
  return { ...p, terms: p.terms.filter((t) => degree(t) < 2) };
}


/** S kept whole as one factor, so that S (S)⁻¹ cancels before S is expanded. */
export function whole(S: Poly): Poly {
  return wordPoly([{ kind: 'fwd', name: '', t: false, inv: false, r: S.r, c: S.c, inner: S }], S.r, S.c);
}

/** Expand every whole-kept factor back into its sum. */
export function expandWhole(p: Poly, info: SymInfo, budget: Budget): Poly {
  const parts: Poly[] = [];
  for (const t of p.terms) {
    if (!t.w.some((a) => a.kind === 'fwd')) {
      parts.push({ r: p.r, c: p.c, terms: [t] });
      continue;
    }
    const factors: Poly[] = [{ r: '1', c: '1', terms: [{ c: t.c, s: t.s, w: [] }] }];
    for (const a of t.w) factors.push(a.kind === 'fwd' ? a.inner! : wordPoly([a], a.r, a.c));
    parts.push(mulAll(factors, info, budget));
  }
  return sum(parts, p.r, p.c);
}
