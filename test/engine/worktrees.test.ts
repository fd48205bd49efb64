/**
 * The engine with worktrees: fake PTYs for the agents, real git in a temporary repository.
 * Each session runs in its own worktree; the diff summary follows file events; on exit an empty
 * worktree goes and one with changes stays; the run manifest records all of it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claudeHookEvents } from '../../src/agents/claude.js';
import { genericProfile } from '../../src/agents/generic.js';
import { addWorktree, worktreeLayout } from '../../src/engine/git/worktree.js';
import { readManifest } from '../../src/engine/runs.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import type { SessionSnapshot } from '../../src/engine/types.js';
import { type TempRepo, tempRepo } from '../git/repo.js';
import { type FakePty, fakePtyFactory } from '../helpers/fake-pty.js';
import { until } from '../helpers/until.js';

let repo: TempRepo | undefined;
let manager: SessionManager | undefined;
let stateDir: string | undefined;
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
  repo?.cleanup();
  repo = undefined;
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function make(): { m: SessionManager; ptys: FakePty[] } {
  const f = fakePtyFactory();
  stateDir = mkdtempSync(join(tmpdir(), 'axiom-state-'));
  manager = new SessionManager({
    ptyFactory: f.factory,
    stateDir,
    runId: 'run1',
    hooks: false,
    // Files written are reported the way claude's hooks do (see written()).
    profileFor: () => ({ ...genericProfile('/bin/sh'), hookEvents: claudeHookEvents }),
    signal: () => [],
    timings: { startFallbackMs: 50, killGraceMs: 200 },
  });
  return { m: manager, ptys: f.ptys };
}

const wt = (m: SessionManager, id: string) => m.get(id)?.worktree;

function written(m: SessionManager, id: string, path: string): void {
  m.session(id)?.onHook({
    hook_event_name: 'PostToolUse',
    tool_name: 'Write',
    tool_input: { file_path: path },
  });
}

describe('sessions in worktrees', () => {
  it('runs each session in its own worktree, follows its diff, keeps only worktrees with changes', async () => {
    repo = tempRepo({ 'a.txt': 'one\n', 'sub/b.txt': 'b\n' });
    repo.write('a.txt', 'one\nuser edit\n');
    const { m, ptys } = make();
    const events: SessionSnapshot[] = [];
    m.on('worktree', (s) => events.push(s));
    const s1 = m.spawn({ agent: 'sh', cwd: repo.root, worktree: true, prompt: 'p1' });
    const s2 = m.spawn({ agent: 'sh', cwd: join(repo.root, 'sub'), worktree: true });
    await until(m, () => ptys.length === 2, 'both agents launched', 20_000);
    const w1 = wt(m, s1.id)!;
    const w2 = wt(m, s2.id)!;
    expect(w1).toMatchObject({
      state: 'ready',
      repo: repo.root,
      path: join(repo.root, '.axiom', 'worktrees', 'run1-1'),
      branch: 'axiom/run1-1',
      diff: { added: 0, deleted: 0, files: 0 },
    });
    // The agent runs in the worktree (the same subdirectory as the cwd it was given).
    const cwds = ptys.map((p) => p.opts.cwd).sort();
    expect(cwds).toEqual([w1.path, join(w2.path, 'sub')].sort());
    expect(m.get(s1.id)?.cwd).toBe(w1.path);
    expect(readFileSync(join(w1.path, 'a.txt'), 'utf8')).toBe('one\nuser edit\n');
    expect(events.map((e) => e.worktree?.state)).toContain('creating');

    // A file event refreshes the summary.
    writeFileSync(join(w1.path, 'fib.py'), 'def fib(n):\n    return n\n');
    written(m, s1.id, join(w1.path, 'fib.py'));
    await until(m, () => wt(m, s1.id)?.diff?.files === 1, 'diff summary after the file event');
    expect(wt(m, s1.id)?.diff).toEqual({ added: 2, deleted: 0, files: 1 });

    // The user's tree is untouched.
    expect(existsSync(join(repo.root, 'fib.py'))).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe(' M a.txt\n');

    // Applying brings it in; the manifest says so.
    await expect(m.apply(s1.id)).resolves.toEqual({ ok: true, files: ['fib.py'] });
    expect(readFileSync(join(repo.root, 'fib.py'), 'utf8')).toBe('def fib(n):\n    return n\n');
    expect(wt(m, s1.id)?.applied).toBe(true);
    expect(await m.diff(s1.id, { stat: true })).toContain('fib.py');

    // Exit: #1 (changes) is kept, #2 (none) is removed with its branch.
    for (const p of ptys) p.exit(0);
    await until(
      m,
      () => wt(m, s1.id)?.state === 'kept' && wt(m, s2.id)?.state === 'removed',
      'worktrees settled',
      20_000,
    );
    expect(existsSync(w1.path)).toBe(true);
    expect(existsSync(w2.path)).toBe(false);
    expect(repo.git('branch', '--list', '--format=%(refname:short)', 'axiom/*')).toBe('axiom/run1-1\n');
    expect(repo.git('status', '--porcelain')).toBe(' M a.txt\n?? fib.py\n');

    const man = readManifest(m.runDir!)!;
    expect(man).toMatchObject({ version: 1, runId: 'run1', repo: repo.root });
    expect(man.sessions).toHaveLength(2);
    expect(man.sessions[0]).toMatchObject({
      n: 1,
      agent: 'generic',
      cwd: w1.path,
      applied: true,
      diff: { added: 2, deleted: 0, files: 1 },
      worktree: { state: 'kept', path: w1.path, branch: 'axiom/run1-1', base: w1.base },
      prompts: [{ text: 'p1' }],
      status: 'EXITED',
    });
    expect(man.sessions[1]).toMatchObject({ n: 2, applied: false, worktree: { state: 'removed' } });
  });

  it('a git problem fails that session only, with the fix; quitting removes empty worktrees', async () => {
    repo = tempRepo();
    const plain = mkdtempSync(join(tmpdir(), 'axiom-nogit-'));
    try {
      const { m, ptys } = make();
      const bad = m.spawn({ agent: 'sh', cwd: plain, worktree: true });
      const good = m.spawn({ agent: 'sh', cwd: repo.root, worktree: true });
      await until(
        m,
        () => m.get(bad.id)?.status === 'FAILED' && ptys.length === 1,
        'one failed, one launched',
      );
      expect(m.get(bad.id)?.reason).toBe(
        `worktree: not a git repository: ${plain} (run \`git init\` there, or use --no-worktree)`,
      );
      expect(ptys[0]?.opts.cwd).toBe(wt(m, good.id)?.path);
      const path = wt(m, good.id)!.path;
      expect(existsSync(path)).toBe(true);
      // shutdown() kills the agent (a fake PTY: exit it when asked) and removes the empty worktree.
      const done = m.shutdown();
      ptys[0]?.exit(0, 15);
      await done;
      expect(existsSync(path)).toBe(false);
      expect(wt(m, good.id)?.state).toBe('removed');
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  // Before: a resumed session ran in its worktree but the engine did not know it (no branch or
  // diff in its title, and an empty worktree left behind at the end).
  it('a resumed session adopts its worktree: branch and diff followed, removed at the end if empty', async () => {
    repo = tempRepo({ 'a.txt': 'one\n' });
    // What a run killed with kill -9 leaves: two worktrees, one holding a new file.
    const made = [];
    for (const n of [1, 2]) {
      const w = await addWorktree(repo.root, `run1-${n}`);
      made.push({ repo: repo.root, ...worktreeLayout(repo.root, `run1-${n}`), base: w.base });
    }
    const [w1, w2] = made as [(typeof made)[0], (typeof made)[0]];
    writeFileSync(join(w1.path, 'fib.py'), 'def fib(n):\n    return n\n');
    const { m, ptys } = make();
    m.spawn({ agent: 'sh', cwd: w1.path, resume: { n: 1, worktree: w1 } });
    m.spawn({ agent: 'sh', cwd: w2.path, resume: { n: 2, worktree: w2 } });
    await until(m, () => wt(m, '1')?.diff?.files === 1 && wt(m, '2')?.diff?.files === 0, 'both diffs');
    expect(wt(m, '1')).toMatchObject({ state: 'ready', branch: 'axiom/run1-1', path: w1.path });
    expect(ptys.map((p) => p.opts.cwd).sort()).toEqual([w1.path, w2.path].sort());
    for (const p of ptys) p.exit(0);
    await until(m, () => wt(m, '1')?.state === 'kept' && wt(m, '2')?.state === 'removed', 'settled', 20_000);
    expect(existsSync(w1.path)).toBe(true);
    expect(existsSync(w2.path)).toBe(false);
  });
});
