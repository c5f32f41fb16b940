/**
 * Screenshots of the built site for people to look at (test-results/screenshots/): light and
 * dark themes, a 390-px-wide phone, and a formula card with its derivation open.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { launchChromium } from './helpers/chromium.ts';
import { describeInBrowser, watchProblems } from './helpers/suite.ts';

const out = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

describeInBrowser('screenshots', (site) => {
  const shoot = async (name: string, path: string, options: Parameters<typeof launchChromium>[0], act?: (page: import('playwright-core').Page) => Promise<void>) => {
    mkdirSync(out, { recursive: true });
    const browser = await launchChromium(options);
    try {
      const problems = await watchProblems(browser.context, site.origin);
      const page = await browser.context.newPage();
      await page.goto(`${site.origin}${path}`, { waitUntil: 'networkidle' });
      await page.evaluate(() => document.fonts.ready);
      if (act) await act(page);
      else await page.screenshot({ path: join(out, name) });
      expect(statSync(join(out, name)).size).toBeGreaterThan(10_000);
      expect(problems.list).toEqual([]);
    } finally {
      await browser.close();
    }
  };

  it('light theme: the home page, pages of formulas and definitions, the verification report', async () => {
    await shoot('home-light.png', '/', { colorScheme: 'light' });
    await shoot('cheat-sheet-light.png', '/cheat-sheet/matrix-derivatives/#eq-8', { colorScheme: 'light' });
    await shoot('tutorial-definitions-light.png', '/tutorial/derivative-wrt-matrix/#example-3-the-log-determinant', { colorScheme: 'light' });
    await shoot('verification-light.png', '/verification/', { colorScheme: 'light' });
  });

  it('dark theme: a page of formulas, documented mistakes, the verification report', async () => {
    await shoot('cheat-sheet-dark.png', '/cheat-sheet/matrix-derivatives/#eq-8', { colorScheme: 'dark' });
    await shoot('mistakes-dark.png', '/mistakes/common-mistakes/#trace-product-wrong', { colorScheme: 'dark' });
    await shoot('verification-dark.png', '/verification/#formula-index', { colorScheme: 'dark' });
  });

  it('a 390-px-wide phone: a long formula scrolls inside its card, the page does not', async () => {
    await shoot('phone-390.png', '/notes/matrix-calculus/#gaussian-differential-covariance', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, async (page) => {
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      expect(widths.page).toBeLessThanOrEqual(widths.viewport);
      await page.screenshot({ path: join(out, 'phone-390.png') });
    });
  });

  it('a formula card with its derivation open', async () => {
    await shoot('card-derivation-open.png', '/tutorial/derivative-wrt-matrix/#log-abs-det-gradient', { colorScheme: 'light' }, async (page) => {
      const card = page.locator('figure#log-abs-det-gradient');
      await card.locator('button.ps-derivation-toggle').click();
      await expect.poll(() => card.locator('.ps-derivation .katex').first().isVisible()).toBe(true);
      await card.screenshot({ path: join(out, 'card-derivation-open.png') });
    });
  });
});
