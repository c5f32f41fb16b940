/** Registers the math pipeline on Astro's unified Markdown processor (shared by .md and .mdx). */
import { isUnifiedProcessor } from '@astrojs/markdown-remark';
import type { AstroConfig } from 'astro';
import { AstroError } from 'astro/errors';
import rehypeKatex from 'rehype-katex';
import remarkDirective from 'remark-directive';
import remarkMath from 'remark-math';
import remarkHeadingMath from '../markdown/remark-heading-math.ts';
import rehypePagefindIgnoreMath from '../markdown/rehype-pagefind-ignore.ts';
import remarkProofsheet, { type RemarkProofsheetOptions } from '../markdown/remark-proofsheet.ts';

/** KaTeX renders what the checker checked; errors render in red instead of failing the page. */
export const KATEX_OPTIONS = { output: 'htmlAndMathml', throwOnError: false, trust: false } as const;

export function registerMarkdownPlugins(config: AstroConfig, options: RemarkProofsheetOptions): void {
  const processor = config.markdown.processor;
  if (!isUnifiedProcessor(processor)) {
    throw new AstroError(
      `Proofsheet needs the unified Markdown processor, not "${processor.name}"`,
      "Set `markdown: { processor: unified() }` in astro.config.mjs, with `import { unified } from '@astrojs/markdown-remark'`.",
    );
  }
  const { remarkPlugins, rehypePlugins } = processor.options;
  if (remarkPlugins.some((entry) => entry === remarkProofsheet || (Array.isArray(entry) && entry[0] === remarkProofsheet))) return;
  // First, so formula directives are claimed before Starlight's asides and its restoration of
  // unknown directives run.
  remarkPlugins.unshift(remarkMath, remarkDirective, [remarkProofsheet, options], [remarkHeadingMath, KATEX_OPTIONS]);
  rehypePlugins.push([rehypeKatex, KATEX_OPTIONS], rehypePagefindIgnoreMath);
}
