/**
 * The site's search index (src/astro/search-index.ts): built once, with `^` kept in words, in
 * the place of Starlight's own Pagefind run; Starlight's setting of its search is obeyed, and a
 * Starlight hook we do not know is left as it is.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import starlight from '@astrojs/starlight';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import * as pagefind from 'pagefind';
import { afterEach, describe, expect, it } from 'vitest';
import { htmlGlobWithout, searchIndex, takeOverStarlightSearch, type SearchIndexOptions } from '../src/astro/search-index.ts';

type BuildDone = NonNullable<AstroIntegration['hooks']['astro:build:done']>;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A built site of one page, as Starlight marks it for Pagefind. */
function site(): string {
  const dir = mkdtempSync(join(tmpdir(), 'proofsheet-search-test-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'inverse'));
  writeFileSync(join(dir, 'inverse/index.html'), '<html lang="en"><body><main data-pagefind-body><h1>Inverse</h1><p>the rule X^{-1} and trace</p></main></body></html>');
  return dir;
}

function logger(lines: string[]): AstroIntegrationLogger {
  const log = {
    label: 'test',
    options: {},
    fork: () => log,
    info: (message: string) => lines.push(message),
    warn: (message: string) => lines.push(`warn: ${message}`),
    error: (message: string) => lines.push(`error: ${message}`),
    debug: () => undefined,
  };
  return log as unknown as AstroIntegrationLogger;
}

/** Astro's call of every integration's build:done hook, in their order. */
async function buildDone(integrations: AstroIntegration[], dir: string, lines: string[], assets = new Map<string, URL[]>()): Promise<void> {
  for (const integration of integrations) {
    const hook = integration.hooks['astro:build:done'] as BuildDone | undefined;
    await hook?.({ dir: pathToFileURL(`${dir}/`), pages: [{ pathname: 'inverse/' }], assets, logger: logger(lines) } as Parameters<BuildDone>[0]);
  }
}

/** The words of the site's Pagefind index (its index chunks, unzipped). */
function indexedWords(dir: string): string {
  const chunks = join(dir, 'pagefind/index');
  return readdirSync(chunks)
    .map((name) => gunzipSync(readFileSync(join(chunks, name))).toString('latin1'))
    .join(' ');
}

/**
 * Starlight's integration as far as its search goes: its build:done hook in the form of the
 * installed Starlight's (its source is what is recognised), Pagefind with its defaults.
 */
function starlightLike(search: boolean, ran: string[]): AstroIntegration {
  const userConfig = { pagefind: search };
  const starlightPagefind = async ({ dir }: { dir: URL }) => {
    ran.push(fileURLToPath(dir));
    const { index } = await pagefind.createIndex();
    await index!.addDirectory({ path: fileURLToPath(dir) });
    await index!.writeFiles({ outputPath: fileURLToPath(new URL('pagefind/', dir)) });
    await pagefind.close();
  };
  // prettier-ignore
  const hook = async (options: { dir: URL }) => { if (!userConfig.pagefind) return; return starlightPagefind(options); };
  return { name: '@astrojs/starlight', hooks: { 'astro:build:done': hook as BuildDone } };
}

/** Set up the search index as Astro does, after Starlight. */
function setUp(starlightIntegration: AstroIntegration, options?: SearchIndexOptions): AstroIntegration[] {
  const integrations = [starlightIntegration, searchIndex(options)];
  (integrations[1]!.hooks['astro:config:setup'] as (params: unknown) => void)({ config: { integrations } });
  return integrations;
}

describe('search index', () => {
  it("recognises the installed Starlight's Pagefind hook", () => {
    const installed = starlight({ title: 'T' });
    const own = installed.hooks['astro:build:done'];
    expect(takeOverStarlightSearch([installed], async () => undefined)).toBe(true);
    const taken = installed.hooks['astro:build:done'];
    expect(taken).not.toBe(own);
    // set up again (the same config): still ours, not wrapped twice
    expect(takeOverStarlightSearch([installed], async () => undefined)).toBe(true);
    expect(installed.hooks['astro:build:done']).toBe(taken);
  });

  it("builds the index in the place of Starlight's, once, with ^ in its words", async () => {
    const ran: string[] = [];
    const integrations = setUp(starlightLike(true, ran));
    const dir = site();
    const lines: string[] = [];
    await buildDone(integrations, dir, lines);
    expect(existsSync(join(dir, 'pagefind/pagefind-entry.json'))).toBe(true);
    // the word as a reader types it: with Pagefind's defaults it would be `x1`
    expect(indexedWords(dir)).toContain('x^1');
    expect(indexedWords(dir)).not.toMatch(/\bx1\b/);
    // Starlight's hook ran once, on an empty folder (not the site), which is gone
    expect(ran).toHaveLength(1);
    expect(ran[0]!.replace(/\/$/, '')).not.toBe(dir);
    expect(existsSync(ran[0]!)).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^search index built with TeX-friendly words \(1 pages, \d+ms\)$/)]);
  });

  it("leaves a site alone when Starlight's search is off", async () => {
    const integrations = setUp(starlightLike(false, []));
    const dir = site();
    const lines: string[] = [];
    await buildDone(integrations, dir, lines);
    expect(existsSync(join(dir, 'pagefind'))).toBe(false);
    expect(lines).toEqual([]);
  });

  it('does not touch a Starlight hook it does not know, and rebuilds the index that hook wrote', async () => {
    let ran = 0;
    const other: BuildDone = async ({ dir }) => {
      ran++;
      // an index of Pagefind's defaults, as another Starlight might write it
      mkdirSync(new URL('pagefind/', dir), { recursive: true });
      writeFileSync(new URL('pagefind/pagefind-entry.json', dir), '{}');
    };
    const unknown: AstroIntegration = { name: '@astrojs/starlight', hooks: { 'astro:build:done': other } };
    expect(takeOverStarlightSearch([unknown], async () => undefined)).toBe(false);
    expect(unknown.hooks['astro:build:done']).toBe(other);

    const integrations = setUp(unknown);
    const dir = site();
    const lines: string[] = [];
    await buildDone(integrations, dir, lines);
    expect(ran).toBe(1);
    expect(indexedWords(dir)).toContain('x^1');
    expect(lines).toEqual([expect.stringMatching(/^search index built with TeX-friendly words/)]);
  });

  it('does not read the pages of skipRoutes, and indexes the rest as before', async () => {
    const dir = site();
    mkdirSync(join(dir, 'verification'));
    // searchable here so that the test can tell whether Pagefind read it (the real page is `pagefind: false`)
    writeFileSync(join(dir, 'verification/index.html'), '<html lang="en"><body><main data-pagefind-body><p>zanzibar</p></main></body></html>');
    writeFileSync(join(dir, '404.html'), '<html lang="en"><body><main data-pagefind-body><p>quokka</p></main></body></html>');
    const assets = new Map([['/verification', [pathToFileURL(join(dir, 'verification/index.html'))]]]);
    const lines: string[] = [];
    await buildDone(setUp(starlightLike(true, []), { skipRoutes: ['/verification'] }), dir, lines, assets);
    expect(indexedWords(dir)).toContain('x^1');
    expect(indexedWords(dir)).toContain('quokka');
    expect(indexedWords(dir)).not.toContain('zanzibar');
    expect(lines).toEqual([expect.stringMatching(/\(2 pages, \d+ms\)$/)]);
    // without it, Pagefind reads that page too
    await buildDone(setUp(starlightLike(true, [])), dir, lines, assets);
    expect(indexedWords(dir)).toContain('zanzibar');
  });

  it('spells a glob of every HTML file but the skipped ones', () => {
    const dir = site();
    for (const folder of ['docs/verification/extra', 'docs/guide', 'verification']) mkdirSync(join(dir, folder), { recursive: true });
    for (const file of ['index.html', '404.html', 'robots.txt', 'docs/index.html', 'docs/verification/index.html', 'docs/verification/extra/index.html', 'verification/index.html']) {
      writeFileSync(join(dir, file), '<p>x</p>');
    }
    const alternatives = (glob: string | undefined) => glob?.replace(/^\{|\}$/g, '').split(',').sort();
    expect(alternatives(htmlGlobWithout(dir, ['docs/verification/index.html']))).toEqual(
      ['404.html', 'docs/guide/**/*.html', 'docs/index.html', 'docs/verification/extra/**/*.html', 'index.html', 'inverse/**/*.html', 'verification/**/*.html'],
    );
    expect(alternatives(htmlGlobWithout(dir, ['verification/index.html', 'docs/verification/index.html']))).not.toContain('verification/**/*.html');
    // nothing to skip, a path outside, a name with glob syntax on the way: Pagefind's own glob
    expect(htmlGlobWithout(dir, [])).toBeUndefined();
    expect(htmlGlobWithout(dir, ['../elsewhere/index.html'])).toBeUndefined();
    mkdirSync(join(dir, '{odd}'));
    expect(htmlGlobWithout(dir, ['verification/index.html'])).toBeUndefined();
  });

  it('finds nothing to take over without Starlight', () => {
    expect(takeOverStarlightSearch([{ name: 'other', hooks: {} }], async () => undefined)).toBe(false);
  });
});
