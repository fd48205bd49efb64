/**
 * The narrow PTY port the engine depends on, and its node-pty adapter.
 * Tests substitute a fake factory; nothing else in the engine imports node-pty.
 */
import { readSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface Disposable {
  dispose(): void;
}

export interface PtySpawnOptions {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

export interface PtyExit {
  exitCode: number;
  /** Signal number, if the process was killed by one. */
  signal?: number;
}

export interface PtyProcess {
  readonly pid: number;
  /** Write input bytes to the agent. */
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  /** Signal the process (not its group; the session kills the group itself). */
  kill(signal?: NodeJS.Signals): void;
  /** Raw output bytes, never decoded (the transcript keeps them exactly). */
  onData(cb: (data: Buffer) => void): Disposable;
  onExit(cb: (e: PtyExit) => void): Disposable;
  /**
   * The terminal closed: no process holds it open any more. Normally right before onExit; on its
   * own, the agent closed its terminal but kept running.
   */
  onClose?(cb: () => void): Disposable;
  pause(): void;
  resume(): void;
}

export type PtyFactory = (opts: PtySpawnOptions) => PtyProcess;

interface NodePtyModule {
  spawn(
    file: string,
    args: string[],
    opts: {
      name: string;
      cols: number;
      rows: number;
      cwd: string;
      env: Record<string, string>;
      encoding: null;
    },
  ): {
    pid: number;
    write(data: string | Buffer): void;
    resize(cols: number, rows: number): void;
    kill(signal?: string): void;
    pause(): void;
    resume(): void;
    onData(cb: (d: Buffer | string) => void): Disposable;
    onExit(cb: (e: { exitCode: number; signal?: number }) => void): Disposable;
    on(event: 'close', cb: () => void): void;
  };
}

/** node-pty 1.1.0 internals the drain below relies on (absent in other versions: no drain then). */
interface NodePtyInternals {
  _fd?: unknown;
  _socket?: {
    destroyed: boolean;
    on(event: 'end', cb: () => void): void;
    read(): Buffer | string | null;
    destroy(err?: Error): unknown;
  };
}

const DRAIN_CHUNK = 64 * 1024;

/**
 * Deliver what the kernel still holds for a closing PTY. libuv ends a stream when the far side
 * hangs up right after a short read, but a PTY master always reads short (a line-discipline buffer
 * at a time) while more may wait behind it: the last ~64 KB an agent writes before it exits would be
 * lost. So just before node-pty closes the master (on 'end', or when it destroys the socket after
 * the exit), read the rest synchronously (the descriptor is non-blocking: EAGAIN or EIO means empty).
 */
function installDrain(raw: unknown, deliver: (d: Buffer) => void): void {
  const { _fd: fd, _socket: sock } = raw as NodePtyInternals;
  if (typeof fd !== 'number' || !sock || typeof sock.read !== 'function') return;
  const drain = (): void => {
    if (sock.destroyed) return;
    // Bytes already read from the kernel but held back by a paused stream: read() emits them as
    // 'data', which node-pty forwards to onData.
    while (sock.read() !== null) {
      // each chunk went out as a 'data' event
    }
    for (;;) {
      const buf = Buffer.allocUnsafe(DRAIN_CHUNK);
      let n = 0;
      try {
        n = readSync(fd, buf, 0, DRAIN_CHUNK, null);
      } catch {
        return; // EAGAIN (empty), EIO (empty and hung up), EBADF
      }
      if (n <= 0) return;
      deliver(buf.subarray(0, n));
    }
  };
  sock.on('end', drain);
  const destroy = sock.destroy.bind(sock);
  sock.destroy = (err?: Error) => {
    drain();
    return destroy(err);
  };
}

/** Read-ahead per data event: at most this much, in reads of up to READ_AHEAD_CHUNK. */
const READ_AHEAD_MAX = 1024 * 1024;
const READ_AHEAD_CHUNK = 256 * 1024;
/** Read ahead only when this long passed since the previous chunk, and the chunk was full. */
const READ_AHEAD_AFTER_MS = 2;
/** A PTY read returns at most ~4 KB (4095 bytes) at a time; a shorter read emptied the buffer. */
const READ_AHEAD_MIN_CHUNK = 4000;

/**
 * Read on after each chunk, synchronously, while the kernel holds more output (throughput).
 * libuv takes a short read as "drained" and a PTY master always reads short (~4 KB, a
 * line-discipline buffer), so it reads each PTY once per event-loop turn: output throughput is
 * then ~4 KB × turns per second, and a UI frame of 40 ms caps a pane at ~100 KB/s. The descriptor
 * is non-blocking (EAGAIN: empty; EIO: hung up, libuv sees it next and ends the stream). Skipped
 * while paused, and while the stream still buffers older chunks (order must be kept).
 * Returns undefined when node-pty's internals differ (then: no read-ahead).
 */
function readAhead(
  raw: unknown,
  deliver: (d: Buffer) => void,
  paused: () => boolean,
): (() => void) | undefined {
  const { _fd: fd, _socket: sock } = raw as NodePtyInternals & { _socket?: { readableLength?: number } };
  if (typeof fd !== 'number' || !sock || typeof sock.readableLength !== 'number') return undefined;
  const scratch = Buffer.allocUnsafe(READ_AHEAD_CHUNK);
  return () => {
    let total = 0;
    while (total < READ_AHEAD_MAX && !paused() && !sock.destroyed && sock.readableLength === 0) {
      let off = 0;
      let more = true;
      while (off < READ_AHEAD_CHUNK) {
        let n = 0;
        try {
          n = readSync(fd, scratch, off, READ_AHEAD_CHUNK - off, null);
        } catch {
          more = false; // EAGAIN (empty), EIO (hung up), EBADF
          break;
        }
        if (n <= 0) {
          more = false;
          break;
        }
        off += n;
        // A short read drained the line-discipline buffer: stop before the EAGAIN (a throw).
        if (n < READ_AHEAD_MIN_CHUNK) {
          more = false;
          break;
        }
      }
      if (off > 0) {
        total += off;
        // A copy: consumers keep chunks (parser queue, transcript) and the scratch is reused.
        deliver(Buffer.from(scratch.subarray(0, off)));
      }
      if (!more) return;
    }
  };
}

let nodePty: NodePtyModule | undefined;

/** The real PTY factory (node-pty, loaded lazily so unit tests never load the native addon). */
export const nodePtyFactory: PtyFactory = (opts) => {
  if (!nodePty) {
    const require = createRequire(import.meta.url);
    nodePty = require('node-pty') as NodePtyModule;
  }
  const p = nodePty.spawn(opts.file, opts.args, {
    name: opts.env.TERM ?? 'xterm-256color',
    cols: opts.cols,
    rows: opts.rows,
    cwd: opts.cwd,
    env: opts.env,
    encoding: null,
  });
  const dataCbs = new Set<(d: Buffer) => void>();
  const deliver = (d: Buffer): void => {
    for (const cb of dataCbs) cb(d);
  };
  let paused = false;
  const more = readAhead(p, deliver, () => paused);
  let lastData = 0;
  p.onData((d) => {
    deliver(typeof d === 'string' ? Buffer.from(d, 'utf8') : d);
    // Only after a long event-loop turn and a full read: then the kernel likely holds more. (An
    // empty read-ahead costs a thrown EAGAIN, ~20 µs: not worth it on every small chunk.)
    const now = performance.now();
    if (now - lastData >= READ_AHEAD_AFTER_MS && d.length >= READ_AHEAD_MIN_CHUNK) more?.();
    lastData = now;
  });
  installDrain(p, deliver);
  return {
    pid: p.pid,
    write: (d) => p.write(d),
    resize: (c, r) => p.resize(c, r),
    kill: (sig) => p.kill(sig),
    pause: () => {
      paused = true;
      p.pause();
    },
    resume: () => {
      paused = false;
      p.resume();
    },
    onData: (cb) => {
      dataCbs.add(cb);
      return { dispose: () => void dataCbs.delete(cb) };
    },
    onExit: (cb) => p.onExit(cb),
    onClose: (cb) => {
      let active = true;
      p.on('close', () => {
        if (active) cb();
      });
      return {
        dispose: () => {
          active = false;
        },
      };
    },
  };
};
