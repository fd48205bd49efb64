/**
 * Drawing a pane's cells on the OUTER terminal so that no character can move another one.
 *
 * The pane's screen says how wide each cell is (xterm's layout, src/engine/cell-widths.ts). The
 * terminal axiom runs in has its own opinion, and terminals disagree on emoji clusters and
 * complex scripts. Measured in tmux 3.3a (glibc wcwidth), for clusters the pane lays out in 2
 * cells: 👍🏽 takes 4 cells (tone drawn as a second emoji), ⚠️ and 1️⃣ take 1, 👨‍👩‍👧‍👦 takes 2
 * but loses its last member (a tmux cell holds at most 21 bytes); other terminals draw ZWJ
 * sequences as each member side by side (8 cells). Written as plain text, every such
 * disagreement shifted the rest of the row: right borders early, stale border cells left behind,
 * `┃┃` where binary output decoded to odd characters.
 *
 * So a cluster whose width terminals may disagree on is written in a guard that fixes where the
 * next cell starts, whatever the terminal did with it:
 *   ECH w (blank the w cells: nothing stale stays when the terminal draws it narrower),
 *   DECSC, the cluster, DECRC (back to its first cell), CUF w (exactly w cells on).
 * Measured in tmux 3.3a: the next character lands in the right column for all the cases above;
 * a cluster drawn wider than its cells is cut by the next cell (👍🏽 shows as 👍, which is
 * still better than a moved border), one drawn narrower leaves blanks. Terminals that agree
 * with xterm (most do for most text) draw the cluster exactly. Absolute positioning (CHA) would
 * do the same but needs each body's screen column; the guard is relative and self-contained.
 *
 * Portable (written plainly): 1-cell characters that every wcwidth table agrees on (not emoji,
 * not zero-width), and single 2-cell CJK characters (wide in every table since Unicode 3).
 */
import { clusters, codePointWidth, stringWidth } from './width.js';

// CJK blocks that have been double width in every table for decades (no emoji in them).
const STABLE_WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6]$/;
const EMOJI_PRESENTATION = /\p{Emoji_Presentation}/u;

/** Whether every terminal draws `text` in exactly `width` cells (then no guard is needed). */
export function portable(text: string, width: number): boolean {
  if (width === 1) {
    if (text.length !== 1) return false;
    const cp = text.charCodeAt(0);
    if (cp >= 0x20 && cp < 0x7f) return true;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
    return codePointWidth(cp) === 1 && !EMOJI_PRESENTATION.test(text);
  }
  return width === 2 && STABLE_WIDE.test(text);
}

/** Whether a run of 1-cell characters (one per UTF-16 unit) is portable as a whole. */
export function portableRun(text: string): boolean {
  if (/^[\x20-\x7e]*$/.test(text)) return true;
  for (let i = 0; i < text.length; i++) if (!portable(text.charAt(i), 1)) return false;
  return true;
}

/** `text` drawn in exactly `width` cells, whatever width the terminal gives it (see above). */
export function guard(text: string, width: number): string {
  return `\x1b[${width}X\x1b7${text}\x1b8\x1b[${width}C`;
}

// A guard as guard() writes it (the text holds no ESC: control characters are replaced first).
const GUARD = /\x1b\[(\d+)X\x1b7[^\x1b]*\x1b8\x1b\[\d+C/g;

/** `line` with each guard replaced by as many blanks as cells it covers (for measuring). */
export function unguard(line: string): string {
  if (!line.includes('\x1b7')) return line;
  return line.replace(GUARD, (_, w: string) => ' '.repeat(Number(w)));
}

// Text the UI itself draws that needs no guard: ASCII, Latin, punctuation, arrows, box drawing,
// shapes and the few dingbats of the chrome (❯ ✻), overlay markers (private use); and escapes.
const PLAIN_LINE =
  /^[\x1b\x20-\x7e\u00a0-\u02ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2500-\u25fc\u2722-\u274b\u276f\ue000-\uf8ff]*$/;
// CSI … final byte, OSC … BEL/ST, and two-byte ESC sequences.
const ESCAPE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/y;

/**
 * A line Ink laid out (titles with a prompt in them, bars, the prompt box) with each cluster
 * whose width terminals disagree on pinned to the cells the layout gave it (stringWidth: the
 * same rule the titles were fitted with), so a prompt with 👍🏽 cannot push a pane's corner.
 */
export function guardText(line: string): string {
  if (PLAIN_LINE.test(line)) return line;
  let out = '';
  let text = '';
  const flush = () => {
    for (const g of clusters(text)) {
      const w = stringWidth(g);
      out += w === 0 || portable(g, w) ? g : guard(g, w);
    }
    text = '';
  };
  for (let i = 0; i < line.length; ) {
    if (line.charCodeAt(i) === 0x1b) {
      ESCAPE.lastIndex = i;
      const m = ESCAPE.exec(line);
      if (m) {
        flush();
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    text += line.charAt(i);
    i++;
  }
  flush();
  return out;
}
