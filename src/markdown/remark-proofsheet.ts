/**
 * remark plugin: verify the page's wrapped formulas and turn each directive into a card.
 *
 * `:::identity` / `:::definition` become `<figure class="ps-identity">` with a verdict badge
 * (a definition's says what it binds), a permalink, and the page script's copy and "Derivation"
 * buttons (the derivation's steps as LaTeX source in the page's steps file, rendered in the
 * browser when opened); `:identity[$…$]` becomes a `<span class="ps-identity-inline">`; `::declare`
 * renders nothing. Failing formulas are reported as vfile messages; failing the build is the
 * job of the Astro integration's gate, which runs before any page is rendered.
 */
import type { BlockContent, DefinitionContent, Nodes, Paragraph, PhrasingContent, Root } from 'mdast';
import type { Element, ElementContent } from 'hast';
import type {} from 'mdast-util-to-hast';
import { h } from 'hastscript';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { DEFAULT_SEED, type FormulaResult, type PageInput, type PageReport } from '../engine/api.ts';
import { stableId } from '../engine/index.ts';
import { isMistake, UNCHECKED, verdictLabel, type VerdictLabel } from '../report/verdict-label.ts';
import { isDeclareDirective, isFormulaDirective, parseMarkdownFile } from './extract.ts';
import { derivationText } from './derivation.ts';
import { inlineMathml } from './katex-inline.ts';
import { searchText, searchTitle } from './search-text.ts';
import { pendingReport } from './pool.ts';
import { stepsUrl } from './steps-files.ts';
import { NO_STEPS } from './steps-text.ts';
import { verifyPageCached } from './verify.ts';

export interface RemarkProofsheetOptions {
  /** Seed of the checker's random draws (the same as the build gate's, so results are reused). */
  seed?: number;
  /** Random trials per formula; the engine's default when absent. */
  trials?: number;
  /** `false`: no checking at all; cards show the formula, marked unchecked. */
  check?: boolean;
  /** Folder of the verdict cache on disk (see cache.ts). */
  cacheDir?: string;
  /** The checker's fingerprint: part of the options so Astro re-renders pages when the checker changes. */
  checker?: string;
  /**
   * Where the derivation steps go. Absent: inside the card, as LaTeX source. Given: in a steps file
   * per page (steps-files.ts) at `base` + its path from `rootDir`; the page links to it once and
   * the page script fetches it when the reader opens a derivation.
   */
  stepsFiles?: { rootDir: string; base: string };
}

type Directive = Extract<Nodes, { type: 'containerDirective' | 'leafDirective' | 'textDirective' }>;

/** Markdown pages transformed in this process, checked or not (the integration: did the content sync render any?). */
let transformed = 0;
export const pagesTransformed = (): number => transformed;

export default function remarkProofsheet(options: RemarkProofsheetOptions = {}) {
  const seed = options.seed ?? DEFAULT_SEED;
  return async function transformer(tree: Root, file: VFile): Promise<void> {
    if (!file.path || !/\.mdx?$/.test(file.path)) return;
    transformed++;
    if (!hasOurDirectives(tree)) return;
    if (options.check === false) return claimUnchecked(tree);
    // The build checks its pages in worker threads while Astro renders: wait for this one.
    // Its report fits this tree when every formula is where the report has it; otherwise (or
    // outside a build) the page is checked here, memoized.
    const pending = await pendingReport(file.path)?.catch(() => undefined);
    const from = { tree, value: String(file.value) };
    let page = parseMarkdownFile(file.path, { ...from, locateOnly: pending !== undefined });
    let report = pending;
    if (!report || !fits(page, report)) {
      if (pending) page = parseMarkdownFile(file.path, from);
      report = verifyPageCached(page, {
        seed,
        ...(options.trials ? { trials: options.trials } : {}),
        ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      });
    }
    const byLoc = new Map(report.formulas.map((result) => [`${result.line}:${result.column}`, result]));
    const { stepsFiles } = options;
    const steps = stepsFiles ? stepsUrl(stepsFiles.base, stepsFiles.rootDir, file.path) : undefined;

    // Extraction visits the same nodes in the same order: item k belongs to the k-th directive.
    let next = 0;
    let linksSteps = false;
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
      if (node.type === 'containerDirective') linksSteps = claimCard(node, result, seed, steps) || linksSteps;
      else claimInline(node, result);
      return SKIP;
    });
    if (steps && linksSteps) tree.children.push(stepsFileLink(steps));
  };
}

/**
 * Checking switched off: each formula directive becomes the same card (or span) as when checked,
 * with an "unchecked" badge and no derivation; `::declare` renders nothing. Nothing is verified.
 */
function claimUnchecked(tree: Root): void {
  const used = new Set<string>();
  visit(tree, (node: Nodes, index, parent) => {
    if (isDeclareDirective(node)) {
      if (parent && index !== undefined) parent.children.splice(index, 1);
      return [SKIP, index];
    }
    if (!isFormulaDirective(node)) return;
    let latex = '';
    visit(node, (child: Nodes) => {
      if ((child.type === 'math' || child.type === 'inlineMath') && !latex) latex = child.value;
    });
    let id = node.attributes?.id || stableId(node.name, latex);
    for (let n = 2; used.has(id); n++) id = `${node.attributes?.id || stableId(node.name, latex)}-${n}`;
    used.add(id);
    const shell = { id, latex, verdict: 'unchecked', kind: node.name, label: UNCHECKED, classes: ['ps-unchecked'] };
    if (node.type === 'containerDirective') dressCard(node, shell);
    else dressInline(node, shell, UNCHECKED.label);
    return SKIP;
  });
}

/** Whether a report was made from this very page: the same formulas at the same places. */
function fits(page: PageInput, report: PageReport): boolean {
  const items = page.items.filter((item) => item.type === 'formula');
  return (
    items.length === report.formulas.length &&
    items.every((item, k) => {
      const result = report.formulas[k]!;
      return result.line === item.loc.line && result.column === item.loc.column && result.latex === item.latex && result.kind === item.kind;
    })
  );
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

/** What a card shows of its formula besides the math. */
interface Shell {
  id: string;
  latex: string;
  /** `data-verdict`: the status, or `unchecked`. */
  verdict: string;
  kind: string;
  label: VerdictLabel;
  /** What the badge says, when more than `label.label` (a definition's bound symbol). */
  badge?: ElementContent[];
  /** Classes besides `ps-identity` / `ps-identity-inline`. */
  classes: string[];
}

/**
 * The figure of a card: header (badge, permalink), the directive's content (its label as the
 * caption), the search words. Returns the figure's children, for the caller to add to.
 */
function dressCard(node: Extract<Directive, { type: 'containerDirective' }>, shell: Shell): Array<BlockContent | DefinitionContent> {
  const caption = node.children.find((child) => child.type === 'paragraph' && child.data?.directiveLabel);
  node.data = {
    hName: 'figure',
    hProperties: {
      className: ['ps-identity', ...shell.classes],
      id: shell.id,
      dataVerdict: shell.verdict,
      dataKind: shell.kind,
      // The card is a search sub-result of its page, titled by its caption or its formula.
      dataPagefindTitle: caption ? toText(caption) : searchTitle(shell.latex),
    },
  };
  // The copy button is added by the page script (src/client/copy-latex.ts), which takes the
  // LaTeX from KaTeX's annotation of the formula: without JavaScript it could not work; so is
  // the derivation's (src/client/lazy-math.ts), when the derivation is in the page's steps file.
  const header = hastNode(
    h('div.ps-identity-header', { dataPagefindIgnore: '' }, [
      h('span.ps-verdict', { title: shell.label.title }, shell.badge ?? shell.label.label),
      h('a.ps-permalink', { href: `#${shell.id}`, ariaLabel: `Link to formula ${shell.id}` }, '#'),
    ]),
  );
  const body: Array<BlockContent | DefinitionContent> = node.children.map((child) => {
    // `:::identity[Caption]`: the directive's label becomes the figure's caption.
    if (child === caption) child.data = { ...child.data, hName: 'figcaption' };
    return child;
  });
  node.children = [header, ...body, hastNode(searchWords(shell.latex))];
  return node.children;
}

/** The span of an inline formula, with a small verdict link (`title`: its tooltip). */
function dressInline(node: Exclude<Directive, { type: 'containerDirective' }>, shell: Shell, title: string): void {
  node.data = {
    hName: 'span',
    hProperties: { className: ['ps-identity-inline', ...shell.classes], id: shell.id, dataVerdict: shell.verdict, dataPagefindTitle: searchTitle(shell.latex) },
  };
  const { label } = shell.label;
  const mark = h('a.ps-verdict', { href: `#${shell.id}`, title, dataPagefindIgnore: '' }, [
    h('span', { ariaHidden: 'true' }, label.slice(0, 1)),
    h('span.sr-only', label.slice(2)),
  ]);
  node.children.push(inlineHastNode(h('sup', [mark])), inlineHastNode(searchWords(shell.latex)));
}

/**
 * `:::identity` / `:::definition` → figure card. Returns whether its derivation is in the page's
 * steps file: the page script gives such a card (every checked card but a definition's, in a page
 * that links a steps file) its "Derivation" button.
 */
function claimCard(node: Extract<Directive, { type: 'containerDirective' }>, result: FormulaResult, seed: number, stepsUrl: string | undefined): boolean {
  const definition = result.kind === 'definition';
  const mistake = isMistake(result);
  const classes = [...(definition ? ['ps-definition'] : []), ...(mistake ? ['ps-mistake'] : [])];
  const label = verdictLabel(result);
  const badge = definition ? definitionBadge(result) : undefined;
  const body = dressCard(node, { id: result.id, latex: result.latex, verdict: result.status, kind: result.kind, label, ...(badge ? { badge } : {}), classes });
  if (result.status === 'failed' || result.status === 'error') body.push(hastNode(h('p.ps-message', result.message ?? result.status)));
  if (definition) return false;
  if (stepsUrl) return true;
  body.push(derivation(result, seed));
  return false;
}

/** `:identity[$…$]` → span around the rendered formula, with a small verdict link. */
function claimInline(node: Exclude<Directive, { type: 'containerDirective' }>, result: FormulaResult): void {
  const label = verdictLabel(result);
  const title = result.message && result.status !== 'proved' && result.kind !== 'definition' ? `${label.label}: ${result.message}` : label.label;
  const classes = isMistake(result) ? ['ps-mistake'] : [];
  dressInline(node, { id: result.id, latex: result.latex, verdict: result.status, kind: result.kind, label, classes }, title);
}

/**
 * The formula as a reader types it (`tr(AB)`, `ln|X|`, `X^{-1}`) and as written, for the
 * site's search only: not displayed, not read out (KaTeX's MathML is, and its HTML is kept
 * out of the index).
 */
function searchWords(latex: string): Element {
  return h('span.ps-search-text', { hidden: true }, `${searchText(latex)} ${latex}`);
}

/**
 * A definition is notation: its badge says what it binds (`≔ defines ϕ (scalar)`) where an
 * identity's says its verdict, and it has no derivation. The bound symbol is bare MathML, drawn
 * by the browser (a symbol in running text needs no more): KaTeX's HTML and MathML took ~450
 * bytes more, and a note below the formula another ~100, in every definition card, which every
 * build stores, bundles and writes again (on the bench's site, 0.3 MB of Astro's content store).
 */
function definitionBadge(result: FormulaResult): ElementContent[] | undefined {
  const match = result.status === 'proved' || result.status === 'verified' ? /^defines (.+?): (.+)$/.exec(result.message ?? '') : null;
  if (!match) return undefined;
  return [{ type: 'text', value: '≔ defines ' }, { type: 'raw', value: inlineMathml(match[1]!) }, { type: 'text', value: ` (${match[2]})` }];
}

/**
 * A derivation inside its card, folded: its steps as LaTeX source (steps-text.ts), rendered by
 * the page script with KaTeX when the reader opens it (src/client/lazy-math.ts); rendering every
 * step at build time made a page's math several times larger. This is for pages built without a
 * steps file (`stepsFiles` unset): with one, what a derivation says lives in the page's steps
 * file, which the page links once, at its end (`stepsFileLink`), and the card carries nothing
 * of it: the page script adds its button and fetches the file when the reader opens it. Every
 * byte of a card is stored, bundled, parsed and written again by each build: on the bench's site,
 * a folded `<details>` with a link to the file in every card was 0.6 MB of Astro's content store.
 */
function derivation(result: FormulaResult, seed: number): BlockContent {
  const text = derivationText(result, seed);
  const children: ElementContent[] = [h('summary', 'Derivation'), text.steps ? h('pre.ps-steps', text.steps) : h('p', NO_STEPS)];
  if (text.notProved) children.push(h('p.ps-not-proved', ['Not proved symbolically: ', h('code', text.notProved)]));
  children.push(h('p.ps-checked', text.checked));
  return hastNode(h('details.ps-derivation', { dataPagefindIgnore: '' }, children));
}

/**
 * The page's steps file, linked once after its content: the page script fetches the derivations
 * of the cards before it from there; a reader without JavaScript, who has no "Derivation"
 * buttons, follows this link instead (the stylesheet hides it from everyone else).
 */
function stepsFileLink(stepsUrl: string): Paragraph {
  return hastNode(h('p.ps-steps-file', { dataPagefindIgnore: '' }, [h('a', { href: stepsUrl }, 'Derivations of this page\'s formulas (JSON)')]));
}

/** The plain text of an mdast node. */
function toText(node: Nodes): string {
  if ('value' in node) return node.value;
  return 'children' in node ? node.children.map((child) => toText(child as Nodes)).join('') : '';
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
