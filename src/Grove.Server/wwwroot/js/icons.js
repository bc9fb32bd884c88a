// File and folder icons: small inline SVG drawn in the current colour (so they follow the light and dark themes), a
// folder for directories and a page with a folded corner for files, marked by kind (text, code, image, PDF, archive).
const SVG = 'http://www.w3.org/2000/svg';

const KINDS = {
  text: ['txt', 'md', 'markdown', 'log', 'csv', 'tsv', 'rtf'],
  code: ['json', 'yaml', 'yml', 'xml', 'properties', 'toml', 'ini', 'conf', 'html', 'htm', 'css', 'js', 'mjs', 'ts', 'cs', 'java', 'py', 'go', 'rs', 'sh', 'sql'],
  image: ['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff'],
  pdf: ['pdf'],
  archive: ['zip', 'gz', 'tgz', 'tar', 'bz2', 'xz', '7z', 'rar', 'zst'],
};

/** The kind of an object for its icon: dir, text, code, image, pdf, archive or file. */
export function kindOf(o) {
  if (o.race === 'DIR') return 'dir';
  const dot = o.nm.lastIndexOf('.');
  const ext = (o.tp || (dot > 0 ? o.nm.slice(dot + 1) : '')).toLowerCase();
  for (const [kind, exts] of Object.entries(KINDS)) if (exts.includes(ext)) return kind;
  return 'file';
}

// Each kind: the paths drawn inside a 16×16 box (stroke only).
const PAGE = 'M3.5 1.5h6l3.5 3.5v9.5h-9.5z M9.5 1.5v3.5h3.5';
const SHAPES = {
  dir: ['M1.5 3.5h4.5l1.5 1.5h7v8.5h-13z', 'M1.5 6.5h13'],
  file: [PAGE],
  text: [PAGE, 'M5.5 8h5 M5.5 10h5 M5.5 12h3.5'],
  code: [PAGE, 'M7 8l-1.5 1.75l1.5 1.75 M9 8l1.5 1.75l-1.5 1.75'],
  image: [PAGE, 'M5 12.5l2-2.5l1.5 1.5l1-1l1.5 2z', 'M6.5 7.25h0.01'],
  pdf: [PAGE, 'M5.5 9h5 M5.5 11h5'],
  archive: [PAGE, 'M8 2v1 M8 4v1 M8 6v1 M7 8h2v2.5h-2z'],
};

/** An icon element for a tree object (aria-hidden: the row's label names the kind). */
export function objectIcon(o) {
  const kind = kindOf(o);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('class', `icon ${kind}`);
  svg.setAttribute('aria-hidden', 'true');
  svg.dataset.kind = kind;
  for (const d of SHAPES[kind]) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.2');
    path.setAttribute('stroke-linejoin', 'round');
    path.setAttribute('stroke-linecap', 'round');
    svg.append(path);
  }
  return svg;
}
