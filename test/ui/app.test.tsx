import chalk from 'chalk';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { SessionStatus } from '../../src/engine/types.js';
import { tooSmallLines } from '../../src/ui/messages.js';
import type { FakeCall } from '../helpers/fake-engine.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, frameFits, isFocusedTitle, KEY, setup, titleOf } from './helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const ops = (calls: FakeCall[], op: FakeCall['op']) => calls.filter((c) => c.op === op);

function engineWith(...prompts: string[]): FakeEngine {
  const engine = new FakeEngine();
  for (const p of prompts) engine.spawn({ prompt: p });
  return engine;
}

describe('App: panes', () => {
  it('shows one pane per session with #N, status, prompt words and files count', async () => {
    const engine = engineWith('Write hello.py that counts to 10 slowly', 'Implement quicksort');
    const h = setup({ engine, cols: 120, rows: 30 });
    engine.emitOutput('1', 'Hello from the agent');
    engine.addFile('1', `${process.cwd()}/hello.py`);
    await h.settle();
    const f = h.frame();
    const t1 = titleOf(f, 1) ?? '';
    expect(t1).toContain('RUNNING');
    expect(t1).toContain('Write hello.py that counts');
    expect(t1).toContain('1 file');
    expect(titleOf(f, 2)).toContain('Implement quicksort');
    expect(titleOf(f, 2)).toContain('0 files');
    expect(f).toContain('Hello from the agent');
    // file-written shows up as an event
    expect(f).toContain('#1 wrote hello.py');
    expect(frameFits(f, 120, 30)).toEqual([]);
  });

  it('shows an engine warning (transcripts off and why) on the event line', async () => {
    const engine = engineWith('task');
    const h = setup({ engine, cols: 160, rows: 30 });
    engine.emit(
      'warning',
      'transcripts off: cannot create transcript directory: ENOTDIR: /x is not a directory',
    );
    await h.settle();
    expect(h.frame()).toContain('transcripts off: cannot create transcript directory: ENOTDIR');
  });

  it('shows every status word', async () => {
    const engine = engineWith('task');
    const h = setup({ engine });
    const statuses: SessionStatus[] = [
      'STARTING',
      'RUNNING',
      'WAITING',
      'COMPLETED',
      'INTERRUPTED',
      'EXITED',
      'FAILED',
    ];
    for (const s of statuses) {
      engine.setStatus('1', s, s === 'FAILED' ? 'claude not found' : undefined);
      await h.settle(5);
      expect(titleOf(h.frame(), 1), s).toContain(s);
    }
    expect(h.frame()).toContain('claude not found');
  });

  it('makes a WAITING pane stand out (double border, ⚠, reason, answer hint)', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine, cols: 120 });
    engine.setStatus('2', 'WAITING', 'Do you want to create hello.py?');
    await h.settle(5);
    const f = h.frame();
    expect(titleOf(f, 2)?.startsWith('╔')).toBe(true);
    expect(titleOf(f, 2)).toContain('⚠ WAITING');
    expect(f).toContain('Do you want to create hello.py?');
    expect(f).toContain('#2 is WAITING');
  });

  it('shows an answer a client gave to a dialog on the event line, with its name', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine, cols: 120 });
    engine.setStatus('2', 'WAITING', 'permission needed for Write perm.txt: answer the dialog', {
      kind: 'permission',
      name: 'permission',
      text: 'Do you want to create perm.txt?',
      options: [
        { id: '1', label: 'Yes' },
        { id: '2', label: 'No' },
      ],
      cancellable: true,
    });
    await h.settle(5);
    await engine.answer('2', '1', 'orchestrator');
    await h.settle(5);
    expect(h.frame()).toContain('#2: orchestrator answered the permission dialog: 1 "Yes"');
  });

  it('shows elapsed time of the turn and the total, ticking once a second only while running', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const engine = new FakeEngine();
    engine.spawn({ prompt: 'count slowly' });
    const h = setup({ engine });
    await h.settle(12_000);
    expect(titleOf(h.frame(), 1)).toContain(' 12s ');
    await h.settle(60_000);
    expect(titleOf(h.frame(), 1)).toContain(' 1m12s ');
    engine.setStatus('1', 'COMPLETED');
    await h.settle(1);
    expect(titleOf(h.frame(), 1)).toContain('COMPLETED');
    expect(titleOf(h.frame(), 1)).toContain(' 1m12s ');
    // nothing running: no clock, no timers at all (once React has settled)
    await h.settle(100);
    expect(vi.getTimerCount()).toBe(0);
    const frames = h.r.frames.length;
    await h.settle(10_000);
    expect(h.r.frames.length).toBe(frames);
    // a second turn: turn time and total
    await engine.send('1', 'again');
    await h.settle(5_000);
    const t = titleOf(h.frame(), 1) ?? '';
    expect(t).toContain('5s · Σ1m17s');
  });

  it('marks the focused pane and cycles focus with Tab / Shift+Tab / Alt+N', async () => {
    const engine = engineWith('a', 'b', 'c');
    const h = setup({ engine, cols: 120, rows: 40 });
    const focused = () => [1, 2, 3].filter((n) => isFocusedTitle(titleOf(h.frame(), n)));
    expect(focused()).toEqual([1]);
    await h.press(KEY.tab);
    expect(focused()).toEqual([2]);
    await h.press(KEY.tab, KEY.tab);
    expect(focused()).toEqual([1]);
    await h.press(KEY.shiftTab);
    expect(focused()).toEqual([3]);
    await h.press(KEY.alt('2'));
    expect(focused()).toEqual([2]);
    expect(h.frame()).toContain('#2❯');
  });

  it('says when the terminal is too small, and never overflows', async () => {
    const engine = engineWith('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
    const h = setup({ engine, cols: 50, rows: 14 });
    expect(h.frame()).toMatch(/terminal too small \(need ≥ 66×18/);
    expect(frameFits(h.frame(), 50, 14)).toEqual([]);
    // zoom fits in the same size
    await h.press(KEY.ctrlO);
    expect(h.frame()).not.toContain('too small');
    expect(titleOf(h.frame(), 1)).toBeDefined();
  });

  it('words the too-small message to fit narrow terminals', () => {
    expect(tooSmallLines({ cols: 66, rows: 18 }, 80, true)[0]).toBe('terminal too small (need ≥ 66×18)');
    expect(tooSmallLines({ cols: 30, rows: 8 }, 25, false).slice(0, 2)).toEqual([
      'terminal too small',
      'need ≥ 30×8',
    ]);
  });

  it('fits 1-9 panes at several sizes', async () => {
    for (let n = 1; n <= 9; n++) {
      for (const [cols, rows] of [
        [80, 24],
        [120, 40],
        [66, 18],
        [200, 50],
      ] as const) {
        const engine = new FakeEngine();
        for (let i = 0; i < n; i++) engine.spawn({ prompt: `task number ${i + 1} with a long prompt text` });
        const h = setup({ engine, cols, rows });
        await h.settle(1);
        const f = h.frame();
        expect(frameFits(f, cols, rows), `${n} panes at ${cols}x${rows}`).toEqual([]);
        if (!f.includes('too small')) {
          for (let i = 1; i <= n; i++)
            expect(titleOf(f, i), `#${i} of ${n} at ${cols}x${rows}`).toBeDefined();
          expect(f.split('\n')).toHaveLength(rows);
        }
        h.r.unmount();
      }
    }
    // 36 UIs mounted one after another: ~10-15 s at load 20, over 30 s at load 40.
  }, 120_000);

  it('resizes each session to its pane inner size, and again on terminal resize', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine, cols: 100, rows: 30 });
    await h.settle(1);
    const sizes = () =>
      ops(engine.calls, 'resize').map((c) => c.op === 'resize' && `${c.id}:${c.cols}x${c.rows}`);
    expect(sizes()).toEqual(['1:48x25', '2:48x25']);
    h.setSize(140, 40);
    await h.settle(1);
    expect(sizes().slice(2)).toEqual(['1:68x35', '2:68x35']);
    // same size again: no new resize
    h.setSize(140, 40);
    await h.settle(1);
    expect(sizes()).toHaveLength(4);
  });

  it('spawns new sessions at their pane size', async () => {
    const h = setup({ cols: 100, rows: 30, initial: { prompt: 'Implement fibonacci', parallel: 3 } });
    await h.settle(1);
    const spawns = ops(h.engine.calls, 'spawn');
    expect(spawns).toHaveLength(3);
    expect(
      spawns.map((c) => c.op === 'spawn' && [c.opts.prompt, c.opts.cols, c.opts.rows, c.opts.cwd]),
    ).toEqual([
      ['Implement fibonacci', 48, 11, '/tmp/axiom-test'],
      ['Implement fibonacci', 48, 11, '/tmp/axiom-test'],
      ['Implement fibonacci', 98, 12, '/tmp/axiom-test'],
    ]);
    // already the right size: no resize needed
    expect(ops(h.engine.calls, 'resize')).toEqual([]);
  });

  it('re-reads a pane screen only when that session changed (memoized per pane)', async () => {
    const engine = engineWith('a', 'b');
    const screen = vi.spyOn(engine, 'screen');
    const h = setup({ engine });
    await h.settle(40);
    screen.mockClear();
    engine.emitOutput('2', 'new output for two');
    await h.settle(40);
    expect(h.frame()).toContain('new output for two');
    expect(screen.mock.calls.map((c) => c[0])).toEqual(['2']);
    // typing in the prompt box re-reads no screen at all
    screen.mockClear();
    await h.type('x');
    expect(screen).not.toHaveBeenCalled();
  });

  it('coalesces bursts of output into at most ~30 redraws per second', async () => {
    vi.useFakeTimers({ now: 5_000_000 });
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.settle(100);
    const before = h.r.frames.length;
    for (let i = 0; i < 1000; i++) {
      engine.emitOutput('1', `line ${i}`);
      if (i % 10 === 0) await vi.advanceTimersByTimeAsync(1); // 1000 events over 100 ms
    }
    await h.settle(100);
    const renders = h.r.frames.length - before;
    expect(renders).toBeGreaterThan(0);
    expect(renders).toBeLessThanOrEqual(8); // 200 ms at 30 fps = 6 frames, plus slack
    expect(h.frame()).toContain('line 999');
  });
});

describe('App: prompt and keys', () => {
  it('Enter sends the text to the focused RUNNING session (the engine interrupts, then submits)', async () => {
    const engine = engineWith('Analyze all possible sorting algorithms in detail');
    const h = setup({ engine });
    await h.type('Stop analyzing! Just implement quicksort.py');
    expect(h.frame()).toContain('#1❯ Stop analyzing! Just implement quicksort.py');
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([
      { op: 'send', id: '1', text: 'Stop analyzing! Just implement quicksort.py', opts: undefined },
    ]);
    // FakeEngine models interrupt-then-submit: the interrupt happened before the new turn.
    const i = engine.calls.findIndex((c) => c.op === 'interrupt');
    expect(i).toBeGreaterThan(engine.calls.findIndex((c) => c.op === 'send'));
    expect(engine.get('1')?.lastPrompt).toBe('Stop analyzing! Just implement quicksort.py');
    await h.settle(5);
    expect(h.frame()).not.toContain('#1❯ Stop');
    expect(h.frame()).toContain('interrupted #1, new direction');
    expect(titleOf(h.frame(), 1)).toContain('Stop analyzing!');
  });

  it('Enter sends to the pane focused with Tab', async () => {
    const engine = engineWith('a', 'b', 'c');
    const h = setup({ engine, cols: 120, rows: 40 });
    await h.press(KEY.tab, KEY.tab);
    await h.type('hello three');
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([
      { op: 'send', id: '3', text: 'hello three', opts: undefined },
    ]);
  });

  it('Enter with no session spawns one with the text', async () => {
    const h = setup();
    expect(h.frame()).toContain('new❯');
    await h.type('Write hello.py');
    await h.press(KEY.enter);
    const spawns = ops(h.engine.calls, 'spawn');
    expect(spawns).toEqual([
      { op: 'spawn', opts: { cwd: '/tmp/axiom-test', prompt: 'Write hello.py', cols: 98, rows: 25 } },
    ]);
    await h.settle(5);
    expect(titleOf(h.frame(), 1)).toContain('Write hello.py');
    expect(h.frame()).toContain('#1❯');
  });

  it('Enter on an empty box does nothing', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([]);
  });

  it('Esc interrupts the focused session', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine });
    await h.press(KEY.tab, KEY.esc);
    expect(ops(engine.calls, 'interrupt')).toEqual([{ op: 'interrupt', id: '2' }]);
    await h.settle(5);
    expect(titleOf(h.frame(), 2)).toContain('INTERRUPTED');
    expect(titleOf(h.frame(), 1)).toContain('RUNNING');
  });

  it('does not lose a lone Esc (or toggle raw mode) while output keeps re-rendering', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.settle(40);
    for (let round = 0; round < 3; round++) {
      h.r.stdin.write(KEY.esc); // Ink holds a lone ESC until the next turn of the event loop
      engine.emitOutput('1', `busy ${round}`);
      engine.setStatus('1', 'RUNNING');
      await h.settle(40);
    }
    expect(ops(engine.calls, 'interrupt')).toHaveLength(3);
    expect(h.r.stdin.rawModes).toEqual([true]);
  });

  it('Ctrl+N spawns a new session from the text without touching the others', async () => {
    const engine = engineWith('first');
    const h = setup({ engine });
    await h.type('second task');
    await h.press(KEY.ctrlN);
    expect(ops(engine.calls, 'spawn')).toHaveLength(2);
    expect(ops(engine.calls, 'spawn').at(-1)).toMatchObject({ op: 'spawn', opts: { prompt: 'second task' } });
    expect(ops(engine.calls, 'send')).toEqual([]);
    expect(ops(engine.calls, 'interrupt')).toEqual([]);
    await h.settle(5);
    expect(isFocusedTitle(titleOf(h.frame(), 2))).toBe(true);
    expect(engine.get('1')?.status).toBe('RUNNING');
  });

  describe('Ctrl+C', () => {
    it('clears the prompt box when it has text, without quitting', async () => {
      const h = setup();
      await h.type('some text');
      await h.press(KEY.ctrlC);
      expect(h.frame()).not.toContain('some text');
      await h.press(KEY.ctrlC);
      expect(h.onQuit).not.toHaveBeenCalled();
    });

    it('one press on an empty box does not quit; it says how to quit', async () => {
      const engine = engineWith('a');
      const h = setup({ engine });
      await h.press(KEY.ctrlC);
      expect(h.onQuit).not.toHaveBeenCalled();
      expect(h.frame()).toContain('again to quit');
      expect(ops(engine.calls, 'shutdown')).toEqual([]);
    });

    it('twice within a second on an empty box quits', async () => {
      const engine = engineWith('a');
      const h = setup({ engine });
      await h.press(KEY.ctrlC, KEY.ctrlC);
      expect(h.onQuit).toHaveBeenCalledTimes(1);
      expect(h.frame()).toContain('quitting');
      await h.press(KEY.ctrlC);
      expect(h.onQuit).toHaveBeenCalledTimes(1);
    });

    it('twice more than a second apart does not quit', async () => {
      vi.useFakeTimers({ now: 2_000_000 });
      const h = setup();
      await h.press(KEY.ctrlC);
      await h.settle(1_100);
      await h.press(KEY.ctrlC);
      expect(h.onQuit).not.toHaveBeenCalled();
      await h.settle(500);
      await h.press(KEY.ctrlC);
      expect(h.onQuit).toHaveBeenCalledTimes(1);
    });
  });

  it('passthrough sends every key raw to the focused session until toggled off', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine });
    await h.press(KEY.tab, KEY.ctrlRB);
    expect(h.frame()).toContain('PASSTHROUGH');
    const seq = [
      '1',
      '\r',
      KEY.up,
      KEY.down,
      KEY.left,
      KEY.right,
      KEY.esc,
      KEY.ctrlC,
      KEY.tab,
      'y',
      '\x1b[1;5A',
    ];
    await h.press(...seq);
    expect(ops(engine.calls, 'write')).toEqual(seq.map((data) => ({ op: 'write', id: '2', data })));
    expect(ops(engine.calls, 'send')).toEqual([]);
    expect(ops(engine.calls, 'interrupt')).toEqual([]);
    expect(h.onQuit).not.toHaveBeenCalled();
    await h.press(KEY.ctrlRB);
    expect(h.frame()).not.toContain('PASSTHROUGH');
    await h.type('z');
    expect(ops(engine.calls, 'write')).toHaveLength(seq.length);
    expect(h.frame()).toContain('#2❯ z');
  });

  it('passthrough forwards a fast run of characters in one write, still catching the toggle', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.press(KEY.ctrlRB, 'hello\r', 'ab\x1dcd');
    expect(ops(engine.calls, 'write')).toEqual([
      { op: 'write', id: '1', data: 'hello\r' },
      { op: 'write', id: '1', data: 'a' },
      { op: 'write', id: '1', data: 'b' },
    ]);
    expect(h.frame()).toContain('#1❯ cd');
  });

  it('passthrough forwards a paste as bracketed paste', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.press(KEY.ctrlRB, '\x1b[200~', 'pasted\rtext', '\x1b[201~');
    expect(ops(engine.calls, 'write')).toEqual([
      { op: 'write', id: '1', data: '\x1b[200~pasted\rtext\x1b[201~' },
    ]);
  });

  it('answers a WAITING session directly with digits, arrows and Enter when the box is empty', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    engine.setStatus('1', 'WAITING', 'Do you want to create hello.py?');
    await h.settle(5);
    expect(h.frame()).toContain('answer its dialog');
    await h.press('2', KEY.down, KEY.up, KEY.enter);
    expect(ops(engine.calls, 'write')).toEqual([
      { op: 'write', id: '1', data: '2' },
      { op: 'write', id: '1', data: '\x1b[B' },
      { op: 'write', id: '1', data: '\x1b[A' },
      { op: 'write', id: '1', data: '\r' },
    ]);
    // with text in the box, keys edit the prompt and Enter sends it
    await h.type('no, do this instead');
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([
      { op: 'send', id: '1', text: 'no, do this instead', opts: undefined },
    ]);
  });

  it('Ctrl+X kills the focused session after a second press; on an ended session closes its pane', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine });
    await h.press(KEY.ctrlX);
    expect(ops(engine.calls, 'kill')).toEqual([]);
    expect(h.frame()).toContain('again to kill #1');
    await h.press(KEY.ctrlX);
    expect(ops(engine.calls, 'kill')).toEqual([{ op: 'kill', id: '1' }]);
    await h.settle(5);
    expect(titleOf(h.frame(), 1)).toContain('EXITED');
    expect(engine.get('2')?.status).toBe('RUNNING');
    await h.press(KEY.ctrlX);
    expect(engine.get('1')).toBeUndefined();
    await h.settle(5);
    expect(titleOf(h.frame(), 1)).toBeUndefined();
    expect(isFocusedTitle(titleOf(h.frame(), 2))).toBe(true);
  });

  it('Ctrl+O zooms the focused pane and back, resizing it', async () => {
    const engine = engineWith('a', 'b');
    const h = setup({ engine, cols: 100, rows: 30 });
    await h.press(KEY.tab, KEY.ctrlO);
    expect(titleOf(h.frame(), 1)).toBeUndefined();
    expect(titleOf(h.frame(), 2)).toBeDefined();
    expect(engine.calls.at(-1)).toEqual({ op: 'resize', id: '2', cols: 98, rows: 25 });
    await h.press(KEY.ctrlO);
    expect(titleOf(h.frame(), 1)).toBeDefined();
    expect(engine.calls.at(-1)).toEqual({ op: 'resize', id: '2', cols: 48, rows: 25 });
  });

  it("scrolls a pane's history with PgUp / Shift+Up and back to live with End", async () => {
    const engine = engineWith('a');
    const h = setup({ engine, cols: 80, rows: 20 });
    await h.settle(5);
    engine.emitOutput('1', ...Array.from({ length: 100 }, (_, i) => `output line ${i}`));
    await h.settle(40);
    expect(h.frame()).toContain('output line 99');
    await h.press(KEY.pgUp);
    expect(h.frame()).not.toContain('output line 99');
    expect(h.frame()).toMatch(/↑ \d+\/\d+ lines up/);
    await h.press('\x1b[1;2B'); // Shift+Down: one line back
    await h.press(KEY.end);
    expect(h.frame()).toContain('output line 99');
    expect(h.frame()).not.toMatch(/lines up/);
  });

  it('edits a multi-line prompt (Alt+Enter / Ctrl+J) and sends it whole', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.type('line one');
    await h.press(KEY.altEnter);
    await h.type('line tw');
    await h.press(KEY.ctrlJ);
    await h.type('three');
    await h.press(KEY.up, KEY.end);
    await h.type('o');
    const f = h.frame();
    expect(f).toContain('#1❯ line one');
    expect(f).toContain('    line two');
    expect(f).toContain('    three');
    expect(frameFits(f, 100, 30)).toEqual([]);
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([
      { op: 'send', id: '1', text: 'line one\nline two\nthree', opts: undefined },
    ]);
  });

  it('edits with cursor keys and recalls history with Up when empty', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.type('helo world');
    await h.press(KEY.home, KEY.right, KEY.right, KEY.right);
    await h.type('l');
    await h.press('\x17'); // Ctrl+W deletes "hell"
    await h.type('HELL');
    await h.press(KEY.end, KEY.backspace);
    await h.press(KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([{ op: 'send', id: '1', text: 'HELLo worl', opts: undefined }]);
    await h.press(KEY.up);
    expect(h.frame()).toContain('#1❯ HELLo worl');
  });

  it('edits grapheme clusters whole: backspace, arrows, and the cursor drawn over the whole cluster', async () => {
    const family = '👨\u200d👩\u200d👧\u200d👦';
    const engine = engineWith('a');
    // Ink styles through chalk, which sees no color terminal under vitest: turn styles on to see
    // where the inverse cursor is.
    const level = chalk.level;
    chalk.level = 1;
    onTestFinished(() => {
      chalk.level = level;
    });
    const h = setup({ engine });
    await h.type(`a${family}b👍🏽c🇯🇵e\u0301`);
    await h.press(KEY.backspace); // e + accent
    await h.press(KEY.backspace); // the flag
    await h.press(KEY.left, KEY.backspace); // the toned thumb (the cursor stays before "c")
    await h.press(KEY.left, KEY.left);
    // The cursor sits on the family: one inverse cell holding all four members.
    expect(h.r.lastFrame()).toMatch(new RegExp(`\\x1b\\[7m${family}\\x1b\\[27m`));
    await h.press(KEY.right, KEY.backspace, KEY.enter);
    expect(ops(engine.calls, 'send')).toEqual([{ op: 'send', id: '1', text: 'abc', opts: undefined }]);
  });

  it('a bracketed paste is inserted (newlines kept), not sent', async () => {
    const engine = engineWith('a');
    const h = setup({ engine });
    await h.press('\x1b[200~', 'first\r\nsecond', '\x1b[201~');
    expect(ops(engine.calls, 'send')).toEqual([]);
    expect(h.frame()).toContain('#1❯ first');
    expect(h.frame()).toContain('    second');
  });

  it('F1 or ? (on an empty box) opens help listing the commands; Esc closes it', async () => {
    const engine = engineWith('a');
    const h = setup({ engine, cols: 160, rows: 60 });
    await h.press(KEY.f1);
    let f = h.frame();
    expect(f).toContain('axiom — keys');
    expect(f).toContain('Interrupt the focused session');
    expect(f).toContain('Ctrl+]');
    await h.press(KEY.esc);
    expect(ops(engine.calls, 'interrupt')).toEqual([]);
    expect(h.frame()).not.toContain('axiom — keys');
    await h.type('?');
    f = h.frame();
    expect(f).toContain('axiom — keys');
    await h.press('q');
    expect(h.frame()).not.toContain('axiom — keys');
    // with text in the box, '?' is just text
    await h.type('why?');
    expect(h.frame()).toContain('#1❯ why?');
  });
});
