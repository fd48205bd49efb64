import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRunDir } from '../../src/engine/transcript.js';
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
