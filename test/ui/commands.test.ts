import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStatus } from '../../src/engine/types.js';
import { dispatch, passthroughRun, routeInput } from '../../src/ui/commands.js';
import * as ed from '../../src/ui/editor.js';
import { helpLineCount } from '../../src/ui/help.js';
import { COMMANDS, type CommandId, setKeymap } from '../../src/ui/keymap.js';
import type { KeyPress } from '../../src/ui/keys.js';
import { computeLayout } from '../../src/ui/layout.js';
import { KILL_WINDOW_MS, QUIT_WINDOW_MS } from '../../src/ui/session-commands.js';
import {
  type Effect,
  expireNotice,
  type Facts,
  focusSpawned,
  initialUi,
  type Step,
  type UiState,
} from '../../src/ui/ui-state.js';
import { FakeEngine } from '../helpers/fake-engine.js';

const NOW = 1_000_000;

/** Sessions #1..#n, RUNNING unless `statuses` says otherwise. */
function sessions(...statuses: SessionStatus[]): SessionSnapshot[] {
  const engine = new FakeEngine();
  statuses.forEach((st, i) => {
    engine.spawn({ prompt: `task ${i + 1}` });
    if (st !== 'RUNNING') engine.setStatus(String(i + 1), st);
  });
  return engine.list();
}

function facts(list: SessionSnapshot[] = [], more: Partial<Facts> = {}): Facts {
  const size = { cols: 100, rows: 30 };
  return {
    now: NOW,
    sessions: list,
    layout: computeLayout({ count: list.length, ...size, promptRows: 1 }),
    size,
    ...more,
  };
}

const key = (name: string, raw = name, text?: string): KeyPress => ({ name, raw, text });

const withText = (text: string, s: UiState = initialUi()): UiState => ({
  ...s,
  editor: ed.insert(s.editor, text),
});

function run(id: CommandId, s: UiState, f: Facts, k: KeyPress = key('x')): Step {
  return dispatch(s, { id, key: k }, f);
}

describe('dispatch', () => {
  it('has a handler for every command of the keymap, none of which throws on an empty or busy world', () => {
    for (const c of COMMANDS) {
      for (const f of [facts(), facts(sessions('RUNNING', 'EXITED'), { scrollback: 5 })]) {
        const out = run(c.id, initialUi(), f, key('alt+1', '\x1b1'));
        expect(out.state, c.id).toBeDefined();
        expect(Array.isArray(out.effects), c.id).toBe(true);
      }
    }
  });

  describe('submit', () => {
    it('sends the text to the focused session, logging a redirect for a RUNNING one', () => {
      const list = sessions('RUNNING', 'COMPLETED');
      const s = { ...withText('fix the bug  '), focusId: '1', scrolls: { '1': 7 } };
      const out = run('submit', s, facts(list));
      expect(out.state.editor.text).toBe('');
      expect(out.state.editor.history).toEqual(['fix the bug  ']);
      expect(out.state.scrolls['1']).toBe(0);
      expect(out.effects).toEqual([
        { kind: 'log', level: 'info', text: 'interrupted #1, new direction: fix the bug', sessionId: '1' },
        { kind: 'send', id: '1', n: 1, text: 'fix the bug' },
      ]);
      const idle = run('submit', { ...withText('next'), focusId: '2' }, facts(list));
      expect(idle.effects[0]).toMatchObject({ text: 'sent to #2: next' });
    });

    it('with no session, spawns one with the text', () => {
      const out = run('submit', withText('hello'), facts());
      expect(out.state.editor.text).toBe('');
      expect(out.effects).toEqual([{ kind: 'spawn', prompt: 'hello', count: 1 }]);
    });

    it('does nothing on an empty or blank box', () => {
      const s = withText('   ');
      expect(run('submit', s, facts(sessions('RUNNING')))).toEqual({ state: s, effects: [] });
    });

    it('on an ended session keeps the text and says how to start a new one', () => {
      const s = withText('more');
      const out = run('submit', s, facts(sessions('EXITED')));
      expect(out.effects).toEqual([]);
      expect(out.state.editor.text).toBe('more');
      expect(out.state.notice).toEqual({
        text: '#1 has ended: Ctrl+N starts a new session with this prompt',
        level: 'error',
        until: NOW + 3000,
      });
    });
  });

  it('newline inserts a line break', () => {
    expect(run('newline', withText('a'), facts()).state.editor.text).toBe('a\n');
  });

  it('interrupt: the focused live session; a notice on an ended one; nothing without sessions', () => {
    const list = sessions('RUNNING', 'COMPLETED', 'FAILED');
    expect(run('interrupt', { ...initialUi(), focusId: '2' }, facts(list)).effects).toEqual([
      { kind: 'interrupt', id: '2', n: 2 },
    ]);
    const ended = run('interrupt', { ...initialUi(), focusId: '3' }, facts(list));
    expect(ended.effects).toEqual([]);
    expect(ended.state.notice?.text).toBe('#3 is not running');
    expect(run('interrupt', initialUi(), facts()).effects).toEqual([]);
  });

  it('focus-next / focus-prev cycle through the sessions and disarm a pending kill', () => {
    const f = facts(sessions('RUNNING', 'RUNNING', 'RUNNING'));
    const armed = { ...initialUi(), killArmed: { id: '1', at: NOW } };
    const next = run('focus-next', armed, f).state;
    expect(next.focusId).toBe('2');
    expect(next.killArmed).toBeUndefined();
    expect(run('focus-next', { ...next, focusId: '3' }, f).state.focusId).toBe('1');
    expect(run('focus-prev', initialUi(), f).state.focusId).toBe('3');
    expect(run('focus-next', initialUi(), facts()).state).toEqual(initialUi());
  });

  it('focus-number focuses #N (by number, else by position); unknown numbers do nothing', () => {
    const f = facts(sessions('RUNNING', 'RUNNING'));
    expect(run('focus-number', initialUi(), f, key('alt+2')).state.focusId).toBe('2');
    const s = initialUi();
    expect(run('focus-number', s, f, key('alt+7')).state).toBe(s);
  });

  it('spawn starts a session with the text, or an idle one on an empty box', () => {
    const out = run('spawn', withText('second task'), facts(sessions('RUNNING')));
    expect(out.state.editor.text).toBe('');
    expect(out.effects).toEqual([{ kind: 'spawn', prompt: 'second task', count: 1 }]);
    const s = initialUi();
    const idle = run('spawn', s, facts());
    expect(idle.state).toBe(s);
    expect(idle.effects).toEqual([{ kind: 'spawn', prompt: undefined, count: 1 }]);
  });

  describe('kill', () => {
    const f = facts(sessions('RUNNING', 'EXITED'));

    it('arms on the first press, kills on a second one within the window', () => {
      const first = run('kill', initialUi(), f, key('ctrl+x', '\x18'));
      expect(first.effects).toEqual([]);
      expect(first.state.killArmed).toEqual({ id: '1', at: NOW });
      expect(first.state.notice).toEqual({
        text: 'press Ctrl+X again to kill #1',
        level: 'attention',
        until: NOW + KILL_WINDOW_MS,
      });
      const second = run('kill', first.state, { ...f, now: NOW + KILL_WINDOW_MS });
      expect(second.state.killArmed).toBeUndefined();
      expect(second.state.notice).toBeUndefined();
      expect(second.effects).toEqual([
        { kind: 'log', level: 'info', text: 'killing #1', sessionId: '1' },
        { kind: 'kill', id: '1', n: 1 },
      ]);
    });

    it('re-arms when the second press comes too late or is for another session', () => {
      const first = run('kill', initialUi(), f).state;
      const late = run('kill', first, { ...f, now: NOW + KILL_WINDOW_MS + 1 });
      expect(late.effects).toEqual([]);
      expect(late.state.killArmed).toEqual({ id: '1', at: NOW + KILL_WINDOW_MS + 1 });
    });

    it('closes the pane of an ended session at once', () => {
      expect(run('kill', { ...initialUi(), focusId: '2' }, f).effects).toEqual([
        { kind: 'remove', id: '2', n: 2 },
      ]);
      expect(run('kill', initialUi(), facts()).effects).toEqual([]);
    });
  });

  it('zoom toggles when there is a session', () => {
    const on = run('zoom', initialUi(), facts(sessions('RUNNING'))).state;
    expect(on.zoom).toBe(true);
    expect(run('zoom', on, facts(sessions('RUNNING'))).state.zoom).toBe(false);
    expect(run('zoom', initialUi(), facts()).state.zoom).toBe(false);
  });

  describe('scrolling', () => {
    const list = sessions('RUNNING');
    const f = facts(list, { scrollback: 100 });
    const at = (n: number): UiState => ({ ...initialUi(), scrolls: { '1': n } });
    // One pane in 100x30: 25 inner rows, so a page is 24 lines.
    it('pages by the pane height less one line, within the history', () => {
      expect(run('scroll-page-up', at(0), f).state.scrolls['1']).toBe(24);
      expect(run('scroll-page-up', at(90), f).state.scrolls['1']).toBe(100);
      expect(run('scroll-page-down', at(30), f).state.scrolls['1']).toBe(6);
      expect(run('scroll-page-down', at(10), f).state.scrolls['1']).toBe(0);
    });

    it('moves by lines, to the top and back to live', () => {
      expect(run('scroll-line-up', at(0), f).state.scrolls['1']).toBe(1);
      expect(run('scroll-line-down', at(5), f).state.scrolls['1']).toBe(4);
      expect(run('scroll-line-down', at(0), f).state.scrolls['1']).toBe(0);
      expect(run('scroll-top', at(3), f).state.scrolls['1']).toBe(100);
      expect(run('scroll-bottom', at(50), f).state.scrolls['1']).toBe(0);
    });

    it('does nothing when the history cannot be read', () => {
      const s = at(3);
      expect(run('scroll-line-up', s, facts(list)).state).toBe(s);
    });
  });

  it('passthrough turns on for a live session (back to live output), off always; refused on an ended one', () => {
    const list = sessions('RUNNING', 'EXITED');
    const on = run('passthrough', { ...initialUi(), scrolls: { '1': 9 } }, facts(list)).state;
    expect(on.passthrough).toBe(true);
    expect(on.scrolls['1']).toBe(0);
    expect(run('passthrough', on, facts(list)).state.passthrough).toBe(false);
    const ended = run('passthrough', { ...initialUi(), focusId: '2' }, facts(list)).state;
    expect(ended.passthrough).toBe(false);
    expect(ended.notice?.text).toBe('passthrough needs a running session');
  });

  it('hold toggles the focused live session held for the person; refused on an ended one', () => {
    const list = sessions('RUNNING', 'EXITED');
    const on = run('hold', initialUi(), facts(list));
    expect(on.effects.at(-1)).toEqual({ kind: 'hold', id: '1', n: 1, held: true });
    const heldList = list.map((x) => (x.id === '1' ? { ...x, held: true } : x));
    expect(run('hold', initialUi(), facts(heldList)).effects.at(-1)).toEqual({
      kind: 'hold',
      id: '1',
      n: 1,
      held: false,
    });
    const ended = run('hold', { ...initialUi(), focusId: '2' }, facts(list));
    expect(ended.effects).toEqual([]);
    expect(ended.state.notice?.text).toBe('#2 has ended');
  });

  it('hand gives the focused session to the next attached client, then back to the person', () => {
    const list = sessions('RUNNING');
    const none = run('hand', initialUi(), facts(list));
    expect(none.effects).toEqual([]);
    expect(none.state.notice?.text).toMatch(/no MCP client is attached/);
    const clients = ['a', 'b'];
    const toA = run('hand', initialUi(), facts(list, { clients }));
    expect(toA.effects.at(-1)).toEqual({ kind: 'hand', id: '1', n: 1, to: 'a' });
    const ofA = list.map((x) => ({ ...x, owner: 'a' }));
    expect(run('hand', initialUi(), facts(ofA, { clients })).effects.at(-1)).toMatchObject({ to: 'b' });
    const ofB = list.map((x) => ({ ...x, owner: 'b' }));
    expect(run('hand', initialUi(), facts(ofB, { clients })).effects.at(-1)).toMatchObject({ to: undefined });
  });

  it('answer writes the key bytes to a live focused session only', () => {
    const list = sessions('WAITING', 'EXITED');
    expect(run('answer', initialUi(), facts(list), key('down', '\x1b[B')).effects).toEqual([
      { kind: 'write', id: '1', data: '\x1b[B' },
    ]);
    expect(run('answer', { ...initialUi(), focusId: '2' }, facts(list), key('1')).effects).toEqual([]);
  });

  it('help opens at the top, closes, and scrolls by line or by ten within its length', () => {
    const opened = run('help', { ...initialUi(), helpScroll: 4 }, facts()).state;
    expect(opened).toMatchObject({ help: true, helpScroll: 0 });
    expect(run('help-close', opened, facts()).state.help).toBe(false);
    const f = facts([], { size: { cols: 60, rows: 20 } });
    const area = f.layout.ok ? f.layout.paneArea : { width: 60, height: 20 };
    const max = helpLineCount(area.width) - (area.height - 2);
    expect(max).toBeGreaterThan(10);
    expect(run('help-scroll-down', opened, f, key('down')).state.helpScroll).toBe(1);
    expect(run('help-scroll-down', opened, f, key('pagedown')).state.helpScroll).toBe(10);
    expect(run('help-scroll-down', { ...opened, helpScroll: max }, f, key('space')).state.helpScroll).toBe(
      max,
    );
    expect(run('help-scroll-up', { ...opened, helpScroll: 3 }, f, key('pageup')).state.helpScroll).toBe(0);
  });

  describe('clear-or-quit', () => {
    const ctrlC = key('ctrl+c', '\x03');
    it('clears a non-empty box (and disarms quit)', () => {
      const out = run('clear-or-quit', { ...withText('draft'), quitArmedAt: NOW }, facts(), ctrlC);
      expect(out.state.editor.text).toBe('');
      expect(out.state.quitArmedAt).toBeUndefined();
      expect(out.effects).toEqual([]);
    });

    it('arms on an empty box, quits on a second press within the window', () => {
      const first = run('clear-or-quit', initialUi(), facts(), ctrlC);
      expect(first.effects).toEqual([]);
      expect(first.state.notice).toMatchObject({
        text: 'press Ctrl+C again to quit (stops all sessions)',
        until: NOW + QUIT_WINDOW_MS,
      });
      const second = run(
        'clear-or-quit',
        { ...first.state, passthrough: true, help: true },
        {
          ...facts(),
          now: NOW + QUIT_WINDOW_MS,
        },
      );
      expect(second.effects).toEqual([{ kind: 'quit' }]);
      expect(second.state).toMatchObject({ quitting: true, passthrough: false, help: false });
      const late = run('clear-or-quit', first.state, { ...facts(), now: NOW + QUIT_WINDOW_MS + 1 });
      expect(late.effects).toEqual([]);
      expect(late.state.quitArmedAt).toBe(NOW + QUIT_WINDOW_MS + 1);
    });
  });

  it('redraw and suspend are effects for the caller', () => {
    expect(run('redraw', initialUi(), facts()).effects).toEqual([{ kind: 'repaint' }]);
    expect(run('suspend', initialUi(), facts()).effects).toEqual([{ kind: 'suspend' }]);
  });

  it('editing commands apply the editor function to the prompt box', () => {
    const s = withText('one two');
    const cases: [CommandId, (e: ed.EditorState) => ed.EditorState][] = [
      ['cursor-left', ed.left],
      ['cursor-right', ed.right],
      ['word-left', ed.wordLeft],
      ['word-right', ed.wordRight],
      ['line-start', ed.home],
      ['line-end', ed.end],
      ['backspace', ed.backspace],
      ['delete', ed.del],
      ['delete-word', ed.deleteWordBack],
      ['kill-to-end', ed.killToEnd],
      ['kill-to-start', ed.killToStart],
      ['history-prev', ed.up],
      ['history-next', ed.down],
    ];
    for (const [id, fn] of cases) {
      const mid = { ...s, editor: ed.wordLeft(s.editor) };
      const out = run(id, mid, facts());
      expect(out.state.editor, id).toEqual(fn(mid.editor));
      expect(out.effects, id).toEqual([]);
    }
    expect(run('delete-word', s, facts()).state.editor.text).toBe('one ');
  });
});

describe('routeInput', () => {
  const list = sessions('RUNNING', 'WAITING');
  const f = facts(list);
  const press = (s: UiState, k: KeyPress) => routeInput(s, { kind: 'key', key: k }, f);

  it('inserts typed text and pastes (disarming quit), except in help', () => {
    const typed = press({ ...initialUi(), quitArmedAt: NOW }, key('a', 'a', 'a'));
    expect(typed.state.editor.text).toBe('a');
    expect(typed.state.quitArmedAt).toBeUndefined();
    const pasted = routeInput(initialUi(), { kind: 'paste', text: 'x\r\ny\tz', raw: '' }, f);
    expect(pasted.state.editor.text).toBe('x\ny  z');
    const help = { ...initialUi(), help: true };
    expect(routeInput(help, { kind: 'paste', text: 'x', raw: '' }, f).state).toBe(help);
    expect(press(help, key('a', 'a', 'a')).state).toBe(help);
  });

  it('resolves keys through the active modes', () => {
    expect(press(initialUi(), key('enter', '\r')).effects).toEqual([]); // empty box: nothing to send
    expect(press(initialUi(), key('?', '?', '?')).state.help).toBe(true); // empty box: help
    expect(press(withText('why'), key('?', '?', '?')).state.editor.text).toBe('why?');
    // the focused session WAITING and the box empty: digits answer its dialog
    expect(press({ ...initialUi(), focusId: '2' }, key('2', '2', '2')).effects).toEqual([
      { kind: 'write', id: '2', data: '2' },
    ]);
    expect(press({ ...initialUi(), help: true }, key('escape', '\x1b')).state.help).toBe(false);
  });

  it('in passthrough, forwards raw bytes, leaves on the toggle key, and ends when the session is gone', () => {
    const on = { ...initialUi(), passthrough: true };
    expect(press(on, key('ctrl+c', '\x03')).effects).toEqual([{ kind: 'write', id: '1', data: '\x03' }]);
    expect(routeInput(on, { kind: 'paste', text: 'p', raw: '\x1b[200~p\x1b[201~' }, f).effects).toEqual([
      { kind: 'write', id: '1', data: '\x1b[200~p\x1b[201~' },
    ]);
    expect(press(on, key('ctrl+]', '\x1d')).state.passthrough).toBe(false);
    const gone = routeInput(on, { kind: 'key', key: key('a', 'a', 'a') }, facts(sessions('EXITED')));
    expect(gone.effects).toEqual([]);
    expect(gone.state.passthrough).toBe(false);
    expect(gone.state.notice?.text).toBe('passthrough ended: the session is gone');
  });

  it('drops focus reports, in passthrough too', () => {
    for (const s of [initialUi(), { ...initialUi(), passthrough: true }]) {
      expect(press(s, key('focus-in', '\x1b[I'))).toEqual({ state: s, effects: [] });
      expect(press(s, key('focus-out', '\x1b[O'))).toEqual({ state: s, effects: [] });
    }
  });

  it('ignores everything while quitting', () => {
    const q = { ...initialUi(), quitting: true };
    expect(press(q, key('ctrl+c', '\x03'))).toEqual({ state: q, effects: [] });
  });
});

describe('passthroughRun', () => {
  const list = sessions('RUNNING');
  const on = { ...initialUi(), passthrough: true };
  const write = (data: string): Effect => ({ kind: 'write', id: '1', data });

  it('takes a run of plain characters in one write', () => {
    expect(passthroughRun(on, 'hello\r', false, () => list)).toEqual(write('hello\r'));
  });

  it('leaves single keys, escape sequences, pastes, the toggle and non-passthrough to the decoder', () => {
    const never = () => {
      throw new Error('sessions read when the fast path cannot apply');
    };
    expect(passthroughRun(on, 'a', false, never)).toBeUndefined();
    expect(passthroughRun(on, '\x1b[A', false, never)).toBeUndefined();
    expect(passthroughRun(on, 'ab', true, never)).toBeUndefined();
    expect(passthroughRun(on, 'a\x1db', false, never)).toBeUndefined();
    expect(passthroughRun(initialUi(), 'ab', false, never)).toBeUndefined();
    expect(passthroughRun(on, 'ab', false, () => sessions('EXITED'))).toBeUndefined();
  });

  // Before the fix the fast path knew only Ctrl+]'s byte: with the toggle rebound (config file
  // "keys": {"passthrough": "ctrl+p"}) a fast-typed run holding Ctrl+P went to the agent and the
  // person could not leave passthrough.
  it('follows a rebound toggle: its byte, or any escape for a key sent as a sequence', () => {
    const rebind = (keys: string[]) =>
      setKeymap(
        COMMANDS.map((c) =>
          c.id === 'passthrough' ? { ...c, bindings: c.bindings.map((b) => ({ ...b, keys })) } : c,
        ),
      );
    try {
      rebind(['ctrl+p']);
      expect(passthroughRun(on, 'a\x10b', false, () => list)).toBeUndefined();
      expect(passthroughRun(on, 'a\x1db', false, () => list)).toEqual(write('a\x1db'));
      rebind(['f12']);
      expect(passthroughRun(on, 'a\x1b[24~', false, () => list)).toBeUndefined();
      expect(passthroughRun(on, 'ab\r', false, () => list)).toEqual(write('ab\r'));
    } finally {
      setKeymap(COMMANDS);
    }
  });
});

describe('reducers for effect results and timers', () => {
  it('focusSpawned focuses the new session and leaves passthrough', () => {
    expect(focusSpawned({ ...initialUi(), passthrough: true }, '4')).toMatchObject({
      focusId: '4',
      passthrough: false,
    });
  });

  it('expireNotice drops the notice only once its time is up', () => {
    const s = { ...initialUi(), notice: { text: 'x', level: 'info' as const, until: NOW } };
    expect(expireNotice(s, NOW - 1)).toBe(s);
    expect(expireNotice(s, NOW).notice).toBeUndefined();
  });
});
