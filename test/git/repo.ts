/** Temporary git repositories for tests (real git). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

export interface TempRepo {
  root: string;
  write(rel: string, text: string): void;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A repository on branch main with one commit holding `files`. */
export function tempRepo(files: Record<string, string> = { 'a.txt': 'one\ntwo\nthree\n' }): TempRepo {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-git-')));
  sh(root, 'init', '-q', '-b', 'main');
  sh(root, 'config', 'user.email', 'test@example.com');
  sh(root, 'config', 'user.name', 'Test');
  sh(root, 'config', 'commit.gpgsign', 'false');
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  for (const [rel, text] of Object.entries(files)) write(rel, text);
  if (Object.keys(files).length) {
    sh(root, 'add', '.');
    sh(root, 'commit', '-q', '-m', 'init');
  }
  return {
    root,
    write,
    git: (...args) => sh(root, ...args),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
