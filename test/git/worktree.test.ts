/**
 * The worktree module against real git in temporary repositories: create from what the user
 * sees, diff, apply into the user's tree, remove only when empty, and one-line errors.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explainGitFailure } from '../../src/engine/git/git.js';
import {
  addWorktree,
  applyToTree,
  baseCommit,
  conflictFiles,
  diffSummary,
  diffText,
  formatDiffSummary,
  insideWorkTree,
  removeWorktree,
  repoRoot,
  untrackedNotice,
} from '../../src/engine/git/worktree.js';
import { type TempRepo, tempRepo } from './repo.js';

let repos: TempRepo[] = [];
function repo(files?: Record<string, string>): TempRepo {
  const r = tempRepo(files);
  repos.push(r);
  return r;
}
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});

describe('worktree creation', () => {
  it('starts from HEAD plus the uncommitted edits, and keeps axiom out of git status', async () => {
    const r = repo();
    r.write('a.txt', 'one\ntwo\nthree\nuser edit\n');
    const before = r.git('status', '--porcelain');
    const wt = await addWorktree(r.root, 'run1-1');
    expect(wt.path).toBe(join(r.root, '.axiom', 'worktrees', 'run1-1'));
    expect(wt.branch).toBe('axiom/run1-1');
    expect(readFileSync(join(wt.path, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\nuser edit\n');
    // The user's tree, index and stash list are untouched; .axiom/ is not in their status.
    expect(r.git('status', '--porcelain')).toBe(before);
    expect(r.git('stash', 'list')).toBe('');
    expect(readFileSync(join(r.root, '.git', 'info', 'exclude'), 'utf8')).toContain('/.axiom/');
    expect(existsSync(join(r.root, '.gitignore'))).toBe(false);
    // Idempotent exclude.
    await addWorktree(r.root, 'run1-2');
    const lines = readFileSync(join(r.root, '.git', 'info', 'exclude'), 'utf8').split('\n');
    expect(lines.filter((l) => l === '/.axiom/')).toHaveLength(1);
  });

  it('uses HEAD when the tree is clean, and says when untracked files are not carried', async () => {
    const r = repo();
    const head = r.git('rev-parse', 'HEAD').trim();
    expect(await baseCommit(r.root)).toBe(head);
    expect(await untrackedNotice(r.root)).toBeUndefined();
    r.write('new.txt', 'x');
    r.write('other.txt', 'y');
    expect(await untrackedNotice(r.root)).toBe(
      '2 untracked files are not carried into the worktrees (git add them to include them)',
    );
    const wt = await addWorktree(r.root, 'r-1');
    expect(existsSync(join(wt.path, 'new.txt'))).toBe(false);
    // Worktrees themselves do not count as untracked files.
    expect(await untrackedNotice(r.root)).toMatch(/^2 untracked/);
  });

  it('a detached HEAD is fine: the worktree starts from that commit', async () => {
    const r = repo();
    r.write('a.txt', 'second\n');
    r.git('commit', '-qam', 'second');
    r.git('checkout', '-q', '--detach', 'HEAD~1');
    const wt = await addWorktree(r.root, 'd-1');
    expect(readFileSync(join(wt.path, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('finds the root from a subdirectory and tells a work tree from elsewhere', async () => {
    const r = repo({ 'sub/x.txt': 'x\n' });
    expect(await repoRoot(join(r.root, 'sub'))).toBe(r.root);
    expect(await insideWorkTree(join(r.root, 'sub'))).toBe(true);
    const plain = mkdtempSync(join(tmpdir(), 'axiom-nogit-'));
    try {
      expect(await insideWorkTree(plain)).toBe(false);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('diff', () => {
  it('counts committed, uncommitted and untracked new files against the base', async () => {
    const r = repo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' });
    const wt = await addWorktree(r.root, 'x-1');
    expect(await diffSummary(wt.path, wt.base)).toEqual({ added: 0, deleted: 0, files: 0 });
    // committed in the worktree
    writeFileSync(join(wt.path, 'b.txt'), 'B\nmore\n');
    const { sh } = await import('./repo.js');
    sh(wt.path, 'commit', '-qam', 'agent commit');
    // uncommitted
    writeFileSync(join(wt.path, 'a.txt'), 'one\nTWO\nthree\n');
    // untracked new file
    writeFileSync(join(wt.path, 'new.py'), 'print(1)\nprint(2)\n');
    const d = await diffSummary(wt.path, wt.base);
    expect(d).toEqual({ added: 5, deleted: 2, files: 3 });
    expect(formatDiffSummary(d)).toBe('+5 \u22122, 3 files');
    // The agent's own index is untouched (new.py is still untracked there).
    expect(sh(wt.path, 'status', '--porcelain')).toContain('?? new.py');
    const text = await diffText(wt.path, wt.base);
    expect(text).toContain('+++ b/new.py');
    expect(text).toContain('-two');
    const stat = await diffText(wt.path, wt.base, { stat: true });
    expect(stat).toMatch(/3 files changed, 5 insertions\(\+\), 2 deletions\(-\)/);
    expect(await diffText(wt.path, wt.base, { color: true })).toContain('\x1b[');
  });

  it('sees a same-size edit that keeps the mtime git recorded (racy entries stay racy in the copy)', async () => {
    const r = repo({ 'a.txt': 'one\ntwo\n' });
    const wt = await addWorktree(r.root, 'x-1');
    const { sh } = await import('./repo.js');
    // What a fast agent does within the second of the checkout, made deterministic: the entry's
    // recorded mtime, the index file's mtime and the edited file's mtime are all T0 (ctime, which
    // cannot be set, is left out of git's check).
    sh(wt.path, 'config', 'core.trustctime', 'false');
    const file = join(wt.path, 'a.txt');
    const t0 = new Date(Date.now() - 100_000);
    utimesSync(file, t0, t0);
    sh(wt.path, 'update-index', '--refresh');
    const index = sh(wt.path, 'rev-parse', '--path-format=absolute', '--git-path', 'index').trim();
    utimesSync(index, t0, t0);
    writeFileSync(file, 'one\nTWO\n');
    utimesSync(file, t0, t0);
    // Only git's racy-entry check (entry mtime >= the index file's mtime) can see this edit.
    expect(await diffSummary(wt.path, wt.base)).toEqual({ added: 1, deleted: 1, files: 1 });
  });

  it('formats summaries', () => {
    expect(formatDiffSummary({ added: 12, deleted: 3, files: 2 })).toBe('+12 \u22123, 2 files');
    expect(formatDiffSummary({ added: 1, deleted: 0, files: 1 })).toBe('+1 \u22120, 1 file');
    expect(formatDiffSummary({ added: 0, deleted: 0, files: 0 })).toBe('no changes');
    expect(formatDiffSummary(undefined)).toBe('no diff yet');
  });
});

describe('apply', () => {
  it("brings the changes in as uncommitted edits and leaves the user's own edits alone", async () => {
    const r = repo({ 'a.txt': 'one\ntwo\nthree\n', 'u.txt': 'user\n' });
    r.write('u.txt', 'user\nedit before spawn\n');
    const wt = await addWorktree(r.root, 'p-1');
    writeFileSync(join(wt.path, 'a.txt'), 'one\n2\nthree\n');
    writeFileSync(join(wt.path, 'fib.py'), 'def fib(n): ...\n');
    writeFileSync(join(wt.path, 'img.bin'), Buffer.from([0, 1, 2, 255, 0]));
    // The user edits again after the spawn, in another file.
    r.write('u.txt', 'user\nedit before spawn\nand after\n');
    const res = await applyToTree(wt.path, wt.base, r.root);
    expect(res).toEqual({ ok: true, files: ['a.txt', 'fib.py', 'img.bin'] });
    expect(readFileSync(join(r.root, 'a.txt'), 'utf8')).toBe('one\n2\nthree\n');
    expect(readFileSync(join(r.root, 'fib.py'), 'utf8')).toBe('def fib(n): ...\n');
    expect([...readFileSync(join(r.root, 'img.bin'))]).toEqual([0, 1, 2, 255, 0]);
    expect(readFileSync(join(r.root, 'u.txt'), 'utf8')).toBe('user\nedit before spawn\nand after\n');
    // Uncommitted, and not staged.
    expect(r.git('log', '--oneline').trim().split('\n')).toHaveLength(1);
    expect(r.git('diff', '--cached', '--name-only')).toBe('');
    expect(r.git('status', '--porcelain').split('\n').sort().filter(Boolean)).toEqual([
      ' M a.txt',
      ' M u.txt',
      '?? fib.py',
      '?? img.bin',
    ]);
  });

  it('on a conflict lists the files and changes nothing', async () => {
    const r = repo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'b\n' });
    const wt = await addWorktree(r.root, 'c-1');
    writeFileSync(join(wt.path, 'a.txt'), 'one\nsession\nthree\n');
    writeFileSync(join(wt.path, 'b.txt'), 'b changed\n');
    writeFileSync(join(wt.path, 'same.txt'), 'session\n');
    r.write('a.txt', 'one\nuser\nthree\n');
    r.write('same.txt', 'user\n');
    const res = await applyToTree(wt.path, wt.base, r.root);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.conflicts.sort()).toEqual(['a.txt', 'same.txt']);
    expect(res.message).toBe('conflicts with your tree in a.txt, same.txt; nothing was changed');
    expect(readFileSync(join(r.root, 'a.txt'), 'utf8')).toBe('one\nuser\nthree\n');
    expect(readFileSync(join(r.root, 'b.txt'), 'utf8')).toBe('b\n');
    expect(readFileSync(join(r.root, 'same.txt'), 'utf8')).toBe('user\n');
  });

  it('parses git apply complaints', () => {
    expect(
      conflictFiles(
        'error: patch failed: a b.txt:2\nerror: a b.txt: patch does not apply\nerror: n.txt: already exists in working directory\n',
      ),
    ).toEqual(['a b.txt', 'n.txt']);
  });
});

describe('remove', () => {
  it('removes an unchanged worktree and its branch; never one holding changes without force', async () => {
    const r = repo();
    const empty = await addWorktree(r.root, 'e-1');
    // Ignored build output does not count as a change and does not block removal.
    r.write('.gitignore', 'build/\n');
    r.git('add', '.gitignore');
    r.git('commit', '-qm', 'ignore');
    const kept = await addWorktree(r.root, 'e-2');
    writeFileSync(join(kept.path, 'work.txt'), 'precious\n');
    expect(await removeWorktree(r.root, empty, { base: empty.base })).toBe('removed');
    expect(existsSync(empty.path)).toBe(false);
    expect(r.git('branch', '--list', 'axiom/e-1')).toBe('');
    expect(await removeWorktree(r.root, kept, { base: kept.base })).toBe('kept');
    expect(readFileSync(join(kept.path, 'work.txt'), 'utf8')).toBe('precious\n');
    expect(await removeWorktree(r.root, kept, { base: kept.base, force: true })).toBe('removed');
    expect(existsSync(kept.path)).toBe(false);
    expect(r.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    // Already gone: just the branch (idempotent).
    expect(await removeWorktree(r.root, kept, { base: kept.base })).toBe('removed');
  });

  it('parallel creations in one repository do not race on git locks', async () => {
    const r = repo();
    const all = await Promise.all([1, 2, 3, 4].map((n) => addWorktree(r.root, `par-${n}`)));
    expect(new Set(all.map((w) => w.path)).size).toBe(4);
    expect(r.git('worktree', 'list').trim().split('\n')).toHaveLength(5);
  });
});

describe('errors: one line naming the fix', () => {
  it('not a git repository', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'axiom-nogit-'));
    try {
      await expect(addWorktree(plain, 'n-1')).rejects.toThrow(
        `not a git repository: ${plain} (run \`git init\` there, or use --no-worktree)`,
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('a repository without commits', async () => {
    const r = repo({});
    await expect(addWorktree(r.root, 'n-1')).rejects.toThrow(
      'the repository has no commits yet: make a first commit, or use --no-worktree',
    );
  });

  it('a locked index', async () => {
    const r = repo();
    r.write('a.txt', 'edited\n');
    writeFileSync(join(r.root, '.git', 'index.lock'), '');
    await expect(addWorktree(r.root, 'l-1')).rejects.toThrow(
      `git is locked (${join(r.root, '.git', 'index.lock')}): another git command is running; wait for it, or delete the lock file if none is`,
    );
  });

  it('a branch that already exists', async () => {
    const r = repo();
    r.git('branch', 'axiom/b-1');
    await expect(addWorktree(r.root, 'b-1')).rejects.toThrow(
      'branch axiom/b-1 already exists: delete it (git branch -D axiom/b-1) or run `axiom clean`',
    );
    expect(existsSync(join(r.root, '.axiom', 'worktrees', 'b-1'))).toBe(false);
  });

  it('git not installed', async () => {
    const r = repo();
    await expect(addWorktree(r.root, 'g-1', { bin: '/nonexistent/git' })).rejects.toThrow(
      'git is not installed (or not on PATH): install git, or use --no-worktree',
    );
  });

  it('a full disk (git reports ENOSPC)', async () => {
    const r = repo();
    // A git that fails the way a full disk makes it fail (the real one cannot be filled safely here).
    const fake = join(r.root, '.git', 'fake-git.sh');
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$1" = worktree ]; then echo "fatal: could not write index: No space left on device" >&2; exit 128; fi\nexec git "$@"\n`,
    );
    chmodSync(fake, 0o755);
    await expect(addWorktree(r.root, 'f-1', { bin: fake })).rejects.toThrow(
      'disk full while running git worktree: free some space and try again',
    );
    expect(explainGitFailure(['apply'], '/x', 'error: unable to write file: No space left on device')).toBe(
      'disk full while running git apply: free some space and try again',
    );
  });
});
