import { Text } from 'ink';
import { memo } from 'react';
import type { StyledLine, StyledSpan } from '../../engine/types.js';
import { codePointWidth, sanitize } from '../width.js';

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
 * cell at `cursorX` as the cursor (inverse). Adjacent spans of the same style are merged.
 */
export function clipLine(line: StyledLine, width: number, cursorX?: number): StyledSpan[] {
  const out: StyledSpan[] = [];
  const push = (span: StyledSpan) => {
    if (span.text === '') return;
    const last = out[out.length - 1];
    if (last && sameStyle(last, span)) last.text += span.text;
    else out.push({ ...span });
  };
  let x = 0;
  let cursorDone = cursorX === undefined || cursorX < 0 || cursorX >= width;
  for (const span of line) {
    if (x >= width) break;
    const text = sanitize(span.text);
    let buf = '';
    for (const ch of text) {
      const cw = codePointWidth(ch.codePointAt(0) ?? 0);
      if (x + cw > width) break;
      if (!cursorDone && cursorX !== undefined && x <= cursorX && cursorX < x + Math.max(1, cw)) {
        push({ ...span, text: buf });
        buf = '';
        push({ ...span, text: ch, inverse: !span.inverse });
        cursorDone = true;
      } else {
        buf += ch;
      }
      x += cw;
    }
    push({ ...span, text: buf });
  }
  if (!cursorDone && cursorX !== undefined) {
    if (cursorX > x) push({ text: ' '.repeat(cursorX - x) });
    push({ text: ' ', inverse: true });
  }
  return out;
}

/** One line of a session's screen, pre-styled as an ANSI string: exactly one terminal row tall. */
export const ScreenLine = memo(function ScreenLine({ line }: { line: string }) {
  return <Text wrap="truncate-end">{line === '' ? ' ' : line}</Text>;
});
