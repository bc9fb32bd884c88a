// Keyboard shortcuts: the shell's own plus the current page's, listed in the help dialog (press ?).
import { isInteractive, isTextEntry } from './dom.js';

/**
 * A binding: { keys: ['ArrowDown'], label: 'Next entry', run(event), shown: 'Down' }. keys are KeyboardEvent.key
 * values. Bindings never fire while typing in a field or while a dialog is open; Enter, Space and the arrows also
 * leave buttons and links alone.
 */
export class Shortcuts {
  #global = [];
  #page = [];

  constructor(target = document) {
    target.addEventListener('keydown', (e) => this.#dispatch(e));
  }

  /** Adds a shell-wide binding. */
  addGlobal(binding) {
    this.#global.push(binding);
  }

  /** Adds a binding of the current page (removed by clearPage when the page goes). */
  addPage(binding) {
    this.#page.push(binding);
  }

  clearPage() {
    this.#page = [];
  }

  /** [{ title, bindings }] for the help dialog. */
  groups(pageTitle) {
    const groups = [{ title: 'Everywhere', bindings: this.#global }];
    if (this.#page.length) groups.push({ title: pageTitle, bindings: this.#page });
    return groups;
  }

  #dispatch(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (document.querySelector('dialog[open]')) return;
    if (isTextEntry(e.target)) return;
    const navigationKey = ['Enter', ' ', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'].includes(e.key);
    if (navigationKey && isInteractive(e.target)) return;
    const binding = [...this.#page, ...this.#global].find((b) => b.keys.includes(e.key));
    if (!binding) return;
    e.preventDefault();
    binding.run(e);
  }
}
