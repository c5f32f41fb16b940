import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';

/** Pages live in top-level `content/`, not `src/content/docs/`. */
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
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
