/**
 * node-pty internals: the master's file descriptor `_fd` and its libuv stream `_socket` (pinned
 * node-pty 1.1.0). Two things are built on them, each skipped when a version lacks them:
 * - read-ahead: a PTY master reads ~4 KB per event-loop turn, so without it one pane's output
 *   is capped at ~4 KB × turns per second (BENCHMARKS.md, "What the profiles showed", item 1);
 * - drain: the last ~64 KB an agent writes before it exits would be lost when libuv ends the
 *   stream after a short read.
 * A third, `_writeStream`, keeps write errors off the person's terminal (`quietWrites` below).
 * test/compat/pinned.test.ts fails loudly when the pinned node-pty no longer has them.
 */
import { write as fsWrite, readSync } from 'node:fs';

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
export function installDrain(raw: unknown, deliver: (d: Buffer) => void): boolean {
  const { _fd: fd, _socket: sock } = raw as NodePtyInternals;
  if (typeof fd !== 'number' || !sock || typeof sock.read !== 'function') return false;
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
  return true;
}

/** Read-ahead per data event: at most this much, in reads of up to READ_AHEAD_CHUNK. */
const READ_AHEAD_MAX = 1024 * 1024;
const READ_AHEAD_CHUNK = 256 * 1024;
/** Read ahead only when this long passed since the previous chunk, and the chunk was full. */
export const READ_AHEAD_AFTER_MS = 2;
/** A PTY read returns at most ~4 KB (4095 bytes) at a time; a shorter read emptied the buffer. */
export const READ_AHEAD_MIN_CHUNK = 4000;

/** A bound shared by several readers (src/engine/read-budget.ts): bytes left, bytes read. */
export interface ReadBudget {
  left(): number;
  spend(n: number): void;
}

/** fs.readSync's shape (injectable for tests). */
export type ReadSync = (fd: number, buf: Buffer, offset: number, length: number, position: null) => number;

const unbounded: ReadBudget = { left: () => Number.POSITIVE_INFINITY, spend: () => undefined };

/**
 * Read on after each chunk, synchronously, while the kernel holds more output (throughput).
 * libuv takes a short read as "drained" and a PTY master always reads short (~4 KB, a
 * line-discipline buffer), so it reads each PTY once per event-loop turn: output throughput is
 * then ~4 KB × turns per second, and a UI frame of 40 ms caps a pane at ~100 KB/s. The descriptor
 * is non-blocking (EAGAIN: empty; EIO: hung up, libuv sees it next and ends the stream). Skipped
 * while paused, and while the stream still buffers older chunks (order must be kept). At most
 * what `budget` has left (shared by every PTY, so many flooding panes read no more per turn than
 * one); what is not read stays in the kernel for libuv's next read.
 * Returns undefined when node-pty's internals differ (then: no read-ahead).
 */
export function readAhead(
  raw: unknown,
  deliver: (d: Buffer) => void,
  paused: () => boolean,
  budget: ReadBudget = unbounded,
  read: ReadSync = readSync,
): (() => void) | undefined {
  const { _fd: fd, _socket: sock } = raw as NodePtyInternals & { _socket?: { readableLength?: number } };
  if (typeof fd !== 'number' || !sock || typeof sock.readableLength !== 'number') return undefined;
  const scratch = Buffer.allocUnsafe(READ_AHEAD_CHUNK);
  return () => {
    let total = 0;
    while (total < READ_AHEAD_MAX && !paused() && !sock.destroyed && sock.readableLength === 0) {
      const limit = Math.min(READ_AHEAD_CHUNK, READ_AHEAD_MAX - total, budget.left());
      if (limit <= 0) return;
      let off = 0;
      let more = true;
      while (off < limit) {
        const want = limit - off;
        let n = 0;
        try {
          n = read(fd, scratch, off, want, null);
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
        if (n < READ_AHEAD_MIN_CHUNK && n < want) {
          more = false;
          break;
        }
      }
      if (off > 0) {
        total += off;
        budget.spend(off);
        // A copy: consumers keep chunks (parser queue, transcript) and the scratch is reused.
        deliver(Buffer.from(scratch.subarray(0, off)));
      }
      if (!more) return;
    }
  };
}

/** node-pty 1.1.0's write queue (`CustomWriteStream`): writes go to `_fd` with fs.write, in order. */
interface WriteStreamInternals {
  _fd?: unknown;
  _writeQueue?: Array<{ buffer: Buffer; offset: number }>;
  _writeImmediate?: NodeJS.Immediate;
  _processWriteQueue?: () => void;
}

type FsWrite = (
  fd: number,
  buf: Buffer,
  offset: number,
  cb: (err: NodeJS.ErrnoException | null, n: number) => void,
) => void;

/**
 * node-pty writes to the master asynchronously and, on any error but EAGAIN, prints
 * `Unhandled pty write error` with console.error: onto the person's terminal, under or after the
 * UI. It happens when an agent exits (or its PTY is closed) while a write is on its way, e.g. a
 * quit that sends keys and stops every session at once (seen on Node 22: EBADF). This takes over
 * the queue with the same order and backpressure (EAGAIN: retry on the next turn), but hands
 * errors to `onError`, and drops what is queued once the master is closed instead of writing to a
 * descriptor number that may by then belong to another file. False when node-pty differs.
 */
export function quietWrites(
  raw: unknown,
  onError: (err: NodeJS.ErrnoException) => void,
  write: FsWrite = fsWrite,
): boolean {
  const { _socket: sock, _writeStream: ws } = raw as NodePtyInternals & {
    _writeStream?: WriteStreamInternals;
  };
  if (!ws || !sock || typeof ws._fd !== 'number' || !Array.isArray(ws._writeQueue)) return false;
  if (typeof ws._processWriteQueue !== 'function') return false;
  const fd = ws._fd;
  const queue = ws._writeQueue;
  const next = (): void => {
    ws._writeImmediate = undefined;
    const task = queue[0];
    if (!task) return;
    if (sock.destroyed) {
      queue.length = 0;
      return;
    }
    write(fd, task.buffer, task.offset, (err, n) => {
      if (err) {
        if (err.code === 'EAGAIN') ws._writeImmediate = setImmediate(next);
        else {
          queue.length = 0;
          onError(err);
        }
        return;
      }
      task.offset += n;
      if (task.offset >= task.buffer.byteLength) queue.shift();
      next();
    });
  };
  ws._processWriteQueue = next;
  return true;
}
