/**
 * The plain-text stream of an agent with a structured log (see TextSourceSpec): the log's records
 * are the source of truth, and the screen fills in the live part. An answer block reaches the log
 * only once it is complete, so while it streams, the screen's finished rows of it go out at once;
 * when its record arrives, only what those rows did not show is added. Rows the screen shows again
 * (a redraw after a resize reprints the conversation) are recognised and skipped.
 *
 * Screen rows and log text are compared on their letters and digits only: the screen wraps,
 * indents and renders markup, none of which changes those. Every word goes out once, in order:
 * a row is emitted only while its block is open and continues what was emitted; the record then
 * adds the rest after the longest common start.
 */
import type { ScreenRow, TextRecord } from '../agents/profile.js';
import { TextLog } from './text-log.js';

/** Answer blocks remembered to recognise a redraw of one (each its first RECENT_CHARS). */
const RECENT_BLOCKS = 32;
const RECENT_CHARS = 64 * 1024;

const WORDISH = /[\p{L}\p{N}]/u;

/** The letters and digits of `s`: what the screen and the log have in common. */
export function alnum(s: string): string {
  return s.replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * `text` after its first `k` letters and digits and the marks and punctuation that close them,
 * leading blanks dropped. A letter or digit right after the k-th one is kept: a word the screen
 * cut at the end of a row (a long word, CJK text without spaces) goes on from there.
 */
export function restAfter(text: string, k: number): string {
  if (k <= 0) return text;
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < k) {
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    if (WORDISH.test(ch)) seen++;
    i += ch.length;
  }
  while (i < text.length) {
    const ch = String.fromCodePoint(text.codePointAt(i) as number);
    if (/\s/.test(ch) || WORDISH.test(ch)) break;
    i += ch.length;
  }
  return text.slice(i).replace(/^\s+/, '');
}

function commonStart(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** A string of its own (code unit for code unit), not a view of a longer one. */
function copyOf(s: string): string {
  return Buffer.from(s, 'utf16le').toString('utf16le');
}

/** Letters and digits at the end of what a block showed looked for in its record (longest first). */
const TAIL_CHARS = 64;

/**
 * Where in a record's letters and digits (`all`) the rows shown of it (`shown`) end. Normally
 * `shown` is a start of `all`. The screen renders some markup into other letters or digits (a
 * link without its address, a list numbered anew, table cells wrapped across rows), so after a
 * difference the end of `shown` is looked for in `all`, at the place nearest its length, and the
 * record adds only what follows it: the words shown after the difference are not repeated.
 */
export function shownEnd(shown: string, all: string): number {
  const k = commonStart(shown, all);
  if (k === shown.length) return k;
  for (let n = Math.min(TAIL_CHARS, shown.length); n >= MIN_MATCH; n = n > MIN_MATCH * 2 ? n >> 1 : n - 1) {
    const tail = shown.slice(-n);
    let best = -1;
    for (let i = all.indexOf(tail, Math.max(0, k - n)); i >= 0; i = all.indexOf(tail, i + 1)) {
      const end = i + n;
      if (best < 0 || Math.abs(end - shown.length) < Math.abs(best - shown.length)) best = end;
    }
    if (best >= 0) return best;
  }
  // Nothing at its end matches (rendered past recognition): what was shown counts as that much.
  return Math.max(k, Math.min(shown.length, all.length));
}

interface Block {
  /** Letters and digits of this answer block emitted so far. */
  shown: string;
  /**
   * A row repeated the last one shown: the agent laid that row out again, or the answer says it
   * twice. Only the record can tell, so the rest of this block waits for it (it brings every
   * word after `shown`, the repeat included when there is one).
   */
  untilRecord?: boolean;
}

interface Replay {
  /** What the redrawn block holds (letters and digits), and how far the rows matched it. */
  want: string;
  at: number;
  /** The open block being redrawn: rows past what it showed are new text. */
  block: Block | undefined;
}

/** Letters and digits a row needs for a match inside a block to count (shorter ones are too common). */
const MIN_MATCH = 12;

export class LiveText {
  readonly log: TextLog;
  private readonly rowOf: ((line: string) => ScreenRow) | undefined;
  /**
   * Answer blocks shown live whose records have not come yet, oldest first (a block's record
   * can come after the screen began the next one). The last one is the one streaming.
   */
  private readonly open: Block[] = [];
  /** Screen rows are inside an answer block. */
  private inBlock = false;
  private replay: Replay | undefined;
  /**
   * Rows without letters or digits (blank, or emoji, rules, punctuation only) held until the
   * block goes on live: a block's trailing blank rows are not text, and its record brings the
   * rest after the last row shown (these rows among it).
   */
  private held: string[] = [];
  private readonly recent: string[] = [];
  /**
   * The screen was redrawn (or its rows went missing): rows that follow may not continue what
   * was shown, and rows it never committed would be a gap. Until a row is found to overlap what
   * the open block showed, further rows are held back (the block's record brings them).
   */
  private needLink = false;
  /**
   * The log opened a turn (a prompt) and did not close it yet. A block that starts on screen
   * outside a turn is not passed on live: its prompt would come after it (claude can draw the
   * answer before it writes the prompt's record), so its record brings it.
   */
  private turnOpen = false;

  constructor(logLimit: number, rowOf: ((line: string) => ScreenRow) | undefined) {
    this.log = new TextLog(logLimit);
    this.rowOf = rowOf;
  }

  /**
   * The screen was resized: the agent may reprint what it shows at the new width, from anywhere.
   * Rows wait until one links up with what was shown (see needLink).
   */
  resized(): void {
    this.needLink = true;
  }

  /** Records from the log. Returns the text they add (for the `.txt`, each line with its newline). */
  fromRecords(records: readonly TextRecord[]): string {
    const out: string[] = [];
    for (const r of records) {
      if (r.turn) this.turnOpen = r.turn === 'start';
      if (!r.answer || !this.rowOf) {
        out.push(...r.lines);
        continue;
      }
      const full = r.lines.join('\n');
      const all = alnum(full);
      const shown = this.takeBlock(all);
      if (this.replay?.block && !this.open.includes(this.replay.block)) this.replay.block = undefined;
      this.remember(all);
      if (shown === '') {
        out.push(...r.lines);
        continue;
      }
      const rest = restAfter(full, shownEnd(shown, all));
      if (rest !== '') out.push(...rest.split('\n'));
    }
    return this.emit(out);
  }

  /**
   * Finished screen lines, in order. `redrawn`: rows went missing before these (the screen was
   * cleared with its scrollback, or trimmed). Returns the text they add.
   */
  fromScreen(lines: readonly string[], redrawn = false): string {
    const rowOf = this.rowOf;
    if (!rowOf) return '';
    if (redrawn) this.needLink = true;
    const out: string[] = [];
    for (const line of lines) {
      const row = rowOf(line);
      if (row.kind === 'chrome') {
        // The agent's UI between rows of an answer: the screen was pushed up or reprinted.
        if (this.inBlock) this.needLink = true;
        continue;
      }
      if (row.kind === 'other') {
        this.inBlock = false;
        this.replay = undefined;
        this.held = [];
        continue;
      }
      const a = alnum(row.text);
      if (a === '') {
        if (row.kind === 'start') {
          // A block that starts without a letter (an emoji, a rule) cannot be matched to its
          // record: its record brings it whole, no row of it goes out live.
          this.inBlock = false;
          this.replay = undefined;
          this.held = [];
        } else if (this.inBlock) this.held.push(row.text.trim() === '' ? '' : row.text);
        continue;
      }
      // Held rows go out before this row when it goes out live as the same block's; a block that
      // starts after some that are not blank comes after them (see below).
      const before = row.kind === 'start' && this.held.some((h) => h !== '');
      const held = row.kind === 'start' ? [] : this.held;
      this.held = [];
      if (row.kind === 'start') {
        this.inBlock = true;
        this.replay = this.redrawOf(a);
        if (this.replay) {
          // It starts the way that block did: match it (a row longer than what was shown emits
          // only its new part).
          this.followReplay(row.text, a, out);
          continue;
        }
        this.needLink = false;
        // Outside a turn, or after rows of the block before that did not go out (emoji only,
        // a rule: its record brings them), this block would come too soon: its record brings it.
        if (!this.turnOpen || before) {
          this.open.push({ shown: '', untilRecord: true });
          continue;
        }
        this.open.push({ shown: '' });
      } else if (this.followReplay(row.text, a, out)) continue;
      const live = this.open[this.open.length - 1];
      if (row.kind === 'more' && live?.untilRecord) continue;
      if (row.kind === 'more' && live && this.redrawInside(live, row.text, a, out)) continue;
      if (this.replay || !this.inBlock || !live || this.needLink) continue;
      out.push(...held, row.text);
      live.shown += a;
    }
    return this.emit(out);
  }

  /**
   * A row while a redraw is being matched: true when it was handled (still the redraw, or where
   * the redraw reaches new text, whose part is emitted). A row that is neither ends the redraw.
   */
  private followReplay(text: string, a: string, out: string[]): boolean {
    const r = this.replay;
    if (!r) return false;
    if (r.want.startsWith(a, r.at)) {
      r.at += a.length;
      return true;
    }
    const left = r.want.length - r.at;
    this.replay = undefined;
    if (r.block?.untilRecord) return true;
    if (r.block && a.startsWith(r.want.slice(r.at))) {
      this.inBlock = true;
      this.needLink = false;
      const rest = restAfter(text, left);
      if (rest !== '') {
        out.push(rest);
        r.block.shown += alnum(rest);
      }
      return true;
    }
    return false;
  }

  /**
   * A further row that repeats text the open block showed already: the agent redrew the block
   * from its middle (claude reprints what fits after a resize, or when the answer outgrows the
   * screen). Match from there on; a row that runs past the end emits only its new part.
   */
  private redrawInside(live: Block, text: string, a: string, out: string[]): boolean {
    if (a.length < MIN_MATCH) return false;
    const shown = live.shown;
    // A row that repeats one shown before the last is the answer repeating itself (a refrain),
    // unless the screen was resized, reset or crossed by the agent's chrome.
    const at = shown.lastIndexOf(a);
    if (at >= 0 && this.needLink) {
      this.replay = { want: shown, at: at + a.length, block: live };
      this.inBlock = true;
      return true;
    }
    if (at >= 0 && at + a.length === shown.length) {
      live.untilRecord = true;
      this.inBlock = true;
      return true;
    }
    for (let k = Math.min(a.length - 1, shown.length); k >= MIN_MATCH; k--) {
      if (!shown.endsWith(a.slice(0, k))) continue;
      this.inBlock = true;
      this.needLink = false;
      const rest = restAfter(text, k);
      if (rest !== '') {
        out.push(rest);
        live.shown += alnum(rest);
      }
      return true;
    }
    return false;
  }

  /** A block starting with `a` that was emitted already: an open one, or a recent one. */
  private redrawOf(a: string): Replay | undefined {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const block = this.open[i] as Block;
      const shown = block.shown;
      if (shown && (shown.startsWith(a) || a.startsWith(shown))) return { want: shown, at: 0, block };
    }
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const want = this.recent[i] as string;
      if (want.startsWith(a)) return { want, at: 0, block: undefined };
    }
    return undefined;
  }

  private remember(all: string): void {
    if (all === '') return;
    // A slice of a string keeps the whole string alive in V8: the start of a long answer is copied.
    this.recent.push(all.length > RECENT_CHARS ? copyOf(all.slice(0, RECENT_CHARS)) : all);
    if (this.recent.length > RECENT_BLOCKS) this.recent.shift();
  }

  /**
   * The open block a record completes: the one whose shown text starts the same way (longest
   * common start), normally the oldest; it and the blocks before it are closed. '' when none
   * was shown.
   */
  private takeBlock(all: string): string {
    let best = -1;
    let bestLen = 0;
    for (const [i, b] of this.open.entries()) {
      const n = commonStart(b.shown, all);
      if (n > bestLen) {
        best = i;
        bestLen = n;
      }
    }
    if (best < 0) {
      // A block none of whose rows went out (one that waited for its record) is this one.
      const waited = this.open.findIndex((b) => b.shown === '');
      if (waited >= 0) this.open.splice(0, waited + 1);
      return '';
    }
    const shown = (this.open[best] as Block).shown;
    this.open.splice(0, best + 1);
    return shown;
  }

  private emit(lines: string[]): string {
    this.log.append(lines);
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
}
