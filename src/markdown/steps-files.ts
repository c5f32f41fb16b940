/**
 * Derivations beside the pages: one small JSON file per page, fetched by the page script when a
 * reader opens a derivation, instead of every derivation's text inside every page.
 *
 * A page's steps were a tenth of the Markdown's rendered HTML, which Astro keeps in its content
 * data store, bundles and parses on every build, then writes into the page, which Pagefind and
 * the search index parse again; few readers open a derivation. `npm run bench` measured it.
 *
 *   content/cheat-sheet/derivatives.md → <base>_proofsheet/steps/content/cheat-sheet/derivatives.md.json
 *   { "eq-13": { "steps": "…", "notProved"?: "…", "checked": "…" }, … }   (derivation.ts)
 *
 * The build makes the files from its reports (`stepsFiles`; outputs.ts writes them); `astro dev`
 * answers the same URLs from the file the path names (`markdownForStepsPath`, which accepts only a
 * Markdown file of the content folder).
 */
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { PageReport } from '../engine/api.ts';
import { derivationText } from './derivation.ts';
import type { DerivationText } from './steps-text.ts';

/** The folder of the steps files in the built site. */
export const STEPS_DIR = '_proofsheet/steps';

/** Path of a page's steps file in the site, relative to its base (no leading slash). */
export function stepsPath(rootDir: string, markdownFile: string): string {
  const rel = relative(rootDir, resolve(rootDir, markdownFile)).split(sep).join('/');
  // a content folder outside the project (`../docs`): its files still land inside the output
  const segments = rel.split('/').map((segment) => (segment === '..' ? '_' : encodeURIComponent(segment)));
  return `${STEPS_DIR}/${segments.join('/')}.json`;
}

/** The URL of a page's steps file in a site served at `base`. */
export function stepsUrl(base: string, rootDir: string, markdownFile: string): string {
  return `${withSlash(base)}${stepsPath(rootDir, markdownFile)}`;
}

/** A base path ending with one slash. */
export function withSlash(base: string): string {
  return base.replace(/\/?$/, '/');
}

/** A page's steps file: the derivation of each identity card, by formula id; undefined when it has none. */
export function stepsFile(report: PageReport, seed: number): string | undefined {
  const byId: Record<string, DerivationText> = {};
  let any = false;
  for (const result of report.formulas) {
    if (result.kind === 'definition') continue;
    byId[result.id] = derivationText(result, seed);
    any = true;
  }
  return any ? `${JSON.stringify(byId, null, 1)}\n` : undefined;
}

/** Every page's steps file, by its path in the built site (relative to the output folder, in this system's separators). */
export function stepsFiles(rootDir: string, reports: readonly PageReport[], seed: number): Map<string, string> {
  const files = new Map<string, string>();
  for (const report of reports) {
    const json = stepsFile(report, seed);
    if (json !== undefined) files.set(join(...stepsPath(rootDir, report.file).split('/').map(decodeURIComponent)), json);
  }
  return files;
}

/**
 * The Markdown file whose steps a request path (after the base, no leading slash) asks for, or
 * undefined when it is not a steps path of a `.md`/`.mdx` file inside the content folder.
 */
export function markdownForStepsPath(rootDir: string, contentDir: string, path: string): string | undefined {
  const prefix = `${STEPS_DIR}/`;
  if (!path.startsWith(prefix) || !path.endsWith('.json')) return undefined;
  let rel: string;
  try {
    rel = path.slice(prefix.length, -'.json'.length).split('/').map(decodeURIComponent).join(sep);
  } catch {
    return undefined;
  }
  const file = resolve(rootDir, rel);
  const inside = relative(resolve(rootDir, contentDir), file);
  if (!/\.mdx?$/.test(file) || inside === '' || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return file;
}
