// Modal dialogs on the native <dialog> element: focus is trapped and Escape cancels for free. A dialog's submit runs
// an async action; a failure stays in the dialog as an alert (the server's problem detail) so the person can fix it.
import { describe } from './api.js';
import { h, uid } from './dom.js';

/**
 * Opens a form dialog and answers what onSubmit returned, or null when cancelled.
 * @param {{ title: string, body: Node[], submitLabel?: string, danger?: boolean,
 *           onSubmit: (form: HTMLFormElement) => Promise<any> }} options
 *   onSubmit may throw an Error (or ApiError) whose message is shown; the dialog then stays open.
 */
export function formDialog({ title, body, submitLabel = 'Save', danger = false, onSubmit }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const submit = h('button', { type: 'submit', class: danger ? 'danger' : 'primary' }, submitLabel);
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const form = h('form', { method: 'dialog', novalidate: true },
      h('h2', { id: titleId }, title),
      body,
      error,
      h('div', { class: 'dialog-actions' }, submit, cancel));
    const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
    const returnFocus = document.activeElement;
    let result = null;

    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      submit.disabled = true;
      error.hidden = true;
      try {
        result = await onSubmit(form);
        dialog.close();
      } catch (err) {
        if (err && err.name === 'AbortError') return;
        error.textContent = describe(err);
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A labelled text field for a dialog: field('Name', { name: 'name', value: 'x' }). */
export function field(label, props = {}) {
  const input = props.multiline
    ? h('textarea', { ...props, multiline: undefined, spellcheck: 'false' })
    : h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...props });
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** Shows information in a dialog with one Close button. */
export function infoDialog(title, body) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const close = h('button', { type: 'submit', class: 'primary' }, 'Close');
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('form', { method: 'dialog' }, h('h2', { id: titleId }, title), body, h('div', { class: 'dialog-actions' }, close)));
    const returnFocus = document.activeElement;
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (returnFocus instanceof HTMLElement && returnFocus.isConnected) returnFocus.focus();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
