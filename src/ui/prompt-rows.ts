/**
 * The prompt box's rows as segments, for both ways of drawing them: through Ink (PromptBox in
 * components/Bars.tsx) and as live lines of the overlay (overlay.ts), which is how the echo of a
 * typed key reaches the terminal without a React render: `retype` says whether an edit keeps the
 * box's shape (rows, empty or not) and gives its new rows; `showPromptLines` draws them.
 */
import type { ColorLevel } from './ansi.js';
import type { Segment } from './components/Segments.js';
import * as ed from './editor.js';
import { MAX_PROMPT_ROWS } from './layout.js';
import { BodyOverlay, type LiveLine } from './overlay.js';
import { segmentsRow } from './segments-ansi.js';
import { clusterAt, sliceToWidth, stringWidth, truncate } from './width.js';

export interface PromptBoxProps {
  width: number;
  rows: number;
  label: string;
  labelColor: string;
  lines: ed.VisualLine[];
  cursorRow: number;
  cursorCol: number;
  empty: boolean;
  placeholder: string;
  /** Draw the cursor (not while keys go elsewhere). */
  active: boolean;
  /** Color support (live lines only: Ink's own chalk decides for Ink). */
  colorLevel: ColorLevel;
}

/** Each row of the box: `#2❯ text`, wrapped, scrolled to keep the cursor visible. */
export function promptRowSegments(p: PromptBoxProps): Segment[][] {
  const prefix = `${p.label}❯ `;
  const prefixW = stringWidth(prefix);
  const textW = Math.max(1, p.width - prefixW);
  const top = Math.max(0, Math.min(p.cursorRow - p.rows + 1, p.lines.length - p.rows));
  const out: Segment[][] = [];
  for (let r = 0; r < p.rows; r++) {
    const i = top + r;
    const line = p.lines[i];
    const pre: Segment = {
      text: r === 0 && top === 0 ? prefix : ' '.repeat(prefixW),
      color: p.labelColor,
      bold: true,
    };
    if (p.empty && i === 0) {
      const cursor: Segment[] = p.active ? [{ text: ' ', inverse: true }] : [];
      out.push([pre, ...cursor, { text: truncate(p.placeholder, textW - 1), dim: true }]);
    } else if (line && p.active && i === p.cursorRow) {
      // The cursor covers the whole cluster it sits on (👨‍👩‍👧‍👦 is one character, 2 cells).
      const before = sliceToWidth(line.text, p.cursorCol).text;
      const rest = line.text.slice(before.length);
      const at = rest === '' ? ' ' : rest.slice(0, clusterAt(rest, 0).end);
      const after = rest.slice(at.length);
      out.push([pre, { text: before }, { text: at, inverse: true }, { text: after }]);
    } else {
      out.push([pre, { text: line ? line.text || ' ' : ' ' }]);
    }
  }
  return out;
}

/** The marker of prompt row `r` (overlay.ts): never a pane's. */
export const promptMarker = (r: number) => BodyOverlay.lineMarker(0, 1 + r);

/** The box after an edit, or undefined when the edit changes its shape (then React draws it). */
export function retype(p: PromptBoxProps, editor: ed.EditorState): PromptBoxProps | undefined {
  if ((editor.text === '') !== p.empty) return undefined;
  const prefixW = stringWidth(`${p.label}❯ `);
  const wrapped = ed.wrapText(editor.text, editor.cursor, Math.max(1, p.width - prefixW));
  if (Math.max(1, Math.min(MAX_PROMPT_ROWS, wrapped.lines.length)) !== p.rows) return undefined;
  return { ...p, lines: wrapped.lines, cursorRow: wrapped.cursorRow, cursorCol: wrapped.cursorCol };
}

/** Draw the box's rows as live lines of `overlay`; returns them (to hide them later). */
export function showPromptLines(overlay: BodyOverlay, p: PromptBoxProps): LiveLine[] {
  return promptRowSegments(p).map((segs, r) => {
    const line: LiveLine = { width: p.width, draw: () => segmentsRow(segs, p.width, p.colorLevel) };
    overlay.showLine(promptMarker(r), line);
    return line;
  });
}
