/**
 * Math rendered when a reader asks for it: the steps of a derivation when its `<details>` opens,
 * and the formulas of the `/verification/` index as they scroll into view.
 *
 * The build writes these as their LaTeX source (`<code class="ps-tex">`), which is what a reader
 * without JavaScript sees; rendering them at build time would multiply the math of every page
 * several times over for text few readers open (see issue 6 in the README). KaTeX is loaded
 * on first use, from the site itself, with the same options as the build's (`trust` off).
 */
const SELECTOR = 'code.ps-tex';

type Katex = typeof import('katex').default;
let loading: Promise<Katex> | undefined;

function loadKatex(): Promise<Katex> {
  loading ??= import('katex').then((module) => module.default);
  return loading;
}

/** Replace each `<code class="ps-tex">` by its KaTeX rendering (display math), keeping the source for copy. */
async function render(codes: Iterable<HTMLElement>): Promise<void> {
  const todo = [...codes].filter((code) => code.isConnected && code.matches(SELECTOR));
  if (todo.length === 0) return;
  const { renderToString } = await loadKatex();
  for (const code of todo) {
    if (!code.isConnected) continue;
    const latex = code.textContent ?? '';
    const span = document.createElement('span');
    span.className = 'ps-tex-rendered';
    span.dataset.latex = latex;
    span.innerHTML = renderToString(latex, { displayMode: true, output: 'htmlAndMathml', throwOnError: false, trust: false });
    code.replaceWith(span);
  }
}

// Derivations: rendered on opening (toggle does not bubble, so listen in the capture phase).
document.addEventListener(
  'toggle',
  (event) => {
    const details = event.target;
    if (details instanceof HTMLDetailsElement && details.open && details.classList.contains('ps-derivation')) {
      void render(details.querySelectorAll<HTMLElement>(SELECTOR));
    }
  },
  true,
);
// Opened before this script ran (a reader's quick click, or `open` in the markup).
void render(document.querySelectorAll<HTMLElement>(`details.ps-derivation[open] ${SELECTOR}`));

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
