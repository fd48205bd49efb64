import { afterEach, describe, expect, it } from 'vitest';
import { WAITING_SETTLE_MS } from '../../src/ui/notify.js';
import type { NotifySettings } from '../../src/ui/use-notify.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, KEY, setup } from './helpers.js';

afterEach(() => cleanup());

const FOCUS_IN = '\x1b[I';
const FOCUS_OUT = '\x1b[O';

function harness(prompts: string[], mode: NotifySettings['mode'] = 'both') {
  const engine = new FakeEngine();
  for (const p of prompts) engine.spawn({ prompt: p });
  const out: string[] = [];
  const titleLog: string[] = [];
  const notify: NotifySettings = {
    mode,
    terminal: { escape: 'osc9', tmux: false },
    write: (bytes) => (bytes.startsWith('\x1b]2;') ? titleLog : out).push(bytes),
  };
  const h = setup({ engine, notify });
  /** Notifications written since the last call (titles are kept apart). */
  const take = () => out.splice(0);
  const titles = () => titleLog;
  return { engine, h, take, titles };
}

describe('useNotify in the App', () => {
  it('a session that is not focused waiting for permission rings and notifies, naming it and why', async () => {
    const { engine, h, take } = harness(['a', 'b']);
    await h.settle();
    take();
    // The screen shows the dialog first; the hook says what for a moment later: one notification, precise.
    engine.setStatus('2', 'WAITING', 'permission needed: answer the dialog');
    engine.setStatus('2', 'WAITING', 'permission needed for Write fib.go: answer the dialog');
    await h.settle(WAITING_SETTLE_MS);
    expect(take()).toEqual(['\x07\x1b]9;#2 waits for permission: Write fib.go\x07']);
  });

  it('a permission the hook never details is told anyway, after a moment', async () => {
    const { engine, h, take } = harness(['a', 'b']);
    engine.setStatus('2', 'WAITING', 'permission needed: answer the dialog');
    expect(take()).toEqual([]);
    await h.settle(WAITING_SETTLE_MS);
    expect(take()).toEqual(['\x07\x1b]9;#2 waits for permission\x07']);
  });

  it('a dialog answered before the notification went out says nothing', async () => {
    const { engine, h, take } = harness(['a', 'b']);
    engine.setStatus('2', 'WAITING', 'permission needed: answer the dialog');
    engine.setStatus('2', 'RUNNING');
    await h.settle(WAITING_SETTLE_MS);
    expect(take()).toEqual([]);
  });

  it('nothing for the focused session while the terminal has focus; everything once it lost focus', async () => {
    const { engine, h, take } = harness(['a', 'b']);
    await h.settle();
    take();
    engine.setStatus('1', 'COMPLETED');
    await h.settle();
    expect(take()).toEqual([]);
    await h.press(FOCUS_OUT);
    engine.setStatus('1', 'WAITING', 'a question');
    await h.settle(WAITING_SETTLE_MS);
    expect(take()).toEqual(['\x07\x1b]9;#1 waits for you: a question\x07']);
    await h.press(FOCUS_IN);
    engine.setStatus('1', 'COMPLETED');
    await h.settle();
    expect(take()).toEqual([]);
  });

  it('moving the focus moves the silence', async () => {
    const { engine, h, take } = harness(['a', 'b']);
    await h.press(KEY.tab); // focus #2
    engine.setStatus('2', 'COMPLETED');
    engine.setStatus('1', 'COMPLETED');
    await h.settle();
    expect(take()).toEqual([expect.stringMatching(/^\x07\x1b\]9;#1 finished its turn in \d+s\x07$/)]);
  });

  it('--notify bell rings only; none is silent but still sets the title', async () => {
    const bell = harness(['a', 'b'], 'bell');
    bell.engine.setStatus('2', 'COMPLETED');
    await bell.h.settle();
    expect(bell.take()).toEqual(['\x07']);
    cleanup();
    const none = harness(['a', 'b'], 'none');
    none.engine.setStatus('2', 'COMPLETED');
    await none.h.settle();
    expect(none.take()).toEqual([]);
    expect(none.titles().at(-1)).toBe('\x1b]2;axiom · 1 running · 1 done\x07');
  });

  it('the title follows the sessions and is written only when it changes', async () => {
    const { engine, h, titles } = harness(['a', 'b']);
    await h.settle();
    expect(titles()).toEqual(['\x1b]2;axiom · 2 running\x07']);
    engine.setStatus('2', 'WAITING', 'x');
    engine.setStatus('2', 'WAITING', 'y');
    await h.settle();
    expect(titles()).toEqual(['\x1b]2;axiom · 2 running\x07', '\x1b]2;axiom · 1 running · 1 waiting\x07']);
  });

  it('focus reports never reach the prompt box nor, in passthrough, the agent', async () => {
    const { engine, h } = harness(['a']);
    await h.press(FOCUS_OUT, FOCUS_IN);
    expect(h.frame()).toContain('#1❯ ');
    expect(h.frame()).not.toMatch(/#1❯ \S/);
    await h.press(KEY.ctrlRB, FOCUS_OUT, 'x', FOCUS_IN);
    expect(engine.calls.filter((c) => c.op === 'write')).toEqual([{ op: 'write', id: '1', data: 'x' }]);
  });
});
