import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installLifecycle } from '../../src/cli/lifecycle.js';
import { ENTER_SCREEN, LEAVE_SCREEN, runTui } from '../../src/ui/run.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { FakeProcess } from '../helpers/fake-process.js';

class FakeTtyOut extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  writable = true;
  out = '';
  write(data: string, cb?: () => void): boolean {
    this.out += data;
    cb?.();
    return true;
  }
}

class FakeTtyIn extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  private data: string | null = null;
  setRawMode(mode: boolean) {
    this.rawModes.push(mode);
    return this;
  }
  setEncoding() {}
  ref() {}
  unref() {}
  pause() {}
  resume() {}
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

function streams() {
  const stdout = new FakeTtyOut();
  const stderr = new FakeTtyOut();
  const stdin = new FakeTtyIn();
  // biome-ignore lint/suspicious/noExplicitAny: test doubles for Node's tty streams
  const cast = (x: unknown) => x as any;
  return { stdout, stderr, stdin, io: { stdout: cast(stdout), stderr: cast(stderr), stdin: cast(stdin) } };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

// The first runTui in a worker loads (and transforms) the whole UI: allow for a busy machine.
async function waitFor(cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await tick(5);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runTui', () => {
  it('enters the alternate screen, quits on Ctrl+C twice, shuts the engine down and restores the terminal', async () => {
    const engine = new FakeEngine();
    const shutdown = vi.spyOn(engine, 'shutdown');
    const s = streams();
    const done = runTui(engine, {
      spawnDefaults: { cwd: '/tmp/x' },
      initial: { prompt: 'Implement fibonacci', parallel: 3 },
      ...s.io,
    });
    await waitFor(() => s.stdout.out.includes('#3'));
    expect(s.stdout.out.startsWith(ENTER_SCREEN)).toBe(true);
    expect(engine.list()).toHaveLength(3);
    expect(engine.calls.filter((c) => c.op === 'spawn')).toHaveLength(3);
    expect(s.stdin.rawModes).toContain(true);
    // frames go to the terminal at absolute positions; Ctrl+L repaints from a cleared screen
    expect(s.stdout.out).toContain('\x1b[1;1H');
    const before = s.stdout.out.length;
    s.stdin.type('\x0c');
    await waitFor(() => s.stdout.out.slice(before).includes('\x1b[2J'));
    s.stdin.type('\x03');
    await tick();
    expect(shutdown).not.toHaveBeenCalled();
    s.stdin.type('\x03');
    await expect(done).resolves.toBe(0);
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(s.stdout.out.endsWith(LEAVE_SCREEN)).toBe(true);
    expect(s.stdin.rawModes.at(-1)).toBe(false);
    expect(engine.list().every((x) => x.status === 'EXITED')).toBe(true);
  });

  it('restores the terminal and exits 128+n on SIGTERM, removing its handlers', async () => {
    const engine = new FakeEngine();
    const s = streams();
    const proc = new FakeProcess();
    const life = installLifecycle({ shutdown: () => engine.shutdown() }, proc);
    const before = proc.listenerCount('SIGTERM');
    const done = runTui(engine, { spawnDefaults: {}, ...s.io, host: life });
    await waitFor(() => proc.listenerCount('SIGTSTP') > 0 && s.stdout.out.includes('axiom'));
    proc.emit('SIGTERM', 'SIGTERM');
    await expect(done).resolves.toBe(143);
    expect(engine.calls.at(-1)).toEqual({ op: 'shutdown' });
    expect(s.stdout.out.endsWith(LEAVE_SCREEN)).toBe(true);
    // The UI let go of the host; the owner ends the process once told the run is over.
    expect(proc.listenerCount('SIGTSTP')).toBe(0);
    expect(proc.exits).toEqual([]);
    life.finish(143);
    expect(proc.exits).toEqual([143]);
    expect(proc.listenerCount('SIGTERM')).toBe(before - 1);
    expect(proc.listenerCount('uncaughtException')).toBe(0);
  });

  it('restores the terminal on SIGHUP and SIGINT too', async () => {
    for (const [sig, code] of [
      ['SIGHUP', 129],
      ['SIGINT', 130],
    ] as const) {
      const s = streams();
      const proc = new FakeProcess();
      const engine = new FakeEngine();
      const life = installLifecycle({ shutdown: () => engine.shutdown() }, proc);
      const done = runTui(engine, { spawnDefaults: {}, ...s.io, host: life });
      await waitFor(() => proc.listenerCount('SIGTSTP') > 0 && s.stdout.out.includes('axiom'));
      proc.emit(sig, sig);
      await expect(done).resolves.toBe(code);
      expect(s.stdout.out.endsWith(LEAVE_SCREEN)).toBe(true);
      life.finish(code);
      // SIGHUP: die of the signal itself (a normal exit would reset a vanished tty).
      expect(sig === 'SIGHUP' ? proc.kills : proc.exits).toEqual([sig === 'SIGHUP' ? 'SIGHUP' : code]);
    }
  });

  it('restores the terminal, reports and exits 1 on an uncaught exception', async () => {
    const engine = new FakeEngine();
    const s = streams();
    const proc = new FakeProcess();
    const life = installLifecycle({ shutdown: () => engine.shutdown() }, proc);
    const done = runTui(engine, { spawnDefaults: {}, ...s.io, host: life });
    await waitFor(() => proc.listenerCount('SIGTSTP') > 0 && s.stdout.out.includes('axiom'));
    proc.emit('uncaughtException', new Error('boom'));
    await expect(done).resolves.toBe(1);
    expect(s.stdout.out).toContain(LEAVE_SCREEN);
    expect(s.stderr.out).toContain('boom');
    // The UI reports it after giving the terminal back; the owner does not repeat it.
    expect(proc.stderr.text).toBe('');
    expect(engine.calls.at(-1)).toEqual({ op: 'shutdown' });
    life.finish(1);
    expect(proc.exits).toEqual([1]);
  });

  it('restores the terminal and exits 1 when a component throws', async () => {
    class BrokenEngine extends FakeEngine {
      broken = false;
      override list() {
        if (this.broken) throw new Error('render exploded');
        return super.list();
      }
    }
    const engine = new BrokenEngine();
    const s = streams();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const done = runTui(engine, { spawnDefaults: {}, ...s.io });
    await waitFor(() => s.stdout.out.includes('axiom'));
    engine.broken = true;
    engine.spawn({ prompt: 'x' }); // the UI re-reads the list while rendering and throws
    await expect(done).resolves.toBe(1);
    expect(s.stdout.out).toContain(LEAVE_SCREEN);
    expect(s.stderr.out).toContain('render exploded');
    expect(s.stdin.rawModes.at(-1)).toBe(false);
  });
});
