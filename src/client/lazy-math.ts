/**
 * Math rendered when a reader asks for it: the steps of a derivation when it is opened (its
 * card's "Derivation" button, added here), and the formulas of the `/verification/` index as they
 * scroll into view.
 *
 * The build writes these as LaTeX source (a line per step, each followed by its rule on a line
 * starting with "— ", src/markdown/steps-text.ts): a derivation in its page's steps file, which
 * the page links once after its cards (`<p class="ps-steps-file">`: what a reader without
 * JavaScript follows) and this script fetches on opening (src/markdown/steps-files.ts), or inside
 * its card as `<pre class="ps-steps">` in a folded `<details>` (pages built without steps files);
 * an index entry as `<code class="ps-tex">`. Rendering them at build time would multiply the math
 * of every page several times over for text few readers open (see the README). KaTeX is loaded on
 * first use, from the site itself, with the same options as the build's (`trust` off).
 */
import { NO_STEPS, parseStepsText, type DerivationText } from '../markdown/steps-text.ts';

const SELECTOR = 'code.ps-tex';

type Katex = typeof import('katex').default;
let loading: Promise<Katex> | undefined;

function loadKatex(): Promise<Katex> {
  loading ??= import('katex').then((module) => module.default);
  return loading;
}

function rendered(katex: Katex, latex: string): HTMLElement {
  const span = document.createElement('span');
  span.className = 'ps-tex-rendered';
  span.dataset.latex = latex;
  span.innerHTML = katex.renderToString(latex, { displayMode: true, output: 'htmlAndMathml', throwOnError: false, trust: false });
  return span;
}

/** Replace each `<code class="ps-tex">` by its KaTeX rendering (display math), keeping the source for copy. */
async function render(codes: Iterable<HTMLElement>): Promise<void> {
  const todo = [...codes].filter((code) => code.isConnected && code.matches(SELECTOR));
  if (todo.length === 0) return;
  const katex = await loadKatex();
  for (const code of todo) if (code.isConnected) code.replaceWith(rendered(katex, code.textContent ?? ''));
}

type Derivations = Record<string, DerivationText>;

/** The steps files fetched so far, by URL: a page's derivations share one. */
const stepsFiles = new Map<string, Promise<Derivations>>();

function fetchDerivations(url: string): Promise<Derivations> {
  let file = stepsFiles.get(url);
  if (!file) {
    file = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return response.json() as Promise<Derivations>;
    });
    // a failed fetch is tried again at the next opening
    file.catch(() => stepsFiles.delete(url));
    stepsFiles.set(url, file);
  }
  return file;
}

function paragraph(className: string, ...content: (string | Node)[]): HTMLParagraphElement {
  const p = document.createElement('p');
  if (className) p.className = className;
  p.append(...content);
  return p;
}

/** The steps as a list: each rendered, with its rule below. */
function stepsList(katex: Katex, text: string): HTMLOListElement {
  const list = document.createElement('ol');
  list.className = 'ps-steps';
  for (const step of parseStepsText(text)) {
    const item = document.createElement('li');
    item.append(rendered(katex, step.latex));
    if (step.rule !== undefined) item.append(paragraph('ps-step-rule', step.rule));
    list.append(item);
  }
  return list;
}

/**
 * Show a derivation: a link to its page's steps file (fetched, replaced by the steps, the reason
 * it was not proved, the check) or its steps inline (`<pre>`, replaced by the list).
 */
async function renderDerivation(placeholder: HTMLElement): Promise<void> {
  if (placeholder.dataset.loading !== undefined) return;
  placeholder.dataset.loading = '';
  const url = placeholder instanceof HTMLAnchorElement ? placeholder.href : undefined;
  const id = placeholder.closest('figure')?.id ?? '';
  let text: DerivationText | undefined;
  let katex: Katex;
  try {
    [text, katex] = await Promise.all([url ? fetchDerivations(url).then((file) => file[id]) : undefined, loadKatex()]);
    if (url && !text) throw new Error(`no derivation for ${id}`);
  } catch (error) {
    // keep the link (the file shows the derivation as JSON) and say what went wrong
    delete placeholder.dataset.loading;
    placeholder.title = `The derivation could not be loaded (${error instanceof Error ? error.message : String(error)}).`;
    return;
  }
  if (!placeholder.isConnected) return;
  if (!text) {
    placeholder.replaceWith(stepsList(katex, placeholder.textContent ?? ''));
    return;
  }
  const nodes: Node[] = [text.steps ? stepsList(katex, text.steps) : paragraph('', NO_STEPS)];
  if (text.notProved) {
    const code = document.createElement('code');
    code.textContent = text.notProved;
    nodes.push(paragraph('ps-not-proved', 'Not proved symbolically: ', code));
  }
  nodes.push(paragraph('ps-checked', text.checked));
  placeholder.replaceWith(...nodes);
}

const PLACEHOLDER = ':is(a, pre).ps-steps';

/** The steps file of a card: the first one the page links after it (its own page's, in a page that includes another). */
function stepsFileOf(figure: Element, links: readonly HTMLAnchorElement[]): string | undefined {
  return links.find((link) => figure.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING)?.href;
}

/**
 * Each card whose derivation is in its page's steps file (every checked card but a definition's,
 * in a page that links a steps file) gets a "Derivation" button in its header, beside the copy
 * button: the row is there already, so nothing below it moves when the buttons appear.
 */
function addDerivationButtons(): void {
  const links = [...document.querySelectorAll<HTMLAnchorElement>('.ps-steps-file a[href]')];
  if (links.length === 0) return;
  for (const figure of document.querySelectorAll<HTMLElement>('figure.ps-identity:not(.ps-definition, .ps-unchecked)')) {
    const header = figure.querySelector(':scope > .ps-identity-header');
    const url = stepsFileOf(figure, links);
    if (!header || !url || !figure.id || figure.querySelector(':scope > details.ps-derivation')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'ps-derivation-toggle';
    button.textContent = 'Derivation';
    button.dataset.steps = url;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', `${figure.id}--derivation`);
    header.append(button);
  }
}

/**
 * Open or close a card's derivation. Opened the first time, it is a link to the steps file below
 * the formula (shown while the file loads, and kept, with the reason, if loading fails), which
 * `renderDerivation` replaces by the steps; opened again after a failure, it is tried again.
 */
function toggleDerivation(button: HTMLButtonElement): void {
  const figure = button.closest('figure');
  const id = button.getAttribute('aria-controls');
  if (!figure || !id) return;
  const open = button.getAttribute('aria-expanded') !== 'true';
  button.setAttribute('aria-expanded', String(open));
  let panel = document.getElementById(id);
  if (!panel) {
    panel = document.createElement('div');
    panel.className = 'ps-derivation';
    panel.id = id;
    const link = document.createElement('a');
    link.className = 'ps-steps';
    link.href = button.dataset.steps ?? '';
    link.textContent = 'Steps and checks (JSON)';
    panel.append(link);
    figure.append(panel);
  }
  panel.hidden = !open;
  if (open) panel.querySelectorAll<HTMLElement>(PLACEHOLDER).forEach((placeholder) => void renderDerivation(placeholder));
}

addDerivationButtons();
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.ps-derivation-toggle') : null;
  if (button) toggleDerivation(button);
});

// Derivations inside their cards (`<details>` with the steps as `<pre>`, in pages built without
// steps files): rendered on opening (toggle does not bubble, so listen in the capture phase).
document.addEventListener(
  'toggle',
  (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.open && details.classList.contains('ps-derivation')) {
      details.querySelectorAll<HTMLElement>(PLACEHOLDER).forEach((placeholder) => void renderDerivation(placeholder));
    }
  },
  true,
);
// Opened before this script ran (a reader's quick click, or `open` in the markup).
document.querySelectorAll<HTMLElement>(`details.ps-derivation[open] ${PLACEHOLDER}`).forEach((placeholder) => void renderDerivation(placeholder));

// The formula index: rendered a little before each formula scrolls into view.
const indexed = document.querySelectorAll<HTMLElement>(`.ps-index ${SELECTOR}`);
if (indexed.length > 0) {
  const observer = new IntersectionObserver(
    (entries) => {
      const visible = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target as HTMLElement);
      for (const element of visible) observer.unobserve(element);
      void render(visible);
    },
    { rootMargin: '400px 0px' },
  );
  for (const element of indexed) observer.observe(element);
}
