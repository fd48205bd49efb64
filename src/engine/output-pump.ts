/**
 * The output pump of one session: every byte the agent writes goes to the raw transcript and to
 * the screen's parser; flow control holds the agent back while either lags; flushes are batched
 * and, in a flood, front ends are told at most every FLOOD_BATCH_MS. Knows no process, screen or
 * file: its host does those (see OutputHost). Timers run on an injected clock.
 */
import { type Clock, systemClock, type Timer } from './clock.js';

/** Pause the PTY when this many bytes wait to be parsed; resume below the low mark. */
export const HIGH_WATER = 1024 * 1024;
export const LOW_WATER = 256 * 1024;
/** Transcript bytes not yet on disk above which the agent's output is paused (see updateFlow). */
export const DISK_HIGH_WATER = 8 * 1024 * 1024;
export const DISK_LOW_WATER = 1024 * 1024;
/** Output faster than this (bytes per ms, ~1 MB/s) is a flood: front ends hear of it at most every FLOOD_BATCH_MS. */
export const FLOOD_BYTES_PER_MS = 1024;
export const FLOOD_BATCH_MS = 100;

/** What the pump does through its session. */
export interface OutputHost {
  /** The raw bytes, as received, to the transcript. */
  record(d: Buffer): void;
  /** Queue bytes for the screen's parser; `parsed` runs once the screen shows them. */
  parse(d: Buffer, parsed: () => void): void;
  /** Transcript bytes not yet on disk. */
  diskBacklog(): number;
  /**
   * The screen shows new output: commit its stable lines and re-read its state (`final`: at exit).
   * Returns true when rows that look final were held for a second look (see stable-gate.ts).
   */
  settle(final: boolean): boolean;
  /** Tell front ends the screen changed. */
  output(): void;
  /** Wake everything waiting on a screen update. */
  wake(): void;
}

/** Where flow control acts: the agent's terminal. */
export interface FlowTarget {
  pause(): void;
  resume(): void;
}

/** The flow-control state, for reads (tests, diagnostics). */
export interface FlowState {
  /** The agent's output is held back. */
  paused: boolean;
  /** Bytes queued for the parser and not yet shown. */
  pendingParse: number;
}

export class OutputPump {
  private target: FlowTarget | undefined;
  private ended = false;
  private bytes = 0;
  private lastOutputAt: number | undefined;
  private pendingParse = 0;
  private paused = false;
  private heldByParser = false;
  private heldByDisk = false;
  private batchTimer: Timer | undefined;
  private notifyTimer: Timer | undefined;
  /** Output rate since the last flush decides whether this is a flood (see notify). */
  private bytesSinceFlush = 0;
  private lastFlushAt: number;
  private flooding = false;
  /** A flush held rows for a second look and no output came since: one more flush is due. */
  private confirming = false;

  constructor(
    private readonly host: OutputHost,
    private readonly batchMs: number,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastFlushAt = clock.now();
  }

  // ---- reads ----

  get bytesReceived(): number {
    return this.bytes;
  }
  get lastOutput(): number | undefined {
    return this.lastOutputAt;
  }
  flow(): FlowState {
    return { paused: this.paused, pendingParse: this.pendingParse };
  }

  // ---- from the session ----

  /** The agent started: flow control acts on `target` from now on. */
  attach(target: FlowTarget): void {
    this.target = target;
  }

  /** The agent exited: no more flow control, batches or flood notices (a final flush still runs). */
  stop(): void {
    this.ended = true;
    this.clearTimers();
  }

  /** Drop pending timers (the session is disposed). */
  clearTimers(): void {
    this.clock.clearTimeout(this.batchTimer);
    this.clock.clearTimeout(this.notifyTimer);
    this.batchTimer = undefined;
    this.notifyTimer = undefined;
  }

  /** A chunk of the agent's output. */
  onData(d: Buffer): void {
    this.bytes += d.length;
    this.bytesSinceFlush += d.length;
    this.lastOutputAt = this.clock.now();
    this.host.record(d);
    this.confirming = false;
    this.pendingParse += d.length;
    this.updateFlow();
    this.host.parse(d, () => {
      this.pendingParse -= d.length;
      this.updateFlow();
      // Notify once the screen shows this chunk: the parser can lag behind the batch timer, and
      // the last chunk of a burst must still reach front ends.
      if (!this.ended) this.scheduleFlush();
    });
  }

  /**
   * Flow control: pause the agent's output while the parser is more than HIGH_WATER behind, or
   * the transcript more than DISK_HIGH_WATER (a disk slower than the agent); resume once both are
   * below their low water. The agent blocks in write(), as with a slow terminal: nothing is lost
   * and memory stays bounded. Called at each chunk and parse, and when the disk backlog changes.
   */
  updateFlow(): void {
    const target = this.target;
    if (!target || this.ended) return;
    const disk = this.host.diskBacklog();
    // Each cause has its own hysteresis: over high water holds until under low water.
    if (this.pendingParse > HIGH_WATER) this.heldByParser = true;
    else if (this.pendingParse < LOW_WATER) this.heldByParser = false;
    if (disk > DISK_HIGH_WATER) this.heldByDisk = true;
    else if (disk < DISK_LOW_WATER) this.heldByDisk = false;
    const hold = this.heldByParser || this.heldByDisk;
    if (hold && !this.paused) {
      this.paused = true;
      target.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      target.resume();
    }
  }

  /** Commit stable lines, re-read the state off the screen, notify front ends. */
  flush(final = false): void {
    const now = this.clock.now();
    this.flooding = this.bytesSinceFlush >= FLOOD_BYTES_PER_MS * Math.max(1, now - this.lastFlushAt);
    this.bytesSinceFlush = 0;
    this.lastFlushAt = now;
    const held = this.host.settle(final);
    this.notify(final);
    this.host.wake();
    // Rows held for a second look get it one batch later even if the agent says nothing more;
    // once per burst of output (a row that keeps changing waits for the next output).
    if (held && !final && !this.ended && !this.confirming) {
      this.confirming = true;
      this.scheduleFlush();
    }
  }

  private scheduleFlush(): void {
    if (this.batchTimer) return;
    this.batchTimer = this.clock.setTimeout(() => {
      this.batchTimer = undefined;
      this.flush();
    }, this.batchMs);
  }

  /**
   * Tell front ends the screen changed. In a flood (bulk output such as `cat` of a big file) at
   * most once per FLOOD_BATCH_MS, on a grid shared by all sessions so that floods in several panes
   * land in the same UI frame: the parser gets the time that redrawing a screen nobody can read at
   * that speed would take. (Lines are still committed at every flush: none may scroll out unseen.)
   */
  private notify(final: boolean): void {
    if (final || !this.flooding) {
      this.clock.clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.host.output();
      return;
    }
    if (this.notifyTimer) return;
    this.notifyTimer = this.clock.setTimeout(
      () => {
        this.notifyTimer = undefined;
        if (!this.ended) this.host.output();
      },
      FLOOD_BATCH_MS - (this.clock.now() % FLOOD_BATCH_MS),
    );
  }
}
