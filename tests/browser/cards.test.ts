/**
 * The formula card's controls in Chromium: the verdict badge, the permalink, "Copy LaTeX"
 * (copies the source exactly as written) and the derivation, with and without JavaScript.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, type Chromium } from './helpers/chromium.ts';
import { describeInBrowser, watchProblems, type Problems } from './helpers/suite.ts';

interface Formula {
  file: string;
  id: string;
  latex: string;
  status: string;
  kind: string;
}

describeInBrowser('formula cards', (site) => {
  let browser: Chromium;
  let problems: Problems;
  const report = JSON.parse(readFileSync(join(site.dist, 'verification.json'), 'utf8')) as { formulas: Formula[] };
  const url = (path: string) => `${site.origin}${path}`;

  beforeAll(async () => {
    browser = await launchChromium({ permissions: ['clipboard-read', 'clipboard-write'] });
    problems = await watchProblems(browser.context, site.origin);
  });
  afterAll(() => browser?.close());

  it('show a verdict badge with a text label for every kind of formula', async () => {
    problems.clear();
    const page = await browser.context.newPage();
    await page.goto(url('/mistakes/common-mistakes/'));
    await expect.poll(() => page.locator('#trace-product-wrong .ps-verdict').textContent()).toBe('✗ documented mistake — refuted by counterexample');
    expect(await page.locator('#trace-product-right .ps-verdict').textContent()).toMatch(/^✓ (proved|verified numerically)$/);
    // Styled: the badge sits in a flex header, the card has its verdict-coloured edge.
    const style = await page.locator('#trace-product-wrong').evaluate((card) => ({
      header: getComputedStyle(card.querySelector('.ps-identity-header')!).display,
      edge: getComputedStyle(card).borderInlineStartWidth,
    }));
    expect(style).toEqual({ header: 'flex', edge: '4px' });
    await page.goto(url('/tutorial/derivative-wrt-matrix/'));
    // a definition's badge says what it binds, the symbol drawn from its MathML; it has no derivation
    const definition = page.locator('figure.ps-definition').first();
    expect(await definition.locator('.ps-verdict').textContent()).toMatch(/^≔ defines .+ \(.+\)$/);
    expect(await definition.locator('.ps-verdict .katex math').count()).toBe(1);
    expect(await definition.locator('button.ps-derivation-toggle').count()).toBe(0);
    await page.close();
    expect(problems.list).toEqual([]);
  });

  it('copy the LaTeX exactly as written, and say so', async () => {
    problems.clear();
    const page = await browser.context.newPage();
    await page.goto(url('/mistakes/common-mistakes/'));
    const formula = report.formulas.find((f) => f.id === 'trace-inverse-right')!;
    const button = page.locator('#trace-inverse-right button.ps-copy');
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(formula.latex);
    await expect.poll(() => button.textContent(), { timeout: 5000 }).toBe('Copy LaTeX');
    await page.close();
    expect(problems.list).toEqual([]);
  });

  it('open the derivation: fetched from the page\'s steps file, steps rendered by KaTeX, and what was checked', async () => {
    problems.clear();
    const page = await browser.context.newPage();
    const fetched: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/_proofsheet/')) fetched.push(new URL(request.url()).pathname);
    });
    await page.goto(url('/tutorial/derivative-wrt-matrix/'));
    const card = page.locator('#log-abs-det-gradient');
    const button = card.locator('.ps-identity-header button.ps-derivation-toggle');
    // the page links its steps file once (the steps' LaTeX, a line each, then its rule), a link
    // only readers without JavaScript see; the page script gives each card a button, fetches the
    // file when the reader opens a derivation, and KaTeX renders the steps
    const stepsFile = page.locator('.ps-steps-file a');
    const href = (await stepsFile.getAttribute('href'))!;
    expect(href).toBe('/_proofsheet/steps/content/tutorial/derivative-wrt-matrix.md.json');
    expect(await stepsFile.isVisible()).toBe(false);
    await expect.poll(() => button.isVisible()).toBe(true);
    expect(await button.textContent()).toBe('Derivation');
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    const file = JSON.parse(readFileSync(join(site.dist, href), 'utf8')) as Record<string, { steps: string; checked: string }>;
    const text = file['log-abs-det-gradient']!.steps;
    const sources = text.split('\n').filter((line) => line.trim() && !line.startsWith('— '));
    const rules = text.split('\n').filter((line) => line.startsWith('— ')).map((line) => line.slice(2));
    expect(sources.length).toBeGreaterThan(0);
    expect(await card.locator('.ps-derivation').count()).toBe(0);
    expect(fetched).toEqual([]);
    // the button sits in the header row, beside the copy button: nothing below it moved
    const height = await card.evaluate((figure) => figure.getBoundingClientRect().height);
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    const panel = card.locator('.ps-derivation');
    expect(await panel.getAttribute('id')).toBe(await button.getAttribute('aria-controls'));
    await expect.poll(() => panel.locator('.katex').first().isVisible()).toBe(true);
    expect(await card.evaluate((figure) => figure.getBoundingClientRect().height)).toBeGreaterThan(height);
    expect(await panel.locator('.ps-tex-rendered').evaluateAll((spans) => spans.map((s) => (s as HTMLElement).dataset.latex))).toEqual(sources);
    expect(await panel.locator('ol.ps-steps .ps-step-rule').allTextContents()).toEqual(rules);
    expect(await panel.locator('.katex-error').count()).toBe(0);
    expect(await panel.locator('.ps-step-rule').count()).toBeGreaterThan(0);
    expect(await panel.locator('a.ps-steps').count()).toBe(0);
    expect(await panel.locator('.ps-checked').textContent()).toMatch(/^checked: \d+ random trials, max rel\. error \d\.\de-\d+, seed \d+$/);
    expect(await panel.locator('.ps-checked').textContent()).toBe(file['log-abs-det-gradient']!.checked);
    // closed again, it is hidden, and the card is back to its height
    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await panel.isVisible()).toBe(false);
    expect(await card.evaluate((figure) => figure.getBoundingClientRect().height)).toBe(height);
    // a second derivation of the page reuses the file
    const other = page.locator('#partial-first');
    await other.locator('button.ps-derivation-toggle').click();
    await expect.poll(() => other.locator('.ps-derivation .katex').first().isVisible()).toBe(true);
    expect(fetched).toEqual([href]);
    await page.close();
    expect(problems.list).toEqual([]);
  });

  it('say so when a derivation cannot be loaded, keep the link, and load it at the next opening', async () => {
    problems.clear();
    const page = await browser.context.newPage();
    let refuse = true;
    await page.route('**/_proofsheet/steps/**', (route) => (refuse ? route.fulfill({ status: 503, body: 'busy' }) : route.continue()));
    await page.goto(url('/tutorial/derivative-wrt-matrix/'));
    const card = page.locator('#log-abs-det-gradient');
    const button = card.locator('button.ps-derivation-toggle');
    await button.click();
    await expect.poll(() => card.locator('.ps-derivation a.ps-steps').getAttribute('title')).toMatch(/could not be loaded \(503/);
    refuse = false;
    await button.click(); // closed
    await button.click(); // opened again
    await expect.poll(() => card.locator('.ps-derivation .katex').first().isVisible()).toBe(true);
    await page.close();
    // the refused request is the only problem
    expect(problems.list.filter((p) => !p.includes('503'))).toEqual([]);
  });

  it('link to themselves: the permalink is the card id, and following it scrolls the card into view', async () => {
    problems.clear();
    const page = await browser.context.newPage();
    await page.goto(url('/cheat-sheet/matrix-derivatives/'));
    const permalink = page.locator('#eq-13 a.ps-permalink');
    expect(await permalink.getAttribute('href')).toBe('#eq-13');
    await permalink.click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#eq-13');
    expect(await page.locator('#eq-13').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('eq-13');
    await page.close();
    expect(problems.list).toEqual([]);
  });

  it('work without JavaScript, except the copy and derivation buttons, which are then not there: the page links its steps file instead', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const page = await noScript.context.newPage();
      await page.goto(url('/tutorial/derivative-wrt-matrix/#log-abs-det-gradient'));
      const card = page.locator('#log-abs-det-gradient');
      expect(await card.locator('.ps-verdict').isVisible()).toBe(true);
      expect(await card.locator('button.ps-copy').isVisible()).toBe(false);
      expect(await card.locator('button').count()).toBe(0);
      const link = page.locator('.ps-steps-file a');
      expect(await link.count()).toBe(1);
      expect(await link.isVisible()).toBe(true);
      await link.click();
      await page.waitForURL(/\/_proofsheet\/steps\/content\/tutorial\/derivative-wrt-matrix\.md\.json$/);
      const file = JSON.parse((await page.locator('body').textContent()) ?? '') as Record<string, { steps: string }>;
      expect(file['log-abs-det-gradient']!.steps).toMatch(/\n— /);
    } finally {
      await noScript.close();
    }
  });
});
