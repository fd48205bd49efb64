/**
 * Answering a dialog (Engine.answer, src/engine/answer.ts): the selection is moved onto the
 * option and seen there before Enter; a wrong request lists the options; nothing is confirmed that
 * was not seen selected. Over a fake PTY drawing claude's real permission dialog (fixture corpus).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { DEFAULT_DIALOG_KEYS } from '../../src/agents/profile.js';
import { AnswerError, answerDialog, findOption } from '../../src/engine/answer.js';
import type { SessionManager } from '../../src/engine/session-manager.js';
import type { Answer, Waiting } from '../../src/engine/types.js';
import { repoRoot } from '../helpers/claude-env.js';
import { permissionDialog } from '../helpers/dialogs.js';
import { fakeManager } from '../helpers/fake-manager.js';
import type { FakePty } from '../helpers/fake-pty.js';

const CLEAR = '\x1b[2J\x1b[H';
const raw = (name: string): string =>
  readFileSync(join(repoRoot(), 'test', 'fixtures', 'claude-screens', name), 'utf8').replace(/\n+$/, '');
const draw = (text: string): string => CLEAR + text.split('\n').join('\r\n');
/** claude's permission dialog with its cursor on option `k`. */
const permission = (k: number): string =>
  draw(raw('permission.txt').replace(' ❯ 1. Yes', '   1. Yes').replace(`   ${k}. `, ` ❯ ${k}. `));

const DOWN = '\x1b[B';
const UP = '\x1b[A';

describe('answerDialog (pure, fake port)', () => {
  const dialog = (selected: string): Waiting =>
    permissionDialog('Do you want to create a.txt?', ['Yes', 'Yes, and switch', 'No'], { selected });

  it('finds an option by id or by label; an unknown one lists what exists', () => {
    const w = dialog('1');
    expect(findOption(w, '3').label).toBe('No');
    expect(findOption(w, '  no ').id).toBe('3');
    expect(() => findOption(w, '7')).toThrow(AnswerError);
    expect(() => findOption(w, '7')).toThrow(
      'unknown option "7"; the permission dialog offers: 1 "Yes", 2 "Yes, and switch", 3 "No"',
    );
  });

  it('moves up when the option is above the cursor, and confirms only once it is seen', async () => {
    let w: Waiting | undefined = dialog('3');
    const written: string[] = [];
    const port = {
      write: (d: string) => {
        written.push(d);
        if (d === UP.repeat(2)) w = dialog('1');
        if (d === '\r') w = undefined;
      },
      waiting: () => w,
      waitFor: async (pred: () => boolean) => pred(),
      assertAlive: () => undefined,
    };
    const opt = await answerDialog(DEFAULT_DIALOG_KEYS, port, '1');
    expect(opt).toEqual({ id: '1', label: 'Yes' });
    expect(written).toEqual([UP.repeat(2), '\r']);
  });

  it('a hook says WAITING before the dialog is drawn: it waits for the options, then picks', async () => {
    let w: Waiting | undefined = { ...dialog('1'), options: [], text: 'Write a.txt needs permission' };
    let wake: (() => void) | undefined;
    const written: string[] = [];
    const port = {
      write: (d: string) => {
        written.push(d);
        w = d === DOWN ? dialog('2') : undefined;
      },
      waiting: () => w,
      waitFor: (pred: () => boolean) =>
        pred()
          ? Promise.resolve(true)
          : new Promise<boolean>((r) => {
              wake = () => r(pred());
            }),
      assertAlive: () => undefined,
    };
    const p = answerDialog(DEFAULT_DIALOG_KEYS, port, '2');
    await Promise.resolve();
    expect(written).toEqual([]);
    w = dialog('1');
    wake?.();
    expect((await p).id).toBe('2');
    expect(written).toEqual([DOWN, '\r']);
  });

  it('a key-hint option presses its key', async () => {
    let w: Waiting | undefined = {
      kind: 'question',
      name: 'unknown',
      text: 'Continue?',
      options: [
        { id: 'Enter', label: 'confirm' },
        { id: 'Esc', label: 'cancel' },
      ],
      cancellable: true,
    };
    const written: string[] = [];
    const port = {
      write: (d: string) => {
        written.push(d);
        w = undefined;
      },
      waiting: () => w,
      waitFor: async (pred: () => boolean) => pred(),
      assertAlive: () => undefined,
    };
    expect((await answerDialog(DEFAULT_DIALOG_KEYS, port, 'esc')).id).toBe('Esc');
    expect(written).toEqual(['\x1b']);
  });

  it('without dialog keys (an agent axiom cannot answer for) it says so', async () => {
    const port = {
      write: () => undefined,
      waiting: () => dialog('1'),
      waitFor: async () => true,
      assertAlive: () => undefined,
    };
    await expect(answerDialog(undefined, port, '1')).rejects.toThrow(/cannot be answered by axiom/);
  });
});

describe('Engine.answer over a fake PTY (claude permission dialog)', () => {
  let manager: SessionManager;
  let answers: Array<[string, Answer]>;

  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: false });
  });
  afterEach(() => {
    manager?.removeAllListeners();
    vi.useRealTimers();
  });

  async function waitingOnPermission(moves = true) {
    const rig = fakeManager(claudeProfile('/bin/sh'));
    manager = rig.manager;
    answers = [];
    manager.on('answered', (id, a) => answers.push([id, a]));
    const s = manager.spawn({ prompt: 'Write perm.txt', cwd: '/tmp', cols: 100, rows: 30 });
    const pty = rig.ptys[0] as FakePty;
    const sess = manager.session(s.id)!;
    pty.emit(draw(raw('busy-empty-box.txt')));
    await vi.advanceTimersByTimeAsync(50);
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'Write perm.txt' });
    sess.onHook({
      hook_event_name: 'PermissionRequest',
      tool_name: 'Write',
      tool_input: { file_path: '/tmp/perm.txt', content: 'x' },
      cwd: '/tmp',
    });
    pty.emit(permission(1));
    await vi.advanceTimersByTimeAsync(50);
    // A claude that moves its cursor on arrows (when `moves`) and runs the tool on Enter.
    let at = 1;
    const write = pty.write.bind(pty);
    pty.write = (d: string | Buffer) => {
      write(d);
      const k = d.toString();
      if (moves && k.startsWith(DOWN)) at = Math.min(3, at + k.length / DOWN.length);
      else if (moves && k.startsWith(UP)) at = Math.max(1, at - k.length / UP.length);
      else if (k === '\r') {
        pty.emit(draw(`${raw('busy-empty-box.txt')}\n✶ Writing… (2s · esc to interrupt)`));
        return;
      } else return;
      pty.emit(permission(at));
    };
    return { s, pty };
  }

  it("status shows the dialog with its options, cursor and the hook's subject", async () => {
    const { s } = await waitingOnPermission();
    const w = manager.get(s.id)!;
    expect(w.status).toBe('WAITING');
    expect(w.waiting).toMatchObject({
      kind: 'permission',
      name: 'permission',
      text: 'Do you want to create perm.txt?',
      selected: '1',
      tool: 'Write',
      subject: 'Write perm.txt',
    });
    expect(w.waiting?.options.map((o) => o.label)).toEqual([
      'Yes',
      'Yes, and switch to accept edits (auto-approve file edits and common file commands) for this session (shift+tab)',
      'No',
    ]);
  });

  it('picks option 3: two Downs, the cursor seen on 3, then Enter; the answered event says who', async () => {
    const { s, pty } = await waitingOnPermission();
    const done = manager.answer(s.id, '3', 'orchestrator');
    await vi.advanceTimersByTimeAsync(100);
    const a = await done;
    expect(a).toMatchObject({ dialog: 'permission', option: { id: '3', label: 'No' }, by: 'orchestrator' });
    expect(pty.written).toEqual([`${DOWN}${DOWN}`, '\r']);
    expect(answers).toEqual([[s.id, a]]);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
  });

  it('option 1 under the cursor already: Enter alone', async () => {
    const { s, pty } = await waitingOnPermission();
    const done = manager.answer(s.id, 'Yes');
    await vi.advanceTimersByTimeAsync(100);
    expect((await done).by).toBe('person');
    expect(pty.written).toEqual(['\r']);
  });

  it('a cursor that does not move: no Enter is ever pressed, and the error says where it is', async () => {
    const { s, pty } = await waitingOnPermission(false);
    const done = manager.answer(s.id, '2').catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(String(await done)).toMatch(
      /could not move the dialog's selection to 2 .* \(it shows 1\); nothing was chosen/,
    );
    expect(pty.written.join('')).not.toContain('\r');
    expect(manager.get(s.id)?.status).toBe('WAITING');
    expect(answers).toEqual([]);
  });

  it('an unknown option lists the options and writes nothing; no dialog says so', async () => {
    const { s, pty } = await waitingOnPermission();
    await expect(manager.answer(s.id, '9')).rejects.toThrow(
      /^unknown option "9"; the permission dialog offers: 1 "Yes", 2 "Yes, and switch to .*", 3 "No"$/,
    );
    expect(pty.written).toEqual([]);
    const done = manager.answer(s.id, '1');
    await vi.advanceTimersByTimeAsync(100);
    await done;
    await expect(manager.answer(s.id, '1')).rejects.toThrow(
      /is not waiting on a dialog \(RUNNING\); nothing to answer/,
    );
  });

  it('the person answering with keys (Down, Enter through Engine.write) is told as answered by the person', async () => {
    const { s, pty } = await waitingOnPermission();
    manager.write(s.id, DOWN);
    await vi.advanceTimersByTimeAsync(50);
    expect(manager.get(s.id)?.waiting?.selected).toBe('2');
    expect(answers).toEqual([]);
    manager.write(s.id, '\r');
    await vi.advanceTimersByTimeAsync(50);
    expect(pty.written).toEqual([DOWN, '\r']);
    expect(answers).toMatchObject([
      [
        s.id,
        {
          dialog: 'permission',
          option: { id: '2', label: expect.stringMatching(/^Yes, and switch/) },
          by: 'person',
        },
      ],
    ]);
  });

  it('Esc typed into the dialog is no answer', async () => {
    const { s } = await waitingOnPermission();
    manager.write(s.id, '\x1b');
    manager.session(s.id)?.onHook({ hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: {} });
    await vi.advanceTimersByTimeAsync(50);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    expect(answers).toEqual([]);
  });

  it('a turn that ends from its dialog (Stop while the screen still shows it) is counted once', async () => {
    const { s } = await waitingOnPermission();
    expect(manager.get(s.id)?.status).toBe('WAITING');
    manager.session(s.id)?.onHook({ hook_event_name: 'Stop' });
    await vi.advanceTimersByTimeAsync(5000);
    const done = manager.get(s.id)!;
    expect(done.status).toBe('COMPLETED');
    expect(done.turnDurations).toHaveLength(1);
  });
});
