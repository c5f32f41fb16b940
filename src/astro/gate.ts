/** The build gate: verify every page before Astro writes anything. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AstroError } from 'astro/errors';
import type { FormulaResult, PageReport } from '../engine/api.ts';
import { reportOf, summaryOf, type PageResult } from '../markdown/cache.ts';
import { startVerifyFiles, type VerifyRun } from '../markdown/pool.ts';
import { findMarkdownFiles, verifyFileReport, type CheckOptions } from '../markdown/verify.ts';
import { codeFrame } from '../report/frame.ts';
import { failures, summarize, summaryLine } from '../report/summary.ts';
import { formatFailure, framePoint, resultLine } from '../report/text.ts';
import type { ProofsheetOptions } from './options.ts';

/** Verify every .md/.mdx page (report paths are relative to the working directory) under the content folder (memoized per page). */
export function verifyContent(rootDir: string, options: ProofsheetOptions): PageReport[] {
  const contentDir = resolve(rootDir, options.contentDir);
  if (!existsSync(contentDir) || !options.check) return [];
  return findMarkdownFiles([contentDir]).map((path) => verifyFileReport(path, checkOptions(options)).report);
}

/**
 * Start verifying the content folder, on every core when there is much to check (the build
 * gate): the run goes on while Astro renders the pages, and the gate awaits `all()`.
 */
export function startContentVerification(rootDir: string, options: ProofsheetOptions): VerifyRun | undefined {
  const contentDir = resolve(rootDir, options.contentDir);
  if (!existsSync(contentDir) || !options.check) return undefined;
  return startVerifyFiles(findMarkdownFiles([contentDir]), { ...checkOptions(options), beside: true });
}

/** What the checker needs of the integration's options (seed, trials, cache folder). */
export function checkOptions(options: ProofsheetOptions): CheckOptions {
  return {
    seed: options.seed,
    ...(options.trials ? { trials: options.trials } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  };
}

const HINT =
  'Fix the formula, its `where` declarations or the page `symbols`, or run `npm run verify -- FILE` for the full report ' +
  '(values, counterexamples). A documented mistake is written with \\neq. See the authoring guide.';

/**
 * One error for the whole build, listing every formula that does not hold, with code frames.
 * Pages answered by the disk cache are decided by their summaries: only when a formula fails
 * are the reports parsed.
 */
export function buildGateError(results: readonly PageResult[], strict: boolean): AstroError | undefined {
  if (results.every((result) => summaryOf(result)[strict ? 'failingStrict' : 'failing'] === 0)) return undefined;
  const reports = results.map(reportOf);
  const failing = failures(reports, strict);
  if (failing.length === 0) return undefined;
  const blocks = failing.map((f) => formatFailure(f, readSource(f.file)));
  const error = new AstroError(
    `${failing.length} formula${failing.length === 1 ? '' : 's'} did not pass verification:\n\n${blocks.join('\n\n')}\n\n${summaryLine(summarize(reports))}`,
    HINT,
  );
  return locate(error, failing[0]!);
}

/** The dev-server error for one page: Astro's overlay shows `loc` and the code frame. */
export function pageError(report: PageReport, strict: boolean): AstroError | undefined {
  const failing = failures([report], strict);
  if (failing.length === 0) return undefined;
  const error = new AstroError(
    failing.length === 1
      ? `Formula ${resultLine(failing[0]!)}`
      : `${failing.length} formulas on this page did not pass verification:\n\n${failing.map(resultLine).join('\n')}`,
    HINT,
  );
  return locate(error, failing[0]!);
}

type LocatedError = AstroError & { loc?: { file: string; line: number; column: number }; frame?: string; name: string };

function locate(error: AstroError, f: FormulaResult): AstroError {
  const located = error as LocatedError;
  const point = framePoint(f);
  located.name = "Proofsheet";
  located.loc = { file: resolve(f.file), line: point.line, column: point.column };
  const source = readSource(f.file);
  if (source !== undefined) located.frame = codeFrame(source, point);
  return located;
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(resolve(file), 'utf8');
  } catch {
    return undefined;
  }
}
