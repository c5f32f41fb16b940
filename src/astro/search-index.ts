/**
 * Rebuilds Starlight's Pagefind index with `^` as a word character, so that a search for
 * `X^{-1}` or `A^T` finds the formula (see src/markdown/search-text.ts).
 *
 * Pagefind drops `^` from indexed words but keeps it in queries (it is a symbol, not
 * punctuation), so without this no query containing `^` matches anything. Starlight runs
 * Pagefind without options, so this integration, added after Starlight by the proofsheet
 * integration, indexes the built site again with `includeCharacters`, in place of
 * Starlight's index. Sites without Starlight's search (no `pagefind/` in the output) are left alone.
 */
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';

export const INCLUDE_CHARACTERS = '^|';

export function searchIndex(): AstroIntegration {
  return {
    name: 'proofsheet:search-index',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const bundle = fileURLToPath(new URL('pagefind/', dir));
        if (!existsSync(`${bundle}pagefind-entry.json`)) return;
        const started = performance.now();
        try {
          const { index } = ok(await pagefind.createIndex({ includeCharacters: INCLUDE_CHARACTERS }));
          const { page_count } = ok(await index!.addDirectory({ path: fileURLToPath(dir) }));
          rmSync(bundle, { recursive: true, force: true });
          ok(await index!.writeFiles({ outputPath: bundle }));
          logger.info(`search index rebuilt with TeX-friendly words (${page_count} pages, ${Math.round(performance.now() - started)}ms)`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}

function ok<T extends { errors: string[] }>(response: T): T {
  if (response.errors.length > 0) throw new Error(`Pagefind: ${response.errors.join('; ')}`);
  return response;
}
