/**
 * One row of a headless xterm read as styled spans (what panes draw). Each repaint of an agent's
 * screen re-reads the rows xterm marked, so this runs for every changed row of every frame: it
 * allocates one span per run of one style (not one per cell, merged afterwards) and joins a run's
 * characters once (not one string piece per cell).
 */
import type { StyledLine, StyledSpan } from './types.js';
import type { XCell, XLine } from './xterm-types.js';

const BOLD = 1;
const DIM = 2;
const ITALIC = 4;
const UNDERLINE = 8;
const INVERSE = 16;
const STRIKE = 32;

/** '#rrggbb' of RGB colors seen (bounded: a screen uses few; past the bound they are built each time). */
const hexes = new Map<number, string>();
const MAX_HEXES = 4096;

function hex(c: number): string {
  let s = hexes.get(c);
  if (s === undefined) {
    s = `#${c.toString(16).padStart(6, '0')}`;
    if (hexes.size < MAX_HEXES) hexes.set(c, s);
  }
  return s;
}

function fgOf(cell: XCell): number | string | undefined {
  if (cell.isFgDefault()) return undefined;
  const c = cell.getFgColor();
  return cell.isFgRGB() ? hex(c) : c;
}

function bgOf(cell: XCell): number | string | undefined {
  if (cell.isBgDefault()) return undefined;
  const c = cell.getBgColor();
  return cell.isBgRGB() ? hex(c) : c;
}

function flagsOf(c: XCell): number {
  return (
    (c.isBold() ? BOLD : 0) |
    (c.isDim() ? DIM : 0) |
    (c.isItalic() ? ITALIC : 0) |
    (c.isUnderline() ? UNDERLINE : 0) |
    (c.isInverse() ? INVERSE : 0) |
    (c.isStrikethrough() ? STRIKE : 0)
  );
}

function spanOf(
  text: string,
  width: number | undefined,
  fg: StyledSpan['fg'],
  bg: StyledSpan['bg'],
  flags: number,
) {
  const span: StyledSpan = { text };
  if (width !== undefined) span.width = width;
  if (fg !== undefined) span.fg = fg;
  if (bg !== undefined) span.bg = bg;
  if (flags & BOLD) span.bold = true;
  if (flags & DIM) span.dim = true;
  if (flags & ITALIC) span.italic = true;
  if (flags & UNDERLINE) span.underline = true;
  if (flags & INVERSE) span.inverse = true;
  if (flags & STRIKE) span.strikethrough = true;
  return span;
}

/** The characters of the run being read (reused: a row is read synchronously). */
const run: string[] = [];

/**
 * The spans of `line` (none for a missing one), read through `cell` (a scratch cell reused for
 * every read). Runs of one style join into one span; trailing default-styled blanks are dropped.
 */
export function styledRow(line: XLine | undefined, cell: XCell): StyledLine {
  if (!line) return [];
  const spans: StyledSpan[] = [];
  // Trailing default-styled blanks are dropped; the pane pads.
  let last = line.length - 1;
  while (last >= 0) {
    const c = line.getCell(last, cell);
    if (!c) break;
    if ((c.getChars() !== '' && c.getChars() !== ' ') || !c.isAttributeDefault()) break;
    last--;
  }
  // The open run: a span of 1-cell characters whose text is `run` joined when it ends.
  let open: StyledSpan | undefined;
  let openFlags = 0;
  const close = (): void => {
    if (open && run.length > 1) open.text = run.join('');
    run.length = 0;
    open = undefined;
  };
  for (let x = 0; x <= last; x++) {
    const c = line.getCell(x, cell);
    if (!c) break;
    const width = c.getWidth();
    if (width === 0) continue; // second half of a wide char
    const ch = c.getChars() || ' ';
    const fg = fgOf(c);
    const bg = bgOf(c);
    const flags = flagsOf(c);
    // A cell that is not one 1-cell code unit says how wide xterm laid it out (see StyledSpan).
    const cluster = width !== 1 || ch.length !== 1;
    if (!cluster && open && open.fg === fg && open.bg === bg && openFlags === flags) {
      run.push(ch);
      continue;
    }
    close();
    const span = spanOf(ch, cluster ? width : undefined, fg, bg, flags);
    spans.push(span);
    if (!cluster) {
      open = span;
      openFlags = flags;
      run.push(ch);
    }
  }
  close();
  return spans;
}
