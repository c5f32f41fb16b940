/** The environment of the worker threads that check pages and write the build's files. */
import module from 'node:module';

/**
 * This process's environment, plus its module compile cache when one is on (`astro` turns it on
 * outside CI): a worker thread does not inherit `module.enableCompileCache()`, only the
 * `NODE_COMPILE_CACHE` variable, and without it every worker strips and compiles our TypeScript
 * again (the outputs worker started in 127–141 ms without it, 40–45 ms with it).
 * Undefined when there is no cache: the workers then get the usual copy of `process.env`.
 */
export function workerEnv(): Record<string, string> | undefined {
  const dir = module.getCompileCacheDir?.();
  if (!dir) return undefined;
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env.NODE_COMPILE_CACHE = dir;
  return env;
}
