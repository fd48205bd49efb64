/**
 * Approvals and waiting over MCP, end to end: the SDK client over real stdio against the built
 * `axiom mcp`, the real claude with its permissions left on (`--permission-mode default`) and the
 * fake Messages API (first token 1.5 s late, like a real API) asking for Write tool uses.
 * Needs `npm run build` first (skipped without dist/).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AXIOM_BUILT, call, callError, type McpRig, mcpRigs } from '../helpers/mcp-rig.js';

const TIMEOUT = 150_000;

interface Waiting {
  kind: string;
  name: string;
  text: string;
  options: { id: string; label: string }[];
  selected?: string;
  subject?: string;
}
interface TaskInfo {
  id: string;
  status: string;
  filesWritten: string[];
  waiting?: Waiting;
}

const startRig = mcpRigs({
  name: 'approve-e2e',
  fake: { chunkDelayMs: 50, firstTokenDelayMs: 1500 },
  permissionMode: 'default',
  tmpPrefix: 'axiom-approve-e2e-',
});

/** axiom_status of one task, asked (each time after axiom_output waited for news) until `until` holds. */
async function statusUntil(
  rig: McpRig,
  taskId: string,
  until: (t: TaskInfo) => boolean,
  timeoutMs = 60_000,
): Promise<TaskInfo> {
  const deadline = Date.now() + timeoutMs;
  let cursor = 0;
  for (;;) {
    const t = (await call<{ tasks: TaskInfo[] }>(rig, 'axiom_status', { taskId })).tasks[0] as TaskInfo;
    if (until(t)) return t;
    if (Date.now() > deadline) throw new Error(`timed out; task ${taskId} is ${JSON.stringify(t)}`);
    cursor = (await call<{ cursor: number }>(rig, 'axiom_output', { taskId, cursor, waitMs: 1000 })).cursor;
  }
}

const hasOptions = (t: TaskInfo): boolean => t.status === 'WAITING' && (t.waiting?.options.length ?? 0) >= 2;

describe.skipIf(!AXIOM_BUILT)('approvals over MCP (real claude, permissions on, fake API)', () => {
  it(
    'status lists the permission dialog; an unknown option lists the options; "No" refuses, "1" writes the file',
    async () => {
      const rig = await startRig();
      const file = path.join(rig.root, 'perm.txt');
      await call(rig, 'axiom_spawn', { prompt: 'Write perm.txt now' });
      // The dialog can be on screen (WAITING, its options) before claude's PermissionRequest hook
      // reaches axiom: on a loaded machine (CI at 76a9ecb, Node 24) the first such status had no
      // subject yet. The subject comes with the hook; wait for both, then check all of it.
      const t = await statusUntil(rig, '1', (x) => hasOptions(x) && x.waiting?.subject !== undefined);
      expect(t.waiting).toMatchObject({
        kind: 'permission',
        name: 'permission',
        selected: '1',
        subject: 'Write perm.txt',
      });
      expect(t.waiting?.text).toContain('Do you want to create perm.txt?');
      expect(t.waiting?.options.map((o) => o.id)).toEqual(['1', '2', '3']);
      expect(t.waiting?.options[0]?.label).toBe('Yes');
      expect(t.waiting?.options[2]?.label).toBe('No');

      const err = await callError(rig, 'axiom_answer', { taskId: '1', option: '9' });
      expect(err).toMatch(
        /^task 1: unknown option "9"; the permission dialog offers: 1 "Yes", 2 "Yes, and .*", 3 "No"$/,
      );
      expect(existsSync(file)).toBe(false);

      // "No": two Downs seen on screen, then Enter; claude does not write.
      const no = await call<{ option: { id: string } }>(rig, 'axiom_answer', { taskId: '1', option: 'No' });
      expect(no.option.id).toBe('3');
      const after = await statusUntil(rig, '1', (x) => x.status !== 'WAITING' && x.status !== 'RUNNING');
      expect(['COMPLETED', 'INTERRUPTED']).toContain(after.status);
      expect(existsSync(file)).toBe(false);

      // Again, and "1" (Yes): the write happens, with the exact content.
      await call(rig, 'axiom_send', { taskId: '1', text: 'Write perm.txt now, please' });
      await statusUntil(rig, '1', hasOptions);
      const yes = await call<{ option: { id: string; label: string }; dialog: string }>(rig, 'axiom_answer', {
        taskId: '1',
        option: '1',
      });
      expect(yes).toMatchObject({ dialog: 'permission', option: { id: '1', label: 'Yes' } });
      const done = await statusUntil(rig, '1', (x) => x.status === 'COMPLETED' && x.filesWritten.length > 0);
      expect(done.filesWritten).toEqual([file]);
      expect(await readFile(file, 'utf8')).toBe('permission test\n');
      expect(await callError(rig, 'axiom_answer', { taskId: '1', option: '1' })).toMatch(
        /^task 1: #1 is not waiting on a dialog \(COMPLETED\); nothing to answer$/,
      );
    },
    TIMEOUT,
  );

  it(
    'axiom_wait any, then all, over two sessions (one stops on a permission dialog, one just answers)',
    async () => {
      const rig = await startRig();
      await call(rig, 'axiom_spawn', { prompt: 'Write perm.txt now' });
      await call(rig, 'axiom_spawn', { prompt: 'print the fibonacci numbers', parallel: true });
      interface WaitOut {
        met: boolean;
        ready: string[];
        tasks: { taskId: string; status: string; ready: boolean; turns: number; waiting?: Waiting }[];
      }
      const working = ['STARTING', 'RUNNING'];
      // any: the first one that needs the caller; the other is still working, or needs it too.
      const any = await call<WaitOut>(rig, 'axiom_wait', { until: 'any', waitMs: 50_000 });
      expect(any.met).toBe(true);
      expect(any.tasks.map((t) => t.taskId)).toEqual(['1', '2']);
      expect(any.ready.length).toBeGreaterThan(0);
      for (const t of any.tasks) {
        if (t.ready) expect(['WAITING', 'COMPLETED']).toContain(t.status);
        else expect(working).toContain(t.status);
      }
      // Session 1 stops on its dialog: wait for it alone, answer it from what axiom_wait shows.
      const one = await call<WaitOut>(rig, 'axiom_wait', { taskIds: ['1'], waitMs: 50_000 });
      expect(one).toMatchObject({ met: true, ready: ['1'] });
      // The hook says WAITING a moment before claude draws the dialog's options.
      await statusUntil(rig, '1', hasOptions);
      expect(one.tasks[0]).toMatchObject({ status: 'WAITING', ready: true, waiting: { kind: 'permission' } });
      await call(rig, 'axiom_answer', { taskId: '1', option: '1' });
      // all: both turns over, with progress notifications on the way.
      const progress: { progress: number; message?: string }[] = [];
      const r = await rig.client.callTool(
        { name: 'axiom_wait', arguments: { taskIds: ['1', '2'], until: 'all', waitMs: 50_000 } },
        { onprogress: (p) => progress.push(p), timeout: 60_000 },
      );
      const all = r.structuredContent as unknown as WaitOut;
      expect(all.met).toBe(true);
      expect(all.ready).toEqual(['1', '2']);
      expect(all.tasks.map((t) => [t.status, t.turns])).toEqual([
        ['COMPLETED', 1],
        ['COMPLETED', 1],
      ]);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)?.message).toMatch(/ready: #1 \w+, #2 \w+/);
      expect(await readFile(path.join(rig.root, 'perm.txt'), 'utf8')).toBe('permission test\n');
    },
    TIMEOUT,
  );
});
