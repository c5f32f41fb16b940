/**
 * Vite plugin: `virtual:proofsheet/options` (for the dev middleware) and
 * `virtual:proofsheet/report` (the JSON report of every page, for a `/verification/` page).
 */
import type { Plugin } from 'vite';
import { toJsonReport } from '../report/json.ts';
import { verifyContent } from './gate.ts';
import type { ProofsheetOptions } from './options.ts';

const OPTIONS_ID = 'virtual:proofsheet/options';
const REPORT_ID = 'virtual:proofsheet/report';

export function vitePluginProofsheet(rootDir: string, options: ProofsheetOptions): Plugin {
  const resolved = new Map([OPTIONS_ID, REPORT_ID].map((id) => [id, `\0${id}`]));
  return {
    name: 'proofsheet:virtual',
    resolveId(id) {
      return resolved.get(id);
    },
    load(id) {
      if (id === resolved.get(OPTIONS_ID)) return `export default ${JSON.stringify({ rootDir, ...options })};`;
      if (id === resolved.get(REPORT_ID)) {
        return `export default ${JSON.stringify(toJsonReport(verifyContent(rootDir, options), options.seed))};`;
      }
      return undefined;
    },
  };
}
