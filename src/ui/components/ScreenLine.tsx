import { Text } from 'ink';
import { memo } from 'react';
import type { StyledLine, StyledSpan } from '../../engine/types.js';
import { portable, portableRun } from '../cells.js';
import { sanitize } from '../width.js';

/** Engine color (palette index or '#rrggbb') → Ink color string. */
export function inkColor(c: number | string | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'number') return `ansi256(${Math.max(0, Math.min(255, Math.floor(c)))})`;
  return c;
}

function sameStyle(a: StyledSpan, b: StyledSpan): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    !!a.bold === !!b.bold &&
    !!a.dim === !!b.dim &&
    !!a.italic === !!b.italic &&
    !!a.underline === !!b.underline &&
    !!a.inverse === !!b.inverse &&
    !!a.strikethrough === !!b.strikethrough
  );
}

/**
 * Clip a styled line to `width` cells (control characters replaced), optionally marking the
 * cell at `cursorX` as the cursor (inverse). Cells are counted as the screen laid them out (see
 * StyledSpan), never re-measured. In the result, spans without `width` hold portable 1-cell
 * characters only (cells.ts); every other cell is a span of its own with its `width`, for the
 * writer to guard. Adjacent runs of the same style are merged.
 */
export function clipLine(line: StyledLine, width: number, cursorX?: number): StyledSpan[] {
  const out: StyledSpan[] = [];
  const push = (span: StyledSpan) => {
    if (span.text === '') return;
    const last = out[out.length - 1];
    if (span.width === undefined && last && last.width === undefined && sameStyle(last, span))
      last.text += span.text;
    else out.push({ ...span });
  };
  const cursorAt = cursorX !== undefined && cursorX >= 0 && cursorX < width ? cursorX : -1;
  let cursorDone = cursorAt < 0;
  let x = 0;
  for (const span of line) {
    if (x >= width) break;
    const text = sanitize(span.text);
    if (span.width !== undefined) {
      // One cell: a wide character or a cluster. One that does not fit is left out whole.
      const w = span.width;
      if (x + w > width) break;
      const cell: StyledSpan = { ...span, text };
      if (!cursorDone && x <= cursorAt && cursorAt < x + w) {
        cell.inverse = !span.inverse;
        cursorDone = true;
      }
      push(cell);
      x += w;
      continue;
    }
    const take = text.length <= width - x ? text : text.slice(0, width - x);
    if ((cursorDone || cursorAt >= x + take.length) && portableRun(take)) {
      push({ ...span, text: take });
      x += take.length;
      continue;
    }
    let buf = '';
    for (let i = 0; i < take.length; i++, x++) {
      const ch = take.charAt(i);
      const isCursor = !cursorDone && x === cursorAt;
      const ok = portable(ch, 1);
      if (ok && !isCursor) {
        buf += ch;
        continue;
      }
      push({ ...span, text: buf });
      buf = '';
      const cell: StyledSpan = { ...span, text: ch };
      if (!ok) cell.width = 1;
      if (isCursor) {
        cell.inverse = !span.inverse;
        cursorDone = true;
      }
      push(cell);
    }
    push({ ...span, text: buf });
  }
  if (!cursorDone) {
    if (cursorAt > x) push({ text: ' '.repeat(cursorAt - x) });
    push({ text: ' ', inverse: true });
  }
  return out;
}

/** Cells covered by clipped spans (clipLine's result). */
export const spansWidth = (spans: readonly StyledSpan[]) =>
  spans.reduce((n, s) => n + (s.width ?? s.text.length), 0);

/** One line of a session's screen, pre-styled as an ANSI string: exactly one terminal row tall. */
export const ScreenLine = memo(function ScreenLine({ line }: { line: string }) {
  return <Text wrap="truncate-end">{line === '' ? ' ' : line}</Text>;
});
