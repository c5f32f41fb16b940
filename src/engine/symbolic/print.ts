/**
 * LaTeX for canonical forms, written as a person would: ^\top, ^{-1}, fractions, traces,
 * determinants as |X|, and minimal parentheses.
 */
import type { Node } from '../ast.ts';
import type { MAtom, Poly, SAtom, SFactor, Term, Word } from './poly.ts';
import { ONE, qeq, type Q } from './rational.ts';

function name(n: string): string {
  if (n.startsWith('∂')) {
    const [a, t] = n.slice(1).split('/∂');
    return `\\frac{\\partial ${name(a!)}}{\\partial ${name(t!)}}`;
  }
  return n.length > 1 && !n.startsWith('\\') && !n.includes('_') ? `\\mathit{${n}}` : n;
}

/** One factor of a word; `bare` when it is the whole word (a ∘ b needs no parentheses alone). */
export function printAtom(a: MAtom, bare = false): string {
  switch (a.kind) {
    case 'sym': {
      const base = name(a.name);
      const wrapped = base.startsWith('\\frac') ? `\\left(${base}\\right)` : base;
      if (a.inv && a.t) return `${wrapped}^{-\\top}`;
      if (a.inv) return `${wrapped}^{-1}`;
      if (a.t) return `${wrapped}^\\top`;
      return base;
    }
    case 'd':
      return a.t ? `\\mathrm{d}${name(a.name)}^\\top` : `\\mathrm{d}${name(a.name)}`;
    case 'inv':
      return `\\left(${printPoly(a.inner!)}\\right)^{-1}`;
    case 'fwd':
      return `\\left(${printPoly(a.inner!)}\\right)`;
    case 'mexp':
      return `e^{${printPoly(a.inner!)}}`;
    case 'vec':
      return `\\operatorname{vec}\\left(${printPoly(a.inner!)}\\right)${a.t ? '^\\top' : ''}`;
    case 'op': {
      const s = a.node ? printNode(a.node) : a.name;
      return a.t ? `\\left(${s}\\right)^\\top` : a.node && atomic(a.node) ? s : `\\left(${s}\\right)`;
    }
    case 'had':
    case 'kron': {
      const s = a.parts!.map((p) => wrapPoly(p)).join(a.kind === 'had' ? ' \\circ ' : ' \\otimes ');
      return bare ? s : `\\left(${s}\\right)`;
    }
    case 'ew':
      // the entrywise reciprocal of a vector has no symbol of its own: diag(v)⁻¹ 1
      if (a.fn === 'recip' && a.c === '1') {
        const s = `\\operatorname{diag}\\left(${printPoly(a.inner!)}\\right)^{-1} \\mathbf{1}`;
        return bare ? s : `\\left(${s}\\right)`;
      }
      if (a.fn === 'recip' && a.r === '1') {
        // a row: 1ᵀ diag(vᵀ)⁻¹, with the row's terms written as a column
        const terms = a.inner!.terms.map((t) => ({ ...t, w: flipWord(t.w) }));
        if (terms.every((t) => t.w)) {
          const column = printPoly({ r: a.c, c: '1', terms: terms.map((t) => ({ ...t, w: t.w! })) });
          const s = `\\mathbf{1}^\\top \\operatorname{diag}\\left(${column}\\right)^{-1}`;
          return bare ? s : `\\left(${s}\\right)`;
        }
      }
      return `${fnName(a.fn!)}\\left(${printPoly(a.inner!)}\\right)`;
    case 'diag': {
      const t = a.inner!.terms;
      // diag(1/v) = diag(v)⁻¹
      if (t.length === 1 && qeq(t[0]!.c, ONE) && !t[0]!.s.length && t[0]!.w.length === 1 && t[0]!.w[0]!.kind === 'ew' && t[0]!.w[0]!.fn === 'recip') return `\\operatorname{diag}\\left(${printPoly(t[0]!.w[0]!.inner!)}\\right)^{-1}`;
      return `\\operatorname{diag}\\left(${printPoly(a.inner!)}\\right)`;
    }
    case 'ones':
      return a.t ? '\\mathbf{1}^\\top' : '\\mathbf{1}';
    case 'e':
      return a.t ? `e_{${a.name}}^\\top` : `e_{${a.name}}`;
  }
}

function wrapPoly(p: Poly): string {
  const s = printPoly(p);
  return p.terms.length > 1 || (p.terms[0] && p.terms[0].c.p < 0) ? `\\left(${s}\\right)` : s;
}

export function printWord(w: Word): string {
  if (w.length === 1) return printAtom(w[0]!, true);
  const out: string[] = [];
  for (let i = 0; i < w.length; ) {
    const a = w[i]!;
    let k = 1;
    // at most X^{8}: the reader expands larger powers only as products (canon.ts)
    if (a.kind === 'sym' && !a.name.startsWith('∂')) while (i + k < w.length && k < 8 && sameSymbol(a, w[i + k]!)) k++;
    if (k === 1) out.push(printAtom(a));
    else {
      const pow = `${name(a.name)}^{${a.inv ? '-' : ''}${k}}`;
      out.push(a.t ? `\\left(${pow}\\right)^\\top` : pow);
    }
    i += k;
  }
  return out.join(' ');
}

const sameSymbol = (a: MAtom, b: MAtom) => b.kind === 'sym' && b.name === a.name && b.t === a.t && b.inv === a.inv;

/** The transpose of a word of plain factors, for printing (null when a factor is not plain). */
function flipWord(w: Word): Word | null {
  const out: Word = [];
  for (const a of [...w].reverse()) {
    if (a.kind !== 'sym' && a.kind !== 'd' && a.kind !== 'e' && a.kind !== 'ones') return null;
    out.push({ ...a, t: !a.t, r: a.c, c: a.r });
  }
  return out;
}

/** A 1×1 word with a basis vector at an end is an entry: eᵢᵀMeⱼ reads (M)_{ij}, eᵢᵀv reads (v)_{i}. */
function entryForm(w: Word): string | null {
  const isRowE = (a: MAtom | undefined) => a?.kind === 'e' && a.t;
  const isColE = (a: MAtom | undefined) => a?.kind === 'e' && !a.t;
  const of = (mid: Word, idx: string) => {
    const m = mid.length === 1 && mid[0]!.kind === 'sym' && !mid[0]!.inv && !mid[0]!.t && !mid[0]!.name.startsWith('∂') ? name(mid[0]!.name) : `\\left(${printWord(mid)}\\right)`;
    return `${m}_{${idx}}`;
  };
  for (let i = 0; i < w.length; i++) {
    const rot = [...w.slice(i), ...w.slice(0, i)];
    if (rot[0]!.r !== '1' || rot[rot.length - 1]!.c !== '1' || rot.length < 2) continue;
    const first = rot[0]!;
    const last = rot[rot.length - 1]!;
    if (isRowE(first) && isColE(last) && rot.length >= 3) {
      const mid = rot.slice(1, -1);
      const flipped = mid.length === 1 && mid[0]!.kind === 'sym' && mid[0]!.t && !mid[0]!.inv ? flipWord(mid) : null;
      return flipped ? of(flipped, `${last.name}${first.name}`) : of(mid, `${first.name}${last.name}`);
    }
    if (isRowE(first) && !isColE(last)) return of(rot.slice(1), first.name);
    if (isColE(last) && !isRowE(first)) {
      const flipped = flipWord(rot.slice(0, -1));
      return flipped ? of(flipped, last.name) : of(rot.slice(0, -1), last.name);
    }
  }
  return null;
}

function printScalarAtom(a: SAtom): string {
  switch (a.kind) {
    case 'sym':
      return name(a.name!);
    case 'd':
      return `\\mathrm{d}${name(a.name!)}`;
    case 'dim':
      return a.name!;
    case 'const':
      return a.name ?? a.key;
    case 'tr': {
      const w = a.word!;
      // an entry eᵢᵀ M eⱼ reads M_{ij}, (AB)_{ij}; eᵢᵀx reads x_i, (Ax)_i
      const entry = entryForm(w);
      if (entry) return entry;
      // a trace with a 1×1 rotation reads best without the trace: xᵀAx
      for (let i = 0; i < w.length; i++) {
        const rot = [...w.slice(i), ...w.slice(0, i)];
        if (rot[0]!.r === '1' && rot[rot.length - 1]!.c === '1') return printWord(rot);
      }
      return `\\operatorname{tr}\\left(${printWord(w)}\\right)`;
    }
    case 'det':
      if (a.word) return `\\left|${printWord(a.word)}\\right|`;
      return `\\left|${printPoly(a.arg!)}\\right|`;
    case 'ln': {
      const arg = a.arg!;
      const single = arg.terms.length === 1 && arg.terms[0]!.w.length === 0 && arg.terms[0]!.s.length === 1 && qeq(arg.terms[0]!.c, ONE);
      // |X| already prints its bars
      if (single && arg.terms[0]!.s[0]!.atom.kind === 'det') return `\\ln ${printPoly(arg)}`;
      return `\\ln\\left|${printPoly(arg)}\\right|`;
    }
    case 'fn':
      if (a.fn === 'abs') return `\\left|${printPoly(a.arg!)}\\right|`;
      return `${fnName(a.fn!)}${wrapArg(a.arg!, true)}`;
    case 'poly':
      return `\\left(${printPoly(a.arg!)}\\right)`;
    case 'op':
      return a.node ? printNode(a.node) : a.key;
  }
}

function fnName(fn: string): string {
  return ({ exp: '\\exp', sin: '\\sin', cos: '\\cos', tanh: '\\tanh', sinh: '\\sinh', cosh: '\\cosh', sigma: '\\sigma', logsig: '\\ln\\sigma', sech: '\\operatorname{sech}', ln: '\\ln', sqrt: '\\sqrt', recip: '1/' } as Record<string, string>)[fn] ?? `\\operatorname{${fn}}`;
}

function wrapArg(p: Poly, always = false): string {
  const s = printPoly(p);
  if (!always && p.terms.length === 1 && p.terms[0]!.s.length === 1 && p.terms[0]!.w.length === 0 && qeq(p.terms[0]!.c, ONE) && p.terms[0]!.s[0]!.e.q === 1 && p.terms[0]!.s[0]!.e.p === 1) {
    const k = p.terms[0]!.s[0]!.atom.kind;
    if (k === 'det' || k === 'sym') return s;
  }
  return `\\left(${s}\\right)`;
}

function printFactor(f: SFactor): string {
  const base = printScalarAtom(f.atom);
  const e = f.e;
  if (e.p === 1 && e.q === 1) return base;
  // (xᵀx)^{k/2} = ‖x‖ᵏ, tr(XᵀX)^{k/2} = ‖X‖_Fᵏ
  const norm = e.q === 2 ? normOf(f.atom) : null;
  if (norm) return e.p === 1 ? norm : `${norm}^{${e.p}}`;
  const simple = /^(\\?[A-Za-z]+|\\mathit\{[A-Za-z]+\})(_\{[^{}]*\})?$/.test(base);
  // f(u)^{2} for a function (its argument is already parenthesised), (ln σ(u))^{2}, (xᵀx)^{2}
  const fnPower = f.atom.kind === 'fn' && f.atom.fn !== 'logsig';
  const needsParens = !simple && !fnPower && (f.atom.kind === 'tr' ? !base.startsWith('\\operatorname') : f.atom.kind !== 'sym' && f.atom.kind !== 'det' && f.atom.kind !== 'poly');
  const b = needsParens ? `\\left(${base}\\right)` : base;
  if (e.q === 2 && e.p === 1) return `\\sqrt{${f.atom.kind === 'poly' ? printPoly(f.atom.arg!) : base}}`;
  const exp = e.q === 1 ? String(e.p) : `${e.p}/${e.q}`;
  return `${b}^{${exp}}`;
}

/** ‖s‖ (‖s‖_F) when a trace atom is sᵀs or s sᵀ of one symbol. */
function normOf(a: SAtom): string | null {
  const w = a.word;
  if (a.kind !== 'tr' || !w || w.length !== 2) return null;
  const [u, v] = w as [MAtom, MAtom];
  if (u.kind !== 'sym' || v.kind !== 'sym' || u.name !== v.name || u.inv || v.inv || u.t === v.t || u.name.startsWith('∂')) return null;
  const vector = u.r === '1' || u.c === '1';
  return vector ? `\\left\\|${name(u.name)}\\right\\|` : `\\left\\|${name(u.name)}\\right\\|_F`;
}

function printCoef(c: Q, hasRest: boolean): { sign: string; text: string } {
  const sign = c.p < 0 ? '-' : '+';
  const p = Math.abs(c.p);
  if (c.q === 1) return { sign, text: p === 1 && hasRest ? '' : String(p) };
  return { sign, text: `\\frac{${p}}{${c.q}}` };
}

/** Scalar factors side by side; xᵀAx is parenthesised when something follows it: (xᵀx) x. */
function printFactors(fs: SFactor[], followed: boolean): string[] {
  // scalar symbols first: c xᵀy, not xᵀy c
  const sorted = [...fs.filter((f) => f.atom.kind === 'sym'), ...fs.filter((f) => f.atom.kind !== 'sym')];
  return sorted.map((f, i) => {
    const s = printFactor(f);
    const bareWord = f.atom.kind === 'tr' && qeq(f.e, ONE) && !s.startsWith('\\operatorname') && !/_\{[^{}]*\}$/.test(s);
    return bareWord && (followed || i < sorted.length - 1) ? `\\left(${s}\\right)` : s;
  });
}

function printTerm(t: Term, matrixShape: boolean): { sign: string; text: string } {
  const numF: SFactor[] = [];
  const denF: SFactor[] = [];
  for (const f of t.s) {
    if (f.e.p < 0) denF.push({ atom: f.atom, e: { p: -f.e.p, q: f.e.q } });
    else numF.push(f);
  }
  let word = printWord(t.w);
  if (matrixShape && t.w.length === 0) word = 'I';
  const sign = t.c.p < 0 ? '-' : '+';
  const p = Math.abs(t.c.p);
  if (denF.length === 0) {
    const num = printFactors(numF, !!word);
    const { text } = printCoef(t.c, num.length > 0 || !!word);
    return { sign, text: [text, ...num, word].filter(Boolean).join(' ') || '1' };
  }
  // a fraction: the matrix factors go above the bar unless they hold fractions themselves
  const above = word && !word.includes('\\frac') && word !== 'I' ? word : '';
  const num = [p !== 1 ? String(p) : '', ...printFactors(numF, !!above), above].filter(Boolean).join(' ') || '1';
  const den = [t.c.q !== 1 ? String(t.c.q) : '', ...printFactors(denF, false)].filter(Boolean).join(' ');
  const after = above ? '' : word;
  return { sign, text: [`\\frac{${num}}{${den}}`, after].filter(Boolean).join(' ') };
}

export function printPoly(p: Poly): string {
  if (p.terms.length === 0) return '0';
  const matrixShape = !(p.r === '1' && p.c === '1');
  // a sum starts with a positive term when it has one: 1 − tanh(t)², not −tanh(t)² + 1
  const firstPositive = p.terms.findIndex((t) => t.c.p > 0);
  const terms = firstPositive > 0 ? [p.terms[firstPositive]!, ...p.terms.filter((_, i) => i !== firstPositive)] : p.terms;
  let out = '';
  terms.forEach((t, i) => {
    const { sign, text } = printTerm(t, matrixShape);
    if (i === 0) out = sign === '-' ? `-${text}` : text;
    else out += ` ${sign} ${text}`;
  });
  return out;
}

/** df written as Σ tr(Mₖ dX), from the numerator form N (df = tr(N dX)). */
export function printTraceForm(N: Poly, dx: string): string | null {
  if (N.terms.length === 0) return '0';
  const parts: string[] = [];
  N.terms.forEach((t, i) => {
    const { sign, text } = printTerm({ ...t, w: [] }, false);
    const scalar = text === '1' ? '' : text;
    const inner = `${printWord(t.w)}\\,${dx}`.trim();
    const s = `${scalar} \\operatorname{tr}\\left(${inner}\\right)`.trim();
    parts.push(i === 0 ? (sign === '-' ? `-${s}` : s) : ` ${sign} ${s}`);
  });
  return parts.join('');
}

// ---------- expression trees (opaque parts, messages) ----------

function atomic(n: Node): boolean {
  return n.k === 'sym' || n.k === 'num' || n.k === 'fn' || n.k === 'entry' || n.k === 'mat';
}

const FN_LATEX: Record<string, string> = {
  tr: '\\operatorname{tr}',
  det: '\\det',
  ln: '\\ln',
  exp: '\\exp',
  sqrt: '\\sqrt',
  sin: '\\sin',
  cos: '\\cos',
  tan: '\\tan',
  tanh: '\\tanh',
  sinh: '\\sinh',
  cosh: '\\cosh',
  sech: '\\operatorname{sech}',
  sigma: '\\sigma',
  diag: '\\operatorname{diag}',
  vec: '\\operatorname{vec}',
  adj: '\\operatorname{adj}',
  softmax: '\\operatorname{softmax}',
  eig: '\\operatorname{eig}',
  sumall: '\\sum',
  prodall: '\\prod',
};

export function printNode(n: Node): string {
  const wrap = (m: Node) => (atomic(m) ? printNode(m) : `\\left(${printNode(m)}\\right)`);
  switch (n.k) {
    case 'num':
      return n.q === 1 ? String(n.p) : `\\frac{${n.p}}{${n.q}}`;
    case 'sym':
      return name(n.name);
    case 'const':
      return '\\pi';
    case 'I':
      return n.dim ? `I_{${n.dim}}` : 'I';
    case 'zero':
      return '0';
    case 'ones':
      return '\\mathbf{1}';
    case 'entry':
      return `${wrap(n.of)}_{${n.idx.map((i) => (i.kind === 'num' ? i.text : i.name)).join('')}}`;
    case 'add':
      return n.args.map((a, i) => (i === 0 ? printNode(a) : a.k === 'neg' ? ` - ${printNode(a.arg)}` : ` + ${printNode(a)}`)).join('');
    case 'neg':
      return `-${n.arg.k === 'add' ? wrap(n.arg) : printNode(n.arg)}`;
    case 'mul':
      return n.args.map((a) => (a.k === 'add' || a.k === 'neg' ? wrap(a) : printNode(a))).join(' ');
    case 'div':
      return `\\frac{${printNode(n.num)}}{${printNode(n.den)}}`;
    case 'pow':
      return `${wrap(n.base)}^{${printNode(n.exp)}}`;
    case 'T':
      return `${wrap(n.arg)}^\\top`;
    case 'inv':
      return `${wrap(n.arg)}^{-1}`;
    case 'fn':
      if (n.fn === 'bars') return `\\left|${printNode(n.arg)}\\right|`;
      if (n.fn === 'norm') return `\\left\\|${printNode(n.arg)}\\right\\|`;
      if (n.fn === 'norm2') return `\\left\\|${printNode(n.arg)}\\right\\|_2`;
      if (n.fn === 'normF') return `\\left\\|${printNode(n.arg)}\\right\\|_F`;
      if (n.fn === 'sqrt') return `\\sqrt{${printNode(n.arg)}}`;
      return `${FN_LATEX[n.fn] ?? n.fn}\\left(${printNode(n.arg)}\\right)`;
    case 'had':
      return `${wrap(n.a)} \\circ ${wrap(n.b)}`;
    case 'kron':
      return `${wrap(n.a)} \\otimes ${wrap(n.b)}`;
    case 'mat':
      return `\\begin{bmatrix} ${n.rows.map((r) => r.map(printNode).join(' & ')).join(' \\\\ ')} \\end{bmatrix}`;
    case 'isum':
      return `\\${n.op}_{${n.idx.join(',')}} ${wrap(n.body)}`;
    case 'deriv':
      return `\\frac{\\partial}{\\partial ${printNode(n.wrt[0]!.node)}${n.wrt[0]!.transposed ? '^\\top' : ''}} ${wrap(n.f)}`;
    case 'diff':
      return `\\mathrm{d}${wrap(n.arg)}`;
    case 'call':
      return `${name(n.name)}\\left(${n.args.map(printNode).join(', ')}\\right)`;
  }
}
