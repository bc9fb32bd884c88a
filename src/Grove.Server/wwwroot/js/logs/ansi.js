// ANSI colours of log lines, rendered safely: the text is parsed into runs of plain text with a style, and each run
// goes into the DOM as a text node inside a span. Log text never becomes HTML. SGR sequences (ESC [ … m) set the
// style; every other escape sequence (cursor moves, OSC titles and links) is removed. A line holding carriage
// returns shows what a terminal would: the text after the last one.

const ESCAPES = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;
const MAX_CHARS = 10000;

/** The 16 basic colours are classes (themeable in logs.css); 256-colour and true-colour values are computed. */
const CUBE = [0, 95, 135, 175, 215, 255];

function color256(n) {
  if (n < 16) return { cls: n };
  if (n < 232) {
    const i = n - 16;
    return { rgb: `rgb(${CUBE[Math.floor(i / 36)]}, ${CUBE[Math.floor(i / 6) % 6]}, ${CUBE[i % 6]})` };
  }
  const g = 8 + (n - 232) * 10;
  return { rgb: `rgb(${g}, ${g}, ${g})` };
}

function byte(v) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : 0;
}

/** Applies one SGR parameter list to a style (a fresh object: styles are shared between runs). */
function applySgr(style, params) {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number(x)));
  let s = { ...style };
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i];
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 7) s.inverse = true;
    else if (c === 9) s.strike = true;
    else if (c === 22) { s.bold = false; s.dim = false; }
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c === 27) s.inverse = false;
    else if (c === 29) s.strike = false;
    else if (c >= 30 && c <= 37) s.fg = { cls: c - 30 };
    else if (c >= 90 && c <= 97) s.fg = { cls: c - 90 + 8 };
    else if (c === 39) s.fg = undefined;
    else if (c >= 40 && c <= 47) s.bg = { cls: c - 40 };
    else if (c >= 100 && c <= 107) s.bg = { cls: c - 100 + 8 };
    else if (c === 49) s.bg = undefined;
    else if (c === 38 || c === 48) {
      let value;
      if (p[i + 1] === 5) {
        value = color256(byte(p[i + 2]));
        i += 2;
      } else if (p[i + 1] === 2) {
        value = { rgb: `rgb(${byte(p[i + 2])}, ${byte(p[i + 3])}, ${byte(p[i + 4])})` };
        i += 4;
      }
      if (value) {
        if (c === 38) s.fg = value;
        else s.bg = value;
      }
    }
  }
  return s;
}

function styled(style) {
  return style.fg || style.bg || style.bold || style.dim || style.italic || style.underline || style.inverse || style.strike;
}

/**
 * Parses a line into runs: [{ text, style }]. Exported for tests and for search highlighting.
 * @param {string} line
 */
export function parseAnsi(line) {
  let text = String(line);
  const cr = text.lastIndexOf('\r');
  if (cr >= 0 && cr < text.length - 1) text = text.slice(cr + 1);
  const runs = [];
  let style = {};
  let at = 0;
  ESCAPES.lastIndex = 0;
  for (let m = ESCAPES.exec(text); m; m = ESCAPES.exec(text)) {
    if (m.index > at) runs.push({ text: text.slice(at, m.index), style });
    if (m[2] === 'm') style = applySgr(style, m[1]);
    at = ESCAPES.lastIndex;
  }
  if (at < text.length) runs.push({ text: text.slice(at), style });
  return runs;
}

/** The line without its escape sequences (what a person reads; search highlighting works on it). */
export function plainText(line) {
  return parseAnsi(line).map((r) => r.text).join('');
}

/**
 * Fills element with the line's coloured text. mark(text) may answer [[start, end], …] ranges of a run to wrap in
 * <mark> (search hits). Lines longer than 10,000 characters are cut with a note (the download has them whole).
 */
export function renderAnsi(element, line, mark) {
  element.replaceChildren();
  let budget = MAX_CHARS;
  let total = 0;
  for (const run of parseAnsi(line)) {
    total += run.text.length;
    if (budget <= 0) continue;
    const text = run.text.length > budget ? run.text.slice(0, budget) : run.text;
    budget -= text.length;
    const target = styled(run.style) ? element.appendChild(spanFor(run.style)) : element;
    appendMarked(target, text, mark);
  }
  if (total > MAX_CHARS) {
    const note = document.createElement('span');
    note.className = 'cut';
    note.textContent = ` … ${(total - MAX_CHARS).toLocaleString('en-US')} more characters (download the log for the whole line)`;
    element.append(note);
  }
}

function appendMarked(target, text, mark) {
  const ranges = mark ? mark(text) : null;
  if (!ranges || ranges.length === 0) {
    target.append(document.createTextNode(text));
    return;
  }
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) target.append(document.createTextNode(text.slice(at, start)));
    const m = document.createElement('mark');
    m.textContent = text.slice(start, end);
    target.append(m);
    at = end;
  }
  if (at < text.length) target.append(document.createTextNode(text.slice(at)));
}

function spanFor(style) {
  const span = document.createElement('span');
  let fg = style.fg;
  let bg = style.bg;
  if (style.inverse) [fg, bg] = [bg || { cls: 'default-bg' }, fg || { cls: 'default-fg' }];
  const classes = [];
  if (fg) {
    if (fg.rgb) span.style.color = fg.rgb;
    else classes.push(`ansi-fg-${fg.cls}`);
  }
  if (bg) {
    if (bg.rgb) span.style.backgroundColor = bg.rgb;
    else classes.push(`ansi-bg-${bg.cls}`);
  }
  if (style.bold) classes.push('ansi-bold');
  if (style.dim) classes.push('ansi-dim');
  if (style.italic) classes.push('ansi-italic');
  if (style.underline) classes.push('ansi-underline');
  if (style.strike) classes.push('ansi-strike');
  span.className = classes.join(' ');
  return span;
}
