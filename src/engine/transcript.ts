/**
 * Append-only transcripts on disk: every byte a PTY delivered (`<n>.raw`) and the plain-text
 * rendering of stable lines (`<n>.txt`). Directories are 0700, files 0600. A write failure
 * (read-only dir, disk full) turns the transcript off with a reason; the session keeps running.
 */
import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  mkdirSync,
  openSync,
  statfsSync,
  statSync,
  type WriteStream,
  writeSync,
} from 'node:fs';
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
 * cost ~10% of axiom's CPU while it streamed). One timer serves every transcript, so four
 * streaming sessions wake the process once per window, not once per file. A kill -9 loses at
 * most the last COALESCE_MS of output; every other exit path (quit, signals, fatal errors, the
 * agent's exit) closes the transcript, which writes what is pending first.
 */
export const COALESCE_MS = 100;
/** Pending bytes that are written at once, without waiting for the window (a flood). */
export const COALESCE_MAX_BYTES = 64 * 1024;
/** A synchronous write slower than this moves its file to asynchronous writes for good. */
export const SLOW_WRITE_MS = 50;

/**
 * Filesystems (statfs f_type) where a write lands in the page cache and returns at once: these
 * files are written synchronously, inside the turn that already runs (~20 µs, against ~100 µs of
 * CPU for a write through libuv's thread pool and the wake-ups on both sides). Anywhere else
 * (NFS, SMB, FUSE, 9p, an unknown filesystem, another OS, a FIFO) writes stay asynchronous: a
 * stalled server then holds only the agent back (the backlog's flow control), never the UI.
 */
const LOCAL_FS = new Set([
  0xef53, // ext2/3/4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
  0xca451a4e, // bcachefs
  0x52654973, // reiserfs
  0x3153464a, // jfs
]);

/** The write paths a sink uses; tests replace them to make a write slow or fail. */
export interface SinkIo {
  openSync(path: string): number;
  /** Can `fd` take synchronous writes (a regular file on a local filesystem)? */
  local(fd: number, path: string): boolean;
  writeSync(fd: number, data: Buffer | string): number;
  closeSync(fd: number): void;
  /** An asynchronous stream on `fd`, or on `path` opened anew (it closes its fd when it ends). */
  stream(path: string, fd?: number): WriteStream;
  now(): number;
}

export const realIo: SinkIo = {
  // O_NONBLOCK: opening a FIFO with no reader fails at once instead of blocking the process (a
  // FIFO is then opened again by the stream, off the main thread). Regular files ignore it.
  openSync: (path) =>
    openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK, 0o600),
  local(fd, path) {
    if (process.platform !== 'linux' || !fstatSync(fd).isFile()) return false;
    try {
      return LOCAL_FS.has(Number(statfsSync(path).type) >>> 0);
    } catch {
      return false;
    }
  },
  // Two calls that look alike: fs.writeSync's overloads take a string or a buffer, not the union.
  writeSync: (fd, data) => (typeof data === 'string' ? writeSync(fd, data) : writeSync(fd, data)),
  closeSync: (fd) => closeSync(fd),
  stream: (path, fd) => createWriteStream(path, fd === undefined ? { flags: 'a', mode: 0o600 } : { fd }),
  now: () => performance.now(),
};

/** Sinks with bytes waiting for the window; one timer flushes them all. */
const due = new Set<Sink>();
let dueTimer: ReturnType<typeof setTimeout> | undefined;

function flushDue(): void {
  dueTimer = undefined;
  const sinks = [...due];
  due.clear();
  for (const s of sinks) s.flush();
}

class Sink {
  private fd: number | undefined;
  /** Set once writes go asynchronously (not a local file, or a write was slow). */
  private stream: WriteStream | undefined;
  private open = false;
  error: string | undefined;
  bytes = 0;
  private pending: Array<Buffer | string> = [];
  private pendingBytes = 0;

  constructor(
    readonly path: string,
    private readonly onError: (msg: string) => void,
    private readonly onDrain: () => void,
    private readonly io: SinkIo,
  ) {
    try {
      let fd: number | undefined;
      try {
        fd = io.openSync(path);
      } catch (e) {
        // ENXIO: a FIFO nobody reads yet; the stream's open waits for its reader off the main thread.
        if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      }
      this.open = true;
      if (fd !== undefined && io.local(fd, path)) this.fd = fd;
      else {
        if (fd !== undefined) io.closeSync(fd);
        this.goAsync();
      }
    } catch (e) {
      // Reported on the next turn, as a stream's open error was: the owner is still being built.
      this.open = false;
      process.nextTick(() => this.fail(e));
    }
  }

  private goAsync(): void {
    if (this.stream) return;
    const s = this.io.stream(this.path, this.fd);
    this.fd = undefined;
    s.on('error', (e) => this.fail(e));
    s.on('drain', this.onDrain);
    this.stream = s;
  }

  private fail(e: unknown): void {
    if (this.error) return;
    const err = e as NodeJS.ErrnoException;
    this.error = `${err.code ?? 'error'} writing ${this.path}: ${err.message}`;
    this.dropPending();
    this.closeFile();
    this.onError(this.error);
  }

  private closeFile(): void {
    this.open = false;
    this.stream?.destroy();
    this.stream = undefined;
    if (this.fd !== undefined) {
      try {
        this.io.closeSync(this.fd);
      } catch {
        // Closing a file that failed: nothing more to lose.
      }
      this.fd = undefined;
    }
  }

  private dropPending(): void {
    if (due.delete(this) && due.size === 0) {
      clearTimeout(dueTimer);
      dueTimer = undefined;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Bytes handed over but not written to the file yet (coalescing, or queued in the stream). */
  get backlog(): number {
    return this.pendingBytes + (this.stream?.writableLength ?? 0);
  }

  write(data: Buffer | string): void {
    if (!this.open) return;
    const n = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.bytes += n;
    this.pending.push(data);
    this.pendingBytes += n;
    if (this.pendingBytes >= COALESCE_MAX_BYTES) this.flush();
    else {
      due.add(this);
      dueTimer ??= setTimeout(flushDue, COALESCE_MS);
    }
  }

  /** Hand what is pending to the file now, in one write. */
  flush(): void {
    const parts = this.pending;
    this.dropPending();
    if (!this.open || parts.length === 0) return;
    const data: Buffer | string =
      parts.length === 1
        ? (parts[0] as Buffer | string)
        : parts.every((p) => typeof p === 'string')
          ? parts.join('')
          : Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
    if (this.stream) {
      this.stream.write(data);
      return;
    }
    try {
      this.writeAll(this.fd as number, data);
    } catch (e) {
      this.fail(e);
    }
  }

  private writeAll(fd: number, data: Buffer | string): void {
    const t0 = this.io.now();
    let buf = data;
    for (;;) {
      const n = this.io.writeSync(fd, buf);
      const len = typeof buf === 'string' ? Buffer.byteLength(buf) : buf.length;
      if (n >= len) break;
      if (n <= 0) throw Object.assign(new Error('the file takes no more bytes'), { code: 'EIO' });
      // A short write (a disk filling up): the rest, until the error says why.
      buf = (typeof buf === 'string' ? Buffer.from(buf) : buf).subarray(n);
    }
    if (this.io.now() - t0 > SLOW_WRITE_MS) this.goAsync();
  }

  end(): Promise<void> {
    this.flush();
    const s = this.stream;
    if (!s) {
      this.closeFile();
      return Promise.resolve();
    }
    this.stream = undefined;
    this.open = false;
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
  constructor(
    dir: string,
    name: string,
    onError?: (msg: string) => void,
    onDrain: () => void = () => {},
    io: SinkIo = realIo,
  ) {
    const report = (msg: string) => {
      if (!this.error) {
        this.error = msg;
        onError?.(msg);
      }
    };
    this.raw = new Sink(join(dir, `${name}.raw`), report, onDrain, io);
    this.text = new Sink(join(dir, `${name}.txt`), report, onDrain, io);
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

  /** Hand what is pending to both files now (on disk at once for a local file; else queued). */
  flush(): void {
    this.raw.flush();
    this.text.flush();
  }

  /** Flush and close both files. */
  async close(): Promise<void> {
    await Promise.all([this.raw.end(), this.text.end()]);
  }
}
