import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installStatusHook, parseStatusCommand, type Runner } from '../../src/cli/on-status.js';
import { FakeEngine } from '../helpers/fake-engine.js';

/** Poll a condition on something outside the engine (a file the hook writes). */
async function poll(pred: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const exists = (p: string) => {
  try {
    readFileSync(p);
    return true;
  } catch {
    return false;
  }
};

describe('--on-status', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('splits the command like a shell splits quotes; bad lines name the fix', () => {
    expect(parseStatusCommand(`notify-send -u critical 'axiom says'`)).toEqual([
      'notify-send',
      '-u',
      'critical',
      'axiom says',
    ]);
    expect(() => parseStatusCommand('  ')).toThrow(
      '--on-status: the command is empty; give a program to run',
    );
    expect(() => parseStatusCommand(`say "hi`)).toThrow(/unterminated quote .*close the quote/);
  });

  it('passes each change in order through the environment only, never through a shell', async () => {
    const calls: { file: string; args: string[]; env: NodeJS.ProcessEnv }[] = [];
    const pending: (() => void)[] = [];
    const run: Runner = (file, args, opts, done) => {
      calls.push({ file, args, env: opts.env });
      pending.push(() => done(null));
    };
    const engine = new FakeEngine();
    const s = engine.spawn({ prompt: 'x', cwd: '/w' });
    const off = installStatusHook(engine, { argv: ['hook', '$(rm -rf /)'], onError: () => {}, env: {}, run });
    engine.setStatus(s.id, 'WAITING', 'permission needed for Write `x`; $(y).go: answer the dialog');
    engine.setStatus(s.id, 'COMPLETED');
    // Serialized: the second run starts when the first is done.
    expect(calls).toHaveLength(1);
    pending.shift()?.();
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({
      file: 'hook',
      args: ['$(rm -rf /)'],
      env: {
        AXIOM_SESSION: '1',
        AXIOM_STATUS: 'WAITING',
        AXIOM_PREVIOUS: 'RUNNING',
        AXIOM_REASON: 'permission needed for Write `x`; $(y).go: answer the dialog',
        AXIOM_MESSAGE: '#1 waits for permission: Write `x`; $(y).go',
        AXIOM_CWD: '/w',
      },
    });
    expect(calls[1]?.env.AXIOM_STATUS).toBe('COMPLETED');
    expect(calls[1]?.env.AXIOM_PREVIOUS).toBe('WAITING');
    off();
    engine.setStatus(s.id, 'RUNNING');
    pending.shift()?.();
    expect(calls).toHaveLength(2);
  });

  it('runs a real program with the variables set, and reports a failure once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-on-status-'));
    dirs.push(dir);
    const script = join(dir, 'hook.sh');
    const log = join(dir, 'log');
    writeFileSync(script, `#!/bin/sh\necho "$AXIOM_SESSION $AXIOM_STATUS $AXIOM_CWD $1" >> "${log}"\n`);
    chmodSync(script, 0o755);
    const engine = new FakeEngine();
    const s = engine.spawn({ prompt: 'x', cwd: dir });
    const errors: string[] = [];
    const off = installStatusHook(engine, { argv: [script, 'arg one'], onError: (m) => errors.push(m) });
    engine.setStatus(s.id, 'COMPLETED');
    engine.setStatus(s.id, 'EXITED');
    await poll(() => exists(log) && (readFileSync(log, 'utf8').match(/\n/g) ?? []).length === 2, 'two runs');
    expect(readFileSync(log, 'utf8')).toBe(`1 COMPLETED ${dir} arg one\n1 EXITED ${dir} arg one\n`);
    off();

    const missing = installStatusHook(engine, {
      argv: [join(dir, 'no-such-hook')],
      onError: (m) => errors.push(m),
    });
    const t = engine.spawn({ prompt: 'y' });
    engine.setStatus(t.id, 'COMPLETED');
    await poll(() => errors.length > 0, 'the error');
    expect(errors[0]).toMatch(/^--on-status: .*no-such-hook failed: .*ENOENT/);
    missing();
  });

  it('says each distinct failure once', () => {
    const errors: string[] = [];
    const run: Runner = (_file, _args, _opts, done) => done(new Error('Command failed: hook\nstderr junk'));
    const engine = new FakeEngine();
    const s = engine.spawn({ prompt: 'x' });
    installStatusHook(engine, { argv: ['hook'], onError: (m) => errors.push(m), run });
    engine.setStatus(s.id, 'COMPLETED');
    engine.setStatus(s.id, 'RUNNING');
    engine.setStatus(s.id, 'COMPLETED');
    expect(errors).toEqual(['--on-status: hook failed: Command failed: hook']);
  });
});
