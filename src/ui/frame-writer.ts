/**
 * Writes Ink's frames to the terminal ourselves.
 *
 * Why: Ink 6.8's own writers do not fit a full-screen app. Its incremental mode lands one row
 * too low on every frame that does not fill the screen (cursorUp(n - 1) after n lines and a
 * newline), and a frame that does fill the screen takes a path that clears the whole terminal
 * on every update (flicker, and a full repaint's worth of bytes per frame).
 *
 * So Ink renders in debug mode into a virtual stdout (each commit = one complete frame string)
 * and this writer puts frames on the real terminal:
 *  - only lines that changed are rewritten, each at an absolute position (`CSI row;1H`), so a
 *    lost cursor or a terminal resize can never shift the picture;
 *  - pane bodies (overlay.ts) re-read and written at most once per `minIntervalMs` (leading
 *    edge, then a trailing timer; no timer when nothing is pending); Ink's frames (keys, status)
 *    after `inkIntervalMs`, with the bodies as last drawn, so typing never waits for, nor pays
 *    for, a redraw of the streaming panes;
 *  - each write is one chunk wrapped in synchronized-output markers (DEC 2026), which terminals
 *    that support them use to show the update atomically and others ignore;
 *  - the whole terminal is usable: nothing ever writes a newline, and a line that fills the last
 *    column is not followed by an erase (which some terminals apply to that last cell).
 */

import { EventEmitter } from 'node:events';
import { FrameLines, type Splicer } from './frame-lines.js';

export { visibleWidth } from './frame-lines.js';

export const BSU = '\x1b[?2026h';
export const ESU = '\x1b[?2026l';

export interface TerminalLike {
  write(data: string): boolean;
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface FrameWriterOptions {
  /** Minimum time between two writes (default 33 ms, i.e. ~30 frames per second). */
  minIntervalMs?: number;
  /** Wrap writes in synchronized-output markers (default true). */
  sync?: boolean;
  /** Pane bodies to splice into frames in place of their markers (see overlay.ts). */
  overlay?: Splicer;
  /**
   * Minimum time between writes for frames from Ink (default: minIntervalMs). With the overlay,
   * Ink renders for input and status changes only (screen output goes through refresh()), so
   * its frames can go out sooner: a keystroke then does not wait for the next frame slot.
   */
  inkIntervalMs?: number;
  now?: () => number;
}

export class FrameWriter {
  /** The lines on the terminal (as last written). */
  private previous: string[] = [];
  /** The last frame's lines, pinned and spliced (kept while Ink's frame is the same). */
  private readonly lines: FrameLines;
  private pending: string | undefined;
  /** The last frame Ink gave (before the overlay is applied). */
  private last: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private lastWrite = Number.NEGATIVE_INFINITY;
  /** When the overlay's pane bodies were last re-read from the screens. */
  private lastBodies = Number.NEGATIVE_INFINITY;
  /** Ink gave a frame not written yet (input, status: goes out after inkInterval). */
  private inkDue = false;
  /** Screens changed since their bodies were last read (goes out after interval). */
  private bodiesDue = false;
  private full = true;
  private disposed = false;
  private readonly interval: number;
  private readonly inkInterval: number;
  private readonly sync: boolean;
  private readonly now: () => number;
  private readonly overlay: Splicer | undefined;
  /** Writes made so far (for tests and benchmarks). */
  writes = 0;

  constructor(
    private readonly out: TerminalLike,
    opts: FrameWriterOptions = {},
  ) {
    this.interval = opts.minIntervalMs ?? 33;
    this.inkInterval = Math.min(opts.inkIntervalMs ?? this.interval, this.interval);
    this.sync = opts.sync ?? true;
    this.now = opts.now ?? Date.now;
    this.overlay = opts.overlay;
    this.lines = new FrameLines(opts.overlay);
    out.on('resize', this.onResize);
  }

  private readonly onResize = () => {
    this.full = true;
    // Ink re-renders on resize and hands us a frame; repaint even if it does not.
    this.repaint();
  };

  /** A complete frame from Ink (lines joined by '\n'). */
  frame(data: string): void {
    if (this.disposed || data === '') return;
    this.pending = data;
    this.last = data;
    this.inkDue = true;
    this.schedule();
  }

  /** Write the last frame again (the overlay's pane bodies changed; Ink's frame did not). */
  refresh(): void {
    if (this.disposed || this.last === undefined) return;
    this.pending ??= this.last;
    this.bodiesDue = true;
    this.schedule();
  }

  /**
   * Write the last frame again as soon as an Ink frame could go (a live line changed: the echo
   * of a key in the prompt box, drawn without a React render), with the bodies as last read.
   */
  redraw(): void {
    if (this.disposed || this.last === undefined) return;
    this.pending ??= this.last;
    this.inkDue = true;
    this.schedule();
  }

  /** Clear the terminal and draw the current frame again from scratch. */
  repaint(): void {
    if (this.disposed) return;
    this.full = true;
    if (this.pending === undefined && this.previous.length > 0) this.pending = this.previous.join('\n');
    this.inkDue = true;
    this.schedule();
  }

  /**
   * When the next write is due: an Ink frame inkInterval after the last write; changed screens
   * interval after they were last read (and not sooner than an Ink frame could go).
   */
  private dueAt(): number {
    let at = Number.POSITIVE_INFINITY;
    if (this.inkDue) at = this.lastWrite + this.inkInterval;
    if (this.bodiesDue)
      at = Math.min(at, Math.max(this.lastBodies + this.interval, this.lastWrite + this.inkInterval));
    return at;
  }

  private schedule(): void {
    if (this.pending === undefined) return;
    const at = this.dueAt();
    if (at === Number.POSITIVE_INFINITY) return;
    if (this.timer !== undefined) {
      if (this.timerAt <= at) return;
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const wait = at - this.now();
    if (wait <= 0) {
      this.write(false);
      return;
    }
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.write(false);
    }, wait);
  }

  /** Write the pending frame now (if any), with every changed screen re-read. */
  flush(): void {
    this.write(true);
  }

  /**
   * Write the pending frame. Changed screens are re-read only when their slot has come (or
   * `all`): a keystroke's frame goes out at once with the pane bodies as last drawn, so it costs
   * one line of output, not a redraw of every streaming pane; they follow in their own slot.
   */
  private write(all: boolean): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
    }
    const data = this.pending;
    if (data === undefined || this.disposed) return;
    const now = this.now();
    const bodies = this.bodiesDue && (all || now >= this.lastBodies + this.interval);
    this.pending = bodies || !this.bodiesDue ? undefined : data;
    this.inkDue = false;
    const cols = this.out.columns || 80;
    const rows = this.out.rows || 24;
    if (bodies) {
      this.overlay?.update();
      this.bodiesDue = false;
      this.lastBodies = now;
    }
    // Only lines whose bodies changed are spliced and measured again (frame-lines.ts).
    const lines = this.lines.get(data, rows);
    const previous = this.previous;
    let body = '';
    if (this.full) body += '\x1b[0m\x1b[2J';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (!line) continue;
      const text = line.text;
      if (!this.full && text === previous[i]) continue;
      body += `\x1b[${i + 1};1H${text}\x1b[0m`;
      if (line.width() < cols) body += '\x1b[K';
    }
    if (!this.full) {
      for (let i = lines.length; i < Math.min(previous.length, rows); i++) body += `\x1b[${i + 1};1H\x1b[K`;
    }
    previous.length = lines.length;
    for (let i = 0; i < lines.length; i++) previous[i] = lines[i]?.text ?? '';
    this.full = false;
    this.lastWrite = now;
    // Changed screens not read this time get their own slot.
    if (this.bodiesDue) this.schedule();
    if (body === '') return;
    this.writes++;
    try {
      this.out.write(this.sync ? BSU + body + ESU : body);
    } catch {
      // The terminal went away (SIGHUP); nothing to draw on.
    }
  }

  /**
   * Write an out-of-band sequence now, between frames: a bell, a desktop notification, the
   * window title. Frames address every line absolutely, so nothing here can shift them.
   */
  control(data: string): void {
    if (this.disposed || data === '') return;
    try {
      this.out.write(data);
    } catch {
      // The terminal went away.
    }
  }

  /** Stop: cancel any pending write and stop listening for resizes. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.inkDue = false;
    this.bodiesDue = false;
    this.disposed = true;
    this.out.off('resize', this.onResize);
  }
}

/**
 * A stand-in stdout for Ink: reports the real terminal's size, forwards its resize events, and
 * hands every frame Ink writes to the FrameWriter. Not a TTY as far as Ink is concerned, so Ink
 * itself never writes cursor or synchronization sequences.
 */
export class VirtualStdout extends EventEmitter {
  readonly isTTY = false;
  readonly writable = true;

  constructor(
    private readonly real: TerminalLike,
    private readonly writer: FrameWriter,
  ) {
    super();
    real.on('resize', this.forwardResize);
  }

  private readonly forwardResize = () => {
    this.emit('resize');
  };

  get columns(): number {
    return this.real.columns || 80;
  }

  get rows(): number {
    return this.real.rows || 24;
  }

  write(data: string, cb?: (err?: Error | null) => void): boolean {
    this.writer.frame(data);
    cb?.();
    return true;
  }

  dispose(): void {
    this.real.off('resize', this.forwardResize);
  }
}
