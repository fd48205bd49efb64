import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isBusy, resolveCwd, ToolError } from '../../src/mcp/context.js';
import { forgetTool } from '../../src/mcp/tools/forget.js';
import { interruptTool } from '../../src/mcp/tools/interrupt.js';
import { killTool } from '../../src/mcp/tools/kill.js';
import { DEFAULT_FOLLOW_MS, outputTool } from '../../src/mcp/tools/output.js';
import { sendTool } from '../../src/mcp/tools/send.js';
import { spawnTool } from '../../src/mcp/tools/spawn.js';
import { statusTool } from '../../src/mcp/tools/status.js';
import { engineListeners, type Fixture, fixture, request, tick } from './helpers.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  expect(engineListeners(f.engine)).toBe(0);
  expect(f.ctx.events.listenerCount('settled')).toBe(0);
  await f.cleanup();
});

const spawn = (args: Parameters<ReturnType<typeof spawnTool>['handler']>[0]) =>
  spawnTool(f.ctx).handler(args, request().req);
const output = (args: Parameters<ReturnType<typeof outputTool>['handler']>[0], r = request()) =>
  outputTool(f.ctx).handler(args, r.req);

describe('axiom_spawn', () => {
  it('starts a session with the server-fixed agent and args, in the root, and returns at once', async () => {
    const r = await spawn({ prompt: 'write fib.py' });
    // Returned before the agent did anything (no timing assertion: bench/ measures the round trip).
    expect(r.structured).toEqual({ tasks: [{ id: '1', status: 'RUNNING', cwd: f.root }] });
    expect(r.text).toContain('started task 1');
    expect(f.engine.calls).toEqual([
      {
        op: 'spawn',
        opts: {
          agent: 'claude',
          agentArgs: ['--permission-mode', 'acceptEdits'],
          prompt: 'write fib.py',
          cwd: f.root,
        },
      },
    ]);
  });

  it('redirects the most recent running session: same id, redirected, interrupt + send', async () => {
    await spawn({ prompt: 'write fib.py' });
    const r = await spawn({ prompt: 'no, write quicksort.py' });
    expect(r.structured).toEqual({ tasks: [{ id: '1', status: 'RUNNING', cwd: f.root }], redirected: true });
    expect(r.text).toContain('redirected task 1');
    expect(f.engine.calls.filter((c) => c.op === 'spawn')).toHaveLength(1);
    expect(f.engine.calls).toContainEqual({
      op: 'send',
      id: '1',
      text: 'no, write quicksort.py',
      opts: { interrupt: true, from: 'client' },
    });
    expect(f.engine.get('1')?.lastPrompt).toBe('no, write quicksort.py');
  });

  it('returns at once even while the redirect is still being delivered', async () => {
    await spawn({ prompt: 'a' });
    f.engine.holdSends();
    const r = await spawn({ prompt: 'b' });
    // Returned before the agent did anything (no timing assertion: bench/ measures the round trip).
    expect(r.structured.redirected).toBe(true);
    // The interrupt has landed but the new prompt is not submitted yet: still busy, not done.
    const s = f.engine.get('1')!;
    expect(s.status).toBe('INTERRUPTED');
    expect(isBusy(f.ctx, s)).toBe(true);
    f.engine.releaseSends();
    await tick();
    expect(f.engine.get('1')?.status).toBe('RUNNING');
    expect(f.ctx.pending.size).toBe(0);
  });

  it('reports a failed redirect through axiom_status (sendError) and the log', async () => {
    await spawn({ prompt: 'a' });
    f.engine.failSends = new Error('pty write failed\nstack...');
    await spawn({ prompt: 'b' });
    await tick();
    const st = await statusTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(st.structured.tasks[0]?.sendError).toBe('pty write failed');
    expect(st.text).toContain('send failed');
    expect(f.logs.join('\n')).toContain('send to task 1 failed: pty write failed');
    expect(isBusy(f.ctx, f.engine.get('1')!)).toBe(true); // still RUNNING its first turn
  });

  it('starts new sessions when parallel, when spawnCount > 1, or when the last one is not running', async () => {
    await spawn({ prompt: 'a' });
    const p = await spawn({ prompt: 'b', parallel: true });
    expect(p.structured).toEqual({ tasks: [{ id: '2', status: 'RUNNING', cwd: f.root }] });
    const many = await spawn({ prompt: 'c', spawnCount: 2 });
    expect(many.structured.tasks.map((t) => t.id)).toEqual(['3', '4']);
    expect(many.structured.redirected).toBeUndefined();
    await killTool(f.ctx).handler({ taskId: '4' }, request().req);
    f.engine.setStatus('3', 'COMPLETED');
    // Most recent (4) exited: a new session, not a redirect of 3.
    const next = await spawn({ prompt: 'd' });
    expect(next.structured.tasks[0]?.id).toBe('5');
  });

  it('does not redirect into a different cwd', async () => {
    await spawn({ prompt: 'a' });
    const r = await spawn({ prompt: 'b', cwd: 'sub' });
    expect(r.structured.redirected).toBeUndefined();
    expect(r.structured.tasks[0]).toEqual({ id: '2', status: 'RUNNING', cwd: path.join(f.root, 'sub') });
    // Same cwd given explicitly: redirect.
    const again = await spawn({ prompt: 'c', cwd: path.join(f.root, 'sub') });
    expect(again.structured.redirected).toBe(true);
  });

  it('refuses to go over maxSessions live sessions', async () => {
    await spawn({ prompt: 'a', spawnCount: 3, parallel: true });
    await expect(spawn({ prompt: 'b', spawnCount: 2, parallel: true })).rejects.toThrow(
      /cannot start 2 more: 3 of at most 4 sessions are live/,
    );
    await spawn({ prompt: 'b', parallel: true });
    await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    await expect(spawn({ prompt: 'c', parallel: true })).resolves.toBeDefined();
  });

  it('reports an engine spawn failure with the ids already started', async () => {
    let n = 0;
    const orig = f.engine.spawn.bind(f.engine);
    f.engine.spawn = (o) => {
      if (++n === 2) throw new Error('pty: out of ptys');
      return orig(o);
    };
    await expect(spawn({ prompt: 'a', spawnCount: 3 })).rejects.toThrow(
      'spawn failed: pty: out of ptys (started: 1)',
    );
  });
});

describe('cwd', () => {
  it('resolves relative paths against the root and follows symlinks', async () => {
    expect(await resolveCwd(f.ctx, undefined)).toBe(f.root);
    expect(await resolveCwd(f.ctx, '')).toBe(f.root);
    expect(await resolveCwd(f.ctx, '.')).toBe(f.root);
    expect(await resolveCwd(f.ctx, 'sub/deep')).toBe(path.join(f.root, 'sub', 'deep'));
    expect(await resolveCwd(f.ctx, 'alias')).toBe(path.join(f.root, 'sub'));
    expect(await resolveCwd(f.ctx, path.join(f.root, 'sub'))).toBe(path.join(f.root, 'sub'));
    expect(await resolveCwd(f.ctx, 'sub/../sub/deep/..')).toBe(path.join(f.root, 'sub'));
  });

  it('rejects directories outside the root, missing ones and files', async () => {
    await expect(resolveCwd(f.ctx, '..')).rejects.toThrow(/is outside the server root/);
    await expect(resolveCwd(f.ctx, f.outside)).rejects.toThrow(/is outside the server root/);
    await expect(resolveCwd(f.ctx, 'sub/../../outside')).rejects.toThrow(/is outside the server root/);
    await expect(resolveCwd(f.ctx, 'escape')).rejects.toThrow(`cwd ${f.outside} is outside the server root`);
    await expect(resolveCwd(f.ctx, '/')).rejects.toThrow(/is outside the server root/);
    await expect(resolveCwd(f.ctx, 'nope')).rejects.toThrow(
      `cwd does not exist: ${path.join(f.root, 'nope')}`,
    );
    await expect(resolveCwd(f.ctx, 'file.txt')).rejects.toThrow(/not a directory/);
    await expect(resolveCwd(f.ctx, 'escape')).rejects.toBeInstanceOf(ToolError);
  });

  it('a root-prefix sibling is outside (root-evil is not root)', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(`${f.root}-evil`);
    await expect(resolveCwd(f.ctx, `${f.root}-evil`)).rejects.toThrow(/outside the server root/);
    await expect(spawn({ prompt: 'x', cwd: '../outside' })).rejects.toThrow(/outside the server root/);
    expect(f.engine.calls).toEqual([]);
  });
});

describe('axiom_output', () => {
  it('reads by cursor: only new lines each time', async () => {
    await spawn({ prompt: 'a' });
    f.engine.emitOutput('1', 'one', 'two');
    const a = await output({ taskId: '1' });
    expect(a.structured).toEqual({
      taskId: '1',
      status: 'RUNNING',
      cursor: 2,
      text: 'one\ntwo',
      done: false,
    });
    f.engine.emitOutput('1', 'three');
    const b = await output({ taskId: '1', cursor: a.structured.cursor });
    expect(b.structured).toMatchObject({ cursor: 3, text: 'three' });
    const c = await output({ taskId: '1', cursor: b.structured.cursor });
    expect(c.structured).toMatchObject({ cursor: 3, text: '', done: false });
    expect(c.text).toContain('no new output');
    f.engine.setStatus('1', 'COMPLETED');
    const d = await output({ taskId: '1', cursor: 3 });
    expect(d.structured).toMatchObject({ status: 'COMPLETED', done: true });
  });

  // Before: no word that the cursor was wrong, and with waitMs the read waited for the output to
  // pass the cursor (up to waitMs: a hang), then skipped the lines before it.
  it('a cursor past the end answers at once, saying so and which cursor to pass', async () => {
    await spawn({ prompt: 'a' });
    f.engine.emitOutput('1', 'one', 'two');
    const r = await output({ taskId: '1', cursor: 500, waitMs: 600_000, follow: true });
    const note =
      "cursor 500 is past the end of task 1's output (2): pass cursor 2 to read on, or 0 for everything";
    expect(r.structured).toEqual({ taskId: '1', status: 'RUNNING', cursor: 2, text: '', done: false, note });
    expect(r.text).toBe(`[task 1 RUNNING; cursor 2] ${note}`);
    // At the end exactly is no mistake.
    expect((await output({ taskId: '1', cursor: 2 })).structured.note).toBeUndefined();
  });

  it('waitMs wakes on new output, without waiting for the timeout', async () => {
    await spawn({ prompt: 'a' });
    f.engine.emitOutput('1', 'old');
    vi.useFakeTimers();
    try {
      let settled = false;
      const pending = output({ taskId: '1', cursor: 1, waitMs: 10_000 }).finally(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(30);
      expect(settled).toBe(false);
      f.engine.emitOutput('1', 'new');
      await vi.advanceTimersByTimeAsync(f.ctx.settleMs ?? 0);
      expect(settled).toBe(true);
      const r = await pending;
      expect(r.structured).toMatchObject({ text: 'new', cursor: 2, done: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('waitMs ignores other sessions and wakes when the turn ends', async () => {
    await spawn({ prompt: 'a' });
    await spawn({ prompt: 'b', parallel: true });
    const pending = output({ taskId: '1', waitMs: 10_000 });
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    f.engine.emitOutput('2', 'not mine');
    f.engine.setStatus('2', 'COMPLETED');
    await tick(20);
    expect(settled).toBe(false);
    f.engine.setStatus('1', 'COMPLETED');
    const r = await pending;
    expect(r.structured).toMatchObject({ text: '', status: 'COMPLETED', done: true });
  });

  it('waitMs times out with no new output', async () => {
    await spawn({ prompt: 'a' });
    vi.useFakeTimers();
    try {
      let settled = false;
      const pending = output({ taskId: '1', waitMs: 60 }).finally(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(59);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const r = await pending;
      expect(r.structured).toMatchObject({ text: '', done: false });
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers at once when the session is not running, even with waitMs', async () => {
    await spawn({ prompt: 'a' });
    f.engine.setStatus('1', 'WAITING', 'permission: Write x.py');
    const r = await output({ taskId: '1', waitMs: 10_000 });
    // Returned before the agent did anything (no timing assertion: bench/ measures the round trip).
    expect(r.structured).toMatchObject({ status: 'WAITING', done: true });
  });

  it('follow sends each chunk as progress and stops when the turn ends', async () => {
    await spawn({ prompt: 'a' });
    f.engine.emitOutput('1', 'backlog');
    const r = request();
    const pending = output({ taskId: '1', follow: true, waitMs: 10_000 }, r);
    await tick(5);
    f.engine.emitOutput('1', 'l1', 'l2');
    await tick(5);
    f.engine.emitOutput('1', 'l3');
    f.engine.setStatus('1', 'COMPLETED');
    f.engine.emitOutput('1', 'after the end');
    const res = await pending;
    expect(r.progress).toEqual([
      { progress: 1, message: 'backlog' },
      { progress: 3, message: 'l1\nl2' },
      { progress: 4, message: 'l3' },
      // Lines arriving just after the turn ended (within settleMs) still count.
      { progress: 5, message: 'after the end' },
    ]);
    // The result holds all text since the request's cursor.
    expect(res.structured).toEqual({
      taskId: '1',
      status: 'COMPLETED',
      cursor: 5,
      text: 'backlog\nl1\nl2\nl3\nafter the end',
      done: true,
    });
  });

  it('a turn that ends and restarts within settleMs (a status flap) is followed on', async () => {
    await spawn({ prompt: 'a' });
    const r = request();
    const pending = output({ taskId: '1', follow: true, waitMs: 10_000 }, r);
    f.engine.setStatus('1', 'COMPLETED');
    await tick(5);
    f.engine.setStatus('1', 'RUNNING');
    await tick(60); // longer than settleMs: the flap must not have ended the follow
    f.engine.emitOutput('1', 'real output');
    f.engine.setStatus('1', 'COMPLETED');
    const res = await pending;
    expect(res.structured).toMatchObject({ text: 'real output', status: 'COMPLETED', done: true });
    expect(r.progress.map((p) => p.message)).toEqual(['real output']);
  });

  it('waitMs: a line arriving just after the turn ends is in the answer; settle waits settleMs', async () => {
    f.ctx.settleMs = 80;
    await spawn({ prompt: 'a' });
    const pending = output({ taskId: '1', waitMs: 10_000 });
    f.engine.setStatus('1', 'COMPLETED');
    setTimeout(() => f.engine.emitOutput('1', 'Done: wrote x.py.'), 20);
    const res = await pending;
    expect(res.structured).toMatchObject({ text: 'Done: wrote x.py.', status: 'COMPLETED', done: true });
  });

  it('follow stops on WAITING, EXITED and FAILED too', async () => {
    for (const [i, status] of (['WAITING', 'EXITED', 'FAILED'] as const).entries()) {
      const { structured } = await spawn({ prompt: `p${i}`, parallel: true });
      const id = structured.tasks[0]!.id;
      const pending = output({ taskId: id, follow: true, waitMs: 10_000 });
      f.engine.emitOutput(id, 'x');
      f.engine.setStatus(id, status);
      await expect(pending).resolves.toMatchObject({ structured: { status, done: true, text: 'x' } });
    }
  });

  it('follow keeps going across the interrupt of a redirect in flight', async () => {
    await spawn({ prompt: 'a' });
    const r = request();
    const pending = output({ taskId: '1', follow: true, waitMs: 10_000 }, r);
    f.engine.holdSends();
    await spawn({ prompt: 'b' }); // redirect: INTERRUPTED now, RUNNING after the send lands
    expect(f.engine.get('1')?.status).toBe('INTERRUPTED');
    f.engine.emitOutput('1', 'Interrupted · What should Claude do instead?');
    await tick(5);
    f.engine.releaseSends();
    await tick(5);
    f.engine.emitOutput('1', 'quicksort');
    f.engine.setStatus('1', 'COMPLETED');
    const res = await pending;
    expect(res.structured.text).toBe('Interrupted · What should Claude do instead?\nquicksort');
    expect(r.progress.map((p) => p.message)).toEqual([
      'Interrupted · What should Claude do instead?',
      'quicksort',
    ]);
  });

  it('follow without a progress token still returns the whole text at the end', async () => {
    await spawn({ prompt: 'a' });
    const r = request({ progress: false });
    const pending = output({ taskId: '1', follow: true }, r);
    f.engine.emitOutput('1', 'a');
    f.engine.emitOutput('1', 'b');
    f.engine.setStatus('1', 'COMPLETED');
    expect((await pending).structured.text).toBe('a\nb');
  });

  it('follow ends when waitMs runs out (default applies when following)', async () => {
    expect(DEFAULT_FOLLOW_MS).toBeGreaterThan(0);
    await spawn({ prompt: 'a' });
    const r = request();
    const pending = output({ taskId: '1', follow: true, waitMs: 50 }, r);
    f.engine.emitOutput('1', 'x');
    const res = await pending;
    expect(res.structured).toMatchObject({ text: 'x', done: false, status: 'RUNNING' });
    expect(r.progress).toHaveLength(1);
  });

  it('follow ends and releases its listeners when the request is aborted', async () => {
    await spawn({ prompt: 'a' });
    const r = request();
    const pending = output({ taskId: '1', follow: true, waitMs: 600_000 }, r);
    await tick(5);
    expect(engineListeners(f.engine)).toBeGreaterThan(0);
    r.abort.abort();
    await pending;
    expect(engineListeners(f.engine)).toBe(0);
  });

  it('a failing progress send does not break the follow', async () => {
    await spawn({ prompt: 'a' });
    const r = request();
    r.req.progress = async () => {
      throw new Error('Not connected');
    };
    const pending = output({ taskId: '1', follow: true, waitMs: 10_000 }, r);
    f.engine.emitOutput('1', 'x');
    f.engine.setStatus('1', 'COMPLETED');
    expect((await pending).structured.text).toBe('x');
    expect(f.logs.join('\n')).toContain('progress for task 1 not sent: Not connected');
  });

  it('a session removed while waiting is an error', async () => {
    await spawn({ prompt: 'a' });
    const pending = output({ taskId: '1', waitMs: 10_000 });
    await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    // kill ends the turn: the wait answers with EXITED.
    expect((await pending).structured).toMatchObject({ status: 'EXITED', done: true });
    await spawn({ prompt: 'b', parallel: true });
    const p2 = output({ taskId: '2', waitMs: 10_000, follow: true });
    // (FakeEngine.remove does not check status; the real engine only removes ended sessions.)
    f.engine.remove('2');
    await expect(p2).rejects.toThrow('task 2 was removed');
  });

  it('keeps only the end of very long text and says where the rest is', async () => {
    await spawn({ prompt: 'a' });
    const line = 'x'.repeat(999);
    f.engine.emitOutput('1', ...Array.from({ length: 300 }, () => line));
    const r = await output({ taskId: '1' });
    expect(r.structured.truncated).toBe(true);
    expect(r.structured.text.length).toBeLessThanOrEqual(200_000 + 200);
    expect(r.structured.text).toMatch(/^\[axiom: \d+ earlier characters omitted\]\nx+\n/);
    expect(r.structured.cursor).toBe(300);
  });

  it('unknown task is an error', async () => {
    await expect(output({ taskId: '9' })).rejects.toThrow('unknown taskId "9"');
    await expect(output({ taskId: '9', waitMs: 100, follow: true })).rejects.toThrow(ToolError);
  });
});

describe('axiom_status', () => {
  it('lists every session with its details, including exited ones', async () => {
    let now = 1_700_000_000_000;
    f.engine.now = () => now;
    f.ctx.now = () => now;
    await spawn({ prompt: 'write fib.py' });
    await spawn({ prompt: 'write hello.py', parallel: true, cwd: 'sub' });
    f.engine.addFile('1', path.join(f.root, 'fib.py'));
    f.engine.addFile('1', path.join(f.root, 'fib.py'), 'Edit');
    f.engine.emitOutput('1', 'Wrote fib.py', '');
    now += 5_000;
    await killTool(f.ctx).handler({ taskId: '2' }, request().req);
    now += 1_000;
    const r = await statusTool(f.ctx).handler({}, request().req);
    expect(r.structured.tasks).toEqual([
      {
        id: '1',
        status: 'RUNNING',
        prompt: 'write fib.py',
        lastPrompt: 'write fib.py',
        cwd: f.root,
        startedAt: new Date(1_700_000_000_000).toISOString(),
        elapsedMs: 6_000,
        filesWritten: [path.join(f.root, 'fib.py')],
        lastLine: 'Wrote fib.py',
      },
      {
        id: '2',
        status: 'EXITED',
        prompt: 'write hello.py',
        lastPrompt: 'write hello.py',
        cwd: path.join(f.root, 'sub'),
        startedAt: new Date(1_700_000_000_000).toISOString(),
        elapsedMs: 5_000,
        filesWritten: [],
        lastLine: '',
        exitCode: null,
        signal: 'SIGTERM',
      },
    ]);
    expect(r.text.split('\n')).toHaveLength(2);
    expect(r.text).toContain('#1 RUNNING 6.0s "write fib.py" files: 1 | Wrote fib.py');
  });

  it('one task by id; unknown id is an error; empty list says so', async () => {
    expect((await statusTool(f.ctx).handler({}, request().req)).text).toContain('no sessions');
    await spawn({ prompt: 'a' });
    const r = await statusTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(r.structured.tasks.map((t) => t.id)).toEqual(['1']);
    await expect(statusTool(f.ctx).handler({ taskId: 'x' }, request().req)).rejects.toThrow(
      /unknown taskId "x"/,
    );
  });
});

describe('axiom_send / axiom_interrupt / axiom_kill', () => {
  const send = (args: Parameters<ReturnType<typeof sendTool>['handler']>[0]) =>
    sendTool(f.ctx).handler(args, request().req);

  it('send interrupts a running session by default', async () => {
    await spawn({ prompt: 'a' });
    const r = await send({ taskId: '1', text: 'do b instead' });
    expect(r.structured).toEqual({ taskId: '1', status: 'RUNNING', interrupted: true, pending: false });
    expect(f.engine.calls).toContainEqual({
      op: 'send',
      id: '1',
      text: 'do b instead',
      opts: { interrupt: true, from: 'client' },
    });
    expect(f.engine.calls.filter((c) => c.op === 'interrupt')).toHaveLength(1);
  });

  it('send with interrupt=false does not interrupt; to an idle session it is a plain prompt', async () => {
    await spawn({ prompt: 'a' });
    const r = await send({ taskId: '1', text: 'also c', interrupt: false });
    expect(r.structured.interrupted).toBe(false);
    expect(f.engine.calls.filter((c) => c.op === 'interrupt')).toHaveLength(0);
    f.engine.setStatus('1', 'COMPLETED');
    const idle = await send({ taskId: '1', text: 'next' });
    expect(idle.structured).toMatchObject({ interrupted: false, status: 'RUNNING' });
    expect(idle.text).toContain('sent to task 1');
  });

  it('send errors: unknown task, exited task, engine failure', async () => {
    await expect(send({ taskId: '7', text: 'x' })).rejects.toThrow(/unknown taskId "7"/);
    await spawn({ prompt: 'a' });
    f.engine.failSends = new Error('session is busy');
    await expect(send({ taskId: '1', text: 'x' })).rejects.toThrow('send to task 1 failed: session is busy');
    f.engine.failSends = undefined;
    await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    await expect(send({ taskId: '1', text: 'x' })).rejects.toThrow(
      'task 1 has exited; start a new one with axiom_spawn',
    );
  });

  it('send answers when the request is cancelled while delivery is slow (pending)', async () => {
    await spawn({ prompt: 'a' });
    f.engine.holdSends();
    const r = request();
    const p = sendTool(f.ctx).handler({ taskId: '1', text: 'b' }, r.req);
    r.abort.abort();
    expect((await p).structured.pending).toBe(true);
    f.engine.releaseSends();
    await tick();
  });

  it('interrupt a running session; nothing to do when idle; error when exited', async () => {
    await spawn({ prompt: 'a' });
    const r = await interruptTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(r.structured).toEqual({ taskId: '1', status: 'INTERRUPTED', interrupted: true });
    const again = await interruptTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(again.structured.interrupted).toBe(false);
    await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    await expect(interruptTool(f.ctx).handler({ taskId: '1' }, request().req)).rejects.toThrow(/has exited/);
  });

  it('kill ends the session; killing again reports it had ended', async () => {
    await spawn({ prompt: 'a' });
    const r = await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(r.structured).toEqual({ taskId: '1', status: 'EXITED', killed: true, exitCode: null });
    const again = await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    expect(again.structured).toMatchObject({ killed: false, status: 'EXITED' });
    await expect(killTool(f.ctx).handler({ taskId: '2' }, request().req)).rejects.toThrow(/unknown taskId/);
  });
});

describe('axiom_forget', () => {
  const forget = (args: { taskId?: string }) => forgetTool(f.ctx).handler(args, request().req);

  it('forgets one ended task, or every ended one; refuses a live one; unknown ids are errors', async () => {
    await spawn({ prompt: 'a' });
    await spawn({ prompt: 'b', parallel: true });
    await spawn({ prompt: 'c', parallel: true });
    await expect(forget({ taskId: '1' })).rejects.toThrow(
      /^task 1 is RUNNING, not ended; axiom_kill it first$/,
    );
    await killTool(f.ctx).handler({ taskId: '1' }, request().req);
    await killTool(f.ctx).handler({ taskId: '2' }, request().req);
    f.ctx.sendErrors.set('1', 'earlier failure');
    expect((await forget({ taskId: '1' })).structured).toEqual({ forgotten: ['1'] });
    expect(f.engine.get('1')).toBeUndefined();
    expect(f.ctx.sendErrors.has('1')).toBe(false);
    expect(f.ctx.spawned).toEqual(['2', '3']);
    // Without a taskId: every ended task (2), never a live one (3).
    const all = await forget({});
    expect(all.structured).toEqual({ forgotten: ['2'] });
    expect(f.engine.list().map((t) => t.id)).toEqual(['3']);
    expect((await forget({})).text).toBe('no ended tasks to forget');
    await expect(forget({ taskId: '1' })).rejects.toThrow(/unknown taskId "1"/);
    const status = await statusTool(f.ctx).handler({}, request().req);
    expect(status.structured.tasks.map((t) => t.id)).toEqual(['3']);
  });
});
