/** Headless output for sessions in worktrees: where each one works, and what it left at the end. */
import { describe, expect, it } from 'vitest';
import { printWorktreeSummary, runHeadless } from '../../src/cli/headless.js';
import { FakeEngine } from '../helpers/fake-engine.js';

describe('headless with worktrees', () => {
  it('prints [N] worktree PATH (branch B) once it is made, and each diff summary at the end', async () => {
    const e = new FakeEngine();
    const a = e.spawn({ prompt: 'x', worktree: true });
    const b = e.spawn({ prompt: 'x', worktree: true });
    const lines: string[] = [];
    const done = runHeadless(e, [a.id, b.id], { out: (s) => lines.push(s) });
    const wt = (n: number) => ({
      repo: '/r',
      path: `/r/.axiom/worktrees/run-${n}`,
      branch: `axiom/run-${n}`,
    });
    e.setWorktree(a.id, { ...wt(1), state: 'creating' });
    e.setWorktree(a.id, { ...wt(1), state: 'ready', base: 'c0' });
    e.setWorktree(a.id, { ...wt(1), state: 'ready', base: 'c0', diff: { added: 1, deleted: 0, files: 1 } });
    e.setWorktree(b.id, { ...wt(2), state: 'ready', base: 'c0' });
    e.setStatus(a.id, 'COMPLETED');
    e.setStatus(b.id, 'COMPLETED');
    await expect(done).resolves.toBe(0);
    const text = lines.join('');
    expect(text).toContain('[1] worktree /r/.axiom/worktrees/run-1 (branch axiom/run-1)\n');
    expect(text).toContain('[2] worktree /r/.axiom/worktrees/run-2 (branch axiom/run-2)\n');
    expect(text.match(/\[1\] worktree/g)).toHaveLength(1);
    e.setWorktree(a.id, { ...wt(1), state: 'kept', base: 'c0', diff: { added: 12, deleted: 3, files: 2 } });
    e.setWorktree(b.id, { ...wt(2), state: 'removed', base: 'c0', diff: { added: 0, deleted: 0, files: 0 } });
    e.setLastCheck(a.id, { command: 'npm test', ok: true, at: 1, check: true });
    const end: string[] = [];
    printWorktreeSummary(e, [a.id, b.id], (s) => end.push(s));
    expect(end).toEqual([
      '[1] +12 \u22123, 2 files, last test ✓ npm test: kept in /r/.axiom/worktrees/run-1 (branch axiom/run-1): axiom diff 1, axiom apply 1\n',
      '[2] no changes: worktree removed\n',
    ]);
  });
});
