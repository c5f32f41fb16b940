#!/usr/bin/env node
/**
 * npm run verify -- [PATH ...] [--json FILE] [--junit FILE] [--seed N] [--strict]
 *                    [--no-cache] [--cache-dir DIR] [--jobs N]
 *
 * The contract is shared/spec/report.md. Exit status: 0 every formula holds, 1 some formula
 * failed or is an error (or, with --strict, is only verified), 2 the command was used wrongly.
 *
 * Verdicts are cached where Astro keeps its caches (`node_modules/.astro/proofsheet` of the
 * project the command runs in), shared with `astro build`; `--no-cache` checks everything
 * afresh. Large inputs are checked on every core (src/markdown/pool.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, type PageReport } from '../engine/api.ts';
import { displayPath } from '../markdown/extract.ts';
import { verifyFiles } from '../markdown/pool.ts';
import { findMarkdownFiles } from '../markdown/verify.ts';
import { toJsonReport } from '../report/json.ts';
import { toJUnit } from '../report/junit.ts';
import { failures } from '../report/summary.ts';
import { formatText } from '../report/text.ts';

export const USAGE = `usage: npm run verify -- [PATH ...] [--json FILE] [--junit FILE] [--seed N] [--strict]
                         [--no-cache] [--cache-dir DIR] [--jobs N]

  PATH             Markdown files or folders (searched for .md and .mdx); default content/
  --json FILE      write the JSON report to FILE
  --junit FILE     write JUnit XML (one test case per formula) to FILE
  --seed N         seed of the random draws (default ${DEFAULT_SEED})
  --strict         count formulas that are only verified, not proved, as failures
  --no-cache       check every formula afresh (the verdict cache is neither read nor written)
  --cache-dir DIR  verdict cache folder (default node_modules/.astro/proofsheet, shared with astro build)
  --jobs N         worker threads (default: every core when there are many formulas to check)
  -h, --help       show this help`;

class UsageError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is redrawn in place). */
  tty: boolean;
}

const PROGRESS_EVERY = 50;

/** Run the verifier; resolves to the exit status. */
export async function main(argv: string[], cwd: string, io: Io): Promise<number> {
  let options;
  try {
    options = parseOptions(argv, cwd);
  } catch (error) {
    if (!(error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw error;
    io.stderr(`verify: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }

  const files = findMarkdownFiles(options.paths);
  const sources = new Map<string, string>();
  const showProgress = io.tty || files.length > PROGRESS_EVERY;
  const checked = await verifyFiles(files, {
    seed: options.seed,
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
    ...(options.jobs ? { threads: options.jobs } : {}),
    progress: (done, total, path) => {
      if (!showProgress || !(io.tty || done % PROGRESS_EVERY === 1 || done === total)) return;
      const line = `verified ${done}/${total} ${displayPath(path, cwd)}`;
      io.stderr(io.tty ? `\r\x1b[K${line}` : `${line}\n`);
    },
  });
  if (showProgress && io.tty) io.stderr('\r\x1b[K');
  const reports: PageReport[] = checked.map((report, index) => {
    const file = displayPath(files[index]!, cwd);
    sources.set(file, readFileSync(files[index]!, 'utf8'));
    return withFile(report, file);
  });

  io.stdout(formatText(reports, { strict: options.strict, readSource: (file) => sources.get(file) }));
  if (options.json) write(options.json, `${JSON.stringify(toJsonReport(reports, options.seed), null, 2)}\n`);
  if (options.junit) write(options.junit, toJUnit(reports, { strict: options.strict }));
  return failures(reports, options.strict).length > 0 ? 1 : 0;
}

function parseOptions(argv: string[], cwd: string) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'string' },
      junit: { type: 'string' },
      seed: { type: 'string' },
      strict: { type: 'boolean', default: false },
      cache: { type: 'boolean', default: true },
      'cache-dir': { type: 'string' },
      jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowNegative: true,
  });
  let seed = DEFAULT_SEED;
  if (values.seed !== undefined) {
    if (!/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed needs an integer, got "${values.seed}"`);
    seed = Number(values.seed);
  }
  let jobs: number | undefined;
  if (values.jobs !== undefined) {
    if (!/^[1-9]\d*$/.test(values.jobs)) throw new UsageError(`--jobs needs a positive integer, got "${values.jobs}"`);
    jobs = Number(values.jobs);
  }
  const paths = (positionals.length > 0 ? positionals : ['content']).map((path) => resolve(cwd, path));
  for (const path of paths) {
    if (!existsSync(path)) throw new UsageError(`no such file or folder: ${displayPath(path, cwd)}`);
  }
  return {
    paths,
    seed,
    strict: values.strict,
    help: values.help,
    jobs,
    cacheDir: !values.cache ? undefined : values['cache-dir'] !== undefined ? resolve(cwd, values['cache-dir']) : defaultCacheDir(process.cwd()),
    json: values.json === undefined ? undefined : resolve(cwd, values.json),
    junit: values.junit === undefined ? undefined : resolve(cwd, values.junit),
  };
}

/** Report paths relative to the caller's working directory (the engine got cwd-relative ones). */
function withFile(report: PageReport, file: string): PageReport {
  if (report.file === file) return report;
  return { ...report, file, formulas: report.formulas.map((f) => ({ ...f, file })) };
}

/**
 * Where Astro keeps its caches for the project the command runs in: `node_modules/.astro` of the
 * nearest folder with a package.json (Astro's default `cacheDir`); none outside a project.
 */
export function defaultCacheDir(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'node_modules', '.astro', 'proofsheet');
    if (dirname(dir) === dir) return undefined;
  }
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

if (import.meta.main) {
  // `npm run verify` runs in the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.npm_lifecycle_event === 'verify' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  process.exitCode = await main(process.argv.slice(2), cwd, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    tty: Boolean(process.stderr.isTTY),
  });
}
