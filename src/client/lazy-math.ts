/**
 * Math rendered when a reader asks for it: the steps of a derivation when its `<details>` opens,
 * and the formulas of the `/verification/` index as they scroll into view.
 *
 * The build writes these as their LaTeX source, which is what a reader without JavaScript sees: a
 * derivation as one `<pre class="ps-steps">` (a line per step, each followed by its rule on a
 * line starting with "— ", src/markdown/steps-text.ts), an index entry as
 * `<code class="ps-tex">`. Rendering them at build time would multiply the math of every page
 * several times over for text few readers open (see the README). KaTeX is loaded on first use,
 * from the site itself, with the same options as the build's (`trust` off).
 */
import { parseStepsText } from '../markdown/steps-text.ts';

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

/** Replace a derivation's `<pre class="ps-steps">` by a list: each step rendered, with its rule below. */
async function renderSteps(pre: HTMLElement): Promise<void> {
  const katex = await loadKatex();
  if (!pre.isConnected) return;
  const list = document.createElement('ol');
  list.className = 'ps-steps';
  for (const step of parseStepsText(pre.textContent ?? '')) {
    const item = document.createElement('li');
    item.append(rendered(katex, step.latex));
    if (step.rule !== undefined) {
      const rule = document.createElement('p');
      rule.className = 'ps-step-rule';
      rule.textContent = step.rule;
      item.append(rule);
    }
    list.append(item);
  }
  pre.replaceWith(list);
}

// Derivations: rendered on opening (toggle does not bubble, so listen in the capture phase).
document.addEventListener(
  'toggle',
  (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.open && details.classList.contains('ps-derivation')) {
      details.querySelectorAll<HTMLElement>('pre.ps-steps').forEach((pre) => void renderSteps(pre));
    }
  },
  true,
);
// Opened before this script ran (a reader's quick click, or `open` in the markup).
document.querySelectorAll<HTMLElement>('details.ps-derivation[open] pre.ps-steps').forEach((pre) => void renderSteps(pre));

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
