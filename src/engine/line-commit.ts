/**
 * The line commit of a Screen: which rows of its normal buffer are stable plain-text lines, and
 * the log of them that `output(cursor)` serves. A marker in xterm's buffer holds the next row not
 * committed yet, so each row is read once however the screen scrolls, trims or reflows.
 */
import { TextLog } from './text-log.js';
import type { XMarker, XTerm } from './xterm-types.js';

export interface LineCommitOptions {
  /** Lines of scrollback the terminal keeps (rows beyond it are trimmed). */
  scrollback: number;
  /** Plain-text lines kept in memory for `output(cursor)`. */
  logLimit: number;
  /** Characters of one logical line kept in memory (its tail; the cut is marked). */
  lineLimit: number;
}

/** A logical line committed in part (see commit()). */
interface OpenLine {
  /** Its text so far, one chunk per commit. */
  chunks: string[];
  /** Characters in chunks. */
  length: number;
  /** Characters cut from its start to keep it within lineLimit. */
  cut: number;
}

export class LineCommit {
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

  /**
   * The terminal's buffers, read once: xterm's `term.buffer` getter checks an option on every
   * read (`_checkProposedApi`), which was ~5% of a flood's CPU when read per parser hand-over.
   */
  private readonly buffers: XTerm['buffer'];

  constructor(
    private readonly term: XTerm,
    private readonly opts: LineCommitOptions,
  ) {
    this.log = new TextLog(opts.logLimit);
    this.buffers = term.buffer;
  }

  private get altScreen(): boolean {
    return this.buffers.active.type === 'alternate';
  }

  /** Lines the normal buffer holds: scrollback plus the screen. */
  private bufferLines(): number {
    return this.opts.scrollback + this.term.rows;
  }

  /**
   * Rows that may still be added before an uncommitted line would be trimmed (unbounded on the
   * alternate screen, which never scrolls into scrollback).
   */
  rowRoom(): number {
    if (this.altScreen) return Number.POSITIVE_INFINITY;
    const b = this.buffers.normal;
    const { abs } = this.peekNextAbs();
    return this.bufferLines() - (b.baseY + this.term.rows - abs);
  }

  /** Call before the terminal is resized (see anchorOpenLine). */
  beforeResize(): void {
    this.anchorOpenLine();
  }

  /** Call after the terminal was resized: the reflow may have moved the marker's row. */
  afterResize(): void {
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
    const b = this.buffers.normal;
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
      const b = this.buffers.normal;
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
    const b = this.buffers.normal;
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
    const b = this.buffers.normal;
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
    const b = this.buffers.normal;
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

  dispose(): void {
    this.nextMarker?.dispose();
  }
}
