/**
 * The plain-text stream from an agent's structured log (see TextSourceSpec): finds the log file
 * once the agent creates it, tails it as it grows (fs.watch, plus a slow poll in case a watch
 * event is missed) reading from the last offset, and turns each complete record into lines.
 * Bounded: a read hands over at most READ_BUDGET bytes per call, a partial record is kept only up
 * to MAX_RECORD bytes (a longer one is skipped, with a note), and the log keeps `logLimit` lines.
 */
import { closeSync, existsSync, type FSWatcher, openSync, readdirSync, readSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { TextRecord, TextSourceSpec } from '../agents/profile.js';

/** Longest record kept; a longer one (a giant tool result) is skipped with a note. */
export const MAX_RECORD = 32 * 1024 * 1024;
/** Bytes read per poll() at most; the rest waits for the next one (scheduled at once). */
const READ_BUDGET = 8 * 1024 * 1024;
const CHUNK = 256 * 1024;
/** While the file is not found: look in the likely directory this often, everywhere 8x less often. */
const FIND_MS = 250;
const SCAN_EVERY = 8;
/** Once found: a poll this often besides the watch (a watch can miss events on some filesystems). */
const SAFETY_POLL_MS = 1000;
/** Record ids remembered to drop a record seen twice. */
const SEEN_IDS = 1024;

export interface TextFeedOptions {
  /** New data may be there: the owner calls poll(). */
  onChange: () => void;
  /** Longest record kept (default MAX_RECORD). */
  maxRecord?: number;
}

export class TextFeed {
  private readonly spec: TextSourceSpec;
  private readonly opts: TextFeedOptions;
  private path: string | undefined;
  private fd: number | undefined;
  private offset = 0;
  /** Bytes of the record being read (after the last newline). */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  /** Inside a record longer than MAX_RECORD: dropping bytes until its newline. */
  private skipping = false;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private closed = false;
  private readonly seen: string[] = [];
  private readonly seenSet = new Set<string>();
  /** A turn was opened by a record and not closed by one yet. */
  turnOpen = false;
  /** Records read so far. */
  records = 0;
  /** Turns opened so far. */
  turns = 0;

  constructor(spec: TextSourceSpec, opts: TextFeedOptions) {
    this.spec = spec;
    this.opts = opts;
    this.arm(FIND_MS);
  }

  /** Where the log is looked for. */
  get root(): string {
    return this.spec.root;
  }

  /** The log file, once found. */
  get file(): string | undefined {
    return this.path;
  }

  private arm(ms: number): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.closed) return;
      if (this.path || this.find(this.ticks++ % SCAN_EVERY === 0)) this.opts.onChange();
      this.arm(this.path ? SAFETY_POLL_MS : FIND_MS);
    }, ms);
    this.timer.unref?.();
  }

  /**
   * Look for the file: in the likely directory, and with `full` (or no likely directory) in all
   * of them. The timer looks everywhere only every SCAN_EVERY ticks (a HOME may hold hundreds of
   * project directories); poll() always does.
   */
  private find(full: boolean): boolean {
    const { root, fileName } = this.spec;
    const likely = this.spec.likelyDir;
    const candidates: string[] = [];
    if (likely) candidates.push(join(root, likely, fileName));
    if (!likely || full) {
      try {
        for (const d of readdirSync(root)) candidates.push(join(root, d, fileName));
      } catch {
        // No such directory yet: the agent has not written any log.
      }
    }
    for (const p of candidates) {
      if (!existsSync(p)) continue;
      try {
        this.fd = openSync(p, 'r');
      } catch {
        continue;
      }
      this.path = p;
      try {
        this.watcher = watch(p, { persistent: false }, () => this.opts.onChange());
        this.watcher.on('error', () => this.unwatch());
      } catch {
        // The safety poll reads on.
      }
      return true;
    }
    return false;
  }

  private unwatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  /** Read what the agent appended since the last call: its new records, in order. */
  poll(): TextRecord[] {
    if (this.closed) return [];
    if (this.fd === undefined && !this.find(true)) return [];
    const fd = this.fd as number;
    const added: TextRecord[] = [];
    let budget = READ_BUDGET;
    for (;;) {
      let n = 0;
      try {
        n = readSync(fd, this.buf, 0, Math.min(CHUNK, budget), this.offset);
      } catch {
        break;
      }
      if (n <= 0) break;
      this.offset += n;
      budget -= n;
      this.take(this.buf.subarray(0, n), added);
      if (budget <= 0) {
        // More to read: next turn, so that a huge log does not hold the event loop.
        setImmediate(() => this.opts.onChange());
        break;
      }
    }
    return added;
  }

  /** Split bytes into records (newline-terminated) and parse the complete ones. */
  private take(bytes: Buffer, out: TextRecord[]): void {
    let from = 0;
    for (let nl = bytes.indexOf(10, from); nl >= 0; nl = bytes.indexOf(10, from)) {
      const piece = bytes.subarray(from, nl);
      from = nl + 1;
      if (this.skipping) {
        this.skipping = false;
        continue;
      }
      const whole = this.partialBytes ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.partialBytes = 0;
      this.record(whole.toString('utf8'), out);
    }
    if (from >= bytes.length || this.skipping) return;
    const rest = bytes.subarray(from);
    const max = this.opts.maxRecord ?? MAX_RECORD;
    if (this.partialBytes + rest.length > max) {
      this.partial = [];
      this.partialBytes = 0;
      this.skipping = true;
      out.push({ lines: [`[axiom: a log record of more than ${max} bytes was skipped; see ${this.path}]`] });
      return;
    }
    // Copy: the read buffer is reused.
    this.partial.push(Buffer.from(rest));
    this.partialBytes += rest.length;
  }

  private record(line: string, out: TextRecord[]): void {
    if (line.trim() === '') return;
    this.records++;
    let r: TextRecord;
    try {
      r = this.spec.parse(line);
    } catch {
      return;
    }
    if (r.id !== undefined) {
      if (this.seenSet.has(r.id)) return;
      this.seenSet.add(r.id);
      this.seen.push(r.id);
      if (this.seen.length > SEEN_IDS) this.seenSet.delete(this.seen.shift() as string);
    }
    if (r.turn === 'start') {
      this.turnOpen = true;
      this.turns++;
    } else if (r.turn === 'end') this.turnOpen = false;
    out.push(r);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.unwatch();
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
  }
}
