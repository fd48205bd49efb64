/** Files only this user can read (they carry the hook secret), in one directory removed at the end. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class PrivateFiles {
  /** 0700 directory, created on first use. */
  private dir: string | undefined;

  /** Write a file only this user can read (0600 in a 0700 directory); returns its path. */
  write(name: string, content: string): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'axiom-private-')); // mkdtemp: 0700
    const file = join(this.dir, name);
    writeFileSync(file, content, { mode: 0o600, flag: 'w' });
    return file;
  }

  /** Remove the directory and what it holds (at shutdown). */
  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
