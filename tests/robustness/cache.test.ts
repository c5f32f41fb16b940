/**
 * The verdict cache (src/markdown/cache.ts): results with the cache are exactly the results
 * without it (cold, warm, after edits that move formulas), and an entry a killed or broken
 * write left behind (truncated, corrupt, a stray temporary file) is ignored and rewritten.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { PageReport } from '../../src/engine/api.ts';
import { formulaKeys, isCached, openCache, reportOf, summaryOf, VerdictCache } from '../../src/markdown/cache.ts';
import { parseMarkdownFile } from '../../src/markdown/extract.ts';
import { cachedFileReport, forgetMemo, verifyFile, verifyFileReport } from '../../src/markdown/verify.ts';
import { pageSummary } from '../../src/report/summary.ts';

const PAGE = `---
title: Every kind of verdict
symbols: "A, B: n×n; x: n"
---

::declare{where="X: n×n invertible"}

:::definition
$$
f = x^\\top A x
$$
:::

:::identity{#proved}
$$
\\frac{\\partial f}{\\partial x} = \\left(A + A^\\top\\right) x
$$
:::

:::identity{#failed}
$$
\\frac{\\partial}{\\partial x} x^\\top A x = 2 A x
$$
:::

:::identity{#shape}
$$
A x = x^\\top A
$$
:::

:::identity{#bad-where where="Y: n×"}
$$
Y = Y
$$
:::

:::identity{#mistake}
$$
(AB)^{-1} \\neq A^{-1}B^{-1}
$$
:::

:::identity
$$
d(X^{-1}) = -X^{-1}\\,dX\\,X^{-1}
$$
:::

:::identity
$$
d(X^{-1}) = -X^{-1}\\,dX\\,X^{-1}
$$
:::

Inline: :identity[$\\operatorname{tr}(AB) = \\operatorname{tr}(BA)$] and a broken one :identity[$A^{\\top$].
`;

const root = mkdtempSync(join(tmpdir(), 'proofsheet-cache-'));
let n = 0;

function fresh(text = PAGE): { file: string; cacheDir: string } {
  const dir = join(root, `case-${++n}`);
  const file = join(dir, 'page.md');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text);
  return { file, cacheDir: join(dir, 'cache') };
}

function plain(file: string): PageReport {
  forgetMemo();
  return verifyFile(file).report;
}

function cached(file: string, cacheDir: string): PageReport {
  forgetMemo();
  return verifyFileReport(file, { cacheDir }).report;
}

function entries(cacheDir: string): string[] {
  return readdirSync(join(cacheDir, 'pages')).map((name) => join(cacheDir, 'pages', name));
}

afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => forgetMemo());

describe('verdict cache', () => {
  it('gives the same results as no cache: cold, warm, and with only the formula entries', () => {
    const { file, cacheDir } = fresh();
    const expected = plain(file);
    expect(expected.formulas.map((f) => f.status)).toEqual(
      expect.arrayContaining(['verified', 'proved', 'failed', 'error']),
    );
    expect(cached(file, cacheDir)).toEqual(expected);
    const cache = openCache(cacheDir);
    const before = { ...cache.stats };
    expect(cached(file, cacheDir)).toEqual(expected);
    expect(cache.stats.pageHits).toBe(before.pageHits + 1);
    // the same page with its formulas moved down and one edited: page entry stale, formula entries reused
    const moved = PAGE.replace('::declare', 'A new paragraph.\n\nAnother one.\n\n::declare').replace('(AB)^{-1} \\neq', '(BA)^{-1} \\neq');
    writeFileSync(file, moved);
    const hits = cache.stats.hits;
    const got = cached(file, cacheDir);
    expect(got).toEqual(plain(file));
    expect(JSON.stringify(got)).toBe(JSON.stringify(plain(file)));
    expect(cache.stats.hits).toBeGreaterThan(hits);
  });

  it('keys a formula by its context: a changed declaration before it is a miss, after it is not', () => {
    const page = parseMarkdownFile(fresh().file);
    const keys = [...formulaKeys(page, { seed: 1 }).values()];
    const edited = { ...page, items: page.items.map((i) => (i.type === 'declare' ? { ...i, where: 'X: n×n spd' } : i)) };
    const editedKeys = [...formulaKeys(edited, { seed: 1 }).values()];
    expect(editedKeys).toHaveLength(keys.length);
    expect(editedKeys.every((k, i) => k !== keys[i])).toBe(true);
    expect([...formulaKeys(page, { seed: 2 }).values()].some((k) => keys.includes(k))).toBe(false);
    expect([...formulaKeys(page, { seed: 1, trials: 9 }).values()].some((k) => keys.includes(k))).toBe(false);
    const later = { ...page, items: [...page.items, { type: 'declare' as const, where: 'x: scalar', loc: { line: 99, column: 1 } }] };
    expect([...formulaKeys(later, { seed: 1 }).values()]).toEqual(keys);
  });

  it('ignores a truncated entry (a killed write) and rewrites it', () => {
    const { file, cacheDir } = fresh();
    const expected = plain(file);
    cached(file, cacheDir);
    const [entry] = entries(cacheDir);
    const whole = readFileSync(entry!, 'utf8');
    writeFileSync(entry!, whole.slice(0, Math.floor(whole.length / 2)));
    const cache = openCache(cacheDir);
    const rejected = cache.stats.rejected;
    expect(cached(file, cacheDir)).toEqual(expected);
    expect(cache.stats.rejected).toBe(rejected + 1);
    expect(readFileSync(entry!, 'utf8')).toBe(whole);
  });

  it('ignores an entry whose content does not match its checksum', () => {
    const { file, cacheDir } = fresh();
    const expected = plain(file);
    cached(file, cacheDir);
    const [entry] = entries(cacheDir);
    // header, report, formulas: a failed verdict turned into a pass in both, the checksums left as they were
    const [header, report, formulas] = readFileSync(entry!, 'utf8').split('\n');
    const stored = { report: JSON.parse(report!), formulas: JSON.parse(formulas!) };
    expect(stored.report.formulas.some((f: { status: string }) => f.status === 'failed')).toBe(true);
    for (const f of stored.report.formulas) if (f.status === 'failed') f.status = 'proved';
    for (const v of Object.values(stored.formulas) as { status: string }[]) if (v.status === 'failed') v.status = 'proved';
    writeFileSync(entry!, `${header}\n${JSON.stringify(stored.report)}\n${JSON.stringify(stored.formulas)}\n`);
    const got = cached(file, cacheDir);
    expect(got).toEqual(expected);
    expect(got.formulas.find((f) => f.id === 'failed')?.status).toBe('failed');
  });

  it('answers an unchanged page for the build with its summary, the report left unparsed; an edited summary is not trusted', () => {
    const { file, cacheDir } = fresh();
    const expected = plain(file);
    expect(cachedFileReport(file, { cacheDir })).toBeUndefined(); // nothing stored yet
    cached(file, cacheDir);
    const answer = cachedFileReport(file, { cacheDir });
    expect(answer && isCached(answer)).toBe(true);
    expect(summaryOf(answer!)).toEqual(pageSummary(expected));
    expect(summaryOf(answer!).failing).toBeGreaterThan(0); // the page has failing formulas
    expect(reportOf(answer!)).toEqual(expected);
    // an edited page is not answered
    writeFileSync(file, `${PAGE}\nMore text.\n`);
    expect(cachedFileReport(file, { cacheDir })).toBeUndefined();
    writeFileSync(file, PAGE);
    // the header's summary turned into a pass: the report line's checksum covers it
    const [entry] = entries(cacheDir);
    const [header, ...rest] = readFileSync(entry!, 'utf8').split('\n');
    const edited = JSON.parse(header!);
    Object.assign(edited.summary, { failed: 0, error: 0, failing: 0, failingStrict: 0 });
    writeFileSync(entry!, [JSON.stringify(edited), ...rest].join('\n'));
    const rejected = openCache(cacheDir).stats.rejected;
    expect(cachedFileReport(file, { cacheDir })).toBeUndefined();
    expect(openCache(cacheDir).stats.rejected).toBe(rejected + 1);
    expect(cached(file, cacheDir)).toEqual(expected);
  });

  it('never reads temporary files; old ones are swept; the folder can be deleted at any time', () => {
    const { file, cacheDir } = fresh();
    const expected = plain(file);
    cached(file, cacheDir);
    const [entry] = entries(cacheDir);
    // a writer killed between write and rename leaves only a temporary file beside the entry
    rmSync(entry!);
    const tmp = `${entry}.12345-0-deadbeef.tmp`;
    writeFileSync(tmp, '{"format":3,"name":"page.md","pageKey":null,"sums":{"rep');
    expect(cached(file, cacheDir)).toEqual(expected);
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(tmp, old, old);
    new VerdictCache(cacheDir).sweep();
    expect(entries(cacheDir).some((p) => p.endsWith('.tmp'))).toBe(false);
    rmSync(cacheDir, { recursive: true, force: true });
    expect(cached(file, cacheDir)).toEqual(expected);
  });
});

describe('the checker fingerprint', () => {
  it('changes with the engine, the Markdown adapters and the module that decides what fails (an entry holds its count)', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'proofsheet-fingerprint-'));
    try {
      cpSync(join(import.meta.dirname, '../../src'), join(copy, 'src'), { recursive: true });
      // node_modules beside the copy, for KaTeX's and mathjs's versions
      symlinkSync(join(import.meta.dirname, '../../node_modules'), join(copy, 'node_modules'));
      let n = 0;
      const fingerprint = async () => ((await import(`${pathToFileURL(join(copy, 'src/markdown/cache.ts')).href}?v=${++n}`)) as typeof import('../../src/markdown/cache.ts')).checkerFingerprint();
      const first = await fingerprint();
      expect(await fingerprint()).toBe(first);
      const prints = [first];
      for (const file of ['src/report/summary.ts', 'src/engine/verify.ts', 'src/markdown/extract.ts']) {
        appendFileSync(join(copy, file), '\n// edited\n');
        prints.push(await fingerprint());
      }
      expect(new Set(prints).size).toBe(prints.length);
      // a report format is not the checker
      appendFileSync(join(copy, 'src/report/text.ts'), '\n// edited\n');
      expect(await fingerprint()).toBe(prints.at(-1));
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
