import type { Span } from './api.ts';

/**
 * Why a formula cannot be understood. `span` points into the formula's LaTeX (or, for
 * declaration errors, into the `where` string: see `inWhere`).
 */
export type ErrorCode =
  | 'parse'
  | 'unknown-macro'
  | 'unknown-symbol'
  | 'shape'
  | 'declaration'
  | 'domain'
  | 'unsupported'
  | 'too-large'
  | 'render'
  | 'directive'
  | 'internal';

export class EngineError extends Error {
  readonly span: Span | undefined;
  readonly code: ErrorCode;
  /** Set when the span points into a `where` declaration rather than the LaTeX. */
  inWhere = false;
  constructor(message: string, span: Span | undefined, code: ErrorCode) {
    super(message);
    this.name = 'EngineError';
    this.span = span;
    this.code = code;
  }
}

/** A value outside a function's domain met while evaluating a sample; the sampler redraws. */
export class DomainError extends Error {
  readonly span: Span | undefined;
  constructor(message: string, span?: Span) {
    super(message);
    this.name = 'DomainError';
    this.span = span;
  }
}
