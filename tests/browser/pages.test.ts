/**
 * Every page of the built site in Chromium: no console errors, no failed request, no request
 * leaving the site; KaTeX rendered (HTML and MathML, no error), \sqrt bars drawn, every
 * permalink pointing at an element of the page, and no page wider than a phone.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Chromium } from './helpers/chromium.ts';
import { describeInBrowser, sitePages, watchProblems, type Problems } from './helpers/suite.ts';

describeInBrowser('every page of the built site', (site) => {
  let browser: Chromium;
  let problems: Problems;
  const pages = sitePages(site.dist);

  beforeAll(async () => {
    browser = await launchChromium();
    problems = await watchProblems(browser.context, site.origin);
  });
  afterAll(() => browser?.close());

  it('has the content pages, the home page and the verification report', () => {
    expect(pages).toEqual(expect.arrayContaining(['/', '/tutorial/derivative-wrt-matrix/', '/cheat-sheet/matrix-derivatives/', '/notes/matrix-calculus/', '/mistakes/common-mistakes/', '/guide/authoring/', '/verification/']));
  });

  it.each(pages)('%s loads cleanly, with its math rendered and its permalinks resolving', async (path) => {
    problems.clear();
    const page = await browser.context.newPage();
    try {
      await page.goto(`${site.origin}${path}`, { waitUntil: 'networkidle' });
      const facts = await page.evaluate(() => {
        const ids = new Set([...document.querySelectorAll('[id]')].map((e) => e.id));
        return {
          title: document.title,
          katex: document.querySelectorAll('.katex').length,
          // every formula has its MathML: beside KaTeX's HTML, or alone (a definition note's symbol)
          mathml: [...document.querySelectorAll('.katex')].filter((k) => k.querySelector(':scope > .katex-mathml > math, :scope > math')).length,
          errors: [...document.querySelectorAll('.katex-error')].map((e) => e.getAttribute('title') ?? e.textContent),
          cards: document.querySelectorAll('figure.ps-identity').length,
          brokenPermalinks: [...document.querySelectorAll<HTMLAnchorElement>('a.ps-permalink, .ps-identity-inline a.ps-verdict')]
            .map((a) => decodeURIComponent(new URL(a.href).hash.slice(1)))
            .filter((id) => !ids.has(id)),
          collapsedSqrt: [...document.querySelectorAll('.katex .sqrt svg')].filter((svg) => svg.getBoundingClientRect().height < 1).length,
          sqrt: document.querySelectorAll('.katex .sqrt svg').length,
          indexedKatex: [...document.querySelectorAll('.katex')].filter((e) => !e.closest('[data-pagefind-ignore]')).length,
          searchText: [...document.querySelectorAll<HTMLElement>('.ps-search-text')].filter((e) => e.offsetParent !== null).length,
          // Math in a heading: the table of contents shows a plain form, never KaTeX's annotation.
          tocLatex: [...document.querySelectorAll('starlight-toc a, mobile-starlight-toc a')].map((a) => a.textContent ?? '').filter((t) => t.includes('\\')),
        };
      });
      expect(facts.title).not.toBe('');
      expect(facts.errors).toEqual([]);
      expect(facts.mathml).toBe(facts.katex);
      expect(facts.brokenPermalinks).toEqual([]);
      expect(facts.tocLatex).toEqual([]);
      expect(facts.collapsedSqrt).toBe(0);
      if (path !== '/verification/') expect(facts.indexedKatex, 'KaTeX output is kept out of the search index').toBe(0);
      expect(facts.searchText, 'search words are never shown').toBe(0);
      if (path !== '/' && path !== '/404.html') expect(facts.katex).toBeGreaterThan(0);
      if (path === '/notes/matrix-calculus/') expect(facts.sqrt).toBeGreaterThan(0);
      expect(problems.list).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('no page is wider than a 390-px phone: long formulas scroll inside their box', async () => {
    const phone = await launchChromium({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const wide: string[] = [];
      const page = await phone.context.newPage();
      for (const path of pages) {
        await page.goto(`${site.origin}${path}`, { waitUntil: 'load' });
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 390) wide.push(`${path}: ${width}px`);
      }
      expect(wide).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
