/**
 * The "Copy LaTeX" button of every formula card: added by this script (it needs JavaScript),
 * copies the formula's source exactly as written — the LaTeX KaTeX keeps in its MathML
 * annotation, which is the formula's text — and says "Copied" for a moment (announced to
 * screen readers through the button's live label).
 */
for (const header of document.querySelectorAll<HTMLElement>('figure.ps-identity > .ps-identity-header')) {
  const annotation = header.parentElement?.querySelector(':scope > .katex-display annotation[encoding="application/x-tex"]');
  if (!annotation?.textContent) continue;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ps-copy';
  button.dataset.latex = annotation.textContent;
  button.textContent = 'Copy LaTeX';
  button.setAttribute('aria-live', 'polite');
  header.append(button);
}

document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button.ps-copy') : null;
  if (!button) return;
  const label = button.dataset.label ?? button.textContent ?? 'Copy LaTeX';
  button.dataset.label = label;
  copy(button.dataset.latex ?? '').then(
    () => show(button, 'Copied', label),
    () => show(button, 'Copy failed', label),
  );
});

async function copy(text: string): Promise<void> {
  if (navigator.clipboard) return navigator.clipboard.writeText(text);
  throw new Error('no clipboard');
}

function show(button: HTMLButtonElement, state: string, label: string): void {
  button.textContent = state;
  button.dataset.state = state === 'Copied' ? 'copied' : 'failed';
  setTimeout(() => {
    button.textContent = label;
    delete button.dataset.state;
  }, 2000);
}
