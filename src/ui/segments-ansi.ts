/**
 * Segments (styled runs of the UI's own chrome: titles, the prompt box) as one ANSI row, for the
 * lines the UI draws outside React (overlay.ts LiveLine). What Ink's <Text> would draw for the
 * same segments (SegmentsLine): the same named colors with chalk's codes, nothing at color level
 * 0 (chalk then drops every style), and a row too wide cut with '…' like Ink's truncate-end.
 */
import type { ColorLevel } from './ansi.js';
import { guardText } from './cells.js';
import type { Segment } from './components/Segments.js';
import type { BodyRow } from './overlay.js';
import { sliceToWidth, stringWidth } from './width.js';

const BASE: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  grey: 90,
  blackBright: 90,
  redBright: 91,
  greenBright: 92,
  yellowBright: 93,
  blueBright: 94,
  magentaBright: 95,
  cyanBright: 96,
  whiteBright: 97,
};

/** SGR parameters opening a segment's style ('' when it has none). */
function sgr(s: Segment): string {
  const codes: number[] = [];
  if (s.dim) codes.push(2);
  const fg = s.color === undefined ? undefined : BASE[s.color];
  if (fg !== undefined) codes.push(fg);
  const bg = s.backgroundColor === undefined ? undefined : BASE[s.backgroundColor];
  if (bg !== undefined) codes.push(bg + 10);
  if (s.bold) codes.push(1);
  if (s.inverse) codes.push(7);
  return codes.join(';');
}

/** Segments as ANSI; each styled run ends with its attributes reset. */
export function segmentsAnsi(segs: readonly Segment[], level: ColorLevel): string {
  let out = '';
  for (const s of segs) {
    if (s.text === '') continue;
    const open = level === 0 ? '' : sgr(s);
    out += open === '' ? s.text : `\x1b[${open}m${s.text}\x1b[0m`;
  }
  return out;
}

/** Cut segments to `width` cells the way Ink's truncate-end does: the last cell becomes '…'. */
function truncateEnd(segs: readonly Segment[], width: number): Segment[] {
  const total = segs.reduce((a, s) => a + stringWidth(s.text), 0);
  if (total <= width) return [...segs];
  if (width <= 0) return [];
  const out: Segment[] = [];
  let room = width - 1;
  let last: Segment | undefined;
  for (const s of segs) {
    if (room <= 0) break;
    const w = stringWidth(s.text);
    const text = w <= room ? s.text : sliceToWidth(s.text, room).text;
    out.push({ ...s, text });
    room -= stringWidth(text);
    last = s;
    if (w > stringWidth(text)) break;
  }
  out.push({ ...(last ?? {}), text: '…' });
  return out;
}

/** One live row: the segments cut to `width`, as pinned ANSI (cells.ts), with their width. */
export function segmentsRow(segs: readonly Segment[], width: number, level: ColorLevel): BodyRow {
  const cut = truncateEnd(segs, width);
  return {
    ansi: guardText(segmentsAnsi(cut, level)),
    used: Math.min(
      width,
      cut.reduce((a, s) => a + stringWidth(s.text), 0),
    ),
  };
}
