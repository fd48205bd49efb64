/**
 * A headless terminal per session (@xterm/headless): the faithful screen that panes and MCP read.
 * Also keeps a log of "stable" plain-text lines (lines that will not be redrawn any more),
 * which is what `output(cursor)` serves.
 */
import xtermHeadless from '@xterm/headless';
import { type SyncParse, xtermWriteSync } from '../compat/xterm.js';
import { CELL_WIDTHS_VERSION, ClusterWidths } from './cell-widths.js';
import { type ParsePump, sharedPump } from './parse-pump.js';
import { TextLog } from './text-log.js';
import type { StyledLine, StyledSpan } from './types.js';

const { Terminal } = xtermHeadless;
type XTerm = InstanceType<typeof Terminal>;
type XCell = NonNullable<
  ReturnType<NonNullable<ReturnType<XTerm['buffer']['active']['getLine']>>['getCell']>
>;
type XMarker = NonNullable<ReturnType<XTerm['registerMarker']>>;

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
};

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

/** A logical line committed in part (see Screen.commit). */
interface OpenLine {
  /** Its text so far, one chunk per commit. */
  chunks: string[];
  /** Characters in chunks. */
  length: number;
  /** Characters cut from its start to keep it within lineLimit. */
  cut: number;
}

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
  /** Stable plain-text lines. */
  private readonly log: TextLog;
  /** Marks the next normal-buffer line not yet committed to the log. */
  private nextMarker: XMarker | undefined;
  /** The logical line being committed, whose next rows are not committed yet (see commit()). */
  private open: OpenLine | undefined;
  /**
   * Characters at the start of the row under nextMarker that were committed already: set when a
   * resize moved the marker back to the first row of the open line (see anchorOpenLine).
   */
  private skipChars = 0;
  /** Times rows went missing before they were committed (cleared with the scrollback, or trimmed). */
  resets = 0;
  /** Where committing goes on after the marker was lost (see nextAbs). */
  private lostAt = 0;
  /**
   * The marker's row when last known (placed, or after a resize reflowed the buffer): indices
   * only move when the buffer is trimmed, so this still holds when an erase disposes the marker.
   */
  private markerAt = 0;
  private replacingMarker = false;
  title = '';
  private queue: QueuedWrite[] = [];
  private queued = 0;
  private inflight = 0;
  private disposed = false;
  /** After release(): the last view, kept while the emulator itself is gone. */
  private frozen: { styled: StyledLine[]; plain: string[]; cols: number; rows: number } | undefined;
  private commitNeeded: (() => void) | undefined;
  /** Synchronous parsing, when this xterm has it and it is wanted (see src/compat/xterm.ts). */
  private readonly parseNow: SyncParse | undefined;
  private readonly pump: ParsePump;

  constructor(opts: Partial<ScreenOptions> = {}) {
    this.opts = { ...DEFAULT_SCREEN_OPTIONS, ...opts };
    this.pump = this.opts.pump ?? sharedPump;
    this.log = new TextLog(this.opts.logLimit);
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
    this.parseNow = this.opts.syncParse ? xtermWriteSync(this.term) : undefined;
    this.term.onTitleChange((t) => {
      this.title = t;
    });
    const c = this.term.buffer.active.getNullCell();
    this.cell = c;
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
      parseNow(data);
      if (done) dones.push(done);
    };
    let handed = 0;
    while (this.queue.length > 0 && handed < max && (rows > 0 || handed === 0)) {
      const entry = this.queue[0] as QueuedWrite;
      const fit = fitRows(entry.data, max - handed, rows, this.term.cols);
      const room = fit.len;
      if (entry.data.length > room) {
        // Split a big chunk: the parser keeps partial UTF-8 and escape sequences across writes.
        const d = entry.data;
        const head = typeof d === 'string' ? d.slice(0, room) : d.subarray(0, room);
        entry.data = typeof d === 'string' ? d.slice(room) : d.subarray(room);
        parse(head);
        handed += head.length;
        break;
      }
      this.queue.shift();
      parse(entry.data, entry.done);
      handed += entry.data.length;
      rows -= fit.rows;
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

  /** Lines the normal buffer holds: scrollback plus the screen. */
  private bufferLines(): number {
    return this.opts.scrollback + this.term.rows;
  }

  /**
   * Rows that may still be added before an uncommitted line would be trimmed (unbounded on the
   * alternate screen, which never scrolls into scrollback).
   */
  private rowRoom(): number {
    if (this.altScreen) return Number.POSITIVE_INFINITY;
    const b = this.term.buffer.normal;
    const { abs } = this.peekNextAbs();
    return this.bufferLines() - (b.baseY + this.term.rows - abs);
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
    this.anchorOpenLine();
    this.term.resize(c, r);
    const m = this.nextMarker;
    if (m && !m.isDisposed) this.markerAt = m.line;
  }

  /**
   * Reflow on resize joins or splits the rows of wrapped lines, and xterm disposes a marker whose
   * row a reflow merges away. The marker of a line committed in part (its first rows from
   * scrollback, the rest not yet) sits on such a row: lost, it made every row in the buffer be
   * committed again. Before a resize it moves to the line's first row (a row that starts a line
   * survives reflow) and the characters of the line committed so far are remembered: the next
   * commit skips them, whatever the new width.
   */
  private anchorOpenLine(): void {
    const m = this.nextMarker;
    if (!this.open || this.altScreen || !m || m.isDisposed) return;
    const b = this.term.buffer.normal;
    let abs = m.line;
    if (!b.getLine(abs)?.isWrapped) return;
    let skip = this.skipChars;
    while (abs > 0 && b.getLine(abs)?.isWrapped) {
      abs--;
      skip += b.getLine(abs)?.translateToString(true).length ?? 0;
    }
    // The line's first row was trimmed already: it cannot be re-read; leave the marker be.
    if (b.getLine(abs)?.isWrapped) return;
    this.skipChars = skip;
    this.placeMarker(abs);
  }

  /** Lines of scrollback above the live view (normal buffer; 0 in the alternate screen). */
  scrollbackLength(): number {
    if (this.disposed) return 0;
    return this.term.buffer.active.baseY;
  }

  cursor(): { x: number; y: number } {
    if (this.disposed) return { x: 0, y: 0 };
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  get altScreen(): boolean {
    if (this.disposed) return false;
    return this.term.buffer.active.type === 'alternate';
  }

  /** `rows` styled lines ending `scrollback` lines above the live bottom. */
  styledLines(scrollback = 0): StyledLine[] {
    if (this.frozen) return this.frozen.styled;
    const b = this.term.buffer.active;
    const off = Math.max(0, Math.min(scrollback, b.baseY));
    const top = b.baseY - off;
    const out: StyledLine[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(this.styledLine(top + y));
    return out;
  }

  private styledLine(abs: number): StyledLine {
    const line = this.term.buffer.active.getLine(abs);
    if (!line) return [];
    const spans: StyledSpan[] = [];
    let cur: StyledSpan | undefined;
    const cell = this.cell;
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

  /** Plain text of the live screen, one string per row (right-trimmed). */
  plainLines(): string[] {
    if (this.frozen) return this.frozen.plain;
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
    return out;
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

  // ---- stable plain-text log ----

  /** nextAbs() without its side effect (a lost marker reads as row 0). */
  private peekNextAbs(): { abs: number } {
    if (!this.nextMarker || this.nextMarker.isDisposed) return { abs: 0 };
    return { abs: this.nextMarker.line };
  }

  /**
   * Absolute index (normal buffer) of the next line to commit, and whether rows were lost. The
   * marker is disposed when its row goes away before it was committed:
   * - trimmed out of a full scrollback: every row still in the buffer comes after the lost ones
   *   and none was committed yet, so committing goes on from row 0;
   * - erased on the live screen (the agent cleared it, e.g. to redraw after a resize that pulled
   *   the marker's row back down from scrollback): the rows above it were committed, so
   *   committing goes on from its row as last known (see onMarkerLost).
   */
  private nextAbs(): { abs: number; lost: boolean } {
    if (!this.nextMarker) return { abs: 0, lost: false };
    if (this.nextMarker.isDisposed) {
      this.nextMarker = undefined;
      this.resets++;
      const b = this.term.buffer.normal;
      // Trimmed since (the buffer is full): that row's index moved; from row 0 then.
      const abs = b.length >= this.bufferLines() ? 0 : Math.min(this.lostAt, b.length);
      this.lostAt = 0;
      // Hold the place even if this commit takes no row.
      if (abs > 0) this.placeMarker(abs);
      return { abs, lost: true };
    }
    return { abs: this.nextMarker.line, lost: false };
  }

  /** The marker's row went away (see nextAbs): where committing goes on. */
  private onMarkerLost(marker: XMarker): void {
    if (marker !== this.nextMarker || this.replacingMarker) return;
    const b = this.term.buffer.normal;
    this.lostAt = b.length >= this.bufferLines() ? 0 : this.markerAt;
  }

  /**
   * Commit normal-buffer lines that can no longer change: every line in scrollback, plus live
   * rows above `stableRows` (rows of the live screen that the agent has finished drawing).
   * `final` (the agent is gone) also ends a logical line that is still open.
   * Returns the text to append to the `.txt` transcript: each finished line with its newline,
   * and the rows committed so far of a logical line that is still open, without one (a later
   * commit appends its next rows), so the transcript gets every character exactly once.
   *
   * The log holds logical lines: the rows of a line the terminal wrapped are joined. A row that
   * wraps into the next one keeps its trailing spaces (a space in its last column is part of
   * the line); only the last row of a line loses its trailing blanks. A wrapped line that goes
   * on below the stable rows is left whole for a later commit, except for its rows in scrollback
   * (they could be trimmed before then): those start an "open" line that later commits continue
   * and that readers get once it is finished. Bounded work: each row is read once, and a line
   * keeps at most 2 x `lineLimit` characters in memory while open and `lineLimit` once in the
   * log (its tail, behind a mark), so a 10 MB line costs O(its length) in all.
   */
  commit(stableRows: number, final = false): string {
    if (this.disposed) return '';
    const out: string[] = []; // text for the transcript
    const closed: string[] = []; // finished lines for the log
    // Text of the current logical line read by this commit (rows joined as they come).
    let cur: string | undefined;
    /**
     * End the current logical line (the open one from earlier commits, continued by `cur`): it
     * goes to `closed` at most lineLimit characters long, with a mark where its start was cut,
     * and its newline to `out` (which got its rows already).
     */
    const endLine = (): void => {
      const l = this.open;
      if (cur === undefined && !l) return;
      let text = cur ?? '';
      cur = undefined;
      let cut = 0;
      if (l) {
        this.open = undefined;
        l.chunks.push(text);
        text = l.chunks.join('');
        cut = l.cut;
      }
      if (text.length > this.opts.lineLimit) {
        const t = this.keepTail(text);
        text = t.kept;
        cut += t.cut;
      }
      closed.push(
        cut > 0
          ? `[axiom: ${cut} earlier characters of this line are only in the transcript on disk] ${text}`
          : text,
      );
      out.push('\n');
    };

    if (this.altScreen) {
      if (final) endLine();
      this.appendLog(closed);
      return out.join('');
    }
    const b = this.term.buffer.normal;
    const { abs: start, lost } = this.nextAbs();
    // Rows went missing: whatever comes next does not continue the open line.
    if (lost) {
      endLine();
      this.skipChars = 0;
    }
    let skip = this.skipChars;
    let end = b.baseY + Math.max(0, Math.min(stableRows, this.term.rows));
    // Hold back the start of a line whose next row (on the live screen) is not stable yet.
    if (!final) while (end > start && end > b.baseY && b.getLine(end)?.isWrapped) end--;
    let next = b.getLine(start);
    for (let abs = start; abs < end; abs++) {
      const line = next;
      if (!line) break;
      // A row that does not continue the line before it starts a new one (except the open line's
      // first row, re-read after a resize with its committed part skipped).
      const resumed = abs === start && skip > 0;
      if (!line.isWrapped && !resumed && (cur !== undefined || this.open)) endLine();
      next = b.getLine(abs + 1);
      const wraps = next?.isWrapped === true;
      // translateToString(true) drops never-written cells only (like the blank a wide character
      // leaves at the edge when it wraps); written spaces stay.
      const raw = line.translateToString(true);
      // trimEnd also flattens `raw` in place (V8): translateToString builds it one character at
      // a time, a tree of one-character pieces, and holding a commit's worth of those (thousands
      // of rows in a flood) until the end of the commit multiplied the GC time.
      const trimmed = raw.trimEnd();
      let text = wraps ? raw : trimmed;
      if (skip > 0) {
        const n = Math.min(skip, text.length);
        text = text.slice(n);
        skip -= n;
      }
      out.push(text);
      cur = cur === undefined ? text : cur + text;
      if (!wraps) endLine();
    }
    if (end > start) {
      this.placeMarker(end);
      this.skipChars = skip;
    }
    if (final) endLine();
    this.appendLog(closed);
    const text = out.join('');
    if (cur !== undefined) {
      // The line goes on past `end`: keep its rows so far as one flat chunk, sliced from `text`.
      // Past twice lineLimit characters only the last lineLimit are kept: amortized O(1) a
      // character.
      if (!this.open) this.open = { chunks: [], length: 0, cut: 0 };
      const l = this.open;
      l.chunks.push(text.slice(text.length - cur.length));
      l.length += cur.length;
      if (l.length > 2 * this.opts.lineLimit) {
        const { kept, cut } = this.keepTail(l.chunks.join(''));
        l.chunks = [kept];
        l.length = kept.length;
        l.cut += cut;
      }
    }
    return text;
  }

  /** The last lineLimit characters of `s` (a surrogate pair is not split). */
  private keepTail(s: string): { kept: string; cut: number } {
    let cut = Math.max(0, s.length - this.opts.lineLimit);
    const c = s.charCodeAt(cut);
    if (cut > 0 && c >= 0xdc00 && c <= 0xdfff) cut++;
    return { kept: s.slice(cut), cut };
  }

  private placeMarker(abs: number): void {
    this.replacingMarker = true;
    this.nextMarker?.dispose();
    this.replacingMarker = false;
    const b = this.term.buffer.normal;
    const cursorAbs = b.baseY + b.cursorY;
    const marker = this.term.registerMarker(abs - cursorAbs);
    this.nextMarker = marker;
    this.markerAt = marker?.line ?? abs;
    marker?.onDispose(() => this.onMarkerLost(marker));
  }

  private appendLog(lines: string[]): void {
    this.log.append(lines);
  }

  /** Total stable lines committed so far (the cursor after the last line). */
  get logEnd(): number {
    return this.log.end;
  }

  /** Stable lines from `cursor` on. Lines that fell out of memory are reported as dropped. */
  readLog(cursor: number): { lines: string[]; dropped: number; cursor: number } {
    return this.log.read(cursor);
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
    this.nextMarker?.dispose();
    this.term.dispose();
  }
}
