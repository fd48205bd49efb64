/**
 * The review keys: Ctrl+R opens the focused session's diff full screen, `a` asks and `y` applies,
 * Ctrl+P compares every session; pure dispatch first, then what the App shows (fake engine).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WorktreeInfo } from '../../src/engine/types.js';
import { dispatch, routeInput } from '../../src/ui/commands.js';
import { findConflicts } from '../../src/ui/keymap.js';
import type { KeyPress } from '../../src/ui/keys.js';
import { computeLayout } from '../../src/ui/layout.js';
import { type Facts, initialUi, type UiState } from '../../src/ui/ui-state.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, KEY, setup } from './helpers.js';

afterEach(cleanup);

const PATCH =
  'diff --git a/fib.py b/fib.py\nnew file mode 100644\n--- /dev/null\n+++ b/fib.py\n@@ -0,0 +1 @@\n+def fib(n): ...\n';
const wt = (n: number): WorktreeInfo => ({
  state: 'ready',
  repo: '/repo',
  path: `/repo/.axiom/worktrees/r-${n}`,
  branch: `axiom/r-${n}`,
  base: 'c0',
  diff: { added: 1, deleted: 0, files: 1 },
});

function world(): FakeEngine {
  const e = new FakeEngine();
  e.spawn({ prompt: 'fib one way', worktree: true });
  e.spawn({ prompt: 'fib another way', worktree: true });
  e.spawn({ prompt: 'no worktree' });
  e.setWorktree('1', wt(1));
  e.setWorktree('2', wt(2));
  e.setLastCheck('2', { command: 'python3 -m unittest', ok: false, at: 1, check: true });
  e.diffs.set('1', PATCH);
  e.diffs.set('2', PATCH.replace('fib(n): ...', 'fib(n): return n'));
  return e;
}

const facts = (e: FakeEngine): Facts => {
  const size = { cols: 100, rows: 30 };
  return { now: 1, sessions: e.list(), layout: computeLayout({ count: 3, ...size, promptRows: 1 }), size };
};
const key = (name: string): KeyPress => ({ name, raw: name });
const press = (s: UiState, e: FakeEngine, ...names: string[]) => {
  let st = s;
  const effects = [];
  for (const n of names) {
    const out = routeInput(st, { kind: 'key', key: key(n) }, facts(e));
    st = out.state;
    effects.push(...out.effects);
  }
  return { state: st, effects };
};

describe('review commands (pure)', () => {
  it('Ctrl+R opens the diff and asks for it; a then y applies; n cancels; Esc closes', () => {
    const e = world();
    let r = press(initialUi(), e, 'ctrl+r');
    expect(r.state.review).toMatchObject({ kind: 'diff', id: '1', n: 1, confirm: false });
    expect(r.effects).toEqual([{ kind: 'load-diff', id: '1', n: 1 }]);
    r = press(r.state, e, 'a');
    expect(r.state.review?.confirm).toBe(true);
    expect(r.effects).toEqual([]);
    expect(press(r.state, e, 'n').state.review).toMatchObject({ kind: 'diff', confirm: false });
    r = press(r.state, e, 'y');
    expect(r.effects).toContainEqual({ kind: 'apply', id: '1', n: 1 });
    expect(r.state.review?.confirm).toBe(false);
    // 'y' without the question does nothing; typed letters never reach the prompt box.
    expect(press(r.state, e, 'y').effects).toEqual([]);
    expect(r.state.editor.text).toBe('');
    expect(press(r.state, e, 'escape').state.review).toBeUndefined();
  });

  it('Ctrl+P compares; Enter opens the selected diff and Esc goes back to the comparison', () => {
    const e = world();
    let r = press(initialUi(), e, 'ctrl+p', 'down');
    expect(r.state.review).toEqual({ kind: 'compare', selected: 1, confirm: false });
    r = press(r.state, e, 'enter');
    expect(r.state.review).toMatchObject({ kind: 'diff', id: '2', from: 1 });
    expect(press(r.state, e, 'escape').state.review).toEqual({
      kind: 'compare',
      selected: 1,
      confirm: false,
    });
    // A session without a worktree says so instead of opening.
    const third = press(initialUi(), e, 'ctrl+p', 'down', 'down', 'enter');
    expect(third.state.review?.kind).toBe('compare');
    expect(third.state.notice?.text).toBe('#3 has no worktree (start sessions with --worktree)');
  });

  it('binds no key twice in a mode', () => {
    expect(findConflicts()).toEqual([]);
    const e = world();
    const s = dispatch(initialUi(), { id: 'review-diff', key: key('ctrl+r') }, facts(e)).state;
    expect(dispatch(s, { id: 'review-down', key: key('pagedown') }, facts(e)).state.review).toMatchObject({
      scroll: 0, // not loaded yet: nothing to scroll
    });
  });
});

describe('review views in the App', () => {
  it('shows the diff full screen, applies after confirmation, and compares the run', async () => {
    const engine = world();
    const h = setup({ engine, cols: 120, rows: 30 });
    await h.settle();
    expect(h.frame()).toContain('axiom/r-1  +1 \u22120, 1 file');
    await h.press('\x12'); // Ctrl+R
    await h.settle();
    let f = h.frame();
    expect(f).toContain('#1 diff · axiom/r-1 · +1 \u22120, 1 file');
    expect(f).toContain('1 file changed:');
    expect(f).toContain('+def fib(n): ...');
    expect(f).toContain('a: apply');
    await h.press('a');
    expect(h.frame()).toContain("apply #1's changes to your working tree? y: apply · n/Esc: cancel");
    engine.applyResult = { ok: true, files: ['fib.py'] };
    await h.press('y');
    await h.settle();
    expect(engine.calls).toContainEqual({ op: 'apply', id: '1', within: undefined });
    expect(h.frame()).toContain('applied #1 to your tree: fib.py');
    await h.press(KEY.tab); // from the diff: the comparison
    await h.settle();
    f = h.frame();
    expect(f).toContain('compare: 3 sessions of this run');
    expect(f).toMatch(/#1\s+RUNNING\s+\S+\s+1\s+\+1 \u22120\s+–\s+yes\s+axiom\/r-1/);
    expect(f).toMatch(/#2\s+RUNNING\s+\S+\s+1\s+\+1 \u22120\s+✗ python3 -m unittest\s+no\s+axiom\/r-2/);
    expect(f).toMatch(/#3\s+RUNNING\s+\S+\s+0\s+no worktree\s+–/);
    await h.press(KEY.esc);
    await h.settle();
    expect(h.frame()).not.toContain('compare:');
  });
});
