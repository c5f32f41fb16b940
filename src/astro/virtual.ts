/**
 * Vite plugin: `virtual:proofsheet/options` (for the dev middleware) and
 * `virtual:proofsheet/report` (the index of the site report, for the `/verification/` page).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import type { PageReport } from '../engine/api.ts';
import { verifyContent } from './gate.ts';
import type { ProofsheetOptions } from './options.ts';
import { toReportIndex, toSiteReport } from './site-report.ts';

const OPTIONS_ID = 'virtual:proofsheet/options';
const REPORT_ID = 'virtual:proofsheet/report';

/**
 * `built()`: the reports of the build's gate, once it has run (the report page then reuses them);
 * otherwise (dev) the content folder is verified here, from the memo and the disk cache.
 */
export function vitePluginProofsheet(rootDir: string, options: ProofsheetOptions, builtAt: string, built: () => PageReport[] | undefined = () => undefined): Plugin {
  const resolved = new Map([OPTIONS_ID, REPORT_ID].map((id) => [id, `\0${id}`]));
  return {
    name: 'proofsheet:virtual',
    resolveId(id) {
      return resolved.get(id);
    },
    load(id) {
      if (id === resolved.get(OPTIONS_ID)) return `export default ${JSON.stringify({ rootDir, ...options })};`;
      if (id === resolved.get(REPORT_ID)) {
        const gate = built();
        const reports = gate ?? verifyContent(rootDir, options);
        const json = JSON.stringify(toReportIndex(toSiteReport(reports, options.seed, builtAt)));
        if (gate && options.cacheDir) {
          // a build: the page reads the index when it is rendered (in Node) instead of carrying
          // it in the bundle, where a site's thousands of formulas cost every build compile time
          const file = join(options.cacheDir, 'report-index.json');
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, json);
          return `import { readFileSync } from 'node:fs';\nexport default JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'));`;
        }
        // In dev, an edited page invalidates the report, so /verification/ stays current.
        for (const report of reports) this.addWatchFile(resolve(report.file));
        return `export default JSON.parse(${JSON.stringify(json)});`;
      }
      return undefined;
    },
  };
}
