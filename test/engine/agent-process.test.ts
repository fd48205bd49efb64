/**
 * The process lifecycle alone: a fake PTY (with a terminal that can close), a fake signal
 * function, fake timers; no screen, no transcript, no status.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentProfile, ScreenState } from '../../src/agents/profile.js';
import { AgentProcess, CLOSED_TERMINAL_GRACE_MS } from '../../src/engine/agent-process.js';
import type { Disposable } from '../../src/engine/pty.js';
import { FakePty } from '../helpers/fake-pty.js';

/** A PTY whose terminal can close while the process runs on. */
class ClosingPty extends FakePty {
  private closeCbs: Array<() => void> = [];
  onClose(cb: () => void): Disposable {
    this.closeCbs.push(cb);
    return { dispose: () => void this.closeCbs.splice(this.closeCbs.indexOf(cb), 1) };
  }
  close(): void {
    for (const cb of this.closeCbs) cb();
  }
}

const profile: AgentProfile = {
  name: 'test',
  usesHooks: false,
  idleMs: 1000,
  launch: (ctx) => ({
    file: '/bin/sh',
    args: ctx.privateFile ? ['--settings', ctx.privateFile('hooks.json', '{}')] : [],
    env: {},
    promptInArgs: false,
  }),
  submitSteps: () => [],
  interruptSequence: () => '\x1b',
  detect: (): ScreenState => 'idle',
  stableRows: () => 0,
};

function make(privateDir?: string) {
  const signals: string[] = [];
  const warnings: string[] = [];
  const events: string[] = [];
  const proc = new AgentProcess({
    n: 3,
    profile,
    killGraceMs: 2000,
    earlyExitMs: 100,
    ...(privateDir
      ? {
          privateFile: (name: string, content: string) => {
            const path = join(privateDir, name);
            writeFileSync(path, content, { mode: 0o600 });
            return path;
          },
        }
      : {}),
    signal: (pid, sig) => {
      signals.push(`${pid} ${sig}`);
      return [];
    },
    warning: (m) => warnings.push(m),
  });
  let pty: ClosingPty | undefined;
  const start = () => {
    const { plan, problem } = proc.plan({ prompt: '', agentArgs: [] }, { PATH: '/usr/bin:/bin' }, '/');
    expect(problem.ok).toBe(true);
    proc.spawn(
      (opts) => {
        pty = new ClosingPty(opts);
        return pty;
      },
      { file: plan.spec.file, args: plan.spec.args, cwd: '/', env: plan.env, cols: 80, rows: 24 },
      {
        data: (d) => events.push(`data ${d.toString()}`),
        exit: () => {
          events.push('exit');
          // The session records its end, then resolves `ended`.
          proc.finish();
        },
      },
    );
    return { plan, pty: pty as ClosingPty };
  };
  return { proc, start, signals, warnings, events };
}

describe('agent process', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a launch problem is returned with the fix; nothing is started', () => {
    const { proc } = make();
    const { plan, problem } = proc.plan({ prompt: '', agentArgs: [] }, { PATH: '' }, '/no/such/dir');
    expect(plan.command).toEqual(['/bin/sh']);
    expect(problem).toEqual({
      ok: false,
      reason: 'working directory does not exist: /no/such/dir (create it or pass --cwd)',
    });
    expect(proc.started).toBe(false);
    proc.fail();
    expect(proc.exited).toBe(true);
    expect(proc.facts().endedAt).toBe(Date.now());
  });

  it('kill: SIGHUP and SIGTERM, SIGKILL after the grace period, and the end says SIGTERM was ignored', async () => {
    const { proc, start, signals } = make();
    const { pty } = start();
    let killed = false;
    void proc.kill().then(() => {
      killed = true;
    });
    expect(signals).toEqual([`${pty.pid} SIGHUP`, `${pty.pid} SIGTERM`]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(signals).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals[2]).toBe(`${pty.pid} SIGKILL`);
    expect(killed).toBe(false);
    pty.exit(0, 9);
    await vi.advanceTimersByTimeAsync(0);
    expect(killed).toBe(true);
    expect(proc.facts()).toMatchObject({ exitCode: null, signal: 9, pid: undefined });
    expect(proc.end('')).toEqual({
      status: 'EXITED',
      reason: 'killed (SIGKILL: it ignored SIGTERM for 2.0 s)',
    });
  });

  it('a terminal that closes while the agent runs on: stopped after the grace period, FAILED with why', async () => {
    const { proc, start, signals } = make();
    const { pty } = start();
    pty.close();
    await vi.advanceTimersByTimeAsync(CLOSED_TERMINAL_GRACE_MS - 1);
    expect(signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(signals).toEqual([`${pty.pid} SIGHUP`, `${pty.pid} SIGTERM`]);
    pty.exit(0, 15);
    expect(proc.end('last words')).toEqual({
      status: 'FAILED',
      reason: 'closed its terminal but kept running; axiom stopped it: last words',
    });
  });

  it('a terminal that closes as the agent exits is a plain exit; strays are reaped and private files removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-proc-'));
    try {
      const { proc, start, signals, events } = make(dir);
      const { plan, pty } = start();
      const file = join(dir, '3-hooks.json');
      expect(plan.command).toEqual(['/bin/sh', '--settings', file]);
      expect(existsSync(file)).toBe(true);
      pty.emit('bye');
      vi.advanceTimersByTime(500);
      pty.close();
      pty.exit(1);
      await vi.advanceTimersByTimeAsync(CLOSED_TERMINAL_GRACE_MS * 2);
      expect(events).toEqual(['data bye', 'exit']);
      expect(signals).toEqual([`${pty.pid} SIGKILL`]); // the reaping at exit, no kill
      expect(existsSync(file)).toBe(false);
      expect(proc.facts()).toMatchObject({ exitCode: 1, signal: null });
      expect(proc.end('bye')).toEqual({ status: 'FAILED', reason: 'exited with code 1: bye' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
