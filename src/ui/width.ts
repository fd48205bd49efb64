/**
 * Terminal cell widths of text the UI draws itself (titles, bars, the prompt box): the same
 * widths and grapheme joins as the pane screens (src/engine/cell-widths.ts), so a prompt in a
 * title, the box's cursor and a pane body all agree. C0/C1 controls count 0: sanitize first.
 */
import { cellWidth, textWidth } from '../engine/cell-widths.js';

/** Cells taken by one code point on its own (0, 1 or 2). */
export function codePointWidth(cp: number): number {
  return cellWidth(cp);
}

/** Display width of a string in terminal cells (emoji clusters count once). */
export function stringWidth(s: string): number {
  return /^[\x20-\x7e]*$/.test(s) ? s.length : textWidth(s);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The grapheme clusters of `s` (what a person sees as one character). */
export function clusters(s: string): string[] {
  if (/^[\x20-\x7e]*$/.test(s)) return s.split('');
  return Array.from(segmenter.segment(s), (g) => g.segment);
}

/** The grapheme cluster of `s` that contains code unit `i` (its start and end). */
export function clusterAt(s: string, i: number): { start: number; end: number } {
  const g = segmenter.segment(s).containing(i);
  if (!g) return { start: i, end: i };
  return { start: g.index, end: g.index + g.segment.length };
}

/** Replace control characters (which would move the real cursor) with spaces. */
export function sanitize(s: string): string {
  return /[\x00-\x1f\x7f-\x9f]/.test(s) ? s.replace(/[\x00-\x1f\x7f-\x9f]/g, ' ') : s;
}

/** The longest prefix of `s` that fits in `width` cells (never half a cluster), and its width. */
export function sliceToWidth(s: string, width: number): { text: string; width: number } {
  if (width <= 0) return { text: '', width: 0 };
  let w = 0;
  let out = '';
  for (const g of clusters(s)) {
    const cw = stringWidth(g);
    if (w + cw > width) break;
    w += cw;
    out += g;
  }
  return { text: out, width: w };
}

/** Fit `s` into `width` cells, ending with '…' when cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(s) <= width) return s;
  if (width === 1) return '…';
  return `${sliceToWidth(s, width - 1).text}…`;
}

/** Fit `s` into exactly `width` cells: truncated or padded with spaces. */
export function fit(s: string, width: number): string {
  const t = truncate(s, width);
  const w = stringWidth(t);
  return w < width ? t + ' '.repeat(width - w) : t;
}
