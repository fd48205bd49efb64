/**
 * The lines of a frame as the frame writer puts them on the terminal: Ink's lines pinned
 * (cells.ts guardText) with the overlay's rows spliced over their markers (overlay.ts), each
 * with its display width (whether the writer erases after it).
 *
 * Why a cache: claude repaints its spinner and footer many times a second, and each repaint
 * reached the terminal as a frame that split Ink's whole frame, pinned and scanned every line for
 * markers, spliced every body row again and measured every changed line (ANSI strip, unguard,
 * the width of each cluster): a frame cost the whole screen. Now the work follows what changed:
 *  - Ink's frame is split, pinned and scanned for markers once (it is the same string while only
 *    bodies change); each line keeps where its markers are;
 *  - a line is spliced again only when a marker on it resolves to another row (the overlay keeps
 *    a row's object while the screen row under it is unchanged) or another width;
 *  - its width is the sum of its pieces' widths: Ink's text between markers (measured once per
 *    Ink frame), each row (measured once per row object), the padding. Where that sum could differ
 *    from measuring the whole line (a piece that does not end or start with plain ASCII or box
 *    drawing could join a grapheme cluster across the seam, an escape cut in two) the whole line
 *    is measured as before, so the bytes written never depend on which way was taken.
 * Loaded before React (the first frame, first-frame.ts, imports the frame writer): no React here,
 * and nothing from overlay.ts (which imports this).
 */
import { guardText, unguard } from './cells.js';
import { stringWidth } from './width.js';

/** A row the overlay splices in (a body row, a live line): its ANSI and its width in cells. */
export interface BodyRow {
  /** The row as ANSI, ending with attributes reset. */
  ansi: string;
  /** Its display width (cells), at most the body width. */
  used: number;
}

// CSI … final byte, OSC … BEL/ST, and two-byte ESC sequences.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Display width of a line that may hold ANSI styles and guarded cells (cells.ts). */
export const visibleWidth = (line: string) => stringWidth(unguard(line).replace(ANSI, ''));

/** Overlay markers: a slot code (U+E000–U+E0FF) and a row code (U+E100–U+F8FF). */
export const MARKER = /[\ue000-\ue0ff][\ue100-\uf8ff]/g;

/** What a marker shows: its row, padded to `width` cells. */
export interface Resolved {
  row: BodyRow | undefined;
  width: number;
}

/** The overlay as the frame writer uses it (overlay.ts BodyOverlay). */
export interface Splicer {
  /** Re-read the screens that changed. */
  update(): void;
  /** Changes whenever a marker may resolve to something else (a row, a width, nothing). */
  readonly version: number;
  /** What `marker` shows now, into `out` (its row undefined: unknown, the marker stays). */
  resolve(marker: string, out: Resolved): void;
}

/** Padding of n blanks (none for n <= 0), made once per width: a repaint pads every row it splices. */
const paddings: string[] = [];
export function spaces(n: number): string {
  if (n <= 0) return '';
  if (n > 1024) return ' '.repeat(n);
  let s = paddings[n];
  if (s === undefined) {
    s = ' '.repeat(n);
    paddings[n] = s;
  }
  return s;
}

/**
 * `line` with the marker at each of `at` replaced by `rows[k]` (when known), and the blank
 * padding Ink put after it: at most width - 2 blanks are consumed (Ink trims them at the end of a
 * line), then the row is padded to its width.
 */
export function spliceLine(
  line: string,
  at: readonly number[],
  rows: readonly (BodyRow | undefined)[],
  widths: readonly number[],
): string {
  let out = '';
  let from = 0;
  for (let k = 0; k < at.length; k++) {
    const row = rows[k];
    if (!row) continue;
    const width = widths[k] ?? 0;
    const index = at[k] ?? 0;
    out += line.slice(from, index);
    let end = index + 2;
    const limit = end + width - 2;
    while (end < limit && line.charCodeAt(end) === 0x20) end++;
    out += row.ansi + spaces(width - row.used);
    from = end;
  }
  return from === 0 ? line : out + line.slice(from);
}

/** Where `line`'s markers are (what a scan with MARKER finds). */
export function markersIn(line: string): number[] {
  const at: number[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(line); m; m = MARKER.exec(line)) at.push(m.index);
  return at;
}

/**
 * The width of a piece of a line, and its first and last visible code units (-1: none), or
 * `ok` false when the piece cannot be measured on its own (an escape or guard left half).
 */
interface Measure {
  w: number;
  first: number;
  last: number;
  ok: boolean;
}

function measure(piece: string): Measure {
  const text = unguard(piece).replace(ANSI, '');
  return {
    w: stringWidth(text),
    first: text.length > 0 ? text.charCodeAt(0) : -1,
    last: text.length > 0 ? text.charCodeAt(text.length - 1) : -1,
    ok: !text.includes('\x1b'),
  };
}

/** Whether nothing can join across a seam next to `c`: printable ASCII, box drawing. */
const seamSafe = (c: number) => (c >= 0x20 && c <= 0x7e) || (c >= 0x2500 && c <= 0x257f);

const rowMeasures = new WeakMap<BodyRow, Measure>();
function rowMeasure(row: BodyRow): Measure {
  let m = rowMeasures.get(row);
  if (m === undefined) {
    m = measure(row.ansi);
    rowMeasures.set(row, m);
  }
  return m;
}

/** One line of the frame: Ink's pinned text, its markers, and what went out last. */
class Line {
  /** The line as written (markers replaced). */
  text: string;
  private measured = -1;
  /** What each marker resolved to when `text` was made. */
  private readonly rows: (BodyRow | undefined)[];
  private readonly widths: number[];
  /** The markers themselves (what the overlay resolves). */
  private readonly keys: string[];
  /** Ink's text between markers ([start, end) of `pinned`) and its measure, as last used. */
  private readonly pieces: { start: number; end: number; m: Measure | undefined }[] = [];

  constructor(
    readonly pinned: string,
    readonly at: readonly number[],
  ) {
    this.text = pinned;
    this.rows = at.map(() => undefined);
    this.widths = at.map(() => 0);
    this.keys = at.map((i) => pinned.slice(i, i + 2));
  }

  /** Resolve the markers again; the line is spliced anew only if one shows something else. */
  resolve(overlay: Splicer, scratch: Resolved): void {
    let same = true;
    for (let k = 0; k < this.at.length; k++) {
      scratch.row = undefined;
      scratch.width = 0;
      overlay.resolve(this.keys[k] ?? '', scratch);
      if (scratch.row !== this.rows[k] || (scratch.row && scratch.width !== this.widths[k])) {
        same = false;
        this.rows[k] = scratch.row;
        this.widths[k] = scratch.width;
      }
    }
    if (same) return;
    this.text = spliceLine(this.pinned, this.at, this.rows, this.widths);
    this.measured = -1;
  }

  /** Display width of `text` (measured on first need, then kept until it changes). */
  width(): number {
    if (this.measured < 0) this.measured = this.at.length === 0 ? visibleWidth(this.text) : this.sum();
    return this.measured;
  }

  /** The width as the sum of the pieces' widths, or the whole line measured (see the top). */
  private sum(): number {
    let w = 0;
    let last = -1;
    let piece = 0;
    const add = (m: Measure): boolean => {
      if (!m.ok) return false;
      if (m.first < 0) return true;
      if (last >= 0 && !(seamSafe(last) && seamSafe(m.first))) return false;
      w += m.w;
      last = m.last;
      return true;
    };
    const inkText = (start: number, end: number): Measure => {
      let p = this.pieces[piece];
      if (!p || p.start !== start || p.end !== end) {
        p = { start, end, m: undefined };
        this.pieces[piece] = p;
      }
      piece++;
      p.m ??= measure(this.pinned.slice(start, end));
      return p.m;
    };
    let from = 0;
    for (let k = 0; k < this.at.length; k++) {
      const row = this.rows[k];
      if (!row) continue;
      const index = this.at[k] ?? 0;
      const width = this.widths[k] ?? 0;
      if (!add(inkText(from, index))) return visibleWidth(this.text);
      if (!add(rowMeasure(row))) return visibleWidth(this.text);
      const pad = Math.max(0, width - row.used);
      if (pad > 0 && !add({ w: pad, first: 0x20, last: 0x20, ok: true })) return visibleWidth(this.text);
      let end = index + 2;
      const limit = end + width - 2;
      while (end < limit && this.pinned.charCodeAt(end) === 0x20) end++;
      from = end;
    }
    if (!add(inkText(from, this.pinned.length))) return visibleWidth(this.text);
    return w;
  }
}

/**
 * A frame's lines, kept while Ink's frame stays the same: only lines whose markers resolve to
 * other rows are spliced and measured again.
 */
export class FrameLines {
  private data: string | undefined;
  private rows = -1;
  private lines: Line[] = [];
  /** Lines with markers (the only ones the overlay can change). */
  private marked: Line[] = [];
  /** Ink lines of the last frame → the same with clusters pinned (cells.ts guardText). */
  private guarded = new Map<string, string>();
  private version = Number.NaN;
  private readonly scratch: Resolved = { row: undefined, width: 0 };

  constructor(private readonly overlay: Splicer | undefined) {}

  /** The first `rows` lines of Ink frame `data` as they go out now. */
  get(data: string, rows: number): readonly { readonly text: string; width(): number }[] {
    if (data !== this.data || rows !== this.rows) this.build(data, rows);
    const overlay = this.overlay;
    if (overlay && overlay.version !== this.version) {
      this.version = overlay.version;
      for (const line of this.marked) line.resolve(overlay, this.scratch);
    }
    return this.lines;
  }

  private build(data: string, rows: number): void {
    this.data = data;
    this.rows = rows;
    this.version = Number.NaN;
    // Ink's lines are pinned first (guardText: a prompt in a title may hold 👍🏽), then the bodies
    // spliced in (already pinned by the overlay). Unchanged lines reuse the last result.
    const guarded = new Map<string, string>();
    const pin = (l: string) => {
      let g = this.guarded.get(l) ?? guarded.get(l);
      if (g === undefined) g = guardText(l);
      guarded.set(l, g);
      return g;
    };
    this.lines = data
      .split('\n')
      .slice(0, rows)
      .map((l) => {
        const pinned = pin(l);
        return new Line(pinned, this.overlay ? markersIn(pinned) : []);
      });
    this.guarded = guarded;
    this.marked = this.lines.filter((l) => l.at.length > 0);
  }
}
