/** axiom_wait over the FakeEngine: any/all, state at call time, progress, sends in flight, timeouts. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendTool } from '../../src/mcp/tools/send.js';
import { waitTool } from '../../src/mcp/tools/wait.js';
import { permissionDialog } from '../helpers/dialogs.js';
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

const DIALOG = permissionDialog('Do you want to create a.txt?', ['Yes', 'No']);

type Args = Parameters<ReturnType<typeof waitTool>['handler']>[0];
const wait = (args: Args, r = request()) => waitTool(f.ctx).handler(args, r.req);

describe('axiom_wait', () => {
  it('any: answers when one of two running sessions needs a person, with its dialog; progress on the way', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    const b = f.engine.spawn({ prompt: 'b' });
    const r = request();
    const p = wait({ taskIds: [a.id, b.id], until: 'any', waitMs: 5000 }, r);
    await tick(20);
    f.engine.setStatus(b.id, 'WAITING', 'permission needed for Write a.txt: answer the dialog', DIALOG);
    const out = await p;
    expect(out.structured).toMatchObject({ until: 'any', met: true, ready: [b.id] });
    expect(out.structured.tasks).toMatchObject([
      { taskId: a.id, status: 'RUNNING', ready: false, turns: 0 },
      {
        taskId: b.id,
        status: 'WAITING',
        ready: true,
        waiting: { name: 'permission', options: DIALOG.options },
      },
    ]);
    expect(out.text).toMatch(/^1 of 2 ready \(any\): #1 RUNNING, #2 WAITING \(permission\)/);
    expect(r.progress).toEqual([
      { progress: 1, message: '1 of 2 ready: #1 RUNNING, #2 WAITING (permission)' },
    ]);
  });

  it('all: waits for the last one; turns counts finished turns', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    const b = f.engine.spawn({ prompt: 'b' });
    const p = wait({ taskIds: [a.id, b.id], until: 'all', waitMs: 5000 });
    await tick(10);
    f.engine.setStatus(a.id, 'COMPLETED');
    await tick(60); // longer than settleMs: one of two is not all
    let done = false;
    void p.then(() => {
      done = true;
    });
    await tick(0);
    expect(done).toBe(false);
    await f.engine.kill(b.id);
    const out = await p;
    expect(out.structured).toMatchObject({ until: 'all', met: true, ready: [a.id, b.id] });
    expect(out.structured.tasks.map((t) => [t.status, t.turns])).toEqual([
      ['COMPLETED', 1],
      ['EXITED', 1],
    ]);
  });

  it('sessions already there when called count at once; the default is every live session', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    const b = f.engine.spawn({ prompt: 'b' });
    const c = f.engine.spawn({ prompt: 'c' });
    await f.engine.kill(c.id); // ended before the call: not waited on by default
    f.engine.setStatus(a.id, 'COMPLETED');
    const any = await wait({ waitMs: 5000 });
    expect(any.structured).toMatchObject({ met: true, ready: [a.id] });
    expect(any.structured.tasks.map((t) => t.taskId)).toEqual([a.id, b.id]);
    const all = await wait({ until: 'all', waitMs: 0 });
    expect(all.structured).toMatchObject({ met: false, ready: [a.id] });
  });

  it('waitMs runs out: met=false with each status; no live session at all: met at once', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    const out = await wait({ taskIds: [a.id], waitMs: 50 });
    expect(out.structured).toMatchObject({
      met: false,
      ready: [],
      tasks: [{ taskId: a.id, status: 'RUNNING' }],
    });
    expect(out.text).toMatch(/^still waiting \(any\): 0 of 1 ready: #1 RUNNING/);
    await f.engine.kill(a.id);
    const none = await wait({});
    expect(none.structured).toEqual({ until: 'any', met: true, ready: [], tasks: [] });
  });

  it('an unknown task id is an error; a session removed while waited on counts as ended', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    await expect(wait({ taskIds: [a.id, '9'] })).rejects.toThrow('unknown taskId "9"');
    const p = wait({ taskIds: [a.id], waitMs: 5000 });
    await tick(10);
    f.engine.setStatus(a.id, 'EXITED');
    f.engine.remove(a.id);
    const out = await p;
    expect(out.structured).toMatchObject({
      met: true,
      ready: [a.id],
      tasks: [{ taskId: a.id, status: 'EXITED' }],
    });
  });

  it("a redirect of this server's still on its way is not the end of a turn; a status that flaps back is not either", async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    f.engine.holdSends();
    const sending = sendTool(f.ctx).handler({ taskId: a.id, text: 'again' }, request().req);
    // The engine interrupted it (INTERRUPTED) but the send is in flight: still working.
    expect(f.engine.get(a.id)?.status).toBe('INTERRUPTED');
    const p = wait({ taskIds: [a.id], waitMs: 5000 });
    let done = false;
    void p.then(() => {
      done = true;
    });
    await tick(60);
    expect(done).toBe(false);
    f.engine.releaseSends();
    await sending;
    // RUNNING again; a COMPLETED that flips back to RUNNING within settleMs does not answer.
    f.engine.setStatus(a.id, 'COMPLETED');
    await tick(5);
    f.engine.setStatus(a.id, 'RUNNING');
    await tick(60);
    expect(done).toBe(false);
    f.engine.setStatus(a.id, 'COMPLETED');
    expect((await p).structured).toMatchObject({ met: true, ready: [a.id] });
  });

  it('a cancelled request answers at once and leaves no listener', async () => {
    const a = f.engine.spawn({ prompt: 'a' });
    const r = request();
    const p = wait({ taskIds: [a.id], waitMs: 60_000 }, r);
    r.abort.abort();
    expect((await p).structured.met).toBe(false);
  });
});
