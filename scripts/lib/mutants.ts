/**
 * Mutants of a formula, made on its tokens: the mistakes the checker exists to catch.
 *   drop-transpose, add-transpose, inverse↔transpose, swap-factors, flip-sign, drop-term,
 *   permute-trace (a non-cyclic reordering of a product of three or more factors in a trace).
 * Every mutant changes one place of the formula.
 */
import { pieces } from './fuzz-cases.ts';

export interface Mutant {
  op: string;
  latex: string;
  /** Offset in the original LaTeX of the place changed. */
  at: number;
}

interface P {
  text: string;
  space: string;
  /** Offsets of the piece in the original LaTeX. */
  start: number;
  end: number;
}

function withStarts(latex: string): P[] {
  let at = 0;
  return pieces(latex).map((p) => {
    const start = at + p.space.length;
    at = start + p.text.length;
    return { ...p, start, end: at };
  });
}

const OPEN = new Set(['{', '(', '[', '\\{', '\\left(', '\\left[', '\\left\\{', '\\left|', '\\left\\|', '\\left.', '\\langle']);
const TRANSPOSE_MARKS = new Set(['T', '\\top', '\\intercal', '\\mathsf T', '\\mathsf{T}', '{T}', '{\\top}', '{\\mathsf T}', '{\\mathsf{T}}', '{\\intercal}']);
const INVERSE_MARKS = new Set(['{-1}']);
const INVERSE_TRANSPOSE_MARKS = new Set(['{-T}', '{-\\top}', '{-\\mathsf T}']);
const SYMBOL_WRAPPERS = new Set(['\\mathbf', '\\boldsymbol', '\\bm', '\\mathrm', '\\hat', '\\bar', '\\tilde']);
const WORDS = ['tr', 'Tr', 'det', 'diag', 'vec', 'adj', 'ln', 'log', 'exp', 'sech', 'softmax', 'eig', 'd'];
const GREEK = /^\\(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|lambda|mu|nu|xi|rho|tau|phi|chi|psi|omega|Sigma|Lambda|Gamma|Delta|Theta|Phi|Psi|Omega|Xi|Pi|ell)$/;
const TRACE = new Set(['\\operatorname{tr}', '\\operatorname{Tr}', '\\mathrm{tr}', '\\mathrm{Tr}', '\\tr', '\\Tr', '\\text{tr}', 'Tr', 'tr', '\\operatorname{trace}']);

/** Index just past the group that starts at i (a brace, paren or \left…\right group), or -1. */
function groupEnd(ps: P[], i: number): number {
  const t = ps[i]?.text;
  if (t === undefined) return -1;
  const closer: Record<string, string> = { '{': '}', '(': ')', '[': ']', '\\left(': '\\right)', '\\left[': '\\right]', '\\left|': '\\right|', '\\left\\|': '\\right\\|' };
  if (t === '\\left') return -1;
  if (!(t in closer)) return -1;
  let depth = 0;
  for (let j = i; j < ps.length; j++) {
    const u = ps[j]!.text;
    if (u === t || (t === '{' && u === '{')) depth++;
    else if (u === closer[t]) {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

/**
 * The pieces, with \left( … merged into one piece, `\mathsf T` into one, and `^{…}` marks read as
 * a single text where they are short: easier to match.
 */
function normalize(latex: string): P[] {
  const raw = withStarts(latex);
  const out: P[] = [];
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i]!;
    const next = raw[i + 1];
    if ((p.text === '\\left' || p.text === '\\right') && next) {
      out.push({ text: p.text + next.text, space: p.space, start: p.start, end: next.end });
      i++;
      continue;
    }
    out.push(p);
  }
  return out;
}

/** Where each superscript or subscript mark ends: `^T`, `^{-1}`, `_{ij}`, `^\top`. */
function scriptEnd(ps: P[], i: number): number {
  if (ps[i]?.text !== '^' && ps[i]?.text !== '_') return -1;
  const arg = ps[i + 1];
  if (!arg) return -1;
  if (arg.text === '{') return groupEnd(ps, i + 1);
  if (SYMBOL_WRAPPERS.has(arg.text) || arg.text === '\\mathsf') return ps[i + 2]?.text === '{' ? groupEnd(ps, i + 2) : i + 3;
  return i + 2;
}

let source = '';

/** The original LaTeX of pieces [from, to). */
function textOf(ps: P[], from: number, to: number): string {
  if (to <= from) return '';
  return source.slice(ps[from]!.start, ps[to - 1]!.end);
}

/** The LaTeX of a mark, spaces squeezed: `{\mathsf T}` and `{\mathsf{T}}` alike. */
function markOf(ps: P[], from: number, to: number): string {
  return textOf(ps, from, to).replace(/\s+(?=[{}])|(?<=[{}])\s+/g, '');
}

/** Pieces where no factor starts: inside words (\operatorname{tr}), wrappers and scripts. */
function protectedPieces(ps: P[]): Set<number> {
  const out = new Set<number>();
  const WORD_GROUPS = new Set(['\\operatorname', '\\operatorname*', '\\mathrm', '\\text', '\\textrm', '\\mathsf', '\\textsf', '\\mbox', '\\begin', '\\end', ...SYMBOL_WRAPPERS]);
  for (let i = 0; i < ps.length; i++) {
    const t = ps[i]!.text;
    if (WORD_GROUPS.has(t) && ps[i + 1]?.text === '{') {
      const e = groupEnd(ps, i + 1);
      for (let k = i + 1; k < (e < 0 ? ps.length : e); k++) out.add(k);
    } else if (WORD_GROUPS.has(t) && ps[i + 1]) out.add(i + 1);
    if (t === '^' || t === '_') {
      const e = scriptEnd(ps, i);
      for (let k = i + 1; k < (e < 0 ? i + 2 : e); k++) out.add(k);
    }
  }
  return out;
}

/** The end of a factor that starts at i: a symbol (or group) with its scripts, or -1. */
function unitEnd(ps: P[], i: number): number {
  const p = ps[i];
  if (!p) return -1;
  let j: number;
  if (/^[A-Za-z]$/.test(p.text)) {
    // a letter that starts a function word is not a factor
    const word = ps
      .slice(i, i + 7)
      .map((q) => q.text)
      .join('');
    if (WORDS.some((w) => w.length > 1 && word.startsWith(w) && !/^[A-Za-z]$/.test(ps[i + w.length]?.text ?? '')) || p.text === 'd' || p.text === 'e') return -1;
    j = i + 1;
  } else if (GREEK.test(p.text)) j = i + 1;
  else if (SYMBOL_WRAPPERS.has(p.text) && ps[i + 1]?.text === '{') j = groupEnd(ps, i + 1);
  else if (p.text === '(' || p.text === '\\left(' || p.text === '[' || p.text === '\\left[') j = groupEnd(ps, i);
  else return -1;
  if (j < 0) return -1;
  while (ps[j] && (ps[j]!.text === '^' || ps[j]!.text === '_' || ps[j]!.text === "'")) {
    const e = ps[j]!.text === "'" ? j + 1 : scriptEnd(ps, j);
    if (e < 0) return -1;
    j = e;
  }
  return j;
}

function replaceRange(ps: P[], from: number, to: number, text: string): string {
  return source.slice(0, ps[from]!.start) + text + source.slice(ps[to - 1]!.end);
}

function insertAt(offset: number, text: string): string {
  return source.slice(0, offset) + text + source.slice(offset);
}

/** All the mutants of a formula (deduplicated, never the formula itself). */
export function mutants(latex: string): Mutant[] {
  source = latex;
  const ps = normalize(latex);
  const locked = protectedPieces(ps);
  const out: Mutant[] = [];
  const add = (op: string, text: string, at: number) => {
    if (text !== latex && text.trim() !== latex.trim()) out.push({ op, latex: text, at });
  };

  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    // transpose, inverse, inverse transpose marks
    if (p.text === '^') {
      const end = scriptEnd(ps, i);
      if (end > 0) {
        const mark = markOf(ps, i + 1, end);
        if (TRANSPOSE_MARKS.has(mark)) {
          add('drop-transpose', replaceRange(ps, i, end, ''), p.start);
          add('transpose→inverse', replaceRange(ps, i, end, '^{-1}'), p.start);
        } else if (INVERSE_MARKS.has(mark)) {
          add('inverse→transpose', replaceRange(ps, i, end, '^{\\top}'), p.start);
          add('drop-inverse', replaceRange(ps, i, end, ''), p.start);
        } else if (INVERSE_TRANSPOSE_MARKS.has(mark)) {
          add('inverse-transpose→inverse', replaceRange(ps, i, end, '^{-1}'), p.start);
          add('inverse-transpose→transpose', replaceRange(ps, i, end, '^{\\top}'), p.start);
        }
      }
    }
    if (p.text === "'" && i > 0) add('drop-transpose', replaceRange(ps, i, i + 1, ''), p.start);

    // add a transpose after a factor that has no superscript yet
    const uEnd = locked.has(i) ? -1 : unitEnd(ps, i);
    if (uEnd > 0) {
      const hasSup = ps.slice(i, uEnd).some((q) => q.text === '^' || q.text === "'");
      const wrt = i > 0 && (ps[i - 1]!.text === '\\partial' || ps[i - 1]!.text === 'd' || ps[i - 1]!.text === '\\nabla');
      if (!hasSup && !wrt) add('add-transpose', insertAt(ps[uEnd - 1]!.end, '^{\\top}'), p.start);
      // swap with the factor right after it
      const next = locked.has(uEnd) ? -1 : unitEnd(ps, uEnd);
      if (next > 0 && !wrt) {
        const a = textOf(ps, i, uEnd);
        const b = textOf(ps, uEnd, next);
        if (a !== b) add('swap-factors', `${source.slice(0, ps[i]!.start)}${b} ${a}${source.slice(ps[next - 1]!.end)}`, p.start);
      }
    }

    // flip a sign
    if (locked.has(i)) continue;
    if (p.text === '+') add('flip-sign', replaceRange(ps, i, i + 1, '-'), p.start);
    if (p.text === '-' && ps[i - 1]?.text !== '^' && ps[i - 1]?.text !== '{') add('flip-sign', replaceRange(ps, i, i + 1, i === 0 || OPEN.has(ps[i - 1]!.text) || ps[i - 1]!.text === '=' || ps[i - 1]!.text === '&' ? '' : '+'), p.start);

    // drop a term: from a + or - to the next + or - (or the end of the group) at the same depth
    if ((p.text === '+' || p.text === '-') && i > 0 && !OPEN.has(ps[i - 1]!.text) && ps[i - 1]!.text !== '=' && ps[i - 1]!.text !== '^' && ps[i - 1]!.text !== '&') {
      let depth = 0;
      let j = i + 1;
      for (; j < ps.length; j++) {
        const t = ps[j]!.text;
        if (OPEN.has(t) || t.startsWith('\\left')) depth++;
        else if (t === '}' || t === ')' || t === ']' || t === '\\}' || t.startsWith('\\right')) {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && (t === '+' || t === '-' || t === '=' || t === '&' || t === '\\\\' || t === '\\neq')) break;
      }
      add('drop-term', source.slice(0, ps[i]!.start) + (j < ps.length ? source.slice(ps[j]!.start) : ''), p.start);
    }

    // permute a trace: a product of three or more factors, two adjacent ones swapped (never a rotation)
    if (TRACE.has(p.text) || (p.text === '\\operatorname' && ps[i + 1]?.text === '{' && /^(tr|Tr)$/.test(textOf(ps, i + 2, groupEnd(ps, i + 1) - 1)))) {
      let g = p.text === '\\operatorname' ? groupEnd(ps, i + 1) : i + 1;
      if (p.text === 'T' || p.text === 't') g = i + 2;
      const end = groupEnd(ps, g);
      if (end > 0) {
        const units: [number, number][] = [];
        let k = g + 1;
        while (k < end - 1) {
          const e = unitEnd(ps, k);
          if (e < 0) break;
          units.push([k, e]);
          k = e;
        }
        if (k === end - 1 && units.length >= 3) {
          for (let u = 0; u + 1 < units.length; u++) {
            const [s1, e1] = units[u]!;
            const [, e2] = units[u + 1]!;
            const a = textOf(ps, s1, e1);
            const b = textOf(ps, e1, e2);
            if (a !== b) add('permute-trace', `${source.slice(0, ps[s1]!.start)}${b} ${a}${source.slice(ps[e2 - 1]!.end)}`, ps[s1]!.start);
          }
        }
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((m) => (seen.has(m.latex) ? false : (seen.add(m.latex), true)));
}
