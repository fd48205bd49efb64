/**
 * Writes to an agent's PTY (src/compat/node-pty.ts quietWrites): node-pty printed
 * `Unhandled pty write error` onto the person's terminal when an agent's PTY closed while a write
 * was on its way (seen on Node 22 when the UI quit on SIGTERM). Now the error goes to a callback,
 * queued writes are dropped once the master is closed, and order and backpressure are kept.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { quietWrites } from '../../src/compat/node-pty.js';

type Cb = (err: NodeJS.ErrnoException | null, n: number) => void;

/** A stand-in with node-pty 1.1.0's shape: write() queues and starts the queue when it was empty. */
function fakePty() {
  const queue: Array<{ buffer: Buffer; offset: number }> = [];
  const ws = {
    _fd: 42,
    _writeQueue: queue,
    _writeImmediate: undefined as NodeJS.Immediate | undefined,
    _processWriteQueue: (): void => {
      throw new Error('the library’s own queue ran');
    },
    write(data: string): void {
      queue.push({ buffer: Buffer.from(data), offset: 0 });
      if (queue.length === 1) ws._processWriteQueue();
    },
  };
  return { raw: { _socket: { destroyed: false }, _writeStream: ws }, ws, queue };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('quietWrites', () => {
  it('writes in order, retries on EAGAIN, finishes partial writes', async () => {
    const { raw, ws } = fakePty();
    const calls: Array<[string, Cb]> = [];
    expect(
      quietWrites(
        raw,
        () => undefined,
        (_fd, buf, off, cb) => calls.push([buf.subarray(off).toString(), cb]),
      ),
    ).toBe(true);
    ws.write('abc');
    ws.write('de');
    expect(calls.map((c) => c[0])).toEqual(['abc']); // one at a time
    calls[0]?.[1](Object.assign(new Error('again'), { code: 'EAGAIN' }), 0);
    await new Promise((r) => setImmediate(r));
    expect(calls.map((c) => c[0])).toEqual(['abc', 'abc']);
    calls[1]?.[1](null, 1); // partial
    expect(calls[2]?.[0]).toBe('bc');
    calls[2]?.[1](null, 2);
    expect(calls[3]?.[0]).toBe('de');
    calls[3]?.[1](null, 2);
    expect(calls).toHaveLength(4);
  });

  it('an error goes to the callback, not to console.error, and drops the rest of the queue', () => {
    const { raw, ws, queue } = fakePty();
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const errors: string[] = [];
    const calls: Cb[] = [];
    quietWrites(
      raw,
      (e) => errors.push(e.code ?? ''),
      (_fd, _b, _o, cb) => calls.push(cb),
    );
    ws.write('a');
    ws.write('b');
    calls[0]?.(Object.assign(new Error('bad fd'), { code: 'EBADF' }), 0);
    expect(errors).toEqual(['EBADF']);
    expect(queue).toHaveLength(0);
    expect(calls).toHaveLength(1);
    expect(printed).not.toHaveBeenCalled();
  });

  it('once the master is closed nothing more is written (its number may belong to another file)', () => {
    const { raw, ws, queue } = fakePty();
    const write = vi.fn();
    quietWrites(raw, () => undefined, write);
    raw._socket.destroyed = true;
    ws.write('late');
    expect(write).not.toHaveBeenCalled();
    expect(queue).toHaveLength(0);
  });

  it('the real node-pty: writes racing a closing PTY print nothing', async () => {
    const pty = createRequire(import.meta.url)('node-pty') as typeof import('node-pty');
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < 60; i++) {
      // UnixTerminal's on('close') and destroy() are not in IPty's types.
      const p = pty.spawn('/bin/sh', ['-c', 'sleep 5'], { cols: 20, rows: 2, encoding: null }) as ReturnType<
        typeof pty.spawn
      > & { on(e: 'close', cb: () => void): void; destroy(): void };
      expect(quietWrites(p, () => undefined)).toBe(true);
      const closed = new Promise<void>((r) => p.on('close', () => r()));
      p.write('x'.repeat(10_000));
      p.destroy(); // closes the master while the write is on its way
      await closed;
    }
    // the last writes' callbacks
    await new Promise((r) => setTimeout(r, 50));
    expect(printed.mock.calls.map((c) => String(c[0]))).toEqual([]);
  }, 30_000);
});
