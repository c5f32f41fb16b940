// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';

const sections = [
  ['Tutorial', 'tutorial'],
  ['Cheat sheet', 'cheat-sheet'],
  ['Notes', 'notes'],
  ['Mistakes', 'mistakes'],
  ['Guide', 'guide'],
];

export default defineConfig({
  markdown: {
    processor: unified({
      remarkPlugins: [remarkMath],
      rehypePlugins: [[rehypeKatex, { output: 'htmlAndMathml', throwOnError: false, trust: false }]],
    }),
  },
  integrations: [
    starlight({
      title: 'Proofsheet — matrix calculus, checked',
      markdown: { processedDirs: ['./content'] },
      customCss: ['katex/dist/katex.min.css', './src/styles/proofsheet.css'],
      sidebar: sections.map(([label, dir]) => ({ label, items: [{ autogenerate: { directory: `content/${dir}` } }] })),
    }),
  ],
});
