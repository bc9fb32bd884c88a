// Tiny DOM helpers. Text always goes in through textContent, never as HTML: names and metadata come from users.

/**
 * Creates an element: h('button', { class: 'primary', onclick: fn, 'aria-label': 'Close' }, 'Close').
 * Props: class, text, value/checked/disabled/hidden (set as properties), on<event> (listeners), anything else is an
 * attribute (true → present, false/null/undefined → left out). Children: nodes, strings, arrays, null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'hidden') el[key] = value;
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Removes every child of a node. */
export function clear(node) {
  node.replaceChildren();
  return node;
}

let ids = 0;

/** A page-unique element id with a readable prefix. */
export function uid(prefix = 'g') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** True when the event's target takes typed text (so single-key shortcuts must not fire). */
export function isTextEntry(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  }
  return false;
}

/** True when the target reacts to Enter, Space or arrows by itself (buttons, links, form fields). */
export function isInteractive(target) {
  if (!(target instanceof HTMLElement)) return false;
  return isTextEntry(target) || target.closest('button, a[href], input, select, textarea, summary, [role=menu]') !== null;
}
