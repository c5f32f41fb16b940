#!/usr/bin/env node
/**
 * npm run verify -- [PATH ...] [--json FILE] [--junit FILE] [--seed N] [--strict]
 *
 * The contract is shared/spec/report.md. Exit status: 0 every formula holds, 1 some formula
 * failed or is an error (or, with --strict, is only verified), 2 the command was used wrongly.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, type PageReport } from '../engine/api.ts';
import { displayPath } from '../markdown/extract.ts';
import { findMarkdownFiles, verifyFile } from '../markdown/verify.ts';
import { toJsonReport } from '../report/json.ts';
import { toJUnit } from '../report/junit.ts';
import { failures } from '../report/summary.ts';
import { formatText } from '../report/text.ts';

export const USAGE = `usage: npm run verify -- [PATH ...] [--json FILE] [--junit FILE] [--seed N] [--strict]

  PATH          Markdown files or folders (searched for .md and .mdx); default content/
  --json FILE   write the JSON report to FILE
  --junit FILE  write JUnit XML (one test case per formula) to FILE
  --seed N      seed of the random draws (default ${DEFAULT_SEED})
  --strict      count formulas that are only verified, not proved, as failures
  -h, --help    show this help`;

class UsageError extends Error {}

interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is redrawn in place). */
  tty: boolean;
}

const PROGRESS_EVERY = 50;

/** Run the verifier; returns the exit status. */
export function main(argv: string[], cwd: string, io: Io): number {
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
  const reports: PageReport[] = [];
  const showProgress = io.tty || files.length > PROGRESS_EVERY;
  files.forEach((path, index) => {
    if (showProgress && (io.tty || index % PROGRESS_EVERY === 0)) {
      const line = `verifying ${index + 1}/${files.length} ${displayPath(path, cwd)}`;
      io.stderr(io.tty ? `\r\x1b[K${line}` : `${line}\n`);
    }
    sources.set(displayPath(path, cwd), readFileSync(path, 'utf8'));
    reports.push(withFile(verifyFile(path, { seed: options.seed }).report, displayPath(path, cwd)));
  });
  if (showProgress && io.tty) io.stderr('\r\x1b[K');

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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  let seed = DEFAULT_SEED;
  if (values.seed !== undefined) {
    if (!/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed needs an integer, got "${values.seed}"`);
    seed = Number(values.seed);
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
    json: values.json === undefined ? undefined : resolve(cwd, values.json),
    junit: values.junit === undefined ? undefined : resolve(cwd, values.junit),
  };
}

/** Report paths relative to the caller's working directory (the engine got cwd-relative ones). */
function withFile(report: PageReport, file: string): PageReport {
  if (report.file === file) return report;
  return { ...report, file, formulas: report.formulas.map((f) => ({ ...f, file })) };
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

if (import.meta.main) {
  // `npm run verify` runs in the package root; INIT_CWD is where the user typed the command.
  const cwd = process.env.npm_lifecycle_event === 'verify' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  process.exitCode = main(process.argv.slice(2), cwd, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    tty: Boolean(process.stderr.isTTY),
  });
}
