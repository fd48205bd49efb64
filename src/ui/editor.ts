/**
 * The prompt box's text model, as pure functions over { text, cursor } plus a history.
 * `cursor` is an index into `text` (UTF-16 code units) that always sits between two grapheme
 * clusters: editing and moving go by what a person sees as one character (👨‍👩‍👧‍👦, 👍🏽, 🇯🇵,
 * e + combining accent are one each), and columns are the cells the UI draws them in.
 */

import { clusterAt, clusters, stringWidth } from './width.js';

export interface EditorState {
  text: string;
  cursor: number;
  /** Submitted prompts, oldest first. */
  history: string[];
  /** Position while browsing history (history.length = the draft), or undefined when not browsing. */
  historyIndex?: number;
  /** The text that was in the box when history browsing started. */
  draft: string;
}

export const emptyEditor = (history: string[] = []): EditorState => ({
  text: '',
  cursor: 0,
  history,
  draft: '',
});

const HISTORY_LIMIT = 200;

/** Start of the cluster before `i` (clusters never span a newline). */
function prevBoundary(text: string, i: number): number {
  if (i <= 0) return 0;
  if (text.charCodeAt(i - 1) === 0x0a) return i - 1;
  const st = lineStart(text, i);
  return st + clusterAt(text.slice(st, lineEnd(text, i)), i - 1 - st).start;
}

/** End of the cluster at `i`. */
function nextBoundary(text: string, i: number): number {
  if (i >= text.length) return text.length;
  if (text.charCodeAt(i) === 0x0a) return i + 1;
  const st = lineStart(text, i);
  return st + clusterAt(text.slice(st, lineEnd(text, i)), i - st).end;
}

/** A cluster is part of a word when it starts with a letter, a digit or '_' (é, स्, 漢 are). */
const isWordCluster = (g: string) => /^[\p{L}\p{N}_]/u.test(g);

function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}

function lineEnd(text: string, i: number): number {
  const j = text.indexOf('\n', i);
  return j === -1 ? text.length : j;
}

const edit = (s: EditorState, text: string, cursor: number): EditorState => ({
  ...s,
  text,
  cursor,
  historyIndex: undefined,
});

export function insert(s: EditorState, str: string): EditorState {
  return edit(s, s.text.slice(0, s.cursor) + str + s.text.slice(s.cursor), s.cursor + str.length);
}

export function backspace(s: EditorState): EditorState {
  if (s.cursor === 0) return s;
  const p = prevBoundary(s.text, s.cursor);
  return edit(s, s.text.slice(0, p) + s.text.slice(s.cursor), p);
}

export function del(s: EditorState): EditorState {
  if (s.cursor >= s.text.length) return s;
  const n = nextBoundary(s.text, s.cursor);
  return edit(s, s.text.slice(0, s.cursor) + s.text.slice(n), s.cursor);
}

export const left = (s: EditorState): EditorState => ({ ...s, cursor: prevBoundary(s.text, s.cursor) });
export const right = (s: EditorState): EditorState => ({ ...s, cursor: nextBoundary(s.text, s.cursor) });
export const home = (s: EditorState): EditorState => ({ ...s, cursor: lineStart(s.text, s.cursor) });
export const end = (s: EditorState): EditorState => ({ ...s, cursor: lineEnd(s.text, s.cursor) });

function wordLeftIndex(text: string, i: number): number {
  let p = i;
  const before = (q: number) => text.slice(prevBoundary(text, q), q);
  while (p > 0 && !isWordCluster(before(p))) p = prevBoundary(text, p);
  while (p > 0 && isWordCluster(before(p))) p = prevBoundary(text, p);
  return p;
}

function wordRightIndex(text: string, i: number): number {
  let p = i;
  const after = (q: number) => text.slice(q, nextBoundary(text, q));
  while (p < text.length && !isWordCluster(after(p))) p = nextBoundary(text, p);
  while (p < text.length && isWordCluster(after(p))) p = nextBoundary(text, p);
  return p;
}

export const wordLeft = (s: EditorState): EditorState => ({ ...s, cursor: wordLeftIndex(s.text, s.cursor) });
export const wordRight = (s: EditorState): EditorState => ({
  ...s,
  cursor: wordRightIndex(s.text, s.cursor),
});

export function deleteWordBack(s: EditorState): EditorState {
  const p = wordLeftIndex(s.text, s.cursor);
  return edit(s, s.text.slice(0, p) + s.text.slice(s.cursor), p);
}

export function killToEnd(s: EditorState): EditorState {
  const e = lineEnd(s.text, s.cursor);
  // At the end of a line, join with the next one (like readline / emacs).
  const to = e === s.cursor && e < s.text.length ? e + 1 : e;
  return edit(s, s.text.slice(0, s.cursor) + s.text.slice(to), s.cursor);
}

export function killToStart(s: EditorState): EditorState {
  const st = lineStart(s.text, s.cursor);
  return edit(s, s.text.slice(0, st) + s.text.slice(s.cursor), st);
}

export function clear(s: EditorState): EditorState {
  return { ...s, text: '', cursor: 0, historyIndex: undefined, draft: '' };
}

/** The index in the line starting at `st` (ending at `en`) closest to column `col` (cells). */
function atColumn(text: string, st: number, en: number, col: number): number {
  let i = st;
  let w = 0;
  for (const g of clusters(text.slice(st, en))) {
    const gw = stringWidth(g);
    if (w + gw > col) break;
    w += gw;
    i += g.length;
  }
  return i;
}

/** Move to the line above in a multi-line text; undefined when already on the first line. */
export function lineUp(s: EditorState): EditorState | undefined {
  const st = lineStart(s.text, s.cursor);
  if (st === 0) return undefined;
  const col = stringWidth(s.text.slice(st, s.cursor));
  return { ...s, cursor: atColumn(s.text, lineStart(s.text, st - 1), st - 1, col) };
}

/** Move to the line below; undefined when already on the last line. */
export function lineDown(s: EditorState): EditorState | undefined {
  const e = lineEnd(s.text, s.cursor);
  if (e >= s.text.length) return undefined;
  const col = stringWidth(s.text.slice(lineStart(s.text, s.cursor), s.cursor));
  return { ...s, cursor: atColumn(s.text, e + 1, lineEnd(s.text, e + 1), col) };
}

/** Up: the line above, else the previous history entry (the draft is kept to come back to). */
export function up(s: EditorState): EditorState {
  const moved = lineUp(s);
  if (moved) return moved;
  if (s.history.length === 0) return s;
  const idx = s.historyIndex ?? s.history.length;
  if (idx === 0) return s;
  const draft = s.historyIndex === undefined ? s.text : s.draft;
  const text = s.history[idx - 1] ?? '';
  return { ...s, text, cursor: text.length, historyIndex: idx - 1, draft };
}

/** Down: the line below, else the next history entry, and finally the draft. */
export function down(s: EditorState): EditorState {
  const moved = lineDown(s);
  if (moved) return moved;
  if (s.historyIndex === undefined) return s;
  const idx = s.historyIndex + 1;
  if (idx >= s.history.length) {
    return { ...s, text: s.draft, cursor: s.draft.length, historyIndex: undefined, draft: '' };
  }
  const text = s.history[idx] ?? '';
  return { ...s, text, cursor: text.length, historyIndex: idx };
}

/** Record a submitted prompt and empty the box. */
export function commit(s: EditorState): EditorState {
  const t = s.text;
  const history =
    t.trim() === '' || s.history[s.history.length - 1] === t
      ? s.history
      : [...s.history, t].slice(-HISTORY_LIMIT);
  return { text: '', cursor: 0, history, historyIndex: undefined, draft: '' };
}

export interface VisualLine {
  text: string;
  /** Index in `text` where this visual line starts. */
  start: number;
  /** Whether this visual line starts a logical line (prefix is shown on the first one). */
  first: boolean;
}

/**
 * Wrap the text into visual lines of at most `width` cells (one cell is kept free for the
 * cursor at the end of a line) and locate the cursor.
 */
export function wrapText(
  text: string,
  cursor: number,
  width: number,
): { lines: VisualLine[]; cursorRow: number; cursorCol: number } {
  const w = Math.max(2, width) - 1;
  const lines: VisualLine[] = [];
  let cursorRow = 0;
  let cursorCol = 0;
  let offset = 0;
  for (const logical of text.split('\n')) {
    let start = offset;
    let cur = '';
    let curW = 0;
    let first = true;
    let i = offset;
    for (const ch of clusters(logical)) {
      const cw = stringWidth(ch);
      if (curW + cw > w) {
        lines.push({ text: cur, start, first });
        first = false;
        start = i;
        cur = '';
        curW = 0;
      }
      if (i === cursor) {
        cursorRow = lines.length;
        cursorCol = curW;
      }
      cur += ch;
      curW += cw;
      i += ch.length;
    }
    if (i === cursor) {
      cursorRow = lines.length;
      cursorCol = curW;
    }
    lines.push({ text: cur, start, first });
    offset += logical.length + 1;
  }
  return { lines, cursorRow, cursorCol };
}

/** Width of the widest visual line (for tests). */
export const maxLineWidth = (lines: VisualLine[]) => Math.max(0, ...lines.map((l) => stringWidth(l.text)));
