/**
 * Parse scheduling shared by every Screen. xterm parses each terminal's backlog in slices of up
 * to 12 ms per timer tick, and runs every terminal's tick back to back: with 8 flooding sessions,
 * one event-loop turn could spend ~100 ms parsing and keystrokes and frames waited behind it
 * (BENCHMARKS.md, "What the profiles showed", item 2). The pump hands the parsers at most
 * `turnBytes` in total at a time, round-robin over the screens with queued data, and hands out
 * more only when that was parsed (next turn, via the scheduler: setImmediate): parsing takes a
 * few ms per turn whatever the number of sessions, and a single session still parses at full
 * speed.
 */

/** A screen as the pump sees it: something that parses queued data when handed a budget. */
export interface PumpClient {
  /**
   * Hand the parser up to `max` bytes of queued data; returns the bytes handed (the pump counts
   * them in flight until `parsed` is called with them).
   */
  feed(max: number): number;
}

export interface PumpOptions {
  /** Bytes handed to the parsers of all screens together, per round (~5-8 ms of parsing). */
  turnBytes: number;
  /** A screen gets at least this much per round, however many screens wait. */
  minSlice: number;
  /** Runs a round later (default setImmediate: after I/O, so input and frames go first). */
  schedule: (run: () => void) => void;
}

export const DEFAULT_PUMP_OPTIONS: PumpOptions = {
  turnBytes: 128 * 1024,
  minSlice: 16 * 1024,
  schedule: (run) => {
    setImmediate(run);
  },
};

export class ParsePump {
  /** Screens with queued data, in round-robin order (a Set iterates in insertion order). */
  private readonly ready = new Set<PumpClient>();
  private inflight = 0;
  private scheduled = false;
  private readonly opts: PumpOptions;

  constructor(opts: Partial<PumpOptions> = {}) {
    this.opts = { ...DEFAULT_PUMP_OPTIONS, ...opts };
  }

  /** `s` has data queued: feed it in a coming round. */
  request(s: PumpClient): void {
    this.ready.add(s);
    this.schedule();
  }

  /** `bytes` handed out earlier are parsed: the budget is free again. */
  parsed(bytes: number): void {
    this.inflight = Math.max(0, this.inflight - bytes);
    if (this.ready.size > 0) this.schedule();
  }

  /** `s` is gone (disposed): never feed it again. */
  forget(s: PumpClient): void {
    this.ready.delete(s);
  }

  /** Bytes handed out and not parsed yet. */
  get inFlight(): number {
    return this.inflight;
  }

  private schedule(): void {
    if (this.scheduled || this.inflight >= this.opts.turnBytes) return;
    this.scheduled = true;
    this.opts.schedule(() => this.run());
  }

  private run(): void {
    this.scheduled = false;
    const { turnBytes, minSlice } = this.opts;
    const share = Math.max(minSlice, Math.floor(turnBytes / Math.max(1, this.ready.size)));
    for (const s of this.ready) {
      if (this.inflight >= turnBytes) break;
      this.ready.delete(s);
      this.inflight += s.feed(Math.min(share, turnBytes - this.inflight));
    }
  }
}

/** The pump every Screen uses unless it is given its own. */
export const sharedPump = new ParsePump();
