/**
 * The commands that act on sessions and on axiom itself (keymap group Sessions, and passthrough):
 * submit and spawn from the prompt box, interrupt, kill (pressed twice), hold and hand for attached
 * MCP clients, clear-or-quit (pressed twice), and passthrough on and off. Pure, like commands.ts:
 * each returns the next state and the effects that effects.ts runs.
 */
import * as ed from './editor.js';
import { promptSummary } from './format.js';
import { type CommandId, keyLabel, primaryKey } from './keymap.js';
import { isLive, step, withNotice } from './step.js';
import type { Handler, UiState } from './ui-state.js';

export const QUIT_WINDOW_MS = 1000;
export const KILL_WINDOW_MS = 2000;

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

const interrupt: Handler = (s, { facts, focused: f }) => {
  if (!f) return step(s);
  if (!isLive(f)) return step(withNotice(s, facts.now, `#${f.n} is not running`));
  return step(s, { kind: 'interrupt', id: f.id, n: f.n });
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

/** The handlers of the session and quit commands. */
export const SESSION_HANDLERS: Record<
  Extract<
    CommandId,
    'submit' | 'spawn' | 'interrupt' | 'kill' | 'passthrough' | 'hold' | 'hand' | 'clear-or-quit'
  >,
  Handler
> = {
  submit,
  spawn,
  interrupt,
  kill,
  passthrough,
  hold,
  hand,
  'clear-or-quit': clearOrQuit,
};
