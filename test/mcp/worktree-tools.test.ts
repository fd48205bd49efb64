/** axiom_spawn's worktree flag, axiom_status's worktree fields, axiom_diff and axiom_apply (fake engine). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyTool } from '../../src/mcp/tools/apply.js';
import { diffTool } from '../../src/mcp/tools/diff.js';
import { spawnTool } from '../../src/mcp/tools/spawn.js';
import { statusTool } from '../../src/mcp/tools/status.js';
import { type Fixture, fixture, request } from './helpers.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  await f.cleanup();
});

const wt = {
  state: 'ready' as const,
  repo: '/repo',
  path: '/repo/.axiom/worktrees/r-1',
  branch: 'axiom/r-1',
};

describe('worktree tools', () => {
  it('axiom_spawn passes worktree to the engine; axiom_status reports branch and diff summary', async () => {
    await spawnTool(f.ctx).handler({ prompt: 'fib', worktree: true, spawnCount: 2 }, request().req);
    const spawns = f.engine.calls.filter((c) => c.op === 'spawn');
    expect(spawns.map((c) => (c.op === 'spawn' ? c.opts.worktree : undefined))).toEqual([true, true]);
    f.engine.setWorktree('1', { ...wt, base: 'c0', diff: { added: 12, deleted: 3, files: 2 } });
    const st = await statusTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(st.structured.tasks[0]?.worktree).toEqual({
      path: wt.path,
      branch: 'axiom/r-1',
      state: 'ready',
      diff: '+12 \u22123, 2 files',
      applied: false,
    });
    expect(st.text).toContain('[axiom/r-1: +12 \u22123, 2 files]');
    expect(st.structured.tasks[0]?.lastCheck).toBeUndefined();
  });

  it('axiom_status reports the last test the agent ran, where known', async () => {
    await spawnTool(f.ctx).handler({ prompt: 'fib' }, request().req);
    f.engine.setLastCheck('1', { command: 'npm test', ok: false, at: Date.UTC(2026, 10, 30), check: true });
    const st = await statusTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(st.structured.tasks[0]?.lastCheck).toEqual({
      command: 'npm test',
      ok: false,
      at: '2026-11-30T00:00:00.000Z',
      check: true,
    });
    expect(st.text).toContain('last test ✗ npm test');
  });

  it('axiom_diff returns the patch with its summary; a session without a worktree is a one-line error', async () => {
    await spawnTool(f.ctx).handler({ prompt: 'a', parallel: true, spawnCount: 2 }, request().req);
    f.engine.setWorktree('1', { ...wt, base: 'c0', diff: { added: 1, deleted: 0, files: 1 } });
    f.engine.diffs.set('1', 'diff --git a/fib.py b/fib.py\n+x\n');
    const d = await diffTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(d.structured).toEqual({
      taskId: '1',
      branch: 'axiom/r-1',
      summary: '+1 \u22120, 1 file',
      diff: 'diff --git a/fib.py b/fib.py\n+x\n',
      truncated: false,
    });
    await expect(diffTool(f.ctx).handler({ taskId: '2' }, request().req)).rejects.toThrow(
      'task 2 has no worktree (spawn it with worktree=true)',
    );
  });

  it('axiom_apply applies within the server root, and reports a conflict without changing anything', async () => {
    await spawnTool(f.ctx).handler({ prompt: 'a' }, request().req);
    f.engine.setWorktree('1', { ...wt, base: 'c0' });
    f.engine.applyResult = { ok: true, files: ['fib.py'] };
    const ok = await applyTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(ok.structured).toEqual({ taskId: '1', applied: true, files: ['fib.py'] });
    expect(f.engine.calls).toContainEqual({ op: 'apply', id: '1', within: f.root });
    f.engine.applyResult = {
      ok: false,
      conflicts: ['fib.py'],
      message: 'conflicts with your tree in fib.py; nothing was changed',
    };
    const bad = await applyTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(bad.structured).toEqual({
      taskId: '1',
      applied: false,
      files: ['fib.py'],
      reason: 'conflicts with your tree in fib.py; nothing was changed',
    });
    expect(bad.text).toBe('task 1 not applied: conflicts with your tree in fib.py; nothing was changed');
  });
});
