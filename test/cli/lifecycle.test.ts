import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FrontEnd, installLifecycle } from '../../src/cli/lifecycle.js';
import { FakeProcess } from '../helpers/fake-process.js';

const flush = () => new Promise((r) => setImmediate(r));

afterEach(() => {
  vi.useRealTimers();
});

function rig() {
  const proc = new FakeProcess();
  const log: string[] = [];
  const shutdown = vi.fn(async () => {
    log.push('shutdown');
  });
  const life = installLifecycle({ shutdown }, proc);
  life.onRestore(() => log.push('restore'));
  return { proc, log, shutdown, life };
}

describe('the one owner of process signals (lifecycle)', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s with no front end: restore, shut down, then exit %i', async (sig, code) => {
    const { proc, log } = rig();
    proc.emit(sig, sig);
    await flush();
    expect(log).toEqual(['restore', 'shutdown']);
    expect(proc.exits).toEqual([code]);
  });

  it('SIGHUP with no front end: dies of SIGHUP itself, with nobody listening for it', async () => {
    const { proc } = rig();
    proc.emit('SIGHUP', 'SIGHUP');
    await flush();
    expect(proc.kills).toEqual(['SIGHUP']);
    expect(proc.exits).toEqual([]);
    expect(proc.listenerCount('SIGHUP')).toBe(0);
  });

  it('with a front end: it alone stops (its orderly path), and the process ends only when told', async () => {
    const { proc, log, shutdown, life } = rig();
    const stop = vi.fn<FrontEnd['stop']>();
    life.attach({ stop });
    proc.emit('SIGTERM', 'SIGTERM');
    proc.emit('SIGINT', 'SIGINT'); // a second signal while stopping changes nothing
    await flush();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(stop).toHaveBeenCalledWith({ code: 143, signal: 'SIGTERM' });
    expect(shutdown).not.toHaveBeenCalled();
    expect(log).toEqual([]);
    expect(proc.exits).toEqual([]);
    life.finish(143);
    expect(proc.exits).toEqual([143]);
    expect(proc.eventNames()).toEqual([]);
  });

  it('a front end whose stop hangs is cut off at its grace period: restore, then exit', async () => {
    vi.useFakeTimers();
    const { proc, log, life } = rig();
    life.attach({ stop: () => {}, graceMs: 3000 });
    proc.emit('SIGTERM', 'SIGTERM');
    vi.advanceTimersByTime(2999);
    expect(proc.exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['restore']);
    expect(proc.exits).toEqual([143]);
  });

  it('a fatal error: the owner prints it unless the front end reports errors itself', async () => {
    const plain = rig();
    plain.proc.emit('uncaughtException', new Error('boom'));
    await flush();
    expect(plain.proc.stderr.text).toMatch(/^axiom: fatal: Error: boom/);
    expect(plain.proc.exits).toEqual([1]);

    const ui = rig();
    const stop = vi.fn<FrontEnd['stop']>();
    ui.life.attach({ stop, reportsErrors: true });
    const err = new Error('boom');
    ui.proc.emit('unhandledRejection', err);
    expect(stop).toHaveBeenCalledWith({ code: 1, error: err });
    expect(ui.proc.stderr.text).toBe('');
  });

  it('stdout closed (EPIPE): a one-line note, exit 141', async () => {
    const { proc } = rig();
    proc.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    await flush();
    expect(proc.stderr.text).toBe('axiom: output closed (EPIPE); stopping every session\n');
    expect(proc.exits).toEqual([141]);
  });

  it('suspend: only a front end that can leave the terminal takes SIGTSTP; it leaves, stops, comes back', () => {
    const { proc, life } = rig();
    expect(proc.listenerCount('SIGTSTP')).toBe(0); // headless: the default stop applies
    const order: string[] = [];
    proc.kill = (_pid, sig) => {
      order.push(sig);
      return true;
    };
    const detach = life.attach({
      stop: () => {},
      leaveTerminal: () => order.push('leave'),
      enterTerminal: () => order.push('enter'),
      continued: () => order.push('continued'),
    });
    proc.emit('SIGTSTP');
    expect(order).toEqual(['leave', 'SIGSTOP', 'enter']);
    proc.emit('SIGCONT');
    expect(order.at(-1)).toBe('continued');
    life.suspend(); // Ctrl+Z in the UI takes the same path
    expect(order.slice(-3)).toEqual(['leave', 'SIGSTOP', 'enter']);
    detach();
    expect(proc.listenerCount('SIGTSTP')).toBe(0);
  });

  it("registered restores run on 'exit' whoever exits; finish after a quit leaves the exit code to Node", () => {
    const { proc, log, life } = rig();
    proc.emit('exit', 0);
    expect(log).toEqual(['restore']);
    life.finish(0);
    expect(proc.exitCode).toBe(0);
    expect(proc.exits).toEqual([]);
    expect(proc.eventNames()).toEqual([]);
  });
});
