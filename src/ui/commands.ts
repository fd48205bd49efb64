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
 * Adding a command, key and effect:
 *  1. keymap.ts: add the id to `CommandId` and an entry to `COMMANDS` (mode, keys, help text,
 *     maybe a hint). Help, the hint bar and the README table follow (`npm run readme`).
 *  2. Here: add its handler to `HANDLERS`; the type wants exactly one per `CommandId`. A handler
 *     gets the state and `{ key, facts, focused }` and returns `step(nextState, ...effects)`.
 *     Anything it needs to know about the world comes in `Facts` (add a field and fill it in
 *     `useController`'s `factsNow`); it never calls out.
 *  3. A new kind of side effect: add a variant to `Effect` and its case to `runEffect` in
 *     effects.ts (the switch is exhaustive, so typecheck points at it). When the effect's result
 *     must change UI state (an id, loaded text), the runner passes a pure reducer from this file
 *     to `ctx.update` (as spawn does with `focusSpawned`).
 *  4. New UI state: a field in `UiState` and its default in `initialUi`; components read it
 *     from the `ui` that `useController` returns.
 *  5. Test the handler in test/ui/commands.test.ts (state in, state and effects out); add an App
 *     test only for what the screen shows.
 */

import { isEnded, type SessionSnapshot } from '../engine/types.js';
import type { Notice } from './components/Bars.js';
import * as ed from './editor.js';
import { promptSummary } from './format.js';
import { helpLineCount } from './help.js';
import {
  activeCommands,
  activeModes,
  type Command,
  type CommandId,
  keyLabel,
  primaryKey,
  resolveCommand,
} from './keymap.js';
import { type InputItem, type KeyPress, normalizePaste } from './keys.js';
import type { Layout } from './layout.js';
import type { DiffLine } from './review.js';
import { REVIEW_HANDLERS } from './review-commands.js';
import { step, withNotice } from './step.js';
import type { EventLevel } from './use-engine.js';

export { diffLoaded } from './review-commands.js';
export { NOTICE_MS, step, withNotice } from './step.js';

export const QUIT_WINDOW_MS = 1000;
export const KILL_WINDOW_MS = 2000;

export interface UiState {
  editor: ed.EditorState;
  /** The focused session; undefined or gone means the first one. */
  focusId?: string;
  zoom: boolean;
  /** Lines scrolled up from the live screen, per session id. */
  scrolls: Record<string, number>;
  passthrough: boolean;
  help: boolean;
  helpScroll: number;
  notice?: Notice & { until: number };
  quitArmedAt?: number;
  killArmed?: { id: string; at: number };
  quitting: boolean;
  /** The diff or compare view, when open. */
  review?: Review;
}

/**
 * A session's diff (lines undefined while loading), or the compare view. `confirm`: the apply
 * question is showing. `from`: the compare view's selection to go back to.
 */
export type Review =
  | {
      kind: 'diff';
      id: string;
      n: number;
      lines?: DiffLine[];
      error?: string;
      scroll: number;
      confirm: boolean;
      from?: number;
    }
  | { kind: 'compare'; selected: number; confirm: boolean };

export const initialUi = (): UiState => ({
  editor: ed.emptyEditor(),
  zoom: false,
  scrolls: {},
  passthrough: false,
  help: false,
  helpScroll: 0,
  quitting: false,
});

/** Everything the UI asks of the outside world; effects.ts runs them in order. */
export type Effect =
  /** Start `count` sessions (at their planned pane sizes), then focus the first. */
  | { kind: 'spawn'; prompt?: string; count: number }
  /** Send a prompt (the engine interrupts a RUNNING session first). */
  | { kind: 'send'; id: string; n: number; text: string }
  | { kind: 'interrupt'; id: string; n: number }
  | { kind: 'kill'; id: string; n: number }
  /** Close an ended session's pane. */
  | { kind: 'remove'; id: string; n: number }
  /** Raw bytes to the session's terminal (passthrough, dialog answers). */
  | { kind: 'write'; id: string; data: string }
  /** Resize a session's terminal to its pane's inside. */
  | { kind: 'resize'; id: string; cols: number; rows: number }
  /** A line in the event log. */
  | { kind: 'log'; level: EventLevel; text: string; sessionId?: string }
  /** The user quit: the caller shuts the engine down. */
  | { kind: 'quit' }
  /** Repaint the whole terminal. */
  | { kind: 'repaint' }
  /** Suspend to the shell. */
  | { kind: 'suspend' }
  /** Read a session's diff into the open diff view (diffLoaded). */
  | { kind: 'load-diff'; id: string; n: number }
  /** Apply a session's worktree changes to the user's tree. */
  | { kind: 'apply'; id: string; n: number }
  /** Hold a session for the person (or release it): attached clients cannot steer it. */
  | { kind: 'hold'; id: string; n: number; held: boolean }
  /** Hand a session to an attached client (by name), or back to the person (undefined). */
  | { kind: 'hand'; id: string; n: number; to: string | undefined };

/** What a command may know about the world when it runs. */
export interface Facts {
  /** Date.now() at the input. */
  now: number;
  /** The engine's sessions at the input (engine.list()), in pane order. */
  sessions: readonly SessionSnapshot[];
  /** The layout as last drawn (page size, help area). */
  layout: Layout;
  /** The terminal size. */
  size: { cols: number; rows: number };
  /** Lines of history above the focused session's live screen; undefined when unreadable. */
  scrollback?: number;
  /** The MCP clients attached to the engine, oldest first (none when absent). */
  clients?: readonly string[];
}

export interface KeyCommand {
  id: CommandId;
  /** The key that invoked it (its name picks a digit or a step, its bytes answer dialogs). */
  key: KeyPress;
}

export interface Step {
  state: UiState;
  effects: Effect[];
}

export interface Context {
  key: KeyPress;
  facts: Facts;
  focused: SessionSnapshot | undefined;
}

export type Handler = (s: UiState, c: Context) => Step;

/** A session that has not ended (its PTY still runs). */
export const isLive = (s: SessionSnapshot | undefined): boolean => !!s && !isEnded(s.status);

export function resolveFocus(
  sessions: readonly SessionSnapshot[],
  focusId: string | undefined,
): SessionSnapshot | undefined {
  return sessions.find((s) => s.id === focusId) ?? sessions[0];
}

/** After a spawn: focus the first new session, leave passthrough. */
export const focusSpawned = (s: UiState, id: string): UiState => ({ ...s, focusId: id, passthrough: false });

/** Drop the notice once its time is up. */
export const expireNotice = (s: UiState, now: number): UiState =>
  s.notice && s.notice.until <= now ? { ...s, notice: undefined } : s;

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

/** The prompt box's text without trailing whitespace. */
const promptText = (s: UiState) => s.editor.text.replace(/\s+$/, '');

const submit: Handler = (s, { facts, focused: f }) => {
  const text = promptText(s);
  if (text.trim() === '') return step(s);
  if (facts.sessions.length === 0)
    return step({ ...s, editor: ed.commit(s.editor) }, { kind: 'spawn', prompt: text, count: 1 });
  if (!f) return step(s);
  if (!isLive(f)) {
    const hint = `#${f.n} has ended: ${primaryKey('spawn')} starts a new session with this prompt`;
    return step(withNotice(s, facts.now, hint, 'error'));
  }
  const what = f.status === 'RUNNING' ? `interrupted #${f.n}, new direction` : `sent to #${f.n}`;
  return step(
    { ...s, editor: ed.commit(s.editor), scrolls: { ...s.scrolls, [f.id]: 0 } },
    { kind: 'log', level: 'info', text: `${what}: ${promptSummary(text, 6)}`, sessionId: f.id },
    { kind: 'send', id: f.id, n: f.n, text },
  );
};

const spawn: Handler = (s) => {
  const text = promptText(s);
  const empty = text.trim() === '';
  return step(empty ? s : { ...s, editor: ed.commit(s.editor) }, {
    kind: 'spawn',
    prompt: empty ? undefined : text,
    count: 1,
  });
};

const kill: Handler = (s, { key, facts, focused: f }) => {
  if (!f) return step(s);
  if (!isLive(f)) return step(s, { kind: 'remove', id: f.id, n: f.n });
  const armed = s.killArmed;
  if (armed && armed.id === f.id && facts.now - armed.at <= KILL_WINDOW_MS) {
    return step(
      { ...s, killArmed: undefined, notice: undefined },
      { kind: 'log', level: 'info', text: `killing #${f.n}`, sessionId: f.id },
      { kind: 'kill', id: f.id, n: f.n },
    );
  }
  const armedNow = { ...s, killArmed: { id: f.id, at: facts.now } };
  const hint = `press ${keyLabel(key.name)} again to kill #${f.n}`;
  return step(withNotice(armedNow, facts.now, hint, 'attention', KILL_WINDOW_MS));
};

const passthrough: Handler = (s, { facts, focused: f }) => {
  if (s.passthrough) return step({ ...s, passthrough: false });
  if (!f || !isLive(f)) return step(withNotice(s, facts.now, 'passthrough needs a running session', 'error'));
  return step({ ...s, passthrough: true, scrolls: { ...s.scrolls, [f.id]: 0 } });
};

const hold: Handler = (s, { facts, focused: f }) => {
  if (!f) return step(s);
  if (!isLive(f)) return step(withNotice(s, facts.now, `#${f.n} has ended`));
  const held = !f.held;
  const text = held
    ? `#${f.n} held: clients cannot steer it (${primaryKey('hold')} releases)`
    : `#${f.n} released`;
  return step(
    s,
    { kind: 'log', level: 'info', text, sessionId: f.id },
    { kind: 'hold', id: f.id, n: f.n, held },
  );
};

/** The next attached client after the focused session's owner; after the last one, the person. */
const hand: Handler = (s, { facts, focused: f }) => {
  if (!f) return step(s);
  const clients = facts.clients ?? [];
  if (clients.length === 0)
    return step(withNotice(s, facts.now, 'no MCP client is attached (axiom mcp --attach)', 'error'));
  if (!isLive(f)) return step(withNotice(s, facts.now, `#${f.n} has ended`));
  const i = f.owner === undefined ? -1 : clients.indexOf(f.owner);
  const to = clients[i + 1];
  const text = to === undefined ? `#${f.n} handed back to you` : `#${f.n} handed to ${to}`;
  return step(
    s,
    { kind: 'log', level: 'info', text, sessionId: f.id },
    { kind: 'hand', id: f.id, n: f.n, to },
  );
};

const clearOrQuit: Handler = (s, { key, facts }) => {
  if (s.editor.text !== '') return step({ ...s, editor: ed.clear(s.editor), quitArmedAt: undefined });
  if (s.quitArmedAt !== undefined && facts.now - s.quitArmedAt <= QUIT_WINDOW_MS) {
    return step(
      { ...s, quitting: true, passthrough: false, help: false, review: undefined },
      { kind: 'quit' },
    );
  }
  const hint = `press ${keyLabel(key.name)} again to quit (stops all sessions)`;
  return step(withNotice({ ...s, quitArmedAt: facts.now }, facts.now, hint, 'attention', QUIT_WINDOW_MS));
};

/** One handler per command of the keymap. */
const HANDLERS: Record<CommandId, Handler> = {
  submit,
  newline: editing((e) => ed.insert(e, '\n')),
  interrupt: (s, { facts, focused: f }) => {
    if (!f) return step(s);
    if (!isLive(f)) return step(withNotice(s, facts.now, `#${f.n} is not running`));
    return step(s, { kind: 'interrupt', id: f.id, n: f.n });
  },
  'focus-next': cycle(1),
  'focus-prev': cycle(-1),
  'focus-number': (s, { key, facts: { sessions: list } }) => {
    const d = Number(key.name.slice(-1));
    const target = list.find((x) => x.n === d) ?? list[d - 1];
    return step(target ? focus(s, target.id) : s);
  },
  spawn,
  kill,
  zoom: (s, { facts }) => step(facts.sessions.length > 0 ? { ...s, zoom: !s.zoom } : s),
  'scroll-page-up': scrollBy(pageRows),
  'scroll-page-down': scrollBy((c) => -pageRows(c)),
  'scroll-line-up': scrollBy(() => 1),
  'scroll-line-down': scrollBy(() => -1),
  'scroll-top': scrollBy(() => 'top'),
  'scroll-bottom': scrollBy(() => 'bottom'),
  passthrough,
  hold,
  hand,
  answer: (s, { key, focused: f }) =>
    f && isLive(f) ? step(s, { kind: 'write', id: f.id, data: key.raw }) : step(s),
  help: (s) => step({ ...s, help: true, helpScroll: 0 }),
  'help-close': (s) => step({ ...s, help: false }),
  'help-scroll-up': helpScroll(-1),
  'help-scroll-down': helpScroll(1),
  ...REVIEW_HANDLERS,
  'clear-or-quit': clearOrQuit,
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
