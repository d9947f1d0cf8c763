// Shared behaviour of the dashboard pages: confirmations and copy buttons. Served as a file,
// never inline, so the Content-Security-Policy can forbid inline script.
'use strict';

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

document.addEventListener('click', async (event) => {
  const button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (!button) return;
  const source = document.getElementById(button.getAttribute('data-copy') || '');
  if (!source) return;
  const text = source.textContent || '';
  let copied = false;
  try {
    await navigator.clipboard.writeText(text);
    copied = true;
  } catch {
    copied = copyBySelection(source);
  }
  const status =
    button.closest('section')?.querySelector('.copy-status') ??
    document.querySelector('.copy-status');
  if (status)
    status.textContent = copied ? 'Copied to the clipboard.' : 'Select the text and copy it.';
});

/** Older browsers and non-secure origins: select the text and use the copy command. */
function copyBySelection(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  if (!selection) return false;
  selection.removeAllRanges();
  selection.addRange(range);
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  }
}
