/**
 * A headless terminal per session (@xterm/headless): the faithful screen that panes and MCP read.
 * Also keeps a log of "stable" plain-text lines (lines that will not be redrawn any more),
 * which is what `output(cursor)` serves: see line-commit.ts.
 */
import { type SyncParse, xtermWriteSync } from '../compat/xterm.js';
import { boundCounts, guardParse } from '../compat/xterm-guard.js';
import { CELL_WIDTHS_VERSION, ClusterWidths } from './cell-widths.js';
import { LineCommit } from './line-commit.js';
import { type ParsePump, sharedPump } from './parse-pump.js';
import { RowCache } from './row-cache.js';
import { styledRow } from './styled-row.js';
import type { StyledLine } from './types.js';
import { Terminal, type XCell, type XTerm } from './xterm-types.js';

export interface ScreenOptions {
  cols: number;
  rows: number;
  /** Lines of scrollback kept in memory (the transcript on disk keeps everything). */
  scrollback: number;
  /** Plain-text lines kept in memory for `output(cursor)`. */
  logLimit: number;
  /**
   * Characters of one logical line kept in memory (its tail; the cut is marked). The `.txt`
   * transcript gets the whole line, and `.raw` every byte.
   */
  lineLimit: number;
  /**
   * Parse through xterm's synchronous core path (see src/compat/xterm.ts); false uses the public
   * asynchronous write() (AXIOM_XTERM_ASYNC=1, read by src/cli/settings.ts).
   */
  syncParse: boolean;
  /**
   * Re-read only the rows xterm marked changed (src/compat/xterm-rows.ts); false re-reads every
   * row on each read (AXIOM_XTERM_ROWS=0, read by src/cli/settings.ts).
   */
  rowCache: boolean;
  /** Who hands this screen's queued output to the parser (default: the pump all screens share). */
  pump?: ParsePump;
}

export const DEFAULT_SCREEN_OPTIONS: ScreenOptions = {
  cols: 80,
  rows: 24,
  scrollback: 5000,
  logLimit: 20000,
  lineLimit: 1_000_000,
  syncParse: true,
  rowCache: true,
};

interface QueuedWrite {
  data: Uint8Array | string;
  done: (() => void) | undefined;
}

/** Index of the next newline in `data` at or after `from`, or -1. */
const nextNewline = (data: Uint8Array | string, from: number): number =>
  typeof data === 'string' ? data.indexOf('\n', from) : data.indexOf(10, from);

/**
 * How much of `data` (at most `max` bytes) to hand the parser so that it adds no more than `rows`
 * rows to a terminal `cols` wide, and an upper bound of the rows that part adds: rows ≤ newlines
 * + bytes / cols, so at most rows/2 newlines and rows/2 × cols bytes. At least one byte, so that
 * output always moves on. `rows` infinite (alternate screen): no limit. (Other ways to scroll,
 * such as index or scroll-up sequences, are not counted: rare in bulk output.)
 */
function fitRows(
  data: Uint8Array | string,
  max: number,
  rows: number,
  cols: number,
): { len: number; rows: number } {
  const whole = Math.min(max, data.length);
  if (!Number.isFinite(rows)) return { len: whole, rows: 0 };
  const half = Math.max(1, Math.floor(rows / 2));
  let len = Math.min(whole, half * cols);
  let newlines = 0;
  for (let at = nextNewline(data, 0); at >= 0 && at < len; at = nextNewline(data, at + 1)) {
    if (++newlines === half) {
      len = at + 1;
      break;
    }
  }
  return { len, rows: newlines + Math.ceil(len / Math.max(1, cols)) };
}

export class Screen {
  readonly term: XTerm;
  private readonly opts: ScreenOptions;
  private readonly cell: XCell;
  /** Stable plain-text lines and which rows are committed (see line-commit.ts). */
  private readonly lines: LineCommit;
  /** The live view's rows as last read, re-read only where xterm changed them (row-cache.ts). */
  private readonly rowCache: RowCache;
  title = '';
  private queue: QueuedWrite[] = [];
  private queued = 0;
  private inflight = 0;
  private disposed = false;
  /** After release(): the last view, kept while the emulator itself is gone. */
  private frozen: { styled: StyledLine[]; plain: string[]; cols: number; rows: number } | undefined;
  private commitNeeded: (() => void) | undefined;
  private parseError: ((error: unknown, count: number) => void) | undefined;
  /** Throws caught while parsing this screen's output (see onParseError). */
  parseErrors = 0;
  /** Synchronous parsing, when this xterm has it and it is wanted (see src/compat/xterm.ts). */
  private readonly parseNow: SyncParse | undefined;
  private readonly pump: ParsePump;
  /** The terminal's buffers, read once (xterm's getter checks an option on each read; see LineCommit). */
  private readonly buffers: XTerm['buffer'];

  constructor(opts: Partial<ScreenOptions> = {}) {
    this.opts = { ...DEFAULT_SCREEN_OPTIONS, ...opts };
    this.pump = this.opts.pump ?? sharedPump;
    this.term = new Terminal({
      cols: Math.max(1, this.opts.cols),
      rows: Math.max(1, this.opts.rows),
      scrollback: this.opts.scrollback,
      allowProposedApi: true,
      convertEol: false,
      // xterm reports malformed escape sequences on the console (stderr): binary output would
      // flood the UI's terminal and the logs of headless and MCP runs.
      logLevel: 'off',
    });
    // Emoji and clusters as wide as the agents and today's terminals draw them (cell-widths.ts).
    this.term.unicode.register(new ClusterWidths());
    this.term.unicode.activeVersion = CELL_WIDTHS_VERSION;
    this.buffers = this.term.buffer;
    this.parseNow = this.opts.syncParse ? xtermWriteSync(this.term) : undefined;
    // Hostile output: no count that stalls the parser, no throw that stops it (xterm-guard.ts).
    boundCounts(this.term);
    guardParse(this.term, (e) => this.parseFailed(e));
    this.lines = new LineCommit(this.term, this.opts);
    this.rowCache = new RowCache(this.term, this.opts.rowCache);
    this.term.onTitleChange((t) => {
      this.title = t;
    });
    const c = this.buffers.active.getNullCell();
    this.cell = c;
  }

  /** Times rows went missing before they were committed (see LineCommit.resets). */
  get resets(): number {
    return this.lines.resets;
  }

  get cols(): number {
    return this.frozen?.cols ?? this.term.cols;
  }
  get rows(): number {
    return this.frozen?.rows ?? this.term.rows;
  }

  /** Whether release() has run: the view is fixed and the emulator gone. */
  get released(): boolean {
    return this.frozen !== undefined;
  }

  /**
   * Feed PTY output. `done` runs once the data is parsed. Data is queued and handed to the parser
   * by the parse pump (see parse-pump.ts): a bounded amount per event-loop turn, round-robin
   * over all screens, so a flood on several sessions cannot stall input and drawing.
   */
  write(data: Uint8Array | string, done?: () => void): void {
    if (this.disposed) return;
    this.queue.push({ data, done });
    this.queued += data.length;
    this.pump.request(this);
  }

  /** Bytes written but not parsed yet (queued here or handed to the parser). */
  get pending(): number {
    return this.queued + this.inflight;
  }

  /**
   * Hand the parser up to `max` bytes of queued data (at least one entry). Returns the bytes
   * handed; 0 when nothing is queued or a previous hand-over is still being parsed.
   */
  feed(max: number): number {
    if (this.inflight > 0 || this.queue.length === 0 || this.disposed) return 0;
    // Lines must be committed before the terminal trims them out of scrollback, and one read
    // of short lines can hold more of them than the scrollback: commit first when half of the
    // buffer is uncommitted, then hand over no more than the buffer has room for.
    let rows = this.rowRoom();
    if (rows < this.bufferLines() / 2 && this.commitNeeded) {
      this.commitNeeded();
      rows = this.rowRoom();
    }
    const parseNow = this.parseNow;
    const dones: Array<() => void> = [];
    const parse = (data: Uint8Array | string, done?: () => void): void => {
      if (!parseNow) {
        this.term.write(data, done);
        return;
      }
      if (done) dones.push(done);
      parseNow(data);
    };
    let handed = 0;
    try {
      while (this.queue.length > 0 && handed < max && (rows > 0 || handed === 0)) {
        const entry = this.queue[0] as QueuedWrite;
        const fit = fitRows(entry.data, max - handed, rows, this.term.cols);
        const room = fit.len;
        if (entry.data.length > room) {
          // Split a big chunk: the parser keeps partial UTF-8 and escape sequences across writes.
          const d = entry.data;
          const head = typeof d === 'string' ? d.slice(0, room) : d.subarray(0, room);
          entry.data = typeof d === 'string' ? d.slice(room) : d.subarray(room);
          handed += head.length;
          parse(head);
          break;
        }
        this.queue.shift();
        handed += entry.data.length;
        rows -= fit.rows;
        parse(entry.data, entry.done);
      }
    } catch (e) {
      // Counted as handed and its callbacks kept: the owner's accounting moves on as if parsed.
      this.parseFailed(e);
    }
    this.queued -= handed;
    // Zero bytes (a flush marker) still need a callback to clear the in-flight state.
    this.inflight = Math.max(handed, 1);
    const n = this.inflight;
    const finished = () => {
      if (this.disposed) return;
      this.inflight = 0;
      for (const done of dones) done();
      this.pump.parsed(n);
      if (this.queue.length > 0) this.pump.request(this);
    };
    // Parsed already (synchronous): finish once the pump's round is over, as the async path does.
    if (parseNow) queueMicrotask(finished);
    else this.term.write('', finished);
    return n;
  }

  /**
   * Called (synchronously, between two parser hand-overs) when uncommitted lines fill half of
   * the normal buffer: the owner commits them (see Session).
   */
  onCommitNeeded(cb: () => void): void {
    this.commitNeeded = cb;
  }

  /**
   * Called when parsing this screen's output threw (`count`: how many times so far). The screen
   * goes on with the next output: as it was, or reset after two throws in a row (xterm-guard.ts).
   */
  onParseError(cb: (error: unknown, count: number) => void): void {
    this.parseError = cb;
  }

  private parseFailed(error: unknown): void {
    this.parseErrors++;
    // Rows changed before the throw may not have been marked: read them all again.
    this.rowCache.clear();
    this.parseError?.(error, this.parseErrors);
  }

  /** Lines the normal buffer holds: scrollback plus the screen. */
  private bufferLines(): number {
    return this.opts.scrollback + this.term.rows;
  }

  /**
   * Rows that may still be added before an uncommitted line would be trimmed (unbounded on the
   * alternate screen, which never scrolls into scrollback).
   */
  private rowRoom(): number {
    return this.lines.rowRoom();
  }

  /** Answers to terminal queries (DSR, DA...) that must go back to the PTY. */
  onReply(cb: (data: string) => void): void {
    this.term.onData(cb);
    this.term.onBinary(cb);
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(1, Math.floor(cols));
    const r = Math.max(1, Math.floor(rows));
    if (this.disposed || (c === this.term.cols && r === this.term.rows)) return;
    this.lines.beforeResize();
    this.term.resize(c, r);
    this.rowCache.clear();
    this.lines.afterResize();
  }

  /** Lines of scrollback above the live view (normal buffer; 0 in the alternate screen). */
  scrollbackLength(): number {
    if (this.disposed) return 0;
    return this.buffers.active.baseY;
  }

  cursor(): { x: number; y: number } {
    if (this.disposed) return { x: 0, y: 0 };
    const b = this.buffers.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  get altScreen(): boolean {
    if (this.disposed) return false;
    return this.buffers.active.type === 'alternate';
  }

  /** `rows` styled lines ending `scrollback` lines above the live bottom. */
  styledLines(scrollback = 0): StyledLine[] {
    if (this.frozen) return this.frozen.styled;
    const b = this.buffers.active;
    const off = Math.max(0, Math.min(scrollback, b.baseY));
    const top = b.baseY - off;
    if (off === 0) return this.rowCache.styledRows((y) => this.styledLine(top + y));
    const out: StyledLine[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(this.styledLine(top + y));
    return out;
  }

  private styledLine(abs: number): StyledLine {
    return styledRow(this.buffers.active.getLine(abs), this.cell);
  }

  /** Plain text of the live screen, one string per row (right-trimmed). */
  plainLines(): string[] {
    if (this.frozen) return this.frozen.plain;
    const b = this.buffers.active;
    return this.rowCache.plainRows((y) => b.getLine(b.baseY + y)?.translateToString(true) ?? '');
  }

  /** Last non-empty line of the live screen. */
  lastLine(): string {
    const lines = this.plainLines();
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]?.trim();
      if (l) return l;
    }
    return '';
  }

  /**
   * Commit normal-buffer lines that can no longer change: every line in scrollback, plus live
   * rows above `stableRows` (rows of the live screen that the agent has finished drawing).
   * `final` (the agent is gone) also ends a logical line that is still open. Returns the text to
   * append to the `.txt` transcript (see LineCommit.commit).
   */
  commit(stableRows: number, final = false): string {
    if (this.disposed) return '';
    return this.lines.commit(stableRows, final);
  }

  /** Total stable lines committed so far (the cursor after the last line). */
  get logEnd(): number {
    return this.lines.logEnd;
  }

  /** Stable lines from `cursor` on. Lines that fell out of memory are reported as dropped. */
  readLog(cursor: number): { lines: string[]; dropped: number; cursor: number } {
    return this.lines.readLog(cursor);
  }

  /**
   * Keep the last view (styled and plain rows) and the text log, and free the emulator with its
   * scrollback (~4 MB per session at 2000 lines): for a session that has ended. Reads go on
   * working (scrollback is then 0); writes and resizes are ignored.
   */
  release(): void {
    if (this.disposed) return;
    this.frozen = { styled: this.styledLines(0), plain: this.plainLines(), cols: this.cols, rows: this.rows };
    // dispose() alone leaves the buffers (typed arrays, most of the memory) reachable through
    // this.term: empty them first (a reset keeps one screen of blank lines, no scrollback).
    this.term.options.scrollback = 0;
    this.term.reset();
    this.dispose();
  }

  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.queued = 0;
    if (this.inflight > 0) this.pump.parsed(this.inflight);
    this.inflight = 0;
    this.pump.forget(this);
    this.lines.dispose();
    this.term.dispose();
  }
}
