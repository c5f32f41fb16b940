/**
 * Indexes the built site with Pagefind for Starlight's search, with `^` as a word character, so
 * that a search for `X^{-1}` or `A^T` finds the formula (see src/markdown/search-text.ts).
 *
 * Pagefind drops `^` from indexed words but keeps it in queries (it is a symbol, not
 * punctuation), so with Pagefind's defaults no query containing `^` matches anything. Starlight
 * runs Pagefind with its defaults, in its `astro:build:done` hook, and has no option for
 * Pagefind's indexing settings (withastro/starlight#3674 proposes one). So this integration,
 * added after Starlight by the proofsheet integration, indexes the site with `includeCharacters`
 * in Starlight's place:
 *
 * - When Starlight's hook is the one we know (it runs Pagefind when the site's search is on, and
 *   does nothing else), it is run on an empty folder instead of the site: whether it writes a
 *   Pagefind bundle there tells whether the site's search is on, at the cost of indexing nothing
 *   (about 25 ms), and then this index is built in its place. Indexing the site once instead of
 *   twice made a warm build of the bench's 300-page site 1.4 s faster (medians of 6 alternating
 *   builds each: 11.3 s against 12.8 s, and 2.3 s less CPU time).
 * - Otherwise (another Starlight), Starlight's index is left to be built, and rebuilt after it.
 *
 * Sites without Starlight's search (no Pagefind bundle) are left alone either way.
 *
 * Pagefind reads every HTML file it is given, including pages it then leaves out of the index
 * (Starlight's `pagefind: false`). Routes named in `skipRoutes` are such pages (the
 * `/verification/` page, whose formula index is most of its 1.9 MB on the bench site): they are
 * left out of the files Pagefind reads (`htmlGlobWithout`), which makes the same index. On the
 * bench site, Pagefind read the report page in 50–80 ms of each warm build (it reads HTML at
 * about 36 MB/s), the largest part of the cost of checking in a warm build.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import * as pagefind from 'pagefind';

export const INCLUDE_CHARACTERS = '^|';

type BuildDone = NonNullable<AstroIntegration['hooks']['astro:build:done']>;
type BuildDoneParams = Parameters<BuildDone>[0];

/**
 * Starlight's `astro:build:done` hook as of 0.42: `if (!userConfig.pagefind) return; return
 * starlightPagefind(options);` and nothing else. Another hook is never taken over.
 */
const STARLIGHT_PAGEFIND_HOOK = /^async\s*\(?\s*(\w+)\s*\)?\s*=>\s*\{\s*if\s*\(\s*!\s*\w+\.pagefind\s*\)\s*return\s*;?\s*return\s+starlightPagefind\(\s*\1\s*\)\s*;?\s*\}$/;

export interface SearchIndexOptions {
  /** Routes (as Astro names them: `/verification`) whose pages are not searchable (`pagefind: false`): Pagefind does not read them. */
  skipRoutes?: readonly string[];
}

export function searchIndex({ skipRoutes = [] }: SearchIndexOptions = {}): AstroIntegration {
  let tookOver = false;
  const index = (params: BuildDoneParams) => indexSite(params, skipRoutes);
  return {
    name: 'proofsheet:search-index',
    hooks: {
      'astro:config:setup': ({ config }) => {
        tookOver = takeOverStarlightSearch(config.integrations, index);
      },
      'astro:build:done': async (params) => {
        // Starlight built its own index: built again, with TeX-friendly words
        if (!tookOver && hasPagefindBundle(fileURLToPath(params.dir))) await index(params);
      },
    },
  };
}

/** Starlight integrations whose hook builds our index (a second setup of the same config finds it so). */
const takenOver = new WeakSet<AstroIntegration>();

/**
 * Have Starlight's Pagefind hook build `index` instead of its own (see above). False, and
 * nothing changed, when there is no Starlight or its hook is not the one we know.
 */
export function takeOverStarlightSearch(integrations: AstroIntegration[], index: (params: BuildDoneParams) => Promise<void>): boolean {
  const starlight = integrations.find((integration) => integration.name === '@astrojs/starlight');
  const hook = starlight?.hooks['astro:build:done'];
  if (starlight && takenOver.has(starlight)) return true;
  if (!starlight || !hook || !STARLIGHT_PAGEFIND_HOOK.test(hook.toString())) return false;
  takenOver.add(starlight);
  starlight.hooks['astro:build:done'] = async (params) => {
    const probe = mkdtempSync(join(tmpdir(), 'proofsheet-search-'));
    try {
      await hook({ ...params, dir: pathToFileURL(`${probe}/`), logger: quiet(params.logger) });
      // Starlight's search is off: nothing to index
      if (!hasPagefindBundle(probe)) return;
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
    await index({ ...params, logger: params.logger.fork('proofsheet:search-index') });
  };
  return true;
}

/** Whether Pagefind wrote its bundle into this folder (`pagefind/pagefind-entry.json`). */
function hasPagefindBundle(folder: string): boolean {
  return existsSync(join(folder, 'pagefind', 'pagefind-entry.json'));
}

/** Index the built site (`dir`) into `dir/pagefind/`, with `^` and `|` kept in words, without reading the pages of `skipRoutes`. */
async function indexSite({ dir, assets, logger }: BuildDoneParams, skipRoutes: readonly string[]): Promise<void> {
  const bundle = fileURLToPath(new URL('pagefind/', dir));
  const root = fileURLToPath(dir);
  const started = performance.now();
  try {
    const skipped = skipRoutes.flatMap((route) => assets.get(route) ?? []).map((url) => relative(root, fileURLToPath(url)));
    const glob = htmlGlobWithout(root, skipped);
    const { index } = ok(await pagefind.createIndex({ includeCharacters: INCLUDE_CHARACTERS }));
    const { page_count } = ok(await index!.addDirectory({ path: root, ...(glob ? { glob } : {}) }));
    rmSync(bundle, { recursive: true, force: true });
    ok(await index!.writeFiles({ outputPath: bundle }));
    logger.info(`search index built with TeX-friendly words (${page_count} pages, ${Math.round(performance.now() - started)}ms)`);
  } finally {
    await pagefind.close();
  }
}

/** A name the glob can spell as it is (no glob syntax in it). */
const PLAIN_NAME = /^[^*?[\]{}<>,:!\\/]+$/;

/**
 * A Pagefind glob for every HTML file under `dir` but the files `skip` (paths relative to `dir`):
 * one alternative in braces per entry of `dir`, and of each folder on the way to a skipped file,
 * that holds no skipped file (every HTML file in it, or the HTML file itself); the way Pagefind's
 * author suggests to leave files out (CloudCannon/pagefind discussion 127). Undefined, for
 * Pagefind's own glob, when nothing is skipped or a name on the way has glob syntax in it.
 */
export function htmlGlobWithout(dir: string, skip: readonly string[]): string | undefined {
  const skipped = skip.map((path) => path.split(sep).join('/')).filter((path) => path !== '' && !path.startsWith('../'));
  if (skipped.length === 0) return undefined;
  const parts: string[] = [];
  /** The alternatives for folder `rel` of `dir` (`''`: `dir` itself); false when a name cannot be spelled. */
  const walk = (rel: string): boolean => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      if (!PLAIN_NAME.test(entry.name)) return false;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const folder = entry.isDirectory() || (entry.isSymbolicLink() && isFolder(join(dir, path)));
      if (skipped.includes(path)) continue;
      if (folder && skipped.some((file) => file.startsWith(`${path}/`))) {
        if (!walk(path)) return false;
      } else if (folder) parts.push(`${path}/**/*.html`);
      else if (entry.name.endsWith('.html')) parts.push(path);
    }
    return true;
  };
  if (!walk('') || parts.length === 0) return undefined;
  return `{${parts.join(',')}}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The logger without its info and debug lines (Starlight's account of indexing the empty folder). */
function quiet(logger: AstroIntegrationLogger): AstroIntegrationLogger {
  const silent: AstroIntegrationLogger = Object.create(logger);
  silent.info = () => undefined;
  silent.debug = () => undefined;
  silent.fork = () => silent;
  return silent;
}

function ok<T extends { errors: string[] }>(response: T): T {
  if (response.errors.length > 0) throw new Error(`Pagefind: ${response.errors.join('; ')}`);
  return response;
}
