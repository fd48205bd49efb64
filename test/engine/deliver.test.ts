/**
 * Submitting a prompt the engine can vouch for (src/engine/deliver.ts), over a fake PTY with fake
 * timers: a small claude-like input box (cleared with Ctrl+E Ctrl+U, Enter submits its content),
 * and a generic agent that paints a banner before it reads input.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { genericProfile } from '../../src/agents/generic.js';
import type { AgentProfile } from '../../src/agents/profile.js';
import type { SessionManager } from '../../src/engine/session-manager.js';
import { fakeManager } from '../helpers/fake-manager.js';
import type { FakePty } from '../helpers/fake-pty.js';

const CLEAR = '\x1b[2J\x1b[H';
const RULE = '─'.repeat(60);

/**
 * A claude-like input box: typed text is appended, a Ctrl+E Ctrl+U pair deletes a row, Enter
 * submits what the box holds. `onType` can meddle (a late restore of an interrupted prompt).
 */
class FakeBox {
  box = '';
  submitted: string[] = [];
  ignoreClear = false;
  dropEnters = 0;
  onType: ((typed: string) => void) | undefined;
  constructor(private readonly pty: FakePty) {
    const write = pty.write.bind(pty);
    pty.write = (data: string | Buffer) => {
      write(data);
      this.input(data.toString());
    };
  }
  input(d: string): void {
    if (d === '\r') {
      if (this.dropEnters > 0) {
        this.dropEnters--;
        return;
      }
      if (this.box) this.submitted.push(this.box);
      this.box = '';
    } else if (/^(\x05\x15)+$/.test(d)) {
      if (!this.ignoreClear) this.box = '';
    } else if (d !== '\x1b') {
      const typed = d.replace(/\x1b\[20[01]~/g, '');
      this.box += typed;
      this.onType?.(typed);
    }
    this.draw();
  }
  draw(): void {
    const rows = this.box.split('\n');
    const body = rows.map((r, i) => (i === 0 ? `❯\u00a0${r}` : `  ${r}`)).join('\r\n');
    this.pty.emit(`${CLEAR}Claude Code\r\n\r\n${RULE}\r\n${body}\r\n${RULE}\r\n  ? for shortcuts`);
  }
}

describe('verified submit', () => {
  let manager: SessionManager;
  let warnings: string[];

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
  });
  afterEach(async () => {
    manager?.removeAllListeners();
    vi.useRealTimers();
  });

  function make(profile: AgentProfile) {
    warnings = [];
    const rig = fakeManager(profile);
    manager = rig.manager;
    manager.on('warning', (m: string) => warnings.push(m));
    return rig;
  }

  async function claudeAtPrompt(box = '') {
    const f = make(claudeProfile('/bin/sh'));
    const s = manager.spawn({ cwd: '/tmp' });
    const pty = f.ptys[0] as FakePty;
    const fake = new FakeBox(pty);
    fake.box = box;
    fake.draw();
    await vi.advanceTimersByTimeAsync(50);
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
    return { id: s.id, pty, fake };
  }

  it('text left in the box (an interrupted prompt put back) is cleared first: only the new text is submitted', async () => {
    const { id, pty, fake } = await claudeAtPrompt('Analyze sorting slowly');
    const sent = manager.send(id, 'Just implement quicksort.py', { interrupt: false });
    await vi.advanceTimersByTimeAsync(1000);
    await sent;
    expect(fake.submitted).toEqual(['Just implement quicksort.py']);
    // Cleared, typed, Enter: in that order.
    const first = pty.written.findIndex((w) => w.startsWith('\x05\x15'));
    const typed = pty.written.indexOf('Just implement quicksort.py');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(typed).toBeGreaterThan(first);
    expect(pty.written.indexOf('\r')).toBeGreaterThan(typed);
    expect(manager.get(id)?.lastPrompt).toBe('Just implement quicksort.py');
    expect(manager.get(id)?.status).toBe('RUNNING');
  });

  it('a prompt put back after the box was cleared (a late restore) is caught on screen and cleared again', async () => {
    const { id, fake } = await claudeAtPrompt();
    let restored = false;
    fake.onType = () => {
      if (restored) return;
      restored = true;
      fake.box = `Analyze sorting slowly${fake.box}`;
    };
    const sent = manager.send(id, 'Now topic 2', { interrupt: false });
    await vi.advanceTimersByTimeAsync(3000);
    await sent;
    expect(fake.submitted).toEqual(['Now topic 2']);
  });

  it('a multi-line text is pasted and verified whole', async () => {
    const { id, fake } = await claudeAtPrompt('left over');
    const sent = manager.send(id, 'line one\nline two', { interrupt: false });
    await vi.advanceTimersByTimeAsync(1000);
    await sent;
    expect(fake.submitted).toEqual(['line one\nline two']);
  });

  it('a box that cannot be emptied: an error on the session, a warning, and no Enter', async () => {
    const { id, pty, fake } = await claudeAtPrompt('stuck text');
    fake.ignoreClear = true;
    const sent = manager.send(id, 'new direction', { interrupt: false });
    const caught = sent.catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(20_000);
    const err = await caught;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /could not verify the agent's input box \(it shows "stuck text"\); nothing was submitted/,
    );
    expect(pty.written).not.toContain('\r');
    expect(fake.submitted).toEqual([]);
    expect(manager.get(id)?.sendError).toMatch(/could not verify/);
    expect(warnings.some((w) => /could not verify/.test(w))).toBe(true);
    // The title's prompt is what was really sent: nothing new.
    expect(manager.get(id)?.lastPrompt).toBe('');
  });

  it('no input box on screen (a dialog): nothing is typed past the clear, nothing submitted', async () => {
    const { id, pty, fake } = await claudeAtPrompt();
    pty.emit(`${CLEAR}Some dialog\r\nPick one\r\n`);
    await vi.advanceTimersByTimeAsync(50);
    fake.draw = () => {};
    const caught = manager.send(id, 'hello', { interrupt: false }).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(await caught).toBeInstanceOf(Error);
    expect(pty.written.filter((w) => w === 'hello')).toHaveLength(0);
    expect(pty.written).not.toContain('\r');
  });

  it('an Enter the agent dropped is pressed once more; the turn is confirmed when the box empties', async () => {
    const { id, pty, fake } = await claudeAtPrompt();
    fake.dropEnters = 1;
    const sent = manager.send(id, 'hello', { interrupt: false });
    await vi.advanceTimersByTimeAsync(6000);
    await sent;
    expect(fake.submitted).toEqual(['hello']);
    expect(pty.written.filter((w) => w === '\r')).toHaveLength(2);
  });

  it('the agent never takes the prompt: the send fails, it never reports success', async () => {
    const { id, fake } = await claudeAtPrompt();
    fake.dropEnters = 10;
    const caught = manager.send(id, 'hello', { interrupt: false }).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(String(await caught)).toMatch(/did not take the prompt/);
    expect(manager.get(id)?.sendError).toMatch(/did not take the prompt/);
  });

  it('with hooks, lastPrompt is what UserPromptSubmit says the agent received', async () => {
    const { id } = await claudeAtPrompt();
    const sess = manager.session(id)!;
    sess.onHook({ hook_event_name: 'Stop' });
    const sent = manager.send(id, 'hello there', { interrupt: false });
    await vi.advanceTimersByTimeAsync(400);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'hello there' });
    await vi.advanceTimersByTimeAsync(100);
    await sent;
    expect(manager.get(id)?.lastPrompt).toBe('hello there');
  });

  describe('a generic agent that paints a banner, then reads input only later', () => {
    /** Discards input until `readyAt` (as a program that flushes its terminal at start), then echoes. */
    function slowAgent(pty: FakePty, readyAt: number, echo = true) {
      const got: string[] = [];
      let line = '';
      const write = pty.write.bind(pty);
      pty.write = (data: string | Buffer) => {
        write(data);
        const d = data.toString();
        if (Date.now() < readyAt) return;
        if (d === '\r') {
          got.push(line);
          line = '';
          pty.emit(`\r\nyou said ${got.length}\r\n> `);
        } else {
          line += d;
          if (echo) pty.emit(d);
        }
      };
      pty.emit('Welcome to SlowAgent 1.0\r\nloading models...\r\n');
      setTimeout(() => pty.emit('> '), readyAt - Date.now());
      return got;
    }

    it('the first prompt is typed again when it did not echo, and received once', async () => {
      const f = make(genericProfile('/bin/sh'));
      const s = manager.spawn({ agent: 'slow-agent', cwd: '/tmp', prompt: 'do the thing' });
      const got = slowAgent(f.ptys[0] as FakePty, Date.now() + 1500);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(got).toEqual(['do the thing']);
      expect(manager.get(s.id)?.sendError).toBeUndefined();
    });

    it('an agent that never echoes: the send is reported failed, not as received', async () => {
      const f = make(genericProfile('/bin/sh'));
      const s = manager.spawn({ agent: 'mute-agent', cwd: '/tmp' });
      slowAgent(f.ptys[0] as FakePty, Date.now() + 100, false);
      await vi.advanceTimersByTimeAsync(1000);
      const caught = manager.send(s.id, 'hello', { interrupt: false }).catch((e: Error) => e);
      await vi.advanceTimersByTimeAsync(20_000);
      expect(String(await caught)).toMatch(/could not verify/);
      expect(f.ptys[0]?.written).not.toContain('\r');
    });
  });
});
