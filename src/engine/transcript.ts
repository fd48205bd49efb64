/**
 * Append-only transcripts on disk: every byte a PTY delivered (`<n>.raw`) and the plain-text
 * rendering of stable lines (`<n>.txt`). Directories are 0700, files 0600. A write failure
 * (read-only dir, disk full) turns the transcript off with a reason; the session keeps running.
 */
import { createWriteStream, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** ~/.axiom; the CLI resolves AXIOM_STATE_DIR and --state-dir before it reaches the engine. */
export function defaultStateDir(): string {
  return join(homedir(), '.axiom');
}

export function newRunId(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}-${process.pid}`;
}

/** What the user can do when the transcript directory cannot be made. */
const STATE_DIR_FIX = 'pass --state-dir <a writable directory> (or AXIOM_STATE_DIR), or --no-transcripts';

/**
 * `mkdir -p` with `mode` on every directory it creates. Node's own `{recursive: true}` loops
 * forever at 100% CPU where mkdir says ENOENT under an existing parent (`/proc/self/x/y`): here
 * each missing level is created once, parent first, and the first failure is thrown.
 */
function makeDirs(dir: string, mode: number): void {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      // ENOTDIR: an ancestor is a file; walk up to it to say which.
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(d) === d) throw e;
      missing.push(d);
      continue;
    }
    if (!isDir)
      throw Object.assign(new Error(`${d} is not a directory`), { code: 'ENOTDIR' as const, path: d });
    break;
  }
  for (const d of missing.reverse()) mkdirSync(d, { mode });
}

/**
 * Create `<stateDir>/runs/<runId>` (0700). Returns the path, or throws an Error whose message is
 * one line saying why and naming the fix (`cannot create transcript directory: ENOTDIR: …`).
 * Never hangs, whatever `stateDir` is (a file, /dev/full, read-only, inside /proc).
 */
export function createRunDir(stateDir: string, runId: string): string {
  const dir = join(stateDir, 'runs', runId);
  try {
    makeDirs(dir, 0o700);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? 'error';
    // Node's messages start with the code ("EACCES: permission denied, mkdir '/x'").
    const detail = err.message.startsWith(`${code}: `) ? err.message.slice(code.length + 2) : err.message;
    throw new Error(`cannot create transcript directory: ${code}: ${detail}; ${STATE_DIR_FIX}`);
  }
  return dir;
}

/**
 * Writes are coalesced: what arrives within COALESCE_MS goes to the file in one write (claude
 * repaints its spinner in chunks of a few hundred bytes many times a second; one fs write each
 * cost ~10% of axiom's CPU while it streamed). So a kill -9 loses at most the last COALESCE_MS of
 * output; every other exit path (quit, signals, fatal errors, the agent's exit) closes the
 * transcript, which writes what is pending first.
 */
export const COALESCE_MS = 100;
/** Pending bytes that are written at once, without waiting for the window (a flood). */
export const COALESCE_MAX_BYTES = 64 * 1024;

class Sink {
  private stream: WriteStream | undefined;
  error: string | undefined;
  bytes = 0;
  private pending: Array<Buffer | string> = [];
  private pendingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly path: string,
    private readonly onError: (msg: string) => void,
    onDrain: () => void,
  ) {
    try {
      this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
      this.stream.on('error', (e) => this.fail(e));
      this.stream.on('drain', onDrain);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    if (this.error) return;
    const err = e as NodeJS.ErrnoException;
    this.error = `${err.code ?? 'error'} writing ${this.path}: ${err.message}`;
    this.dropPending();
    this.stream?.destroy();
    this.stream = undefined;
    this.onError(this.error);
  }

  private dropPending(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Bytes handed over but not written to the file yet (coalescing, or queued in the stream). */
  get backlog(): number {
    return this.pendingBytes + (this.stream?.writableLength ?? 0);
  }

  write(data: Buffer | string): void {
    if (!this.stream) return;
    const n = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.bytes += n;
    this.pending.push(data);
    this.pendingBytes += n;
    if (this.pendingBytes >= COALESCE_MAX_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  /** Hand what is pending to the file now, in one write. */
  flush(): void {
    const s = this.stream;
    const parts = this.pending;
    this.dropPending();
    if (!s || parts.length === 0) return;
    if (parts.length === 1) s.write(parts[0] as Buffer | string);
    else if (parts.every((p) => typeof p === 'string')) s.write(parts.join(''));
    else s.write(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  }

  end(): Promise<void> {
    this.flush();
    const s = this.stream;
    this.stream = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => {
      s.once('error', () => resolve());
      s.end(() => resolve());
    });
  }
}

export class Transcript {
  private readonly raw: Sink;
  private readonly text: Sink;
  error: string | undefined;

  /**
   * `onDrain`: the backlog was written out (a writer paused on `backlog` may go on).
   */
  constructor(dir: string, name: string, onError?: (msg: string) => void, onDrain: () => void = () => {}) {
    const report = (msg: string) => {
      if (!this.error) {
        this.error = msg;
        onError?.(msg);
      }
    };
    this.raw = new Sink(join(dir, `${name}.raw`), report, onDrain);
    this.text = new Sink(join(dir, `${name}.txt`), report, onDrain);
  }

  /**
   * Bytes handed over but not on disk yet. It grows only when the disk is slower than the agent
   * (a stalled network filesystem): the session then pauses the agent's output (see Session).
   */
  get backlog(): number {
    return this.raw.backlog + this.text.backlog;
  }

  get rawPath(): string {
    return this.raw.path;
  }
  get textPath(): string {
    return this.text.path;
  }
  /** Bytes handed to the raw sink (equals bytes received while no error occurred). */
  get rawBytes(): number {
    return this.raw.bytes;
  }

  writeRaw(data: Buffer): void {
    this.raw.write(data);
  }

  /**
   * Append plain text as Screen.commit() hands it over: finished lines end with a newline; a
   * line still being committed comes in pieces, continued by the next call.
   */
  writeText(text: string): void {
    if (text) this.text.write(text);
  }

  /** Hand what is pending to both files now (writes still complete asynchronously). */
  flush(): void {
    this.raw.flush();
    this.text.flush();
  }

  /** Flush and close both files. */
  async close(): Promise<void> {
    await Promise.all([this.raw.end(), this.text.end()]);
  }
}
