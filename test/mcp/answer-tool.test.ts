/** axiom_answer and axiom_status's `waiting` over the FakeEngine. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerTool } from '../../src/mcp/tools/answer.js';
import { statusTool } from '../../src/mcp/tools/status.js';
import { permissionDialog } from '../helpers/dialogs.js';
import { engineListeners, type Fixture, fixture, request } from './helpers.js';

let f: Fixture;
beforeEach(async () => {
  f = await fixture();
});
afterEach(async () => {
  expect(engineListeners(f.engine)).toBe(0);
  await f.cleanup();
});

const DIALOG = permissionDialog(
  'Do you want to create perm.txt?',
  ['Yes', 'Yes, and switch to accept edits', 'No'],
  { selected: '1', tool: 'Write', subject: 'Write perm.txt' },
);

const answer = (taskId: string, option: string, client?: string) => {
  const r = request();
  if (client) r.req.client = client;
  return answerTool(f.ctx).handler({ taskId, option }, r.req);
};

describe('axiom_status waiting', () => {
  it('lists what a WAITING session waits for: kind, text, options, the cursor and the hook subject', async () => {
    const s = f.engine.spawn({ prompt: 'write perm.txt' });
    f.engine.setStatus(s.id, 'WAITING', 'permission needed for Write perm.txt: answer the dialog', DIALOG);
    const r = await statusTool(f.ctx).handler({ taskId: s.id }, request().req);
    expect(r.structured.tasks[0]?.waiting).toEqual({
      kind: 'permission',
      name: 'permission',
      text: 'Do you want to create perm.txt?',
      options: DIALOG.options,
      selected: '1',
      cancellable: true,
      tool: 'Write',
      subject: 'Write perm.txt',
    });
    expect(r.text).toContain('permission dialog, options (axiom_answer): 1 "Yes", 2 "Yes, and switch');
  });
});

describe('axiom_answer', () => {
  it('picks an option; the engine hears who answered (the client name from initialize)', async () => {
    const s = f.engine.spawn({ prompt: 'write perm.txt' });
    f.engine.setStatus(s.id, 'WAITING', 'x', DIALOG);
    const r = await answer(s.id, '1', 'orchestrator');
    expect(r.structured).toEqual({
      taskId: s.id,
      status: 'RUNNING',
      dialog: 'permission',
      option: { id: '1', label: 'Yes' },
    });
    expect(r.text).toBe(`answered the permission dialog of task ${s.id}: 1 "Yes" (RUNNING)`);
    expect(f.engine.calls).toContainEqual({ op: 'answer', id: s.id, option: '1', by: 'orchestrator' });
  });

  it('an unknown option is an error listing the options that exist', async () => {
    const s = f.engine.spawn({ prompt: 'write perm.txt' });
    f.engine.setStatus(s.id, 'WAITING', 'x', DIALOG);
    await expect(answer(s.id, '7')).rejects.toThrow(
      `task ${s.id}: unknown option "7"; the permission dialog offers: 1 "Yes", 2 "Yes, and switch to accept edits", 3 "No"`,
    );
    expect(f.engine.get(s.id)?.status).toBe('WAITING');
  });

  it('no dialog open, an ended or an unknown task: errors that say so', async () => {
    const s = f.engine.spawn({ prompt: 'go' });
    await expect(answer(s.id, '1')).rejects.toThrow(
      /is not waiting on a dialog \(RUNNING\); nothing to answer/,
    );
    await f.engine.kill(s.id);
    await expect(answer(s.id, '1')).rejects.toThrow(`task ${s.id} has exited; nothing to answer`);
    await expect(answer('42', '1')).rejects.toThrow('unknown taskId "42"');
  });
});
