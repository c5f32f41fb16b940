/**
 * The build's own files (src/astro/outputs.ts): written by a worker thread into a staging
 * folder, then moved into the output folder; written on this thread when the worker cannot.
 */
import { spawn } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PageReport } from '../src/engine/api.ts';
import { stageOutputs, writeOutputs, type OutputsJob } from '../src/astro/outputs.ts';
import { verifyPageCached } from '../src/markdown/verify.ts';
import { toReportIndex, toSiteReport } from '../src/astro/site-report.ts';
import { pageSummary } from '../src/report/summary.ts';
import { extractPage, parseMarkdown } from '../src/markdown/extract.ts';

const PAGE = `---
title: T
symbols: "A: n×n; B: n×n"
---

:::identity{#cyclic}
$$
\\operatorname{tr}(AB) = \\operatorname{tr}(BA)
$$
:::
`;

function job(root: string): OutputsJob {
  const file = join(root, 'content/page.md');
  const page = extractPage(parseMarkdown(PAGE, file), { source: PAGE, file: 'content/page.md' });
  const reports: PageReport[] = [verifyPageCached(page, { seed: 1 })];
  return { reports, seed: 1, rootDir: root, builtAt: '2026-01-01T00:00:00.000Z', report: 'reports/verification.json' };
}

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-outputs-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** What a folder holds: relative path → content. */
function files(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, entry.name);
    if (entry.isDirectory()) Object.assign(out, files(dir, rel));
    else out[rel] = readFileSync(join(dir, rel), 'utf8');
  }
  return out;
}

describe('the build outputs', () => {
  it('are staged by a worker and moved into the output folder, the same files as written directly', async () => {
    const root = temp();
    const expected = join(root, 'direct');
    writeOutputs(expected, job(root));
    const out = join(root, 'dist');
    mkdirSync(join(out, 'reports'), { recursive: true });
    writeFileSync(join(out, 'reports/other.json'), '{}'); // a folder already there is merged into
    const parent = join(root, 'cache');
    const staged = stageOutputs(parent, job(root));
    staged.start();
    await staged.moveInto(out);
    expect(files(out)).toEqual({ ...files(expected), 'reports/other.json': '{}' });
    expect(Object.keys(files(out))).toContain('_proofsheet/steps/content/page.md.json');
    expect(JSON.parse(files(out)['reports/verification.json']!)).toMatchObject({ summary: { total: 1, failed: 0 } });
    expect(readdirSync(parent)).toEqual([]);
  });

  it('are written on this thread when the worker cannot write them', async () => {
    const root = temp();
    const parent = join(root, 'cache');
    mkdirSync(parent);
    // the staging folder's place is taken by a file: the worker fails to write there
    writeFileSync(join(parent, `staging-${process.pid}`), 'x');
    const staged = stageOutputs(parent, job(root));
    staged.start();
    const out = join(root, 'dist');
    await staged.moveInto(out);
    expect(Object.keys(files(out)).sort()).toEqual(['_proofsheet/steps/content/page.md.json', 'reports/verification.json']);
  });

  it('take the cache\'s answers as JSON, parsed in the worker, which sends the report index for the page first', async () => {
    const root = temp();
    const plain = job(root);
    const expected = join(root, 'direct');
    writeOutputs(expected, plain);
    const cached: OutputsJob = {
      ...plain,
      index: true,
      reports: plain.reports.map((r) => ({ file: r.file, summary: pageSummary(r as PageReport), json: Buffer.from(JSON.stringify(r)) })),
    };
    const staged = stageOutputs(join(root, 'cache'), cached);
    staged.start();
    const want = toReportIndex(toSiteReport(plain.reports as PageReport[], plain.seed), plain.builtAt);
    expect(JSON.parse((await staged.index())!)).toEqual(want);
    expect(want.formulas.map((f) => f.id)).toEqual(['cyclic']);
    expect(want.builtAt).toBe(plain.builtAt);
    const out = join(root, 'dist');
    await staged.moveInto(out);
    expect(files(out)).toEqual(files(expected));
    expect(readdirSync(join(root, 'cache'))).toEqual([]); // the index was never a file
    // no worker: the index is made on this thread when the page asks for it
    expect(JSON.parse((await stageOutputs(join(root, 'cache2'), cached).index())!)).toEqual(want);
    // no report page: no index
    expect(await stageOutputs(join(root, 'cache3'), plain).index()).toBeUndefined();
  });

  it('write a reproducible verification.json: no build time in it, the same bytes for the same pages, kept by the next build', async () => {
    const root = temp();
    const out = join(root, 'dist');
    writeOutputs(out, job(root));
    writeOutputs(join(root, 'b'), { ...job(root), builtAt: '2030-05-05T05:05:05.000Z' });
    const path = join(out, 'reports/verification.json');
    const report = readFileSync(path, 'utf8');
    expect(readFileSync(join(root, 'b/reports/verification.json'), 'utf8')).toBe(report);
    expect(JSON.parse(report)).not.toHaveProperty('builtAt');
    expect(report).not.toContain('2026-01-01');
    // a later build of the same pages keeps the file as it was
    const past = new Date('2025-01-01T00:00:00Z');
    utimesSync(path, past, past);
    const staged = stageOutputs(join(root, 'cache'), { ...job(root), builtAt: '2030-05-05T05:05:05.000Z' });
    staged.retire(out, ['reports/verification.json']);
    staged.start();
    await staged.moveInto(out);
    expect(readFileSync(path, 'utf8')).toBe(report);
    expect(statSync(path).mtime).toEqual(past);
  });

  it('are written on this thread when nothing started the worker', async () => {
    const root = temp();
    const out = join(root, 'dist');
    await stageOutputs(join(root, 'cache'), job(root)).moveInto(out);
    expect(Object.keys(files(out)).sort()).toEqual(['_proofsheet/steps/content/page.md.json', 'reports/verification.json']);
  });

  it('are nothing at all when there is no report and no derivation', async () => {
    const root = temp();
    const out = join(root, 'dist');
    mkdirSync(out);
    const staged = stageOutputs(join(root, 'cache'), { ...job(root), reports: [], report: false });
    staged.start();
    await staged.moveInto(out);
    expect(readdirSync(out)).toEqual([]);
  });

  it('move the previous build\'s files out of the output folder, deleted beside the build, or put back', async () => {
    const root = temp();
    const parent = join(root, 'cache');
    const out = join(root, 'dist');
    writeOutputs(out, job(root));
    writeFileSync(join(out, 'index.html'), '<p>a page</p>');
    const before = files(out);
    // put back: the build stopped before Astro emptied the output folder
    const stopped = stageOutputs(parent, job(root));
    stopped.retire(out, ['_proofsheet/steps', 'reports/verification.json', '../outside', 'missing/file.json']);
    expect(readdirSync(out)).toEqual(['index.html']);
    expect(readdirSync(join(parent, `retired-${process.pid}`)).sort()).toEqual(['_proofsheet', 'reports']);
    stopped.restore();
    expect(files(out)).toEqual(before);
    expect(readdirSync(parent)).toEqual([]);
    // deleted by the worker, while the new files are written
    const staged = stageOutputs(parent, job(root));
    staged.retire(out, ['_proofsheet/steps', 'reports/verification.json']);
    rmSync(join(out, 'index.html')); // Astro empties the rest
    staged.start();
    await staged.moveInto(out);
    expect(Object.keys(files(out)).sort()).toEqual(['_proofsheet/steps/content/page.md.json', 'reports/verification.json']);
    expect(readdirSync(parent)).toEqual([]);
    // deleted when the files are moved in, when no worker ran
    const alone = stageOutputs(parent, job(root));
    alone.retire(out, ['_proofsheet/steps']);
    expect(readdirSync(parent)).toEqual([`retired-${process.pid}`]);
    await alone.moveInto(out);
    expect(readdirSync(parent)).toEqual([]);
    expect(Object.keys(files(out)).sort()).toEqual(['_proofsheet/steps/content/page.md.json', 'reports/verification.json']);
  });

  it('start from the previous build\'s files: unchanged ones are kept, the rest deleted or written anew', async () => {
    const root = temp();
    const parent = join(root, 'cache');
    const out = join(root, 'dist');
    const expected = join(root, 'direct');
    writeOutputs(expected, job(root));
    const steps = '_proofsheet/steps/content/page.md.json';
    // the previous build: the same steps file, an older report, a page since removed, stray entries
    writeOutputs(out, job(root));
    writeFileSync(join(out, 'reports/verification.json'), '{ "version": 1, "engine": "an older one" }\n');
    const previous = readFileSync(join(out, 'reports/verification.json'), 'utf8');
    mkdirSync(join(out, '_proofsheet/steps/content/gone'), { recursive: true });
    writeFileSync(join(out, '_proofsheet/steps/content/gone/old.md.json'), '{}');
    mkdirSync(join(out, '_proofsheet/steps/content/page.md.json.d'));
    writeFileSync(join(out, '_proofsheet/stray.txt'), 'x');
    symlinkSync(join(expected, steps), join(out, '_proofsheet/steps/content/linked.md.json'));
    const past = new Date('2025-01-01T00:00:00Z');
    utimesSync(join(out, steps), past, past);
    linkSync(join(out, 'reports/verification.json'), join(root, 'snapshot.json')); // say, a backup made with hard links
    const staged = stageOutputs(parent, job(root));
    staged.retire(out, ['_proofsheet/steps', 'reports/verification.json']);
    staged.start();
    await staged.moveInto(out);
    expect(files(out)).toEqual(files(expected));
    expect(statSync(join(out, steps)).mtime).toEqual(past); // the same file, not written again
    expect(files(out)['reports/verification.json']).not.toBe(previous);
    expect(readFileSync(join(root, 'snapshot.json'), 'utf8')).toBe(previous); // written as a new file, not into the old one
    expect(readdirSync(join(out, '_proofsheet/steps/content'))).toEqual(['page.md.json']);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('sweep away the staging folders of killed builds, and keep those of running ones', async () => {
    const root = temp();
    const parent = join(root, 'cache');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const dead = spawn(process.execPath, ['-e', '']);
      await new Promise((resolve) => dead.on('exit', resolve));
      for (const pid of [dead.pid, child.pid]) {
        mkdirSync(join(parent, `staging-${pid}`, '_proofsheet'), { recursive: true });
        mkdirSync(join(parent, `retired-${pid}`, '_proofsheet'), { recursive: true });
      }
      mkdirSync(join(parent, `retired-${process.pid}`, '_proofsheet'), { recursive: true }); // this build's own
      const staged = stageOutputs(parent, job(root));
      staged.start();
      expect(readdirSync(parent)).toContain(`retired-${process.pid}`);
      expect(readdirSync(parent)).toContain(`staging-${child.pid}`);
      expect(readdirSync(parent)).not.toContain(`staging-${dead.pid}`);
      expect(readdirSync(parent)).not.toContain(`retired-${dead.pid}`);
      await staged.moveInto(join(root, 'dist'));
      expect(readdirSync(parent).sort()).toEqual([`retired-${child.pid}`, `staging-${child.pid}`]);
      expect(existsSync(join(root, 'dist/_proofsheet'))).toBe(true);
    } finally {
      child.kill();
    }
  });
});
