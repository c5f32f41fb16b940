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

export function printAtom(a: MAtom): string {
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
    case 'op': {
      const s = a.node ? printNode(a.node) : a.name;
      return a.t ? `\\left(${s}\\right)^\\top` : a.node && atomic(a.node) ? s : `\\left(${s}\\right)`;
    }
    case 'had':
      return `\\left(${a.parts!.map((p) => wrapPoly(p)).join(' \\circ ')}\\right)`;
    case 'kron':
      return `\\left(${a.parts!.map((p) => wrapPoly(p)).join(' \\otimes ')}\\right)`;
    case 'ew':
      return `${fnName(a.fn!)}\\left(${printPoly(a.inner!)}\\right)`;
    case 'diag':
      return `\\operatorname{diag}\\left(${printPoly(a.inner!)}\\right)`;
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
  return w.map(printAtom).join(' ');
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
      // an entry eᵢᵀ M eⱼ reads M_{ij}; eᵢᵀx reads x_i
      for (const cand of [w, [...w.slice(1), w[0]!], [...w.slice(-1), ...w.slice(0, -1)]]) {
        const [a, b, c] = cand;
        if (cand.length === 3 && a!.kind === 'e' && a!.t && c!.kind === 'e' && !c!.t && b!.kind === 'sym' && !b!.inv) {
          return b!.t ? `${name(b!.name)}_{${c!.name}${a!.name}}` : `${name(b!.name)}_{${a!.name}${c!.name}}`;
        }
        if (cand.length === 2 && a!.kind === 'e' && a!.t && b!.kind === 'sym' && !b!.t && b!.c === '1') return `${name(b!.name)}_{${a!.name}}`;
        if (cand.length === 2 && b!.kind === 'e' && !b!.t && a!.kind === 'sym' && a!.t && a!.r === '1') return `${name(a!.name)}_{${b!.name}}`;
      }
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
      return `${fnName(a.fn!)}${wrapArg(a.arg!, true)}`;
    case 'poly':
      return `\\left(${printPoly(a.arg!)}\\right)`;
    case 'op':
      return a.node ? printNode(a.node) : a.key;
  }
}

function fnName(fn: string): string {
  return ({ exp: '\\exp', sin: '\\sin', cos: '\\cos', tanh: '\\tanh', sinh: '\\sinh', cosh: '\\cosh', sigma: '\\sigma', sech: '\\operatorname{sech}', ln: '\\ln', sqrt: '\\sqrt', recip: '1/' } as Record<string, string>)[fn] ?? `\\operatorname{${fn}}`;
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
  const simple = /^(\\?[A-Za-z]+|\\mathit\{[A-Za-z]+\})(_\{[^{}]*\})?$/.test(base);
  const needsParens = !simple && (f.atom.kind === 'tr' ? !base.startsWith('\\operatorname') : f.atom.kind !== 'sym' && f.atom.kind !== 'det' && f.atom.kind !== 'poly');
  const b = needsParens ? `\\left(${base}\\right)` : base;
  if (e.q === 2 && e.p === 1) return `\\sqrt{${base}}`;
  const exp = e.q === 1 ? String(e.p) : `${e.p}/${e.q}`;
  return `${b}^{${exp}}`;
}

function printCoef(c: Q, hasRest: boolean): { sign: string; text: string } {
  const sign = c.p < 0 ? '-' : '+';
  const p = Math.abs(c.p);
  if (c.q === 1) return { sign, text: p === 1 && hasRest ? '' : String(p) };
  return { sign, text: `\\frac{${p}}{${c.q}}` };
}

function printTerm(t: Term, matrixShape: boolean): { sign: string; text: string } {
  const num: string[] = [];
  const den: string[] = [];
  for (const f of t.s) {
    if (f.e.p < 0) den.push(printFactor({ atom: f.atom, e: { p: -f.e.p, q: f.e.q } }));
    else num.push(printFactor(f));
  }
  const word = printWord(t.w);
  const rest = [...num, word].filter(Boolean);
  const hasRest = rest.length > 0 || den.length > 0 || (matrixShape && t.w.length === 0);
  const { sign, text } = printCoef(t.c, hasRest);
  let body = [text, ...num].filter(Boolean).join(' ');
  if (den.length) body = `\\frac{${body || '1'}}{${den.join(' ')}}`;
  let out = [body, word].filter(Boolean).join(' ');
  if (matrixShape && t.w.length === 0) out = `${out} I`.trim();
  return { sign, text: out || '1' };
}

export function printPoly(p: Poly): string {
  if (p.terms.length === 0) return '0';
  const matrixShape = !(p.r === '1' && p.c === '1');
  let out = '';
  p.terms.forEach((t, i) => {
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
