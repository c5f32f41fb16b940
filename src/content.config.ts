import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';

/**
 * Pages live in top-level `content/`, not `src/content/docs/`. Only their rendered HTML is
 * kept in Astro's data store (`retainBody: false`): nothing reads a page's Markdown from the
 * store, and every build loads, bundles and writes the whole store.
 */
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}', retainBody: false }),
    schema: docsSchema({
      extend: z.object({
        /** Page-wide symbol declarations (authoring.md §2). */
        symbols: z.string().optional(),
        /** Page-wide derivative layout (authoring.md §5). */
        layout: z.enum(['mixed', 'numerator', 'denominator']).optional(),
      }),
    }),
  }),
};
