// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { unified } from '@astrojs/markdown-remark';
import proofsheet from './src/astro/integration.ts';

// Sidebar groups in reading order: each lists the pages of its folder of content/.
const sections = [
  ['Start here: tutorial', 'tutorial'],
  ['Cheat sheet', 'cheat-sheet'],
  ['Lecture notes', 'notes'],
  ['Common mistakes', 'mistakes'],
  ['Writing pages', 'guide'],
];

export default defineConfig({
  // Astro 7's default processor runs no remark/rehype plugins. proofsheet() adds remark-math,
  // remark-directive, the proofsheet remark plugin and rehype-katex to this processor
  // (before Starlight's own plugins), bundles KaTeX's CSS and fonts, and verifies every page
  // before `astro build` writes anything.
  markdown: { processor: unified() },
  integrations: [
    proofsheet({ contentDir: 'content' }),
    starlight({
      title: 'Proofsheet',
      markdown: { processedDirs: ['./content'] },
      sidebar: [
        ...sections.map(([label, dir]) => ({ label, items: [{ autogenerate: { directory: `content/${dir}` } }] })),
        {
          // Pages added by the proofsheet integration.
          label: 'Verification',
          items: [
            { label: 'Report and coverage', link: '/verification/' },
            { label: 'Formula index', link: '/verification/#formula-index' },
          ],
        },
      ],
    }),
  ],
});
