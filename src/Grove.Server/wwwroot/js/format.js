// The console's one date format, used by every page (tree, config, logs, admin): local time as
// "YYYY-MM-DD HH:MM:SS", sortable and unambiguous; the CLI prints the same order.

const pad = (n) => String(n).padStart(2, '0');

/** ms since the epoch → local 'YYYY-MM-DD HH:MM:SS'; '' for none. */
export function formatTime(ms) {
  if (ms === null || ms === undefined || ms === '' || ms === 0) return '';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
