// Small formatting helpers of the logs pages.

/** 1234567 → "1,234,567". */
export function count(n) {
  return Number(n).toLocaleString('en-US');
}

/** A time in ms since the epoch as local "YYYY-MM-DD HH:MM:SS": the console's one date format. */
export { formatTime as dateTime } from '../format.js';

/** A line's time stamp as UTC "HH:MM:SS.mmm" (the full ISO time is its title). */
export function clock(ms) {
  return new Date(ms).toISOString().slice(11, 23);
}

/** A duration in ms as "1h 02m", "3m 05s", "4.2s". */
export function duration(ms) {
  if (ms === null || ms === undefined || ms < 0) return '';
  if (ms < 60000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s % 60).padStart(2, '0')}s`;
}
