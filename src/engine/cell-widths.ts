/**
 * How wide the headless terminal lays out each character: a Unicode width provider for xterm.
 *
 * xterm's built-in table is Unicode 6: every emoji takes 1 cell (👍, ✅, 🫠), while the agents
 * (claude lays out its screen with string-width) and today's terminals (tmux 3.3a, glibc's
 * wcwidth) give them 2. The agent's cursor moves then land in other cells than it meant, and its
 * screen is wrong in the pane. This provider gives the widths those agents assume:
 *  - East Asian wide/fullwidth and emoji-presentation characters: 2 cells;
 *  - combining marks, format characters (ZWJ, variation selectors, tags), Hangul medial/final
 *    jamo: 0 cells, joined to the cell before;
 *  - grapheme clusters made of several emoji take one 2-cell cell: ZWJ sequences (👨‍👩‍👧‍👦),
 *    skin tones (👍🏽), flags (🇯🇵, a pair of regional indicators), an emoji-capable character
 *    with VS16 (⚠️, 1️⃣);
 *  - everything else 1 cell (spacing marks of Indic scripts too, as in wcwidth and tmux).
 * Outer terminals disagree among themselves on exactly those clusters (measured in tmux 3.3a:
 * 👍🏽 4 cells, ⚠️ 1, and a 4-person family is cut to 3); the UI never lets that disagreement
 * move anything (src/ui/cells.ts).
 */

/** xterm's IUnicodeVersionProvider (declared here: the typings only offer it through Terminal). */
export interface UnicodeProvider {
  readonly version: string;
  wcwidth(codepoint: number): 0 | 1 | 2;
  charProperties(codepoint: number, preceding: number): number;
}

export const CELL_WIDTHS_VERSION = 'axiom-clusters';

// East Asian Wide/Fullwidth blocks (emoji come from \p{Emoji_Presentation}).
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

const ZERO_CLASS = /[\p{Mn}\p{Me}\p{Cf}]/u;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const EMOJI = /\p{Emoji}/u;

// Per code point, computed once: bits 0-1 width, then the flags below; 0 = not computed yet.
const F_PICT = 4;
const F_EMOJI = 8;
const F_RI = 16;
const F_MODIFIER = 32;
const F_DONE = 128;
const props = new Uint8Array(0x110000);

function inWide(cp: number): boolean {
  for (const [lo, hi] of WIDE) {
    if (cp < lo) return false;
    if (cp <= hi) return true;
  }
  return false;
}

function baseWidth(cp: number, ch: string): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp === 0xad) return 1; // soft hyphen: Cf, but drawn (wcwidth, tmux)
  if ((cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff)) return 0;
  if (ZERO_CLASS.test(ch)) return 0;
  if (EMOJI_PRESENTATION.test(ch) || inWide(cp)) return 2;
  return 1;
}

function propsOf(cp: number): number {
  const known = props[cp] ?? 0;
  if (known !== 0) return known;
  const ch = String.fromCodePoint(cp);
  let p = baseWidth(cp, ch) | F_DONE;
  if (PICTOGRAPHIC.test(ch)) p |= F_PICT;
  if (EMOJI.test(ch)) p |= F_EMOJI;
  if (cp >= 0x1f1e6 && cp <= 0x1f1ff) p |= F_RI;
  if (cp >= 0x1f3fb && cp <= 0x1f3ff) p |= F_MODIFIER | F_PICT | F_EMOJI;
  props[cp] = p;
  return p;
}

/** Width of one code point on its own (0, 1 or 2). */
export function cellWidth(cp: number): 0 | 1 | 2 {
  if (cp >= 0x20 && cp < 0x7f) return 1;
  return (propsOf(cp) & 3) as 0 | 1 | 2;
}

// State of the cluster so far, kept in the "kind" bits of xterm's property value.
const S_PICT = 1; // starts with a pictographic character (may take a ZWJ or a skin tone)
const S_ZWJ = 2; // ended with a ZWJ after a pictographic: the next pictographic joins
const S_RI = 4; // one regional indicator: the next one makes a flag
const S_EMOJI = 8; // starts with an emoji-capable character (VS16 makes it 2 cells)

/**
 * xterm's packed value: kind (state) << 3 | width << 1 | shouldJoin, as its own
 * UnicodeService.createPropertyValue builds it (pinned @xterm/headless 6.0.0; the value is opaque
 * to the public typings). test/engine/cell-widths.test.ts fails loudly if a new xterm reads it
 * otherwise.
 */
const pack = (state: number, width: number, join: boolean) =>
  (state << 3) | ((width & 3) << 1) | (join ? 1 : 0);

export class ClusterWidths implements UnicodeProvider {
  readonly version = CELL_WIDTHS_VERSION;

  wcwidth(codepoint: number): 0 | 1 | 2 {
    return cellWidth(codepoint);
  }

  charProperties(cp: number, preceding: number): number {
    if (cp >= 0x20 && cp < 0x300) return pack(0, cp < 0x7f || cp >= 0xa0 ? 1 : 0, false);
    const p = propsOf(cp);
    const prevState = preceding >> 3;
    const prevWidth = (preceding >> 1) & 3;
    const joinable = preceding !== 0 && prevWidth > 0;
    if (joinable) {
      if (prevState & S_ZWJ && p & F_PICT) return pack(S_PICT | S_EMOJI, Math.max(prevWidth, 2), true);
      if (prevState & S_RI && p & F_RI) return pack(0, 2, true);
      if (cp === 0x200d && prevState & S_PICT) return pack(prevState | S_ZWJ, prevWidth, true);
      if (cp === 0xfe0f && prevState & S_EMOJI) return pack(prevState & ~S_ZWJ, 2, true);
      if (p & F_MODIFIER && prevState & S_PICT && !(prevState & S_ZWJ))
        return pack(prevState, prevWidth, true);
      if ((p & 3) === 0) return pack(prevState & ~S_ZWJ, prevWidth, true);
    }
    let state = 0;
    if (p & F_PICT) state |= S_PICT;
    if (p & F_EMOJI) state |= S_EMOJI;
    if (p & F_RI) state |= S_RI;
    const width = p & F_MODIFIER ? 2 : p & 3;
    return pack(state, width, false);
  }
}

const provider = new ClusterWidths();

/**
 * Cells the pane screen lays `s` out in (one line, no wrapping): the same joins and widths as
 * xterm with this provider, so anything measured with it lines up with the panes.
 */
export function textWidth(s: string): number {
  let w = 0;
  let prev = 0;
  for (let i = 0; i < s.length; i++) {
    let cp = s.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + lo - 0xdc00 + 0x10000;
        i++;
      }
    }
    const p = provider.charProperties(cp, prev);
    const width = (p >> 1) & 3;
    w += p & 1 ? width - ((prev >> 1) & 3) : width;
    prev = p;
  }
  return w;
}
