/** styledRow as it was before it stopped allocating a span per cell (1 span and 1 string piece per cell): the reference of test/engine/styled-row.test.ts. */
import type { StyledLine, StyledSpan } from '../../src/engine/types.js';
import type { XCell, XLine } from '../../src/engine/xterm-types.js';

function colorOf(mode: 'fg' | 'bg', cell: XCell): number | string | undefined {
  if (mode === 'fg') {
    if (cell.isFgDefault()) return undefined;
    const c = cell.getFgColor();
    return cell.isFgRGB() ? `#${c.toString(16).padStart(6, '0')}` : c;
  }
  if (cell.isBgDefault()) return undefined;
  const c = cell.getBgColor();
  return cell.isBgRGB() ? `#${c.toString(16).padStart(6, '0')}` : c;
}

function sameStyle(a: StyledSpan, b: StyledSpan): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse &&
    a.strikethrough === b.strikethrough
  );
}

/**
 * The spans of `line` (none for a missing one), read through `cell` (a scratch cell reused for
 * every read). Runs of one style join into one span; trailing default-styled blanks are dropped.
 */
export function referenceStyledRow(line: XLine | undefined, cell: XCell): StyledLine {
  if (!line) return [];
  const spans: StyledSpan[] = [];
  let cur: StyledSpan | undefined;
  // Trailing default-styled blanks are dropped; the pane pads.
  let last = line.length - 1;
  while (last >= 0) {
    const c = line.getCell(last, cell);
    if (!c) break;
    if ((c.getChars() !== '' && c.getChars() !== ' ') || !c.isAttributeDefault()) break;
    last--;
  }
  for (let x = 0; x <= last; x++) {
    const c = line.getCell(x, cell);
    if (!c) break;
    const width = c.getWidth();
    if (width === 0) continue; // second half of a wide char
    const ch = c.getChars() || ' ';
    const span: StyledSpan = { text: ch };
    // A cell that is not one 1-cell code unit says how wide xterm laid it out (see StyledSpan).
    const cluster = width !== 1 || ch.length !== 1;
    if (cluster) span.width = width;
    const fg = colorOf('fg', c);
    const bg = colorOf('bg', c);
    if (fg !== undefined) span.fg = fg;
    if (bg !== undefined) span.bg = bg;
    if (c.isBold()) span.bold = true;
    if (c.isDim()) span.dim = true;
    if (c.isItalic()) span.italic = true;
    if (c.isUnderline()) span.underline = true;
    if (c.isInverse()) span.inverse = true;
    if (c.isStrikethrough()) span.strikethrough = true;
    if (!cluster && cur && cur.width === undefined && sameStyle(cur, span)) cur.text += ch;
    else {
      spans.push(span);
      cur = cluster ? undefined : span;
    }
  }
  return spans;
}
