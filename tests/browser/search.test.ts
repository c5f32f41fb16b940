/**
 * Search on the built site (Starlight's Pagefind): a formula is found by its TeX, as a reader
 * types it, and the result lands on the formula's card (page#id); words still work.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { searchText } from '../../src/markdown/search-text.ts';
import { launchChromium, type Chromium } from './helpers/chromium.ts';
import { describeInBrowser, watchProblems, type Problems } from './helpers/suite.ts';

interface Formula {
  file: string;
  id: string;
  latex: string;
}

/** Pagefind's sub-result URLs for a query, best first (pages in rank order, sections in page order). */
async function search(page: Page, query: string): Promise<string[]> {
  // A string, so that Vitest does not rewrite the page's dynamic import.
  return page.evaluate(`(async (q) => {
    const pagefind = await import('/pagefind/pagefind.js');
    const { results } = await pagefind.search(q);
    const data = await Promise.all(results.slice(0, 5).map((r) => r.data()));
    return data.flatMap((d) => d.sub_results.map((s) => s.url));
  })(${JSON.stringify(query)})`);
}

describeInBrowser('search', (site) => {
  let browser: Chromium;
  let problems: Problems;
  let page: Page;
  const report = JSON.parse(readFileSync(join(site.dist, 'verification.json'), 'utf8')) as { formulas: Formula[] };
  const pathOf = (file: string) => `/${file.replace(/^content\//, '').replace(/\.mdx?$/, '')}/`;
  /** page#id of every formula whose plain form contains this word. */
  const cardsWith = (word: string) =>
    new Set(report.formulas.filter((f) => searchText(f.latex).toLowerCase().split(' ').some((w) => w.includes(word.toLowerCase()))).map((f) => `${pathOf(f.file)}#${f.id}`));

  beforeAll(async () => {
    browser = await launchChromium();
    problems = await watchProblems(browser.context, site.origin);
    page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
  });
  afterAll(() => browser?.close());

  it.each([
    ['tr(AB)', 'tr(AB)'],
    ['\\ln|X|', 'ln|X|'],
    ['X^{-1}', 'X^{-1}'],
  ])('finds %s and lands on a card that contains it', async (query, word) => {
    const urls = await search(page, query);
    const cards = urls.filter((u) => u.includes('#') && cardsWith(word).has(u));
    expect(cards.length, `results: ${urls.join(', ')}`).toBeGreaterThan(0);
    // The best result is such a card.
    expect(cardsWith(word).has(urls[0]!), `first result: ${urls[0]}`).toBe(true);
    expect(problems.list).toEqual([]);
  });

  it('finds words in the text, and never in KaTeX output or card controls', async () => {
    expect((await search(page, 'Jacobian')).length).toBeGreaterThan(0);
    // What Pagefind indexed of a page of cards: the formulas as typed, none of the card's
    // controls, derivation or KaTeX output (KaTeX writes ∂ and Σ, the search words do not).
    const indexed = (await page.evaluate(`(async () => {
      const pagefind = await import('/pagefind/pagefind.js');
      const { results } = await pagefind.search('ln|X|');
      const pages = await Promise.all(results.map((r) => r.data()));
      return Object.fromEntries(pages.map((p) => [p.url, p.content]));
    })()`)) as Record<string, string>;
    const mistakes = indexed['/mistakes/common-mistakes/']!;
    expect(mistakes).toContain('tr(AB)');
    for (const chrome of ['Copy LaTeX', 'documented mistake', 'Derivation', 'random trials', 'seed']) {
      expect(mistakes, chrome).not.toContain(chrome);
    }
    // KaTeX writes ∂, Σ and π (the Gaussian density); the search words write partial, Sigma and pi.
    const notes = indexed['/notes/matrix-calculus/']!;
    expect(notes).toContain('Sigma');
    for (const glyph of ['∂', 'Σ', 'π']) expect(notes, glyph).not.toContain(glyph);
  });

  it("through Starlight's search dialog: tr(AB) links to a formula card", async () => {
    await page.locator('button[data-open-modal]').first().click();
    await page.locator('#starlight__search input').fill('tr(AB)');
    const link = page.locator('#starlight__search .pagefind-ui__result-nested a.pagefind-ui__result-link').first();
    await link.waitFor({ timeout: 15_000 });
    const href = new URL((await link.getAttribute('href'))!, site.origin);
    expect(cardsWith('tr(AB)').has(`${href.pathname}${href.hash}`), href.href).toBe(true);
    await link.click();
    await page.waitForURL((u) => u.hash === href.hash);
    expect(await page.locator(`figure${href.hash}`).isVisible()).toBe(true);
    expect(problems.list).toEqual([]);
  });
});
