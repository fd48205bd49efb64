/** Formatting of benchmark results for BENCHMARKS.md. */
import { max, median, min } from './common.mjs';

const fmt = (x, digits) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** "1.23 (1.10–1.40)" of a list of numbers, scaled by `scale`. */
export function mmm(values, digits = 2, scale = 1) {
  const v = values.filter((x) => Number.isFinite(x)).map((x) => x * scale);
  if (v.length === 0) return 'n/a';
  return `${fmt(median(v), digits)} (${fmt(min(v), digits)}–${fmt(max(v), digits)})`;
}

/**
 * Ratio of a subject to a reference measured in the same rounds: the ratio of the medians,
 * with the min–max of the per-round ratios.
 */
export function ratio(subject, reference, digits = 2) {
  const pairs = [];
  for (let i = 0; i < Math.min(subject.length, reference.length); i++) {
    if (Number.isFinite(subject[i]) && Number.isFinite(reference[i]) && reference[i] !== 0)
      pairs.push(subject[i] / reference[i]);
  }
  const r = median(subject.filter(Number.isFinite)) / median(reference.filter(Number.isFinite));
  if (!Number.isFinite(r)) return 'n/a';
  return `${fmt(r, digits)}× (${fmt(min(pairs), digits)}–${fmt(max(pairs), digits)})`;
}

export const ratioValue = (subject, reference) =>
  median(subject.filter(Number.isFinite)) / median(reference.filter(Number.isFinite));

/** A markdown table. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Values of one field across a list of run results. */
export const field = (runs, key) => runs.map((r) => (r && typeof r === 'object' ? r[key] : r));
