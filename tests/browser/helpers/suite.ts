/** A describe() block that runs in Chromium against the built site, and what every page must not do. */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, inject, it } from 'vitest';
import type { SiteUnderTest } from '../setup.ts';

/** `body` runs with the site; without Chromium it is one skipped test (locally) or one failing test (CI). */
export function describeInBrowser(name: string, body: (site: SiteUnderTest) => void): void {
  const site = inject('site');
  describe(name, () => {
    if (site.error) it('runs in Chromium', () => { throw new Error(site.error); });
    else if (site.skip) it.skip(`skipped: ${site.skip}`, () => {});
    else body(site);
  });
}

/** Every page of the built site, as a path (`/`, `/notes/matrix-calculus/`, `/verification/`). */
export function sitePages(dist: string): string[] {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'pagefind' && entry.name !== '_astro') walk(path);
      else if (entry.name === 'index.html') pages.push(`/${relative(dist, dir).split(sep).join('/')}/`.replace(/^\/\/$/, '/'));
    }
  };
  walk(dist);
  return pages.sort();
}

/** What went wrong while pages of this context loaded: console errors, page errors, failed or foreign requests. */
export interface Problems {
  list: string[];
  /** Forget what was recorded so far. */
  clear(): void;
}

/**
 * Records problems of every page of `context`, and aborts any request that would leave
 * `origin` (so a CDN or a web font would show up as a problem, and never be fetched).
 */
export async function watchProblems(context: BrowserContext, origin: string): Promise<Problems> {
  const list: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    list.push(`request leaving the site: ${url}`);
    return route.abort();
  });
  const watch = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') list.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => list.push(`page error on ${page.url()}: ${error.message}`));
    page.on('requestfailed', (request) => {
      const error = request.failure()?.errorText ?? '';
      // ERR_ABORTED: cancelled by a navigation away from the page, not a failure of the site.
      if (error === 'net::ERR_ABORTED' || list.some((p) => p.endsWith(request.url()))) return;
      list.push(`failed request: ${request.url()} (${error})`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) list.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return { list, clear: () => void list.splice(0) };
}
