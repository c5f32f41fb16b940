/**
 * The verification report page (/verification/) in Chromium: every checked formula with its
 * verdict and a working link, coverage per page, the engine version and the build time, the
 * same as verification.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../../src/engine/index.ts';
import { launchChromium, type Chromium } from './helpers/chromium.ts';
import { describeInBrowser, watchProblems, type Problems } from './helpers/suite.ts';

describeInBrowser('the verification report', (site) => {
  let browser: Chromium;
  let problems: Problems;
  let page: Page;
  const report = JSON.parse(readFileSync(join(site.dist, 'verification.json'), 'utf8'));

  beforeAll(async () => {
    browser = await launchChromium();
    problems = await watchProblems(browser.context, site.origin);
    page = await browser.context.newPage();
    await page.goto(`${site.origin}/verification/`);
  });
  afterAll(() => browser?.close());

  it('is the same data as verification.json (engine, summary), with the build time', async () => {
    expect(report).toMatchObject({ version: 1, engine: ENGINE_VERSION, summary: { failed: 0, error: 0 } });
    const summary = await page.locator('.ps-report-summary').textContent();
    expect(summary).toContain(`${report.summary.total} checked formulas: ${report.summary.proved} proved, ${report.summary.verified} verified`);
    expect(summary).toContain(`Engine ${ENGINE_VERSION}`);
    // the build time is the page's own: verification.json has none (it is reproducible)
    const built = await page.locator('.ps-report-summary time').getAttribute('datetime');
    expect(built).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Date.parse(built!)).toBeGreaterThan(Date.now() - 3_600_000);
    expect(Date.parse(built!)).toBeLessThanOrEqual(Date.now());
    expect(report).not.toHaveProperty('builtAt');
    expect(problems.list).toEqual([]);
  });

  it('lists every checked formula, rendered as it scrolls into view, with its verdict, linking to page#id', async () => {
    // rendered by KaTeX in the browser a little before it comes into view (src/client/lazy-math.ts)
    for (const li of await page.locator('.ps-index-item').all()) await li.scrollIntoViewIfNeeded();
    await expect.poll(() => page.locator('.ps-index-item code.ps-tex').count()).toBe(0);
    const items = await page.locator('.ps-index-item').evaluateAll((lis) =>
      lis.map((li) => ({
        href: li.querySelector('a')!.getAttribute('href')!,
        verdict: li.querySelector('.ps-verdict')!.textContent,
        katex: li.querySelectorAll('.katex').length,
        latex: li.querySelector<HTMLElement>('.ps-tex-rendered')?.dataset.latex,
      })),
    );
    expect(items).toHaveLength(report.formulas.length);
    expect(items.every((i) => i.katex > 0 && /proved|verified|mistake|definition/.test(i.verdict ?? ''))).toBe(true);
    // what is rendered is the formulas' own LaTeX (the page lists them in sidebar order)
    expect(items.map((i) => i.latex).sort()).toEqual(report.formulas.map((f: { latex: string }) => f.latex).sort());
    // Every link lands on an element with that id.
    const byPage = new Map<string, string[]>();
    for (const { href } of items) {
      const [path, id] = href.split('#') as [string, string];
      byPage.set(path, [...(byPage.get(path) ?? []), id]);
    }
    for (const [path, ids] of byPage) {
      const html = readFileSync(join(site.dist, path, 'index.html'), 'utf8');
      expect(ids.filter((id) => !html.includes(` id="${id}"`)), path).toEqual([]);
    }
  });

  it('shows coverage per page, and is reachable from the sidebar as the formula index', async () => {
    const rows = await page.locator('#coverage ~ .ps-report-table tbody tr').count();
    expect(rows).toBe(report.pages.filter((p: { checked: number; unwrapped: number }) => p.checked + p.unwrapped > 0).length);
    const index = page.locator('nav[aria-label="Main"] a', { hasText: 'Formula index' });
    expect(await index.getAttribute('href')).toBe('/verification/#formula-index');
    expect(await page.locator('#formula-index').count()).toBe(1);
  });
});
