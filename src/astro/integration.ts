/**
 * The Proofsheet Astro integration.
 *
 *   integrations: [proofsheet(), starlight({ … })]
 *
 * - registers the math pipeline (remark-math, remark-directive, the proofsheet remark plugin,
 *   rehype-katex) on the unified Markdown processor, and adds KaTeX's CSS and the card styles;
 * - `astro build`: verifies every page under `contentDir` (in worker threads, while Astro
 *   renders the Markdown) and, before anything is written, fails with every formula that does
 *   not hold (`file:line:column  verdict  id  message`);
 *   writes the JSON report (shared/spec/report.md) into the output as `verification.json`, and
 *   each page's derivation steps beside it (`_proofsheet/steps/…`, fetched when a reader opens one);
 * - `astro dev`: a page with a failing formula shows Astro's error overlay at the formula;
 * - adds the `/verification/` page (report and formula index, a Starlight page) and, after
 *   Starlight, builds the search index in the place of Starlight's, so that TeX queries find
 *   formulas (search-index.ts).
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { addSummaries, summaryLine } from '../report/summary.ts';
import { checkerFingerprint, summaryOf } from '../markdown/cache.ts';
import { setActiveRun, type VerifyRun } from '../markdown/pool.ts';
import { pagesTransformed } from '../markdown/remark-proofsheet.ts';
import { STEPS_DIR } from '../markdown/steps-files.ts';
import { collectGarbage } from './collect-garbage.ts';
import { buildGateError, checkOptions, startContentVerification } from './gate.ts';
import { registerMarkdownPlugins } from './markdown.ts';
import { stageOutputs, type StagedOutputs } from './outputs.ts';
import { parseOptions, type ProofsheetUserOptions } from './options.ts';
import { searchIndex } from './search-index.ts';
import { vitePluginStepsFiles } from './steps-server.ts';
import { REPORT_INDEX_KEY, vitePluginProofsheet } from './virtual.ts';

const PAGE_SCRIPTS = ['../client/copy-latex.ts', '../client/lazy-math.ts'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
const STYLES = fileURLToPath(new URL('../styles/proofsheet.css', import.meta.url));
const REPORT_PAGE = new URL('./pages/verification.astro', import.meta.url);

export default function proofsheet(userOptions?: ProofsheetUserOptions): AstroIntegration {
  const options = parseOptions(userOptions);
  let run: VerifyRun | undefined;
  let outputs: StagedOutputs | undefined;
  let stagingDir = '';
  let outDir = '';
  /** Whether Astro empties the output folder before bundling (Vite's `build.emptyOutDir`, on by default). */
  let emptiesOutDir = true;
  /** Until Astro has emptied the output folder (it then sets the build up: `astro:build:setup`): stop putting our files back on exit. */
  let keepRetired: (() => void) | undefined;
  let started = 0;
  /** Markdown pages rendered in this process before this build (the content sync renders those not in Astro's cache). */
  let renderedBefore = 0;
  let rootDir = process.cwd();
  // The build time the /verification/ page shows (verification.json has none: it is reproducible).
  const builtAt = new Date().toISOString();
  return {
    name: 'proofsheet',
    hooks: {
      'astro:config:setup': async ({ command, config, addMiddleware, injectRoute, injectScript, updateConfig, logger }) => {
        rootDir = fileURLToPath(config.root);
        renderedBefore = pagesTransformed();
        // PROOFSHEET_CHECK=0 switches checking off (for comparison builds); the cache lives in Astro's cacheDir.
        if (process.env.PROOFSHEET_CHECK === '0') options.check = false;
        if (options.cacheDir === undefined) options.cacheDir = fileURLToPath(new URL('proofsheet/', config.cacheDir));
        stagingDir = fileURLToPath(new URL('proofsheet-outputs/', config.cacheDir));
        registerMarkdownPlugins(config, {
          ...checkOptions(options),
          check: options.check,
          checker: options.check ? checkerFingerprint() : 'off',
          stepsFiles: { rootDir, base: config.base },
        });
        injectScript('page', PAGE_SCRIPTS.map((path) => `import ${JSON.stringify(path)};`).join('\n'));
        // KaTeX's CSS and fonts are bundled into the site (no CDN), then the card styles.
        injectScript('page-ssr', `import 'katex/dist/katex.min.css'; import ${JSON.stringify(STYLES)};`);
        updateConfig({
          vite: {
            plugins: [
              vitePluginProofsheet(rootDir, options, builtAt, () => outputs !== undefined),
              vitePluginStepsFiles(rootDir, config.base, options),
              // Vite's last step before Astro renders the pages: the outputs' worker starts then
              { name: 'proofsheet:outputs', apply: 'build', buildApp: { order: 'post', handler: async () => outputs?.start() } },
            ],
          },
          // the report page is not searchable (`pagefind: false`): Pagefind need not read it
          integrations: [searchIndex({ skipRoutes: options.reportPage ? [options.reportPage] : [] })],
        });
        if (options.reportPage) injectRoute({ pattern: options.reportPage, entrypoint: REPORT_PAGE });
        if (command === 'dev') addMiddleware({ entrypoint: new URL('./middleware.ts', import.meta.url), order: 'post' });
        if (command !== 'build') return;
        if (!options.check) {
          logger.warn('formula checking is switched off (PROOFSHEET_CHECK=0 or check: false): nothing is verified');
          return;
        }

        // The checking starts now, in worker threads, and goes on while Astro renders the pages
        // (the remark plugin waits for each page's verdicts); the gate awaits it below.
        started = performance.now();
        run = startContentVerification(rootDir, options);
        setActiveRun(run);
      },
      'astro:config:done': ({ config }) => {
        outDir = fileURLToPath(config.outDir);
        emptiesOutDir = config.vite?.build?.emptyOutDir !== false;
      },
      // The gate: the last hook before Astro empties the output folder, so a failure leaves it as it was.
      'astro:build:start': async ({ logger }) => {
        if (run) {
          const waitFrom = performance.now();
          // the cache's answers unparsed: the gate decides on their summaries
          const results = await run.results();
          const error = buildGateError(results, options.strict);
          if (error) throw error;
          // the report index for the /verification/ page, verification.json and the steps files:
          // made beside the build, once Vite has bundled it, by a worker that parses the reports
          const staged = stageOutputs(stagingDir, { reports: results, seed: options.seed, rootDir, builtAt, report: options.report, index: options.reportPage !== false });
          outputs = staged;
          // The previous build's steps files and report, which Astro is about to delete on this
          // thread, are moved aside for the worker to start from; put back if the build stops first.
          if (emptiesOutDir) {
            staged.retire(outDir, [STEPS_DIR, ...(options.report ? [options.report] : [])]);
            const restore = () => {
              try {
                staged.restore();
              } catch {
                // exiting anyway: what could not be put back stays in Astro's cache folder (the next build sweeps it)
              }
            };
            process.once('exit', restore);
            keepRetired = () => process.off('exit', restore);
          }
          (globalThis as Record<symbol, unknown>)[Symbol.for(REPORT_INDEX_KEY)] = () => staged.index();
          const seconds = (ms: number) => (ms / 1000).toFixed(1);
          const now = performance.now();
          logger.info(
            `${summaryLine(addSummaries(results.map(summaryOf)))} (${results.length} pages, ${seconds(now - started)}s, ${seconds(now - waitFrom)}s of it after Astro's content sync)`,
          );
        }
        // the content sync's garbage, before Vite bundles the pages: the build's peak memory
        // (and, when the sync rendered pages, checked or not, the memory V8 kept from that work)
        collectGarbage({ reduceMemory: pagesTransformed() > renderedBefore });
      },
      'astro:build:setup': () => {
        keepRetired?.();
        keepRetired = undefined;
      },
      'astro:build:done': async ({ dir, logger }) => {
        if (!outputs) return;
        await outputs.moveInto(fileURLToPath(dir));
        if (options.report !== false) logger.info(`verification report written to ${options.report}`);
      },
    },
  };
}
