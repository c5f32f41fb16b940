/** The integration's options, validated like Starlight validates its own. */
import { AstroError } from 'astro/errors';
import { z } from 'astro/zod';
import { DEFAULT_SEED } from '../engine/api.ts';

export const ProofsheetOptionsSchema = z
  .object({
    /** Folder of the Markdown pages to verify, relative to the project root. */
    contentDir: z.string().default('content'),
    /** Seed of the checker's random draws. */
    seed: z.number().int().default(DEFAULT_SEED),
    /** Random trials per formula; when absent, 5 for a formula only verified and 2 for one the rules proved. */
    trials: z.number().int().positive().optional(),
    /** Fail the build on formulas that are only `verified`, not `proved`. */
    strict: z.boolean().default(false),
    /** File written into the build output with the JSON report, or `false` for none. */
    report: z.union([z.string().min(1), z.literal(false)]).default('verification.json'),
    /** Route of the verification report and formula index page (a Starlight page), or `false` for none. */
    reportPage: z.union([z.string().regex(/^\//, 'a route starting with /'), z.literal(false)]).default('/verification'),
    /**
     * Check formulas at all. `false` (or the environment variable PROOFSHEET_CHECK=0) builds the
     * site without the gate, the report or verdicts: the same cards, badged unchecked, without derivations.
     */
    check: z.boolean().default(true),
    /**
     * Folder of the verdict cache, or `false` for none. By default `proofsheet/` inside Astro's
     * `cacheDir` (node_modules/.astro), shared with `npm run verify`; safe to delete.
     */
    cacheDir: z.union([z.string().min(1), z.literal(false)]).optional(),
  })
  .strict();

export type ProofsheetUserOptions = z.input<typeof ProofsheetOptionsSchema>;
export type ProofsheetOptions = z.output<typeof ProofsheetOptionsSchema>;

export function parseOptions(input: unknown): ProofsheetOptions {
  const parsed = ProofsheetOptionsSchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new AstroError(
    'Invalid options passed to the proofsheet integration',
    `${z.prettifyError(parsed.error)}\n\nExpected: proofsheet({ contentDir?: string, seed?: number, trials?: number, strict?: boolean, report?: string | false, reportPage?: string | false })`,
  );
}
