/**
 * Vite plugin: `virtual:proofsheet/options` (for the dev middleware) and
 * `virtual:proofsheet/report` (the index of the site report, for the `/verification/` page).
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { verifyContent } from './gate.ts';
import type { ProofsheetOptions } from './options.ts';
import { toReportIndex, toSiteReport } from './site-report.ts';

const OPTIONS_ID = 'virtual:proofsheet/options';
const REPORT_ID = 'virtual:proofsheet/report';

/** Where the build puts the function that gives the report index's JSON text, once it is made (outputs.ts). */
export const REPORT_INDEX_KEY = 'proofsheet.report-index';

/**
 * `gated()`: whether the build's gate has run. Then the report index is made beside the
 * build by the outputs' worker (from the reports, which this thread does not parse), and the
 * page gets it when it is rendered: in the bundle, a site's thousands of formulas would cost
 * every build compile time. Otherwise (dev) the content folder is verified here, from the memo
 * and the disk cache, and the index is part of the module.
 */
export function vitePluginProofsheet(rootDir: string, options: ProofsheetOptions, builtAt: string, gated: () => boolean = () => false): Plugin {
  const resolved = new Map([OPTIONS_ID, REPORT_ID].map((id) => [id, `\0${id}`]));
  return {
    name: 'proofsheet:virtual',
    resolveId(id) {
      return resolved.get(id);
    },
    load(id) {
      if (id === resolved.get(OPTIONS_ID)) return `export default ${JSON.stringify({ rootDir, ...options })};`;
      if (id === resolved.get(REPORT_ID)) {
        if (gated()) {
          return `export default JSON.parse(await globalThis[Symbol.for(${JSON.stringify(REPORT_INDEX_KEY)})]());`;
        }
        const reports = verifyContent(rootDir, options);
        const json = JSON.stringify(toReportIndex(toSiteReport(reports, options.seed), builtAt));
        // In dev, an edited page invalidates the report, so /verification/ stays current.
        for (const report of reports) this.addWatchFile(resolve(report.file));
        return `export default JSON.parse(${JSON.stringify(json)});`;
      }
      return undefined;
    },
  };
}
