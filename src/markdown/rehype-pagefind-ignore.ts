/** rehype plugin: keep KaTeX output out of the Pagefind search index. */
import type { Root } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

export default function rehypePagefindIgnoreMath() {
  return function transformer(tree: Root): void {
    visit(tree, 'element', (element) => {
      const classes = element.properties.className;
      if (!Array.isArray(classes) || !(classes.includes('katex') || classes.includes('katex-display'))) return;
      element.properties.dataPagefindIgnore = '';
      return SKIP;
    });
  };
}
