import { cpSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A fresh copy of tests/fixtures/site, beside it (so its astro.config.mjs finds the project's
 * src/ and node_modules/ at the same relative paths). Git ignores these copies.
 */
export function copySite(name: string): string {
  const from = fileURLToPath(new URL('../fixtures/site', import.meta.url));
  const to = fileURLToPath(new URL(`../fixtures/.tmp-${name}-${process.pid}`, import.meta.url));
  rmSync(to, { recursive: true, force: true });
  cpSync(from, to, { recursive: true, filter: (path) => !['dist', '.astro', 'node_modules'].includes(basename(path)) });
  return to;
}

/** The environment for a child Astro process: without Vitest's variables (with them, Astro's
 * dev server answers 404), telemetry or colours. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TEST$|NODE_ENV$|FORCE_COLOR$)/.test(key)) env[key] = value;
  }
  return env;
}

/** A page with one identity whose right side the dev-server tests break and mend. */
export const devPage = (rhs: string): string => `---
title: Dev page
symbols: "A: n×n; x: n"
---

:::identity{#quadratic-gradient}
$$
\\frac{\\partial}{\\partial x} x^\\top A x = ${rhs}
$$
:::
`;
