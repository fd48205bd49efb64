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
/**
 * A flush that held rows for a second look gets one this much later if no output brings it first.
 * Longer than the gap between an agent's repaints while it works (claude: ~100-130 ms), so the
 * next chunk's flush is usually the second look and the timer (a wake-up) is not needed; short
 * enough that the text stream lags the screen by a blink at most.
 */
export const CONFIRM_MS = 150;

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
  private confirmTimer: Timer | undefined;
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
    this.clock.clearTimeout(this.confirmTimer);
    this.batchTimer = undefined;
    this.notifyTimer = undefined;
    this.confirmTimer = undefined;
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
      if (!this.ended) this.parsed();
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
    // This flush is the second look a held row was waiting for.
    this.clock.clearTimeout(this.confirmTimer);
    this.confirmTimer = undefined;
    const held = this.host.settle(final);
    this.notify(final);
    this.host.wake();
    // Rows held for a second look get it from the next output's flush, or CONFIRM_MS later even
    // if the agent says nothing more; once per burst (a row that keeps changing waits for output).
    if (held && !final && !this.ended && !this.confirming) {
      this.confirming = true;
      this.confirmTimer = this.clock.setTimeout(() => {
        this.confirmTimer = undefined;
        if (!this.ended) this.flush();
      }, CONFIRM_MS);
    }
  }

  /**
   * A chunk is on screen. Once nothing waits for the parser and the last flush is batchMs old
   * (output after a quiet spell: claude's repaints, a shell's echo), the flush runs in this same
   * turn of the event loop: a timer would cost one more wake-up of the process per chunk, which on
   * a VM is 100-200 us of CPU for nothing. Output closer together than that (a burst, a flood) is
   * batched on the timer as before, so flushes run at most once per batchMs either way.
   */
  private parsed(): void {
    if (this.pendingParse === 0 && this.clock.now() - this.lastFlushAt >= this.batchMs) {
      this.clock.clearTimeout(this.batchTimer);
      this.batchTimer = undefined;
      this.flush();
    } else this.scheduleFlush();
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
