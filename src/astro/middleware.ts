/**
 * Dev-server middleware: a page whose formulas do not hold is answered with Astro's error
 * overlay, located at the formula (file, line, column, code frame). Fix the formula and
 * reload: the overlay is gone. Registered only by `astro dev`; the build has its own gate.
 */
import { resolve } from 'node:path';
import { getCollection } from 'astro:content';
import { defineMiddleware } from 'astro:middleware';
import options from 'virtual:proofsheet/options';
import { verifyFile } from '../markdown/verify.ts';
import { pageError } from './gate.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  if (context.request.method !== 'GET' || context.url.pathname.startsWith('/_')) return next();
  const file = await contentFile(context.url.pathname);
  if (file) {
    const { report } = verifyFile(file, { seed: options.seed, ...(options.trials ? { trials: options.trials } : {}) });
    const error = pageError(report, options.strict);
    if (error) throw error;
  }
  return next();
});

/** The content file Starlight renders at this pathname, if any. */
async function contentFile(pathname: string): Promise<string | undefined> {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  let slug = decodeURIComponent(pathname.startsWith(base) ? pathname.slice(base.length) : pathname);
  slug = slug.replace(/(?:\/index)?\.html$/, '').replace(/^\/+|\/+$/g, '').toLowerCase();
  const entries = await getCollection('docs');
  const entry = entries.find((e) => e.id.toLowerCase() === (slug === '' ? 'index' : slug));
  return entry?.filePath ? resolve(options.rootDir, entry.filePath) : undefined;
}
