import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStatus } from '../../src/engine/types.js';
import { clipLine } from '../../src/ui/ansi.js';
import { footerSegments, paneLook, titleSegments } from '../../src/ui/components/Pane.js';
import { inkColor } from '../../src/ui/components/ScreenLine.js';
import { segmentsWidth } from '../../src/ui/components/Segments.js';

const snap = (over: Partial<SessionSnapshot> = {}): SessionSnapshot => ({
  id: '3',
  n: 3,
  agent: 'claude',
  command: ['claude'],
  cwd: '/w',
  prompt: 'Implement fibonacci in Python, JavaScript, and Go with tests',
  lastPrompt: '',
  status: 'RUNNING',
  startedAt: 0,
  turnStartedAt: 0,
  turnDurations: [],
  filesWritten: [{ path: '/w/fib.py', tool: 'Write', at: 1 }],
  lastLine: '',
  cols: 80,
  rows: 24,
  bytesReceived: 0,
  ...over,
});

const text = (segs: { text: string }[]) => segs.map((s) => s.text).join('');

describe('pane title and footer', () => {
  const statuses: SessionStatus[] = [
    'STARTING',
    'RUNNING',
    'WAITING',
    'COMPLETED',
    'INTERRUPTED',
    'EXITED',
    'FAILED',
  ];

  it('is exactly the pane width at every width, keeping #N and the status as long as possible', () => {
    for (const status of statuses) {
      const s = snap({ status, reason: 'some reason', exitCode: 0 });
      for (let width = 2; width <= 160; width++) {
        for (const focused of [true, false]) {
          const look = paneLook(s, focused, false);
          const title = titleSegments(s, '12s · Σ1m03s', width, look);
          expect(segmentsWidth(title), `${status} title at ${width}`).toBe(width);
          const foot = footerSegments(s, width, look, { scroll: 0, scrollback: 0, passthrough: false });
          expect(segmentsWidth(foot), `${status} footer at ${width}`).toBe(width);
        }
        if (width >= 22)
          expect(text(titleSegments(s, '', width, paneLook(s, false, false)))).toContain(' #3 ');
      }
    }
  });

  it('drops the prompt, then the files count, then the timing as the pane narrows', () => {
    const s = snap();
    const look = paneLook(s, false, false);
    const wide = text(titleSegments(s, '12s', 100, look));
    expect(wide).toMatch(
      /^╭─ #3 {2}RUNNING {2}12s ─ Implement fibonacci in Python, JavaScript, and Go with… ─+ 1 file ─╮$/,
    );
    const mid = text(titleSegments(s, '12s', 34, look));
    expect(mid).toContain('1 file');
    expect(mid).not.toContain('Implement');
    const narrow = text(titleSegments(s, '12s', 22, look));
    expect(narrow).toContain('RUNNING');
    expect(narrow).toContain('12s');
    expect(narrow).not.toContain('file');
  });

  it('in a worktree shows the branch and the live diff summary, dropping the branch first', () => {
    const s = snap({
      worktree: {
        state: 'ready',
        repo: '/w',
        path: '/w/.axiom/worktrees/r-3',
        branch: 'axiom/r-3',
        base: 'c0',
        diff: { added: 12, deleted: 3, files: 2 },
      },
    });
    const look = paneLook(s, false, false);
    expect(text(titleSegments(s, '12s', 100, look))).toMatch(
      /^╭─ #3 {2}RUNNING {2}12s ─ Implement fibonacci in Python, JavaScript, an… ─+ axiom\/r-3 {2}\+12 −3, 2 files ─╮$/,
    );
    const mid = text(titleSegments(s, '12s', 45, look));
    expect(mid).toContain(' +12 −3, 2 files ');
    expect(mid).not.toContain('axiom/r-3');
    for (let width = 2; width <= 120; width++)
      expect(segmentsWidth(titleSegments(s, '12s', width, look)), `width ${width}`).toBe(width);
    const applied = snap({ worktree: { ...s.worktree!, applied: true } });
    expect(text(titleSegments(applied, '', 100, look))).toContain('+12 −3, 2 files ✓');
  });

  it('uses distinct borders for focused, waiting and other panes', () => {
    expect(text(titleSegments(snap(), '', 40, paneLook(snap(), true, false)))[0]).toBe('┏');
    const w = snap({ status: 'WAITING' });
    expect(text(titleSegments(w, '', 40, paneLook(w, false, false)))[0]).toBe('╔');
    expect(text(titleSegments(snap(), '', 40, paneLook(snap(), false, false)))[0]).toBe('╭');
    expect(paneLook(w, false, false).color).toBe('yellow');
    expect(paneLook(snap(), true, true).color).toBe('magenta');
  });

  it('footer shows scroll position, passthrough, waiting reason or exit', () => {
    const look = paneLook(snap(), true, false);
    const f = (s: SessionSnapshot, info = { scroll: 0, scrollback: 0, passthrough: false }) =>
      text(footerSegments(s, 80, look, info));
    expect(f(snap(), { scroll: 5, scrollback: 200, passthrough: false })).toContain('↑ 5/200 lines up');
    expect(f(snap(), { scroll: 0, scrollback: 0, passthrough: true })).toContain('PASSTHROUGH');
    expect(f(snap({ status: 'WAITING', reason: 'Allow Write fib.py?' }))).toContain('Allow Write fib.py?');
    expect(f(snap({ status: 'EXITED', exitCode: 0 }))).toContain('exit code 0');
    expect(f(snap({ status: 'FAILED', reason: 'claude: command not found' }))).toContain(
      'claude: command not found',
    );
  });
});

describe('styled screen lines', () => {
  it('maps engine colors to Ink colors', () => {
    expect(inkColor(undefined)).toBeUndefined();
    expect(inkColor(1)).toBe('ansi256(1)');
    expect(inkColor(208)).toBe('ansi256(208)');
    expect(inkColor('#ff8800')).toBe('#ff8800');
  });

  it('clips to the width, merges equal styles, strips control characters', () => {
    const line = [
      { text: 'ab', bold: true },
      { text: 'cd', bold: true },
      { text: '\x1bxyz', fg: 2 },
    ];
    expect(clipLine(line, 10)).toEqual([
      { text: 'abcd', bold: true },
      { text: ' xyz', fg: 2 },
    ]);
    expect(clipLine(line, 3)).toEqual([{ text: 'abc', bold: true }]);
    const wide = [
      { text: '中', width: 2 },
      { text: '文', width: 2 },
      { text: '字', width: 2 },
    ];
    expect(clipLine(wide, 5)).toEqual([
      { text: '中', width: 2 },
      { text: '文', width: 2 },
    ]);
  });

  it('draws the cursor as an inverse cell, also past the end of the text', () => {
    expect(clipLine([{ text: 'abc' }], 10, 1)).toEqual([
      { text: 'a' },
      { text: 'b', inverse: true },
      { text: 'c' },
    ]);
    expect(clipLine([{ text: 'ab', inverse: true }], 10, 0)).toEqual([
      { text: 'a', inverse: false },
      { text: 'b', inverse: true },
    ]);
    expect(clipLine([{ text: 'ab' }], 10, 4)).toEqual([{ text: 'ab  ' }, { text: ' ', inverse: true }]);
    expect(clipLine([{ text: 'ab' }], 3, 5)).toEqual([{ text: 'ab' }]);
  });
});
