/**
 * Styled spans → one ANSI string per screen line. A pane line is one Ink text node holding a
 * pre-styled string instead of a tree of <Text> elements per span: far fewer React elements and
 * Ink nodes per frame, and unchanged lines are skipped by a string comparison.
 */

import type { StyledLine, StyledSpan } from '../engine/types.js';
import { guard, portable, portableRun } from './cells.js';
import { sanitize } from './width.js';

/** 0 = no color, 1 = 16 colors, 2 = 256 colors, 3 = truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3;

/** Color support of the terminal, from the environment (the same signals chalk uses). */
export function detectColorLevel(
  env: NodeJS.ProcessEnv = process.env,
  isTTY: boolean = process.stdout.isTTY === true,
): ColorLevel {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    if (force === 'false' || force === '0') return 0;
    const n = Number(force);
    if (n === 1 || n === 2 || n === 3) return n;
    return 1;
  }
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!isTTY) return 0;
  const term = env.TERM ?? '';
  if (term === 'dumb') return 0;
  const colorterm = (env.COLORTERM ?? '').toLowerCase();
  if (colorterm === 'truecolor' || colorterm === '24bit') return 3;
  if (/-256(color)?$/i.test(term) || /^(tmux|screen)/.test(term) || env.TERM_PROGRAM === 'iTerm.app')
    return 2;
  return 1;
}

const CUBE = [0, 95, 135, 175, 215, 255];

function hexToRgb(hex: string): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m?.[1]) return undefined;
  const v = Number.parseInt(m[1], 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function rgbToAnsi256(r: number, g: number, b: number): number {
  if (r === g && g === b) {
    if (r < 8) return 16;
    if (r > 248) return 231;
    return Math.round(((r - 8) / 247) * 24) + 232;
  }
  const idx = (c: number) => (c < 48 ? 0 : c < 115 ? 1 : Math.floor((c - 35) / 40));
  return 16 + 36 * idx(r) + 6 * idx(g) + idx(b);
}

function ansi256ToRgb(n: number): [number, number, number] {
  const basic: [number, number, number][] = [
    [0, 0, 0],
    [205, 0, 0],
    [0, 205, 0],
    [205, 205, 0],
    [0, 0, 238],
    [205, 0, 205],
    [0, 205, 205],
    [229, 229, 229],
    [127, 127, 127],
    [255, 0, 0],
    [0, 255, 0],
    [255, 255, 0],
    [92, 92, 255],
    [255, 0, 255],
    [0, 255, 255],
    [255, 255, 255],
  ];
  if (n < 16) return basic[n] ?? [0, 0, 0];
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return [v, v, v];
  }
  const i = n - 16;
  return [CUBE[Math.floor(i / 36)] ?? 0, CUBE[Math.floor(i / 6) % 6] ?? 0, CUBE[i % 6] ?? 0];
}

function rgbToAnsi16(r: number, g: number, b: number): number {
  const bright = Math.max(r, g, b) > 191 ? 8 : 0;
  const bit = (c: number) => (c > 95 ? 1 : 0);
  const base = bit(r) | (bit(g) << 1) | (bit(b) << 2);
  if (base === 7 && !bright) return Math.max(r, g, b) > 160 ? 7 : 8;
  return base + bright;
}

/** SGR parameters for one color. */
export function colorParams(c: number | string, level: ColorLevel, bg: boolean): string {
  if (level === 0) return '';
  let rgb: [number, number, number] | undefined;
  let idx: number | undefined;
  if (typeof c === 'number') idx = Math.max(0, Math.min(255, Math.floor(c)));
  else rgb = hexToRgb(c);
  if (idx === undefined && rgb === undefined) return '';
  if (level === 3 && rgb) return `${bg ? 48 : 38};2;${rgb[0]};${rgb[1]};${rgb[2]}`;
  if (idx === undefined && rgb) idx = level >= 2 ? rgbToAnsi256(...rgb) : undefined;
  if (level >= 2 && idx !== undefined) return `${bg ? 48 : 38};5;${idx}`;
  // 16 colors
  let n16: number;
  if (idx !== undefined && idx < 16) n16 = idx;
  else n16 = rgbToAnsi16(...(rgb ?? ansi256ToRgb(idx ?? 0)));
  const base = n16 < 8 ? (bg ? 40 : 30) + n16 : (bg ? 100 : 90) + (n16 - 8);
  return String(base);
}

/** colorParams by level, fg/bg and color (a pane shows few colors; bounded, emptied when full). */
const paramsMemo = Array.from({ length: 8 }, () => new Map<number | string, string>());

function memoColorParams(c: number | string, level: ColorLevel, bg: boolean): string {
  const memo = paramsMemo[level * 2 + (bg ? 1 : 0)] as Map<number | string, string>;
  let p = memo.get(c);
  if (p === undefined) {
    p = colorParams(c, level, bg);
    if (memo.size >= 1024) memo.clear();
    memo.set(c, p);
  }
  return p;
}

function spanParams(s: StyledSpan, level: ColorLevel): string {
  const p: string[] = [];
  if (s.bold) p.push('1');
  if (s.dim) p.push('2');
  if (s.italic) p.push('3');
  if (s.underline) p.push('4');
  if (s.inverse) p.push('7');
  if (s.strikethrough) p.push('9');
  if (s.fg !== undefined) {
    const c = memoColorParams(s.fg, level, false);
    if (c) p.push(c);
  }
  if (s.bg !== undefined) {
    const c = memoColorParams(s.bg, level, true);
    if (c) p.push(c);
  }
  return p.join(';');
}

/**
 * One line of spans as an ANSI string. Attributes (bold, inverse …) are kept even without
 * color support; every styled run starts from a reset, and the line ends reset. With `guarded`
 * (drawing on the real terminal), cells whose width terminals disagree on are written so that
 * they cannot move the cells after them (cells.ts); Ink, which measures text itself, gets them
 * plain.
 */
export function spansToAnsi(spans: readonly StyledSpan[], level: ColorLevel, guarded = false): string {
  let out = '';
  let styled = false;
  for (const s of spans) {
    if (s.text === '') continue;
    const params = spanParams(s, level);
    const text =
      guarded && s.width !== undefined && !portable(s.text, s.width) ? guard(s.text, s.width) : s.text;
    if (params) {
      out += `\x1b[0;${params}m${text}`;
      styled = true;
    } else {
      if (styled) out += '\x1b[0m';
      styled = false;
      out += text;
    }
  }
  if (styled) out += '\x1b[0m';
  return out;
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
  // Every span pushed is a copy made here (never one of `line`'s), so it is kept as it is and
  // the last one may be extended in place.
  const push = (span: StyledSpan) => {
    if (span.text === '') return;
    const last = out[out.length - 1];
    if (span.width === undefined && last && last.width === undefined && sameStyle(last, span))
      last.text += span.text;
    else out.push(span);
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
