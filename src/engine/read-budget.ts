/**
 * Bytes the PTYs may read ahead per event-loop turn, all sessions together. A PTY read returns
 * ~4 KB, so each pane reads ahead synchronously while the kernel holds more (src/compat/node-pty.ts);
 * without a shared bound, 8 flooding panes resumed by flow control at once each read up to 1 MiB
 * in one poll phase (8 MiB of reads, copies and transcript writes: 50-250 ms in the fan-in's
 * traces), and a key typed meanwhile waited for all of it. The parser takes at most
 * PumpOptions.turnBytes per turn anyway (parse-pump.ts), so reading twice that keeps it fed.
 */

/** What a reader asks of the budget (the shape src/compat/node-pty.ts takes). */
export interface ReadAheadBudget {
  /** Bytes that may still be read this turn. */
  left(): number;
  /** `n` bytes were read. */
  spend(n: number): void;
}

export interface TurnBudgetOptions {
  /** Bytes per event-loop turn, all readers together. */
  bytesPerTurn: number;
  /** Runs `fn` at the end of this turn (default setImmediate: after the poll phase's reads). */
  schedule: (fn: () => void) => void;
}

/** Twice the parse pump's default turnBytes (128 KiB). */
export const READ_AHEAD_PER_TURN = 256 * 1024;

export class TurnBudget implements ReadAheadBudget {
  private used = 0;
  private resetScheduled = false;
  private readonly opts: TurnBudgetOptions;

  constructor(opts: Partial<TurnBudgetOptions> = {}) {
    this.opts = {
      bytesPerTurn: READ_AHEAD_PER_TURN,
      schedule: (fn) => {
        setImmediate(fn);
      },
      ...opts,
    };
  }

  left(): number {
    return Math.max(0, this.opts.bytesPerTurn - this.used);
  }

  spend(n: number): void {
    if (n <= 0) return;
    this.used += n;
    if (this.resetScheduled) return;
    this.resetScheduled = true;
    this.opts.schedule(() => {
      this.resetScheduled = false;
      this.used = 0;
    });
  }
}

/** The budget every real PTY shares. */
export const sharedReadBudget = new TurnBudget();
