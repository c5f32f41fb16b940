/** The worker threads' environment (src/markdown/worker-env.ts): the compile cache is passed on. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULE = new URL('../src/markdown/worker-env.ts', import.meta.url).href;

/** What `workerEnv()` gives in a fresh process, with the compile cache turned on in `cacheDir` or not. */
function probe(cacheDir?: string): { cache: string | null; path: boolean; inWorker: string | null } {
  const script = `
    import module from 'node:module';
    import { Worker } from 'node:worker_threads';
    ${cacheDir ? `module.enableCompileCache(${JSON.stringify(cacheDir)});` : ''}
    const { workerEnv } = await import(${JSON.stringify(MODULE)});
    const env = workerEnv();
    const worker = new Worker("import('node:worker_threads').then((w) => w.parentPort.postMessage(process.env.NODE_COMPILE_CACHE ?? null))", { eval: true, ...(env ? { env } : {}) });
    worker.once('message', (inWorker) => {
      console.log(JSON.stringify({ cache: env?.NODE_COMPILE_CACHE ?? null, path: env ? env.PATH === process.env.PATH : true, inWorker }));
    });
  `;
  const env = { ...process.env };
  delete env.NODE_COMPILE_CACHE;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim());
}

describe('workerEnv', () => {
  it('passes the compile cache of this process on to its workers', () => {
    const dir = mkdtempSync(join(tmpdir(), 'proofsheet-cc-'));
    try {
      const result = probe(dir);
      expect(result.cache).toContain(dir);
      expect(result.inWorker).toBe(result.cache);
      expect(result.path).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('changes nothing when the compile cache is off', () => {
    expect(probe()).toEqual({ cache: null, path: true, inWorker: null });
  });
});
