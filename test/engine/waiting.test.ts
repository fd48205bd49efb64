/**
 * WAITING with the dialog's text and options, over a fake PTY drawing real claude screens from the
 * fixture corpus: the trust question before the first prompt, a permission dialog, an API error,
 * and a dialog no profile knows (the general rule) from a generic agent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { genericProfile } from '../../src/agents/generic.js';
import type { AgentProfile } from '../../src/agents/profile.js';
import type { SessionManager } from '../../src/engine/session-manager.js';
import type { SessionStatus } from '../../src/engine/types.js';
import { repoRoot } from '../helpers/claude-env.js';
import { FAKE_TIMINGS, fakeManager } from '../helpers/fake-manager.js';
import type { FakePty } from '../helpers/fake-pty.js';

const CLEAR = '\x1b[2J\x1b[H';
const fixture = (name: string): string =>
  CLEAR +
  readFileSync(join(repoRoot(), 'test', 'fixtures', 'claude-screens', name), 'utf8')
    .replace(/\n+$/, '')
    .split('\n')
    .join('\r\n');

describe('WAITING for a person', () => {
  let manager: SessionManager;
  let statuses: SessionStatus[];

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
  });
  afterEach(() => {
    manager?.removeAllListeners();
    vi.useRealTimers();
  });

  function make(profile: AgentProfile, readyWaitMs = 5000) {
    statuses = [];
    const rig = fakeManager(profile, { timings: { ...FAKE_TIMINGS, readyWaitMs } });
    manager = rig.manager;
    manager.on('status', (s) => statuses.push(s.status));
    return rig;
  }

  it("claude's trust question before the first prompt: WAITING with its text and options, then the prompt runs", async () => {
    const f = make(claudeProfile('/bin/sh'));
    const s = manager.spawn({ prompt: 'hello trust', cwd: '/tmp', cols: 100, rows: 30 });
    const pty = f.ptys[0] as FakePty;
    pty.emit(fixture('trust.txt'));
    await vi.advanceTimersByTimeAsync(5000);
    const w = manager.get(s.id)!;
    expect(w.status).toBe('WAITING');
    expect(w.waiting).toMatchObject({
      kind: 'permission',
      name: 'trust',
      cancellable: false,
      options: [
        { id: '1', label: 'No, exit' },
        { id: '2', label: 'Yes, I trust this folder' },
      ],
    });
    expect(w.waiting?.text).toMatch(/Quick safety check/);
    expect(w.reason).toMatch(/^waiting for a person \(trust\): Quick safety check/);
    // Not taken as ready by the start fallback either.
    expect(statuses).not.toContain('RUNNING');
    // A send cannot go into the dialog: it waits for the answer, then says why it could not.
    const early = manager.send(s.id, 'typed into the dialog?', { interrupt: false }).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(6000);
    expect(String(await early)).toMatch(/waits for a person \(trust\), answer that first/);
    expect(pty.written.join('')).not.toContain('typed into the dialog');
    // The person answers; claude runs the prompt it was given at launch.
    pty.emit(fixture('idle-after-answer.txt'));
    await vi.advanceTimersByTimeAsync(50);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    expect(manager.get(s.id)?.waiting).toBeUndefined();
  });

  it('a permission dialog: the hook says WAITING at once, the screen adds the text and options', async () => {
    const f = make(claudeProfile('/bin/sh'));
    const s = manager.spawn({ prompt: 'Write perm.txt', cwd: '/tmp', cols: 100, rows: 30 });
    const pty = f.ptys[0] as FakePty;
    const sess = manager.session(s.id)!;
    pty.emit(fixture('busy-empty-box.txt'));
    await vi.advanceTimersByTimeAsync(50);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'Write perm.txt' });
    sess.onHook({ hook_event_name: 'PermissionRequest', tool_name: 'Write' });
    expect(manager.get(s.id)?.waiting).toMatchObject({ kind: 'permission', name: 'permission' });
    pty.emit(fixture('permission.txt'));
    await vi.advanceTimersByTimeAsync(50);
    const w = manager.get(s.id)!;
    expect(w.status).toBe('WAITING');
    expect(w.waiting?.text).toBe('Do you want to create perm.txt?');
    expect(w.waiting?.options.map((o) => o.id)).toEqual(['1', '2', '3']);
    sess.onHook({
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_input: { file_path: '/tmp/perm.txt' },
    });
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    expect(manager.get(s.id)?.waiting).toBeUndefined();
  });

  it('an API error that ends the turn (429) is WAITING by name; a new prompt is typed without an Esc', async () => {
    const f = make(claudeProfile('/bin/sh'));
    const s = manager.spawn({ prompt: 'RATE now', cwd: '/tmp', cols: 100, rows: 30 });
    const pty = f.ptys[0] as FakePty;
    pty.emit(fixture('rate-limit.txt'));
    await vi.advanceTimersByTimeAsync(100);
    // Its input box shows what is typed; Enter takes it.
    const rule = '─'.repeat(100);
    const write = pty.write.bind(pty);
    pty.write = (d: string | Buffer) => {
      write(d);
      const text = d.toString() === 'try again' ? 'try again' : '';
      pty.emit(`${CLEAR}\r\n❯\u00a0RATE now\r\n\r\n${rule}\r\n❯\u00a0${text}\r\n${rule}\r\n`);
    };
    const w = manager.get(s.id)!;
    expect(w.status).toBe('WAITING');
    expect(w.waiting).toMatchObject({ name: 'rate-limit', kind: 'question' });
    const sent = manager.send(s.id, 'try again', { interrupt: true }).catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await sent).toBeUndefined();
    expect(pty.written).not.toContain('\x1b');
    expect(pty.written).toContain('try again');
  });

  it('the general rule: a generic agent quiet mid-turn on a menu is WAITING; output moves it back to RUNNING', async () => {
    const f = make(genericProfile('/bin/sh', 1500));
    const s = manager.spawn({ prompt: '', cwd: '/tmp' });
    const pty = f.ptys[0] as FakePty;
    pty.emit('$ ');
    await vi.advanceTimersByTimeAsync(1000);
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
    // Echo the typed text, then Enter starts the turn.
    const write = pty.write.bind(pty);
    pty.write = (d: string | Buffer) => {
      write(d);
      pty.emit(d.toString() === '\r' ? '\r\nworking\r\n' : d.toString());
    };
    const sent = manager.send(s.id, 'deploy', { interrupt: false });
    await vi.advanceTimersByTimeAsync(500);
    await sent;
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    pty.emit('\r\nDeploy to production?\r\n❯ 1. Deploy\r\n  2. Abort\r\n');
    await vi.advanceTimersByTimeAsync(3000);
    const w = manager.get(s.id)!;
    expect(w.status).toBe('WAITING');
    expect(w.waiting).toMatchObject({ name: 'unknown', text: 'Deploy to production?' });
    expect(w.waiting?.options).toEqual([
      { id: '1', label: 'Deploy' },
      { id: '2', label: 'Abort' },
    ]);
    pty.emit('\x1b[2J\x1b[Hdeploying...\r\n');
    await vi.advanceTimersByTimeAsync(50);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
  });
});
