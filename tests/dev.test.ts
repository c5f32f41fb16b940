/**
 * `astro dev`: a page with a failing formula answers with Astro's error overlay, located at the
 * formula; once the file is fixed, the page renders. The overlay is what the dev server sends
 * over Vite's HMR WebSocket, so this test listens there instead of driving a browser.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv, copySite, devPage } from './helpers/site.ts';

const astro = fileURLToPath(new URL('../node_modules/astro/bin/astro.mjs', import.meta.url));

const page = devPage;

interface OverlayPayload {
  type: string;
  err?: { message: string; loc?: { file?: string; line?: number; column?: number }; frame?: string; hint?: string };
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('astro dev with the proofsheet integration', () => {
  let site: string;
  let server: ChildProcess;
  let base: string;
  let log = '';

  beforeAll(async () => {
    site = copySite('dev');
    writeFileSync(join(site, 'content/dev.md'), page('A x'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [astro, 'dev', '--host', '127.0.0.1', '--port', String(port)], {
      cwd: site,
      env: childEnv(),
    });
    server.stdout?.on('data', (chunk) => (log += chunk));
    server.stderr?.on('data', (chunk) => (log += chunk));
    await until('the dev server', async () => ((await fetch(`${base}/`, { signal: AbortSignal.timeout(10_000) })).ok ? true : undefined)).catch((error) => {
      throw new Error(`${error.message}:\n${log}`);
    });
  });

  afterAll(() => {
    server?.kill();
    rmSync(site, { recursive: true, force: true });
  });

  it('shows the error overlay at the failing formula, and renders the page once it is fixed', async () => {
    const socket = new WebSocket(base.replace('http', 'ws'), 'vite-hmr');
    const payloads: OverlayPayload[] = [];
    socket.addEventListener('message', (event) => payloads.push(JSON.parse(String(event.data))));
    await until('the HMR socket', async () => (socket.readyState === WebSocket.OPEN ? true : undefined));

    const failing = await fetch(`${base}/dev/`, { signal: AbortSignal.timeout(30_000) });
    expect(failing.status).toBe(500);
    const overlay = await until('the overlay payload', async () => payloads.find((p) => p.type === 'error'));
    expect(overlay.err?.message).toContain('content/dev.md:6:1  failed  quadratic-gradient');
    expect(overlay.err?.loc?.file).toBe(join(site, 'content/dev.md'));
    expect(overlay.err?.loc?.line).toBeGreaterThanOrEqual(6);
    expect(overlay.err?.frame).toMatch(/^> +\d+ \| /m);
    expect(overlay.err?.hint).toContain('npm run verify');

    writeFileSync(join(site, 'content/dev.md'), page('\\left(A + A^\\top\\right) x'));
    // The middleware passes as soon as the file is fixed; the page shows the new card once
    // Astro's content layer has re-rendered it.
    const card = /<figure class="ps-identity" id="quadratic-gradient" data-verdict="(\w+)"/;
    const verdict = await until('the fixed page', async () => {
      const response = await fetch(`${base}/dev/`, { signal: AbortSignal.timeout(10_000) });
      const match = response.ok ? card.exec(await response.text()) : null;
      return match && match[1] !== 'failed' ? match[1] : undefined;
    });
    expect(['proved', 'verified']).toContain(verdict);
    socket.close();
  }, 60_000);

  it('leaves pages without failing formulas alone', async () => {
    const response = await fetch(`${base}/good/`, { signal: AbortSignal.timeout(30_000) });
    expect(response.status, log).toBe(200);
  });

  it('serves the derivations of a page (its steps file), and nothing outside the content folder', async () => {
    const html = await (await fetch(`${base}/good/`, { signal: AbortSignal.timeout(30_000) })).text();
    const href = /<p class="ps-steps-file"[^>]*><a href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('/_proofsheet/steps/content/good.md.json');
    const response = await fetch(`${base}${href}`, { signal: AbortSignal.timeout(30_000) });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const steps = (await response.json()) as Record<string, { steps: string; checked: string }>;
    expect(steps['trace-cyclic']?.steps).toContain('\\operatorname{tr}');
    expect(steps['trace-cyclic']?.checked).toMatch(/^checked: \d+ random trials/);
    for (const path of ['content/../package.json.json', 'content/%2e%2e/astro.config.mjs.json', 'astro.config.mjs.json', 'content/missing.md.json']) {
      const other = await fetch(`${base}/_proofsheet/steps/${path}`, { signal: AbortSignal.timeout(30_000) });
      expect(other.headers.get('content-type') ?? '', path).not.toMatch(/^application\/json/);
    }
  });

  it('keeps the verification report page current as pages are edited', async () => {
    const links = async () => (await (await fetch(`${base}/verification/`, { signal: AbortSignal.timeout(30_000) })).text()).match(/href="\/good\/#[^"]+"/g);
    expect(await links()).toContain('href="/good/#trace-cyclic"');
    const good = join(site, 'content/good.md');
    writeFileSync(good, readFileSync(good, 'utf8').replace('#trace-cyclic', '#trace-cyclic-renamed'));
    await until('the updated report', async () => ((await links())?.includes('href="/good/#trace-cyclic-renamed"') ? true : undefined));
  });
});
