/**
 * `astro dev`: answers the derivation steps files (src/markdown/steps-files.ts) that the build
 * writes into its output, from the page itself (verified, memoized like the page's render).
 */
import { existsSync } from 'node:fs';
import type { Plugin } from 'vite';
import { markdownForStepsPath, stepsFile, withSlash } from '../markdown/steps-files.ts';
import { verifyFileReport } from '../markdown/verify.ts';
import { checkOptions } from './gate.ts';
import type { ProofsheetOptions } from './options.ts';

export function vitePluginStepsFiles(rootDir: string, base: string, options: ProofsheetOptions): Plugin {
  const prefix = withSlash(base);
  return {
    name: 'proofsheet:steps-files',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const pathname = (req.url ?? '').replace(/[?#].*$/, '');
        if (req.method !== 'GET' || !pathname.startsWith(prefix)) return next();
        const file = markdownForStepsPath(rootDir, options.contentDir, pathname.slice(prefix.length));
        if (!file || !existsSync(file) || !options.check) return next();
        const json = stepsFile(verifyFileReport(file, checkOptions(options)).report, options.seed) ?? '{}\n';
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(json);
      });
    },
  };
}
