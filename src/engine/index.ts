/**
 * Proofsheet's formula engine: LaTeX → typed expression → derivative → canonical form → numbers.
 * Pure TypeScript: no framework imports, runs in Node and in the browser (in a browser, await
 * `loadNumerics()` once before checking: mathjs is otherwise loaded on first use, synchronously,
 * which only Node can do).
 */
export * from './api.ts';
export { verifyPage, ENGINE_VERSION, stableId, locate } from './verify.ts';
export { parseWhere, normalizeName } from './scope.ts';
export { parseFormula, parseExpression } from './latex/parser.ts';
export { EngineError } from './errors.ts';
export { loadNumerics } from './numeric/linalg.ts';
