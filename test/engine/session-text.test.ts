/**
 * A session whose profile names a structured log (TextSourceSpec): output(), the `.txt` and the
 * turn's end come from that log, never from the screen; without the log, from the screen.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeHookEvents } from '../../src/agents/claude.js';
import type { AgentProfile, ScreenState, TextRecord } from '../../src/agents/profile.js';
import { typeAndSubmit } from '../../src/agents/profile.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import type { SessionSnapshot } from '../../src/engine/types.js';
import { type FakePty, fakePtyFactory } from '../helpers/fake-pty.js';

const CLEAR = '\x1b[2J\x1b[H';

function parse(rec: string): TextRecord {
  const o = JSON.parse(rec) as {
    say?: string;
    turn?: 'start' | 'end';
    run?: string;
    call?: string;
    ok?: string;
  };
  const commands =
    o.call === undefined
      ? undefined
      : [
          o.run !== undefined
            ? { callId: o.call, command: o.run, check: o.run.includes('test') }
            : { callId: o.call, ok: o.ok === 'yes' },
        ];
  return { lines: o.say ? o.say.split('|') : [], turn: o.turn, commands };
}

describe('Session with a structured text source', () => {
  let root: string;
  let dir: string;
  let manager: SessionManager;
  let pty: FakePty;
  const warnings: string[] = [];

  function profile(): AgentProfile {
    return {
      name: 'logged',
      usesHooks: true,
      hookEvents: claudeHookEvents,
      idleMs: 1000,
      launch: (ctx) => ({
        file: '/bin/sh',
        args: [ctx.prompt],
        env: {},
        promptInArgs: true,
        agentSessionId: ctx.agentSessionId,
      }),
      submitSteps: (text) => typeAndSubmit(text, 200, true),
      interruptSequence: () => '\x1b',
      detect(lines): ScreenState {
        const t = lines.join('\n');
        if (t.includes('BUSY')) return 'busy';
        if (t.includes('READY>')) return 'idle';
        return 'starting';
      },
      stableRows: (_lines, cursorRow) => cursorRow,
      textSource: (ctx) => ({ root, fileName: `${ctx.agentSessionId}.jsonl`, likelyDir: 'proj', parse }),
    };
  }

  function start(): { id: string; log: (o: Record<string, string>) => void; snap: () => SessionSnapshot } {
    root = mkdtempSync(join(tmpdir(), 'axiom-logged-'));
    dir = mkdtempSync(join(tmpdir(), 'axiom-logged-state-'));
    const f = fakePtyFactory();
    manager = new SessionManager({
      ptyFactory: f.factory,
      stateDir: dir,
      runId: 'r1',
      hooks: false,
      profileFor: () => profile(),
      signal: () => [],
    });
    manager.on('warning', (w: string) => warnings.push(w));
    const s = manager.spawn({ prompt: 'p' });
    pty = f.ptys[0] as FakePty;
    const snap = () => manager.get(s.id) as SessionSnapshot;
    const file = () => join(root, 'proj', `${snap().agentSessionId}.jsonl`);
    return {
      id: s.id,
      snap,
      log: (o) => {
        mkdirSync(join(root, 'proj'), { recursive: true });
        appendFileSync(file(), `${JSON.stringify(o)}\n`);
      },
    };
  }

  beforeEach(() => {
    vi.useFakeTimers();
    warnings.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(root, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the log as the text, never the screen rows; COMPLETED waits for the log to close the turn', async () => {
    const { id, log, snap } = start();
    expect(snap().agentSessionId).toMatch(/^[0-9a-f-]{36}$/);
    const sess = manager.session(id)!;
    // The screen fills its first row in place, as claude does: the screen path would lose it.
    pty.emit(`${CLEAR}●\r\n\r\nBUSY`);
    await vi.advanceTimersByTimeAsync(50);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'p' });
    log({ say: '❯ p', turn: 'start' });
    pty.emit('\x1b[3;1H\x1b[2K\x1b[1;1H● the whole answer\r\n\r\n\x1b[2KREADY>');
    await vi.advanceTimersByTimeAsync(300); // the poll timer finds the file
    expect(manager.output(id, 0).text).toBe('❯ p\n');
    let textAtCompletion = '';
    manager.on('status', (s: SessionSnapshot) => {
      if (s.status === 'COMPLETED') textAtCompletion = manager.output(id, 0).text;
    });
    sess.onHook({ hook_event_name: 'Stop' });
    await vi.advanceTimersByTimeAsync(100);
    // The screen is idle, but the log has not closed the turn: still RUNNING.
    expect(snap().status).toBe('RUNNING');
    log({ say: 'the whole answer|second line' });
    log({ turn: 'end' });
    await vi.advanceTimersByTimeAsync(1000); // the safety poll (fs.watch may be quicker)
    expect(snap().status).toBe('COMPLETED');
    expect(textAtCompletion).toBe('❯ p\nthe whole answer\nsecond line\n');
    pty.exit(0);
    await vi.advanceTimersByTimeAsync(50);
    await sess.ended;
    expect(readFileSync(join(dir, 'runs', 'r1', '1.txt'), 'utf8')).toBe(
      '❯ p\nthe whole answer\nsecond line\n',
    );
  });

  it('puts the last test the log tells of on the snapshot, and tells front ends when it changes', async () => {
    const { id, log, snap } = start();
    const outputs: string[] = [];
    manager.on('output', (sid: string) => outputs.push(sid));
    pty.emit(`${CLEAR}BUSY`);
    log({ say: '❯ p', turn: 'start' });
    await vi.advanceTimersByTimeAsync(300);
    expect(snap().lastCheck).toBeUndefined();
    log({ call: 't1', run: 'npm test' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(snap().lastCheck).toBeUndefined(); // started, no result yet
    outputs.length = 0;
    log({ call: 't1', ok: 'no' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(snap().lastCheck).toMatchObject({ command: 'npm test', ok: false, check: true });
    expect(outputs).toContain(id);
    log({ call: 'l1', run: 'ls' });
    log({ call: 'l1', ok: 'yes' });
    log({ call: 't2', run: 'npm test' });
    log({ call: 't2', ok: 'yes' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(snap().lastCheck).toMatchObject({ command: 'npm test', ok: true, check: true });
    pty.exit(0);
    await vi.advanceTimersByTimeAsync(50);
    await manager.session(id)?.ended;
  });

  it('reports COMPLETED after a bounded wait when the log never closes the turn', async () => {
    const { id, log, snap } = start();
    const sess = manager.session(id)!;
    pty.emit(`${CLEAR}BUSY`);
    await vi.advanceTimersByTimeAsync(50);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'p' });
    log({ say: '❯ p|half an answer', turn: 'start' });
    pty.emit(`${CLEAR}READY>`);
    sess.onHook({ hook_event_name: 'Stop' });
    await vi.advanceTimersByTimeAsync(1000);
    expect(snap().status).toBe('RUNNING');
    await vi.advanceTimersByTimeAsync(1000);
    expect(snap().status).toBe('COMPLETED');
    expect(manager.output(id, 0).text).toBe('❯ p\nhalf an answer\n');
    pty.exit(0);
    await vi.advanceTimersByTimeAsync(50);
    await sess.ended;
  });

  it('falls back to the screen rows, with a warning, when the log never shows up', async () => {
    const { id, snap } = start();
    const sess = manager.session(id)!;
    pty.emit(`${CLEAR}BUSY`);
    await vi.advanceTimersByTimeAsync(50);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'p' });
    pty.emit(`${CLEAR}answer from the screen\r\nREADY>`);
    sess.onHook({ hook_event_name: 'Stop' });
    await vi.advanceTimersByTimeAsync(2000);
    expect(snap().status).toBe('COMPLETED');
    expect(warnings.join('\n')).toMatch(
      /conversation log was not found under .*; plain text comes from the screen/,
    );
    expect(manager.output(id, 0).text).toBe('answer from the screen\n');
    pty.emit('\r\nmore\r\n');
    await vi.advanceTimersByTimeAsync(50);
    pty.exit(0);
    await vi.advanceTimersByTimeAsync(50);
    await sess.ended;
    expect(manager.output(id, 0).text).toBe('answer from the screen\nREADY>\nmore\n');
    expect(readFileSync(join(dir, 'runs', 'r1', '1.txt'), 'utf8')).toBe(
      'answer from the screen\nREADY>\nmore\n',
    );
  });
});
