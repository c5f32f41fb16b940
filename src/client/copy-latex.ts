/**
 * The "Copy LaTeX" button of every formula card: shown only when this script runs (it needs
 * JavaScript), copies the formula's source exactly as written, and says "Copied" for a moment
 * (announced to screen readers through the button's live label).
 */
const buttons = document.querySelectorAll<HTMLButtonElement>('button.ps-copy');
for (const button of buttons) {
  button.hidden = false;
  button.setAttribute('aria-live', 'polite');
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
