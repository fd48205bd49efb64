import { existsSync, readFileSync, statSync, WriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COALESCE_MAX_BYTES, COALESCE_MS, createRunDir, Transcript } from '../../src/engine/transcript.js';
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

  const open = () => {
    const d = tempDir('axiom-transcript-');
    dirs.push(d);
    return { dir: d.path, t: new Transcript(d.path, '1') };
  };

  it('coalesces the chunks of one window into one write per file, and loses nothing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const write = vi.spyOn(WriteStream.prototype, 'write');
    const { dir, t } = open();
    const chunks = Array.from({ length: 10 }, (_, i) => Buffer.from(`\x1b[2K spinner ${i}\r`));
    for (const c of chunks) t.writeRaw(c);
    t.writeText('line one\n');
    t.writeText('line two\n');
    expect(write).not.toHaveBeenCalled();
    // Not on disk yet, but counted: flow control sees what is pending.
    expect(t.backlog).toBe(Buffer.concat(chunks).length + 18);
    vi.advanceTimersByTime(COALESCE_MS);
    expect(write).toHaveBeenCalledTimes(2);
    t.writeRaw(Buffer.from('after'));
    expect(write).toHaveBeenCalledTimes(2);
    await t.close();
    expect(write).toHaveBeenCalledTimes(3);
    expect(readFileSync(join(dir, '1.raw'), 'utf8')).toBe(`${Buffer.concat(chunks).toString()}after`);
    expect(readFileSync(join(dir, '1.txt'), 'utf8')).toBe('line one\nline two\n');
  });

  it('writes at once, without the window, once a flood has filled the coalescing limit', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const write = vi.spyOn(WriteStream.prototype, 'write');
    const { dir, t } = open();
    const chunk = Buffer.alloc(COALESCE_MAX_BYTES / 4, 'x');
    for (let i = 0; i < 4; i++) t.writeRaw(chunk);
    expect(write).toHaveBeenCalledTimes(1);
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
    // Without close(): the window's timer alone writes it (the file first, the write's callback after).
    while ((read() !== 'one two' || t.backlog > 0) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 10));
    expect(read()).toBe('one two');
    expect(t.backlog).toBe(0);
    await t.close();
  });
});
