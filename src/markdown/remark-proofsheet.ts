/**
 * remark plugin: verify the page's wrapped formulas and turn each directive into a card.
 *
 * `:::identity` / `:::definition` become `<figure class="ps-identity">` with a verdict badge,
 * a permalink, a copy button and the derivation (its steps are math nodes, so rehype-katex
 * renders them); `:identity[$…$]` becomes a `<span class="ps-identity-inline">`; `::declare`
 * renders nothing. Failing formulas are reported as vfile messages; failing the build is the
 * job of the Astro integration's gate, which runs before any page is rendered.
 */
import type { BlockContent, DefinitionContent, Nodes, Paragraph, PhrasingContent, Root } from 'mdast';
import type { Element, ElementContent } from 'hast';
import type {} from 'mdast-util-to-hast';
import { h } from 'hastscript';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { DEFAULT_SEED, type FormulaResult, type Verdict } from '../engine/api.ts';
import { isDeclareDirective, isFormulaDirective, parseMarkdownFile } from './extract.ts';
import { verifyPageCached } from './verify.ts';

export interface RemarkProofsheetOptions {
  /** Seed of the checker's random draws (the same as the build gate's, so results are reused). */
  seed?: number;
  /** Random trials per formula; the engine's default when absent. */
  trials?: number;
}

const LABELS: Record<Verdict, string> = {
  proved: '✓ proved',
  verified: '✓ verified numerically',
  failed: '✗ failed',
  error: '⚠ error',
};

type Directive = Extract<Nodes, { type: 'containerDirective' | 'leafDirective' | 'textDirective' }>;

export default function remarkProofsheet(options: RemarkProofsheetOptions = {}) {
  const seed = options.seed ?? DEFAULT_SEED;
  return function transformer(tree: Root, file: VFile): void {
    if (!file.path || !/\.mdx?$/.test(file.path) || !hasOurDirectives(tree)) return;
    const page = parseMarkdownFile(file.path, { tree, value: String(file.value) });
    const report = verifyPageCached(page, { seed, ...(options.trials ? { trials: options.trials } : {}) });
    const byLoc = new Map(report.formulas.map((result) => [`${result.line}:${result.column}`, result]));

    // Extraction visits the same nodes in the same order: item k belongs to the k-th directive.
    let next = 0;
    visit(tree, (node: Nodes, index, parent) => {
      const declare = isDeclareDirective(node);
      if (!declare && !isFormulaDirective(node)) return;
      const item = page.items[next++];
      const result = item?.type === 'formula' ? byLoc.get(`${item.loc.line}:${item.loc.column}`) : undefined;
      if (result && (result.status === 'failed' || result.status === 'error')) {
        const where = `${result.file}:${result.line}:${result.column}`;
        file.message(`${result.status}: ${result.id}: ${result.message ?? result.status} (${where})`, {
          place: node.position,
          ruleId: result.status,
          source: 'proofsheet',
        });
      }
      if (declare) {
        // Renders nothing; a malformed one (no `where`) is an error item, reported above.
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return [SKIP, index];
      }
      if (!result) {
        // No verdict (should not happen): still claim the node so it is not shown as raw text.
        node.data = { hName: node.type === 'containerDirective' ? 'div' : 'span' };
        return SKIP;
      }
      if (node.type === 'containerDirective') claimCard(node, result, seed);
      else claimInline(node, result);
      return SKIP;
    });
  };
}

function hasOurDirectives(tree: Root): boolean {
  let found = false;
  visit(tree, (node: Nodes) => {
    if (isFormulaDirective(node) || isDeclareDirective(node)) {
      found = true;
      return false;
    }
  });
  return found;
}

/** `:::identity` / `:::definition` → figure card. */
function claimCard(node: Extract<Directive, { type: 'containerDirective' }>, result: FormulaResult, seed: number): void {
  const definition = result.kind === 'definition';
  node.data = {
    hName: 'figure',
    hProperties: {
      className: definition ? ['ps-identity', 'ps-definition'] : ['ps-identity'],
      id: result.id,
      dataVerdict: result.status,
      dataKind: result.kind,
    },
  };
  const header = hastNode(
    h('div.ps-identity-header', [
      h('span.ps-verdict', definition && result.status !== 'error' ? 'definition' : LABELS[result.status]),
      h('a.ps-permalink', { href: `#${result.id}`, ariaLabel: `Permalink to ${result.id}` }, '#'),
      h('button.ps-copy', { type: 'button', dataLatex: result.latex }, 'Copy LaTeX'),
    ]),
  );
  const body: Array<BlockContent | DefinitionContent> = node.children.map((child) => {
    // `:::identity[Caption]`: the directive's label becomes the figure's caption.
    if (child.type === 'paragraph' && child.data?.directiveLabel) child.data = { ...child.data, hName: 'figcaption' };
    return child;
  });
  if (result.status !== 'proved' && result.message) body.push(hastNode(h('p.ps-message', result.message)));
  if (!definition || result.steps.length > 0) body.push(derivation(result, seed));
  node.children = [header, ...body];
}

/** `:identity[$…$]` → span around the rendered formula, with a small verdict link. */
function claimInline(node: Exclude<Directive, { type: 'containerDirective' }>, result: FormulaResult): void {
  node.data = {
    hName: 'span',
    hProperties: { className: ['ps-identity-inline'], id: result.id, dataVerdict: result.status },
  };
  const title = result.message ? `${result.status}: ${result.message}` : result.status;
  const badge = h('a.ps-verdict', { href: `#${result.id}`, title, ariaLabel: title }, LABELS[result.status].slice(0, 1));
  node.children.push(inlineHastNode(h('sup', [badge])));
}

function derivation(result: FormulaResult, seed: number): BlockContent {
  const children: BlockContent[] = [];
  for (const step of result.steps) {
    children.push(displayMath(step.latex));
    if (step.rule) children.push(hastNode(h('p.ps-step-rule', step.rule)));
  }
  if (result.steps.length === 0) children.push(hastNode(h('p', 'No symbolic derivation: the formula was checked numerically.')));
  const numeric = result.checks.numeric;
  const checked = numeric
    ? `checked: ${numeric.trials} trials, max rel. error ${numeric.maxRelError.toExponential(1)}, seed ${seed}`
    : `checked: no numeric trials, seed ${seed}`;
  children.push(hastNode(h('p.ps-checked', checked)));
  return {
    type: 'blockquote', // any parent type: hName below makes it a <details>
    data: { hName: 'details', hProperties: { className: ['ps-derivation'] } },
    children: [hastNode(h('summary', 'Derivation')), ...children],
  };
}

/** A display math node as remark-math builds it, so rehype-katex renders it. */
function displayMath(latex: string): BlockContent {
  return {
    type: 'math',
    value: latex,
    data: { hName: 'pre', hChildren: [h('code', { className: ['language-math', 'math-display'] }, latex)] },
  };
}

/** A block mdast node that turns into exactly this hast element. */
function hastNode(element: Element): Paragraph {
  return { type: 'paragraph', children: [], data: hastData(element) };
}

/** A phrasing mdast node that turns into exactly this hast element. */
function inlineHastNode(element: Element): PhrasingContent {
  return { type: 'emphasis', children: [], data: hastData(element) };
}

function hastData(element: Element) {
  return { hName: element.tagName, hProperties: element.properties, hChildren: element.children as ElementContent[] };
}
