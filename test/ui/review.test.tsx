/** The review views' data (diff lines, compare rows) and what the views draw. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../src/engine/types.js';
import { CompareView } from '../../src/ui/components/CompareView.js';
import { DiffView } from '../../src/ui/components/DiffView.js';
import { compareRows, diffPage } from '../../src/ui/review.js';

const PATCH = `diff --git a/fib.py b/fib.py
new file mode 100644
index 0000000..3e75765
--- /dev/null
+++ b/fib.py
@@ -0,0 +1,2 @@
+def fib(n):
+\treturn n
diff --git a/a.txt b/a.txt
index 1..2 100644
--- a/a.txt
+++ b/a.txt
@@ -1,2 +1,2 @@
 one
-two\x1b[31m
+TWO
`;

const snap = (n: number, over: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id: String(n),
  n,
  agent: 'claude',
  command: ['claude'],
  cwd: '/w',
  prompt: 'p',
  lastPrompt: 'p',
  status: 'COMPLETED',
  startedAt: 0,
  turnStartedAt: 0,
  turnEndedAt: 65_000,
  turnDurations: [65_000],
  filesWritten: [],
  lastLine: '',
  cols: 80,
  rows: 24,
  bytesReceived: 0,
  ...over,
});

describe('review data', () => {
  it('lists the files first, then the patch classified for color; escapes and tabs are cleaned', () => {
    const page = diffPage(PATCH);
    expect(page.files).toEqual(['fib.py', 'a.txt']);
    expect(page.lines.slice(0, 4)).toEqual([
      { kind: 'meta', text: '2 files changed:' },
      { kind: 'meta', text: '  fib.py' },
      { kind: 'meta', text: '  a.txt' },
      { kind: 'context', text: '' },
    ]);
    expect(page.lines).toContainEqual({ kind: 'file', text: '▶ fib.py' });
    expect(page.lines).toContainEqual({ kind: 'meta', text: '--- /dev/null' });
    expect(page.lines).toContainEqual({ kind: 'hunk', text: '@@ -0,0 +1,2 @@' });
    expect(page.lines).toContainEqual({ kind: 'add', text: '+    return n' });
    expect(page.lines).toContainEqual({ kind: 'del', text: '-two' });
    expect(page.lines).toContainEqual({ kind: 'context', text: ' one' });
    expect(diffPage('').lines).toEqual([{ kind: 'meta', text: 'no changes' }]);
  });

  it('has one compare row per session: status, time, files, +/−, last test, applied, branch', () => {
    const wt = {
      state: 'ready' as const,
      repo: '/w',
      path: '/w/.axiom/worktrees/r-1',
      branch: 'axiom/r-1',
      base: 'c',
    };
    const rows = compareRows(
      [
        snap(1, {
          worktree: { ...wt, diff: { added: 12, deleted: 3, files: 2 }, applied: true },
          lastCheck: { command: 'python3 -m unittest -q test_fib', ok: true, at: 5, check: true },
        }),
        snap(2, {
          worktree: {
            ...wt,
            branch: 'axiom/r-2',
            state: 'removed',
            diff: { added: 0, deleted: 0, files: 0 },
          },
        }),
        snap(3, {
          lastCheck: {
            command: 'npm   run\n build -- --with a rather long list of flags',
            ok: false,
            at: 5,
            check: true,
          },
          status: 'RUNNING',
          turnEndedAt: undefined,
          turnDurations: [],
          filesWritten: [{ path: '/w/x', tool: 'Write', at: 1 }],
        }),
      ],
      10_000,
    );
    expect(rows).toEqual([
      {
        id: '1',
        n: 1,
        status: 'COMPLETED',
        time: '1m05s',
        files: '2',
        diff: '+12 \u22123',
        branch: 'axiom/r-1',
        applied: 'yes',
        check: '✓ python3 -m unittest -q test_fib',
        checkOk: true,
      },
      {
        id: '2',
        n: 2,
        status: 'COMPLETED',
        time: '1m05s',
        files: '0',
        diff: 'no changes',
        branch: 'axiom/r-2 (removed)',
        applied: 'no',
        check: '–',
        checkOk: undefined,
      },
      {
        id: '3',
        n: 3,
        status: 'RUNNING',
        time: '10s',
        files: '1',
        diff: 'no worktree',
        branch: '',
        applied: '',
        check: '✗ npm run build -- --with a rathe…',
        checkOk: false,
      },
    ]);
  });
});

describe('review views', () => {
  it('DiffView draws the title, the files and the scrolled patch', () => {
    const page = diffPage(PATCH);
    const { lastFrame, rerender } = render(
      <DiffView
        width={60}
        height={10}
        title="#1 axiom/r-1 +3 −1, 2 files"
        lines={page.lines}
        scroll={0}
        footer="a apply · Esc close"
      />,
    );
    const first = lastFrame() ?? '';
    expect(first).toContain('#1 axiom/r-1 +3 −1, 2 files  1–6/');
    expect(first).toContain('2 files changed:');
    expect(first).toContain('a apply · Esc close');
    rerender(<DiffView width={60} height={10} title="t" lines={page.lines} scroll={100} footer="f" />);
    expect(lastFrame()).toContain('+TWO');
  });

  it('CompareView draws a row per session and marks the selected one', () => {
    const rows = compareRows(
      [snap(1), snap(2, { lastCheck: { command: 'npm test', ok: false, at: 1, check: true } })],
      0,
    );
    const { lastFrame } = render(
      <CompareView width={90} height={10} rows={rows} selected={1} footer="Enter diff" />,
    );
    const f = lastFrame() ?? '';
    expect(f).toContain('compare: 2 sessions of this run');
    expect(f).toMatch(/#\s+status\s+time\s+files\s+\+\/−\s+last test\s+applied\s+branch/);
    expect(f).toMatch(/#1\s+COMPLETED\s+1m05s\s+0\s+no worktree\s+–/);
    expect(f).toMatch(/#2\s+COMPLETED\s+1m05s\s+0\s+no worktree\s+✗ npm test/);
    expect(f).toContain('Enter diff');
  });
});
