/**
 * The rows of a screen's live view as read last time (plain text and styled spans), kept until
 * xterm says a row changed (src/compat/xterm-rows.ts): a re-read costs what changed on screen,
 * not the screen. Claude repaints its spinner and footer many times a second; each repaint
 * re-read every row (the engine's flush for plain text, the overlay's frame for styled spans).
 *
 * Rows are keyed by buffer line: L = ybase + y + trimmed, where `trimmed` counts lines the full
 * buffer dropped at its top since the cache began. A scroll moves no line in that space (the new
 * bottom line is marked), so scrolling output re-reads only the rows that are new. Whatever this
 * cannot follow exactly (a scroll region, a buffer switch, a reset, a resize, an unexpected ybase)
 * empties the cache: correct first, fast where it is sure.
 */
import { type RowState, watchXtermRows } from '../compat/xterm-rows.js';
import type { StyledLine } from './types.js';
import type { XTerm } from './xterm-types.js';

/** Rows of one kind (plain or styled) cached by buffer line, rows[i] being line base + i. */
class Rows<T> {
  base = 0;
  rows: Array<T | undefined> = [];

  /** Move the window so that it starts at line `base` (lines above it are dropped). */
  slide(base: number): void {
    const shift = base - this.base;
    if (shift !== 0) {
      if (shift > 0 && shift < this.rows.length) this.rows.splice(0, shift);
      else this.rows = [];
      this.base = base;
    }
  }

  drop(lo: number, hi: number): void {
    const from = Math.max(0, lo - this.base);
    const to = Math.min(this.rows.length - 1, hi - this.base);
    for (let i = from; i <= to; i++) this.rows[i] = undefined;
  }
}

export class RowCache {
  private readonly state: (() => RowState) | undefined;
  private readonly plain = new Rows<string>();
  private readonly styled = new Rows<StyledLine>();
  private buffer: object | undefined;
  private ybase = 0;
  private trimmed = 0;
  /** Lines marked changed since the last read (one interval, like xterm's own tracker). */
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  /** `watch` false: no marks are taken and every read re-reads every row (AXIOM_XTERM_ROWS=0). */
  constructor(
    private readonly term: XTerm,
    watch = true,
  ) {
    this.state = watch
      ? watchXtermRows(term, {
          marked: (y1, y2) => this.marked(y1, y2),
          scrolled: () => this.scrolled(),
          all: () => this.clear(),
        })
      : undefined;
    this.clear();
  }

  /** Whether rows are cached at all (this xterm has the internals; see compat/xterm-rows.ts). */
  get active(): boolean {
    return this.state !== undefined;
  }

  /** Forget every row (after a resize, or when the buffer moved in a way not followed). */
  clear(): void {
    this.plain.rows = [];
    this.styled.rows = [];
    this.trimmed = 0;
    this.lo = Number.POSITIVE_INFINITY;
    this.hi = Number.NEGATIVE_INFINITY;
    const s = this.state?.();
    this.buffer = s?.buffer;
    this.ybase = s?.ybase ?? 0;
  }

  /** Whether the buffer is still the one (and where) this cache last saw; else empty it. */
  private sync(s: RowState): void {
    if (s.buffer !== this.buffer || s.ybase !== this.ybase) this.clear();
  }

  /**
   * A mark is keyed by the buffer position this cache follows (scrolled() moves it, a buffer
   * switch or reset clears it): xterm marks once per printed run and line feed, so a flood makes
   * millions of marks, and reading the position here (sync) cost a flood ~10% of its CPU. A move
   * not followed is still caught by settle()'s sync, which then drops every row.
   */
  private marked(y1: number, y2: number): void {
    const top = this.ybase + this.trimmed;
    if (top + y1 < this.lo) this.lo = top + y1;
    if (top + y2 > this.hi) this.hi = top + y2;
  }

  private scrolled(): void {
    if (!this.state) return;
    const s = this.state();
    const rows = this.term.rows;
    if (s.buffer !== this.buffer || s.scrollTop !== 0 || s.scrollBottom !== rows - 1) {
      this.clear();
      return;
    }
    // The whole screen moved up a line: into scrollback (ybase grew), or the buffer was full and
    // its top line was dropped (ybase stayed: every line's index went down by one).
    if (s.ybase === this.ybase + 1) this.ybase = s.ybase;
    else if (s.ybase === this.ybase) this.trimmed++;
    else {
      this.clear();
      return;
    }
    // The new bottom line (blank, or the dropped top line's object reused).
    const bottom = this.ybase + this.trimmed + rows - 1;
    if (bottom < this.lo) this.lo = bottom;
    if (bottom > this.hi) this.hi = bottom;
  }

  /** Apply the marks to both kinds of rows and slide them to the live view; its top line. */
  private settle(): number {
    if (this.state) this.sync(this.state());
    if (this.lo <= this.hi) {
      this.plain.drop(this.lo, this.hi);
      this.styled.drop(this.lo, this.hi);
      this.lo = Number.POSITIVE_INFINITY;
      this.hi = Number.NEGATIVE_INFINITY;
    }
    return this.ybase + this.trimmed;
  }

  /** The live view's rows as plain text; `read(y)` reads row y when it is not cached. */
  plainRows(read: (y: number) => string): string[] {
    return this.rowsOf(this.plain, read);
  }

  /** The live view's rows as styled spans; `read(y)` reads row y when it is not cached. */
  styledRows(read: (y: number) => StyledLine): StyledLine[] {
    return this.rowsOf(this.styled, read);
  }

  private rowsOf<T>(cache: Rows<T>, read: (y: number) => T): T[] {
    const rows = this.term.rows;
    const out: T[] = new Array(rows);
    if (!this.state) {
      for (let y = 0; y < rows; y++) out[y] = read(y);
      return out;
    }
    cache.slide(this.settle());
    for (let y = 0; y < rows; y++) {
      let row = cache.rows[y];
      if (row === undefined) {
        row = read(y);
        cache.rows[y] = row;
      }
      out[y] = row;
    }
    if (cache.rows.length > rows) cache.rows.length = rows;
    return out;
  }
}
