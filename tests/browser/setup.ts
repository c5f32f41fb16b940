/**
 * Global setup of the browser tests: the site built once and served on 127.0.0.1.
 *
 * `PROOFSHEET_SITE_DIST=dist` reuses a build made by the same run (.ci/run builds the site just
 * before the tests); otherwise the site is built into a temporary folder. Without Chromium the
 * tests are skipped locally and fail under CI (see helpers/chromium.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { childEnv } from '../helpers/site.ts';
import { CHROMIUM } from './helpers/chromium.ts';
import { serveStatic } from './helpers/serve.ts';

export interface SiteUnderTest {
  /** `http://127.0.0.1:PORT`, empty when the tests cannot run. */
  origin: string;
  dist: string;
  /** Why the tests are skipped (locally, without Chromium). */
  skip?: string;
  /** Why the tests must fail (under CI, without Chromium). */
  error?: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    site: SiteUnderTest;
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM)) {
    const reason = `${CHROMIUM} is missing (install it: apt-get update && apt-get install -y chromium)`;
    project.provide('site', { origin: '', dist: '', ...(process.env.CI ? { error: `CI must run the browser tests: ${reason}` } : { skip: reason }) });
    return async () => {};
  }
  const reused = process.env.PROOFSHEET_SITE_DIST;
  const dist = reused ? resolve(root, reused) : build();
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`no built site in ${dist}`);
  const server = await serveStatic(dist);
  project.provide('site', { origin: server.origin, dist });
  return async () => {
    await server.close();
    if (!reused) rmSync(dist, { recursive: true, force: true });
  };
}

function build(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'proofsheet-site-'));
  const astro = join(root, 'node_modules/astro/bin/astro.mjs');
  const run = spawnSync(process.execPath, [astro, 'build', '--outDir', outDir], { cwd: root, encoding: 'utf8', env: childEnv() });
  if (run.status !== 0) throw new Error(`astro build failed (status ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return outDir;
}
