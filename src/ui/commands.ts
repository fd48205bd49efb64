/**
 * What the UI does with input, as pure functions: `dispatch(state, command, facts)` returns the
 * next UI state and the effects to run; `routeInput` turns one decoded input item into a command
 * (through the keymap's modes), typed text, a paste or passthrough bytes. No React, Ink or
 * engine here: tests call these directly (test/ui/commands.test.ts), and the effect runner
 * (effects.ts) is the only place that acts on the world.
 *
 * Keys pipeline: Ink → decoder (keys.ts) → keymap modes (keymap.ts) → routeInput / dispatch
 * (here) → runEffects (effects.ts); use-controller.ts wires them together.
 *
 * Where things are: the state, effects, facts and handler types in ui-state.ts; the helpers every
 * handler uses (step, withNotice, isLive, resolveFocus) in step.ts; the handlers by family: the
 * prompt box, focus, scrolling and help here, sessions and quit in session-commands.ts, the review
 * views in review-commands.ts. Each family's table is spread into `HANDLERS` below.
 *
 * Adding a command, key and effect:
 *  1. keymap.ts: add the id to `CommandId` and an entry to `COMMANDS` (mode, keys, help text,
 *     maybe a hint). Help, the hint bar and the README table follow (`npm run readme`).
 *  2. Add its handler to `HANDLERS` here or to its family's table; the type wants exactly one per
 *     `CommandId`. A handler gets the state and `{ key, facts, focused }` and returns
 *     `step(nextState, ...effects)`. Anything it needs to know about the world comes in `Facts`
 *     (add a field in ui-state.ts and fill it in `useController`'s `factsNow`); it never calls out.
 *  3. A new kind of side effect: add a variant to `Effect` (ui-state.ts) and its case to
 *     `runEffect` in effects.ts (the switch is exhaustive, so typecheck points at it). When the
 *     effect's result must change UI state (an id, loaded text), the runner passes a pure reducer
 *     to `ctx.update` (as spawn does with `focusSpawned`, load-diff with `diffLoaded`).
 *  4. New UI state: a field in `UiState` and its default in `initialUi` (ui-state.ts); components
 *     read it from the `ui` that `useController` returns.
 *  5. Test the handler in test/ui/commands.test.ts (state in, state and effects out); add an App
 *     test only for what the screen shows.
 */

import type { SessionSnapshot } from '../engine/types.js';
import * as ed from './editor.js';
import { helpLineCount } from './help.js';
import { activeCommands, activeModes, type Command, type CommandId, resolveCommand } from './keymap.js';
import { type InputItem, normalizePaste } from './keys.js';
import { REVIEW_HANDLERS } from './review-commands.js';
import { SESSION_HANDLERS } from './session-commands.js';
import { isLive, resolveFocus, step, withNotice } from './step.js';
import type { Context, Effect, Facts, Handler, KeyCommand, Step, UiState } from './ui-state.js';

const editing =
  (fn: (e: ed.EditorState) => ed.EditorState): Handler =>
  (s) =>
    step({ ...s, editor: fn(s.editor) });

const focus = (s: UiState, id: string): UiState => ({ ...s, focusId: id, killArmed: undefined });

const cycle =
  (dir: 1 | -1): Handler =>
  (s, { facts: { sessions: list }, focused: f }) => {
    if (list.length === 0) return step(s);
    const i = f ? list.findIndex((x) => x.id === f.id) : -1;
    const next = list[(i + dir + list.length) % list.length];
    return step(next ? focus(s, next.id) : s);
  };

/** Rows one page-scroll moves: the focused pane's inside, less one line of overlap. */
function pageRows({ facts, focused }: Context): number {
  const l = facts.layout;
  const p = l.ok ? l.panes.find((r) => facts.sessions[r.index]?.id === focused?.id) : undefined;
  return Math.max(1, (p?.innerRows ?? 10) - 1);
}

const scrollBy =
  (delta: (c: Context) => number | 'top' | 'bottom'): Handler =>
  (s, c) => {
    const f = c.focused;
    const max = c.facts.scrollback;
    if (!f || max === undefined) return step(s);
    const d = delta(c);
    const cur = s.scrolls[f.id] ?? 0;
    const next = d === 'top' ? max : d === 'bottom' ? 0 : Math.max(0, Math.min(max, cur + d));
    return step({ ...s, scrolls: { ...s.scrolls, [f.id]: next } });
  };

const helpScroll =
  (dir: 1 | -1): Handler =>
  (s, { key, facts }) => {
    const l = facts.layout;
    const area = l.ok ? l.paneArea : { width: facts.size.cols, height: facts.size.rows };
    const max = Math.max(0, helpLineCount(area.width) - (area.height - 2));
    const by = key.name === 'pageup' || key.name === 'pagedown' || key.name === 'space' ? 10 : 1;
    return step({ ...s, helpScroll: Math.max(0, Math.min(max, s.helpScroll + dir * by)) });
  };

/** One handler per command of the keymap. */
const HANDLERS: Record<CommandId, Handler> = {
  ...SESSION_HANDLERS,
  newline: editing((e) => ed.insert(e, '\n')),
  'focus-next': cycle(1),
  'focus-prev': cycle(-1),
  'focus-number': (s, { key, facts: { sessions: list } }) => {
    const d = Number(key.name.slice(-1));
    const target = list.find((x) => x.n === d) ?? list[d - 1];
    return step(target ? focus(s, target.id) : s);
  },
  zoom: (s, { facts }) => step(facts.sessions.length > 0 ? { ...s, zoom: !s.zoom } : s),
  'scroll-page-up': scrollBy(pageRows),
  'scroll-page-down': scrollBy((c) => -pageRows(c)),
  'scroll-line-up': scrollBy(() => 1),
  'scroll-line-down': scrollBy(() => -1),
  'scroll-top': scrollBy(() => 'top'),
  'scroll-bottom': scrollBy(() => 'bottom'),
  answer: (s, { key, focused: f }) =>
    f && isLive(f) ? step(s, { kind: 'write', id: f.id, data: key.raw }) : step(s),
  help: (s) => step({ ...s, help: true, helpScroll: 0 }),
  'help-close': (s) => step({ ...s, help: false }),
  'help-scroll-up': helpScroll(-1),
  'help-scroll-down': helpScroll(1),
  ...REVIEW_HANDLERS,
  redraw: (s) => step(s, { kind: 'repaint' }),
  suspend: (s) => step(s, { kind: 'suspend' }),
  'cursor-left': editing(ed.left),
  'cursor-right': editing(ed.right),
  'word-left': editing(ed.wordLeft),
  'word-right': editing(ed.wordRight),
  'line-start': editing(ed.home),
  'line-end': editing(ed.end),
  backspace: editing(ed.backspace),
  delete: editing(ed.del),
  'delete-word': editing(ed.deleteWordBack),
  'kill-to-end': editing(ed.killToEnd),
  'kill-to-start': editing(ed.killToStart),
  'history-prev': editing(ed.up),
  'history-next': editing(ed.down),
};

/** Run one command: the next state and the effects to run, in order. */
export function dispatch(state: UiState, command: KeyCommand, facts: Facts): Step {
  const focused = resolveFocus(facts.sessions, state.focusId);
  return HANDLERS[command.id](state, { key: command.key, facts, focused });
}

const typed = (s: UiState, text: string): Step =>
  step({ ...s, editor: ed.insert(s.editor, text), quitArmedAt: undefined });

/**
 * One decoded input item: in passthrough, bytes for the focused session (but the toggle key);
 * otherwise the command its key is bound to in the active modes, or text for the prompt box.
 */
export function routeInput(state: UiState, item: InputItem, facts: Facts): Step {
  if (state.quitting) return step(state);
  // Focus reports (CSI I / CSI O) are for use-notify: never typed, never sent to an agent.
  if (item.kind === 'key' && (item.key.name === 'focus-in' || item.key.name === 'focus-out'))
    return step(state);
  const f = resolveFocus(facts.sessions, state.focusId);
  if (state.passthrough) {
    if (item.kind === 'key' && resolveCommand(item.key.name, ['passthrough']) === 'passthrough') {
      return step({ ...state, passthrough: false });
    }
    if (!f || !isLive(f)) {
      const off = { ...state, passthrough: false };
      return step(withNotice(off, facts.now, 'passthrough ended: the session is gone', 'error'));
    }
    return step(state, { kind: 'write', id: f.id, data: item.kind === 'key' ? item.key.raw : item.raw });
  }
  const overlay = state.help || state.review !== undefined;
  if (item.kind === 'paste') return overlay ? step(state) : typed(state, normalizePaste(item.text));
  const key = item.key;
  const modes = activeModes({
    help: state.help,
    review: state.review !== undefined,
    passthrough: false,
    promptEmpty: state.editor.text === '',
    focusedWaiting: f?.status === 'WAITING',
  });
  const id = resolveCommand(key.name, modes);
  if (id) return dispatch(state, { id, key }, facts);
  if (key.text !== undefined && !overlay) return typed(state, key.text);
  return step(state);
}

/** The byte a key name stands for in a raw run, or ESC for a key sent as an escape sequence. */
function keyByte(name: string): string {
  const ctrl = /^ctrl\+(.)$/.exec(name);
  if (ctrl) {
    const c = ctrl[1] as string;
    if (c >= 'a' && c <= 'z') return String.fromCharCode(c.charCodeAt(0) - 96);
    const special: Record<string, string> = { ']': '\x1d', '\\': '\x1c', '^': '\x1e', _: '\x1f' };
    return special[c] ?? '\x1b';
  }
  const named: Record<string, string> = { enter: '\r', tab: '\t', backspace: '\x7f', space: ' ' };
  return named[name] ?? ([...name].length === 1 ? name : '\x1b');
}

/**
 * The bytes that must go through the decoder in passthrough: those of the keys bound in that mode
 * (Ctrl+], or what a config file rebound it to), computed once per keymap in effect.
 */
let passthroughKeys: { commands: readonly Command[]; bytes: readonly string[] } | undefined;
function passthroughBytes(): readonly string[] {
  const commands = activeCommands();
  if (passthroughKeys?.commands !== commands) {
    const keys = commands.flatMap((c) =>
      c.bindings.filter((b) => b.mode === 'passthrough').flatMap((b) => b.keys),
    );
    passthroughKeys = { commands, bytes: [...new Set(keys.map(keyByte))] };
  }
  return passthroughKeys.bytes;
}

/**
 * Passthrough fast path: a run of plain characters straight from the terminal (typed fast, or
 * pasted without bracketed paste) goes to the focused session in one write, unless it holds a key
 * bound in passthrough (the toggle). Undefined: decode it key by key instead. `sessions` is only
 * read when it may apply.
 */
export function passthroughRun(
  state: UiState,
  event: string,
  inPaste: boolean,
  sessions: () => readonly SessionSnapshot[],
): Effect | undefined {
  if (!state.passthrough || inPaste || event.length <= 1 || event.startsWith('\x1b')) return undefined;
  if (passthroughBytes().some((b) => event.includes(b))) return undefined;
  const f = resolveFocus(sessions(), state.focusId);
  return f && isLive(f) ? { kind: 'write', id: f.id, data: event } : undefined;
}
