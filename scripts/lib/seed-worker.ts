/** A tinypool worker for scripts/seeds.ts: the verdicts of every page of a folder under one seed. */
import type { Verdict } from '../../src/engine/api.ts';
import { verifyPage } from '../../src/engine/index.ts';
import { parseMarkdownFile } from '../../src/markdown/extract.ts';
import { findMarkdownFiles } from '../../src/markdown/verify.ts';

const pages = new Map<string, ReturnType<typeof parseMarkdownFile>[]>();

export interface SeedRun {
  seed: number;
  /** `file:line:column id` → verdict, in document order. */
  verdicts: [string, Verdict][];
  /** The whole report, for byte comparison of two runs under the same seed. */
  json: string;
  ms: number;
}

export default function run({ dir, seed }: { dir: string; seed: number }): SeedRun {
  let list = pages.get(dir);
  if (!list) {
    list = findMarkdownFiles([dir]).map((f) => parseMarkdownFile(f));
    pages.set(dir, list);
  }
  const started = performance.now();
  const reports = list.map((p) => verifyPage(p, { seed }));
  const ms = performance.now() - started;
  const verdicts: [string, Verdict][] = reports.flatMap((r) => r.formulas.map((f): [string, Verdict] => [`${f.file}:${f.line}:${f.column} ${f.id}`, f.status]));
  return { seed, verdicts, json: JSON.stringify(reports), ms };
}
