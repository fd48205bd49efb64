import { closeSync, existsSync, openSync, readFileSync, statSync, WriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  COALESCE_MAX_BYTES,
  COALESCE_MS,
  createRunDir,
  realIo,
  type SinkIo,
  SLOW_WRITE_MS,
  Transcript,
} from '../../src/engine/transcript.js';
import { tempDir } from '../faults/helpers.js';

const dirs: Array<{ remove(): void }> = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('createRunDir', () => {
  it('creates every missing level, each 0700', () => {
    const d = tempDir('axiom-rundir-');
    dirs.push(d);
    const run = createRunDir(join(d.path, 'a', 'b'), 'r1');
    expect(run).toBe(join(d.path, 'a', 'b', 'runs', 'r1'));
    for (const p of ['a', 'a/b', 'a/b/runs', 'a/b/runs/r1'])
      expect((statSync(join(d.path, p)).mode & 0o777).toString(8), p).toBe('700');
    // Again: it exists already, which is fine.
    expect(createRunDir(join(d.path, 'a', 'b'), 'r1')).toBe(run);
  });

  it('throws one line naming the fix: inside /proc (where Node’s recursive mkdir spins), under a file', () => {
    expect(() => createRunDir('/proc/self/nope/deeper', 'r1')).toThrow(
      /^cannot create transcript directory: ENOENT: no such file or directory, mkdir '\/proc\/self\/nope'; pass --state-dir <a writable directory> \(or AXIOM_STATE_DIR\), or --no-transcripts$/,
    );
    const d = tempDir('axiom-rundir-');
    dirs.push(d);
    const file = join(d.path, 'f');
    writeFileSync(file, '');
    expect(() => createRunDir(join(file, 'x'), 'r1')).toThrow(
      `cannot create transcript directory: ENOTDIR: ${file} is not a directory; pass`,
    );
  });
});

describe('Transcript writes', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** The real write paths, counted; `slow` makes each synchronous write seem to take that long. */
  const counted = (over: Partial<SinkIo> = {}, slowMs = 0) => {
    const calls = { sync: 0 };
    let clock = 0;
    const io: SinkIo = {
      ...realIo,
      writeSync(fd, data) {
        calls.sync++;
        clock += slowMs;
        return realIo.writeSync(fd, data);
      },
      now: () => clock,
      ...over,
    };
    return { io, calls };
  };

  const open = (io: SinkIo = realIo, name = '1') => {
    const d = tempDir('axiom-transcript-');
    dirs.push(d);
    return { dir: d.path, t: new Transcript(d.path, name, undefined, undefined, io) };
  };

  it('coalesces the chunks of one window into one write per file, and loses nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io, calls } = counted();
    const { dir, t } = open(io);
    const chunks = Array.from({ length: 10 }, (_, i) => Buffer.from(`\x1b[2K spinner ${i}\r`));
    for (const c of chunks) t.writeRaw(c);
    t.writeText('line one\n');
    t.writeText('line two\n');
    expect(calls.sync).toBe(0);
    // Not on disk yet, but counted: flow control sees what is pending.
    expect(t.backlog).toBe(Buffer.concat(chunks).length + 18);
    vi.advanceTimersByTime(COALESCE_MS);
    expect(calls.sync).toBe(2);
    expect(t.backlog).toBe(0);
    // A local file is written in the same turn: on disk before anything else runs.
    expect(readFileSync(join(dir, '1.txt'), 'utf8')).toBe('line one\nline two\n');
    t.writeRaw(Buffer.from('after'));
    expect(calls.sync).toBe(2);
    await t.close();
    expect(calls.sync).toBe(3);
    expect(readFileSync(join(dir, '1.raw'), 'utf8')).toBe(`${Buffer.concat(chunks).toString()}after`);
  });

  it('one timer serves every transcript: four sessions wake the process once per window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io, calls } = counted();
    const all = [1, 2, 3, 4].map((n) => open(io, String(n)));
    for (const { t } of all) {
      t.writeRaw(Buffer.from('spinner\r'));
      t.writeText('a line\n');
    }
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(COALESCE_MS);
    expect(calls.sync).toBe(8);
    // Nothing pending: no timer left to wake the process.
    expect(vi.getTimerCount()).toBe(0);
    for (const { t } of all) {
      await t.close();
      expect(readFileSync(t.textPath, 'utf8')).toBe('a line\n');
    }
  });

  it('writes at once, without the window, once a flood has filled the coalescing limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { io, calls } = counted();
    const { dir, t } = open(io);
    const chunk = Buffer.alloc(COALESCE_MAX_BYTES / 4, 'x');
    for (let i = 0; i < 4; i++) t.writeRaw(chunk);
    expect(calls.sync).toBe(1);
    await t.close();
    expect(readFileSync(join(dir, '1.raw')).length).toBe(COALESCE_MAX_BYTES);
  });

  it('is on disk within the window without a close (what a kill -9 can lose)', async () => {
    const { dir, t } = open();
    t.writeRaw(Buffer.from('one '));
    t.writeRaw(Buffer.from('two'));
    const path = join(dir, '1.raw');
    const read = () => (existsSync(path) ? readFileSync(path, 'utf8') : '');
    const until = Date.now() + 5000;
    // Without close(): the window's timer alone writes it.
    while ((read() !== 'one two' || t.backlog > 0) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
    expect(read()).toBe('one two');
    expect(t.backlog).toBe(0);
    await t.close();
  });

  it('a write slower than SLOW_WRITE_MS moves that file to asynchronous writes, in order, losing nothing', async () => {
    const stream = vi.spyOn(WriteStream.prototype, 'write');
    const { io, calls } = counted({}, SLOW_WRITE_MS + 1);
    const { dir, t } = open(io);
    t.writeRaw(Buffer.alloc(COALESCE_MAX_BYTES, 'a'));
    expect(calls.sync).toBe(1);
    t.writeRaw(Buffer.alloc(COALESCE_MAX_BYTES, 'b'));
    t.writeRaw(Buffer.from('c'));
    expect(calls.sync).toBe(1);
    expect(stream).toHaveBeenCalledTimes(1);
    // The stream's queue counts toward the backlog the flow control reads.
    expect(t.backlog).toBe(COALESCE_MAX_BYTES + 1);
    await t.close();
    expect(readFileSync(join(dir, '1.raw'), 'utf8')).toBe(
      `${'a'.repeat(COALESCE_MAX_BYTES)}${'b'.repeat(COALESCE_MAX_BYTES)}c`,
    );
  });

  it('a file that is not on a local filesystem is written asynchronously from the start', async () => {
    const stream = vi.spyOn(WriteStream.prototype, 'write');
    const { io, calls } = counted({ local: () => false });
    const { dir, t } = open(io);
    t.writeText('over the network\n');
    await t.close();
    expect(calls.sync).toBe(0);
    expect(stream).toHaveBeenCalledTimes(1);
    expect(readFileSync(join(dir, '1.txt'), 'utf8')).toBe('over the network\n');
  });

  it('the file system this machine’s temporary directory is on counts as local (writes are synchronous)', () => {
    const d = tempDir('axiom-transcript-');
    dirs.push(d);
    const probe = join(d.path, 'probe');
    const fd = openSync(probe, 'w');
    try {
      expect(realIo.local(fd, probe)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('a write that fails (disk full) turns the transcript off with the reason, once', async () => {
    const errors: string[] = [];
    const d = tempDir('axiom-transcript-');
    dirs.push(d);
    const io: SinkIo = {
      ...realIo,
      writeSync: () => {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
    };
    const t = new Transcript(d.path, '1', (m) => errors.push(m), undefined, io);
    t.writeRaw(Buffer.alloc(COALESCE_MAX_BYTES));
    t.writeText('x\n');
    await t.close();
    expect(errors).toEqual([
      `ENOSPC writing ${join(d.path, '1.raw')}: ENOSPC: no space left on device, write`,
    ]);
    expect(t.backlog).toBe(0);
  });
});
