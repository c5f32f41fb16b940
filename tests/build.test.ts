/**
 * End to end: `astro build` of a small Proofsheet site (tests/fixtures/site) fails on a wrong
 * identity, located at its file, line and column, without touching an existing dist/; and a
 * correct site builds, with the formula cards and the JSON report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, copySite } from './helpers/site.ts';

const astro = fileURLToPath(new URL('../node_modules/astro/bin/astro.mjs', import.meta.url));

const WRONG = `---
title: A wrong identity
symbols: "A: n×n; x: n"
---

The transpose is missing below.

:::identity{#wrong-gradient}
$$
\\frac{\\partial}{\\partial x} x^\\top A x = 2 A x
$$
:::
`;

function build(cwd: string, env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [astro, 'build'], {
    cwd,
    encoding: 'utf8',
    env: { ...childEnv(), ...env },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

/** Every file under a folder, by relative path, with its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else files[relative(dir, path)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

describe('astro build with the proofsheet integration', () => {
  let site: string;
  beforeAll(() => {
    site = copySite('build');
  });
  afterAll(() => rmSync(site, { recursive: true, force: true }));

  it('fails on a wrong identity, names file:line:column, and leaves dist/ byte-for-byte as it was', () => {
    writeFileSync(join(site, 'content/wrong.md'), WRONG);
    mkdirSync(join(site, 'dist/assets'), { recursive: true });
    writeFileSync(join(site, 'dist/index.html'), '<!doctype html><p>the previous, good build</p>\n');
    writeFileSync(join(site, 'dist/assets/data.bin'), Buffer.from([0, 1, 2, 255]));
    const before = snapshot(join(site, 'dist'));

    const run = build(site);
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/^content\/wrong\.md:8:1 {2}failed {2}wrong-gradient {2}\S/m);
    expect(run.output).toMatch(/1 formula did not pass verification/);
    expect(run.output).toMatch(/^\d+ formulas: \d+ proved, \d+ verified, 1 failed, 0 error$/m);
    expect(snapshot(join(site, 'dist'))).toEqual(before);

    // again, every page now answered by the verdict cache (its summaries decide the gate): the same failure
    const again = build(site);
    expect(again.status).toBe(1);
    expect(again.output).toMatch(/^content\/wrong\.md:8:1 {2}failed {2}wrong-gradient {2}\S/m);
    expect(again.output).toMatch(/1 formula did not pass verification/);
    expect(snapshot(join(site, 'dist'))).toEqual(before);
  });

  it('builds a correct site: formula cards in the pages and dist/verification.json', () => {
    rmSync(join(site, 'content/wrong.md'));
    rmSync(join(site, 'dist'), { recursive: true, force: true });

    const run = build(site);
    expect(run.output).not.toMatch(/did not pass verification/);
    expect(run.status).toBe(0);
    expect(run.output).toMatch(/\[proofsheet\] 3 formulas: \d+ proved, \d+ verified, 0 failed, 0 error/);

    const report = JSON.parse(readFileSync(join(site, 'dist/verification.json'), 'utf8'));
    expect(report).toMatchObject({ version: 1, seed: 1, summary: { total: 3, failed: 0, error: 0 } });
    expect(report.formulas.map((f: { file: string; line: number }) => `${f.file}:${f.line}`)).toEqual([
      'content/good.md:8',
      'content/good.md:14',
      'content/more.mdx:10',
    ]);

    const html = readFileSync(join(site, 'dist/good/index.html'), 'utf8');
    const figure = /<figure class="ps-identity" id="trace-cyclic" data-verdict="(proved|verified)" data-kind="identity"[^>]*>([\s\S]*?)<\/figure>/.exec(html);
    expect(figure).not.toBeNull();
    const card = figure![2]!;
    expect(card).toContain('<a class="ps-permalink" href="#trace-cyclic" aria-label="Link to formula trace-cyclic">#</a>');
    // the copy button is the page script's; it copies KaTeX's annotation, the formula as written
    expect(card).not.toContain('ps-copy');
    expect(card).toContain('<annotation encoding="application/x-tex">\\operatorname{tr}(AB) = \\operatorname{tr}(BA)</annotation>');
    expect(card).toMatch(/<span class="katex-display" data-pagefind-ignore="">/);
    // The derivation: in the page's steps file, which the build writes beside the page and the
    // page links once, after its content (for the page script, which adds the card's button, and
    // for readers without it); nothing of it is in the card.
    expect(card).not.toContain('ps-derivation');
    expect(html.match(/class="ps-steps-file"/g)).toHaveLength(1);
    expect(html).toMatch(/<p class="ps-steps-file" data-pagefind-ignore=""><a href="\/_proofsheet\/steps\/content\/good\.md\.json">[^<]+<\/a><\/p>/);
    expect(html.indexOf('class="ps-steps-file"')).toBeGreaterThan(html.lastIndexOf('<figure class="ps-identity'));
    const steps = JSON.parse(readFileSync(join(site, 'dist/_proofsheet/steps/content/good.md.json'), 'utf8'));
    expect(Object.keys(steps)).toContain('trace-cyclic');
    expect(steps['trace-cyclic'].checked).toMatch(/^checked: \d+ random trials, max rel\. error [^,]+, seed 1$/);
    expect(steps['trace-cyclic'].steps).toContain('\\operatorname{tr}');
    expect(readdirSync(join(site, 'dist/_proofsheet/steps/content')).sort()).toEqual(['good.md.json', 'more.mdx.json']);
    // written beside the build into a staging folder of Astro's cache, then moved in: none is left
    expect(readdirSync(join(site, 'node_modules/.astro/proofsheet-outputs'))).toEqual([]);
    // The formula as a reader types it, for the search index only.
    expect(card).toContain('<span class="ps-search-text" hidden>tr(AB) tr(BA) ');
    expect(html).toMatch(/<span class="ps-identity-inline" id="[^"]+" data-verdict="(proved|verified)"[ >]/);
    // Directives are claimed, never shown as text; `::declare` renders nothing.
    expect(html).not.toMatch(/:::|::declare|:identity\[/);

    // MDX pages get the same cards.
    const mdx = readFileSync(join(site, 'dist/more/index.html'), 'utf8');
    expect(mdx).toContain('Written in MDX.');
    expect(mdx).toMatch(/<figure class="ps-identity" id="transpose-twice" data-verdict="(proved|verified)"/);
    expect(mdx).toMatch(/<p class="ps-steps-file" data-pagefind-ignore=""><a href="\/_proofsheet\/steps\/content\/more\.mdx\.json">/);

    // The report page the integration adds: every formula linked, with the engine version.
    expect(report).toMatchObject({ engine: expect.any(String), pages: expect.any(Array) });
    expect(report).not.toHaveProperty('builtAt'); // reproducible: the build time is on the page only
    const page = readFileSync(join(site, 'dist/verification/index.html'), 'utf8');
    expect(page).toContain('<title>Verification report');
    expect(page).toContain('href="/good/#trace-cyclic"');
    expect(page).toContain('href="/more/#transpose-twice"');
    expect(page).toContain(`Engine <code>${report.engine}</code>`);
    // left out of the search index, and its bulk skipped by Pagefind's reader (report-page.ts)
    expect(page).not.toContain('data-pagefind-body');
    expect(page).toMatch(/<section class="ps-index-page" data-pagefind-ignore="all">/);
    expect(page).toMatch(/<div class="ps-report-table" data-pagefind-ignore="all">/);
    // This site switches Starlight's search off (`pagefind: false`): no index is built in its place.
    expect(existsSync(join(site, 'dist/pagefind'))).toBe(false);
    expect(run.output).not.toMatch(/search index/);
  });

  it('leaves dist/ byte-for-byte as it was when the build stops after the gate, before Astro empties it', () => {
    // the previous build's steps files and report are moved aside after the gate (outputs.ts: retire)
    const before = snapshot(join(site, 'dist'));
    expect(Object.keys(before)).toContain('_proofsheet/steps/content/good.md.json');
    expect(Object.keys(before)).toContain('verification.json');
    const run = build(site, { PROOFSHEET_TEST_STOP: '1' });
    expect(run.status).toBe(1);
    expect(run.output).toMatch(/stopped by the test after the gate/);
    expect(snapshot(join(site, 'dist'))).toEqual(before);
    expect(readdirSync(join(site, 'node_modules/.astro/proofsheet-outputs'))).toEqual([]);
    // the next build replaces them, and leaves nothing aside
    const next = build(site);
    expect(next.status).toBe(0);
    expect(readdirSync(join(site, 'dist/_proofsheet/steps/content')).sort()).toEqual(['good.md.json', 'more.mdx.json']);
    expect(JSON.parse(readFileSync(join(site, 'dist/verification.json'), 'utf8'))).toMatchObject({ summary: { total: 3 } });
    expect(readdirSync(join(site, 'node_modules/.astro/proofsheet-outputs'))).toEqual([]);
  });
});
