/**
 * The engine's public contract: what the Markdown adapters (remark plugin, CLI, Astro
 * integration) hand to the engine and what they get back. Pure data, no framework types.
 *
 * Positions: the engine knows nothing about files. Every item carries the location of its
 * directive in the file (`loc`) and of the first character of its LaTeX (`latexLoc`, when the
 * adapter can find it). Errors inside the LaTeX carry an offset span into `latex`; the adapter
 * (or `locate`) turns it into a file line/column.
 */

export type Layout = 'mixed' | 'numerator' | 'denominator';
export type Verdict = 'proved' | 'verified' | 'failed' | 'error';
export type FormulaKind = 'identity' | 'definition';

/** 1-based line and column in a file, plus the 0-based offset when known. */
export interface Loc {
  line: number;
  column: number;
  offset?: number;
}

/** A half-open range of offsets into a formula's LaTeX string. */
export interface Span {
  start: number;
  end: number;
}

export interface DeclareItem {
  type: 'declare';
  /** The `where` grammar of authoring.md §3. */
  where: string;
  loc: Loc;
}

export interface FormulaItem {
  type: 'formula';
  kind: FormulaKind;
  /** The author's `#id`; when absent the engine derives a stable one. */
  id?: string;
  /** Exactly the LaTeX that KaTeX renders. */
  latex: string;
  where?: string;
  layout?: Layout;
  /** Inline (`:identity[$…$]`) or display. */
  inline?: boolean;
  /** Location of the directive. */
  loc: Loc;
  /** Location of the first character of `latex` in the file, when known. */
  latexLoc?: Loc;
  /** Set by the adapter when KaTeX itself refused the LaTeX. */
  renderError?: { message: string; span?: Span };
}

export type PageItem = DeclareItem | FormulaItem;

export interface PageInput {
  /** Path as it should appear in messages (relative to the working directory). */
  file: string;
  /** Frontmatter `symbols`. */
  symbols?: string;
  /** Frontmatter `layout`. */
  layout?: Layout;
  /** Directives in document order. */
  items: PageItem[];
  /** Display formulas that no directive wraps (coverage). */
  unwrapped?: number;
}

export interface VerifyOptions {
  /** Seed of the random draws; the default is fixed so runs repeat. */
  seed?: number;
  /** Number of random trials per formula. */
  trials?: number;
}

export interface DerivationStep {
  latex: string;
  rule: string;
}

export interface Counterexample {
  /** Sampled values of the symbols, by name: numbers, vectors (arrays) or matrices (arrays of rows). */
  values: Record<string, unknown>;
  /** Index of the pair in a chain that failed (0 for a simple equation). */
  pair?: number;
  lhs: unknown;
  rhs: unknown;
  lhsLatex?: string;
  rhsLatex?: string;
}

export interface FormulaResult {
  file: string;
  /** The directive's start. */
  line: number;
  column: number;
  id: string;
  kind: FormulaKind;
  latex: string;
  status: Verdict;
  derived: string | null;
  steps: DerivationStep[];
  message: string | null;
  counterexample: Counterexample | null;
  checks: {
    symbolic: 'proved' | 'not-established' | 'not-applicable';
    numeric: { trials: number; maxRelError: number } | null;
  };
  /** Where in the file the problem is (the offending LaTeX), when it is inside the formula. */
  source?: { line: number; column: number; span: Span; excerpt: string };
  /** Rule name when the engine disagreed with itself (an internal error). */
  ruleId?: string;
}

export interface PageReport {
  file: string;
  formulas: FormulaResult[];
  unwrapped: number;
}

export const DEFAULT_SEED = 1;
