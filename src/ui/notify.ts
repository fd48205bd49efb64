/**
 * When to tell the person that a session needs them, and the bytes that tell them. Pure: status
 * changes and focus state in, text and escape sequences out. `use-notify.ts` wires it to the
 * engine and the terminal writer.
 *
 * A session needs the person when it turns WAITING (a permission dialog or a question), ends its
 * turn, exits or fails. They are told when that session is not the focused pane, or when the
 * terminal itself has lost focus (focus reporting: CSI ?1004h, then CSI I / CSI O). Nothing is
 * said about the focused session while the terminal has focus: they are looking at it.
 */
import type { SessionSnapshot, SessionStatus } from '../engine/types.js';
import { formatDuration } from './format.js';

export const NOTIFY_MODES = ['both', 'bell', 'desktop', 'none'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** Desktop notification escapes: OSC 9 (iTerm2, WezTerm, Windows Terminal, ghostty), OSC 777 (urxvt, foot, VTE), OSC 99 (kitty). */
export const DESKTOP_ESCAPES = ['osc9', 'osc777', 'osc99'] as const;
export type DesktopEscape = (typeof DESKTOP_ESCAPES)[number];

export interface TerminalInfo {
  /** The desktop-notification escape the terminal understands. */
  escape: DesktopEscape;
  /** Running inside tmux: desktop escapes go through its passthrough (ESC P tmux; … ESC \). */
  tmux: boolean;
}

/**
 * Which desktop escape the outer terminal understands, from the environment it gave us. Inside
 * tmux TERM and TERM_PROGRAM name tmux, but the outer terminal's own variables (KITTY_WINDOW_ID,
 * WEZTERM_PANE, ITERM_SESSION_ID, LC_TERMINAL, WT_SESSION, VTE_VERSION, …) usually survive.
 */
export function detectTerminal(env: Readonly<Record<string, string | undefined>>): TerminalInfo {
  const tmux = Boolean(env.TMUX);
  const term = env.TERM ?? '';
  const program = env.TERM_PROGRAM ?? '';
  let kind: DesktopEscape = 'osc9';
  if (env.KITTY_WINDOW_ID || term === 'xterm-kitty') kind = 'osc99';
  else if (
    program === 'iTerm.app' ||
    program === 'WezTerm' ||
    program === 'ghostty' ||
    env.LC_TERMINAL === 'iTerm2' ||
    env.ITERM_SESSION_ID ||
    env.WEZTERM_PANE ||
    env.WT_SESSION ||
    env.GHOSTTY_RESOURCES_DIR
  )
    kind = 'osc9';
  else if (/^(foot|rxvt)/.test(term) || env.VTE_VERSION) kind = 'osc777';
  return { escape: kind, tmux };
}

/** Text safe inside an OSC string: no control characters (an agent's output must not inject escapes). */
export function oscText(text: string, max = 200): string {
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

const PERMISSION = /^permission needed for (.+?): answer the dialog$/;

/**
 * Why a status change needs the person, in a few words ("waits for permission: Write fib.go",
 * "finished its turn in 12s"), or undefined when it does not (RUNNING, STARTING, INTERRUPTED:
 * an interrupt comes from the person).
 */
export function attentionText(s: SessionSnapshot, previous: SessionStatus): string | undefined {
  if (s.status === previous) return undefined;
  switch (s.status) {
    case 'WAITING': {
      const perm = PERMISSION.exec(s.reason ?? '');
      if (perm) return `waits for permission: ${perm[1]}`;
      if (s.reason?.startsWith('permission')) return 'waits for permission';
      return s.reason ? `waits for you: ${s.reason}` : 'waits for you';
    }
    case 'COMPLETED': {
      const last = s.turnDurations[s.turnDurations.length - 1];
      return last !== undefined ? `finished its turn in ${formatDuration(last)}` : 'finished its turn';
    }
    case 'EXITED':
      return s.signal ? `exited (signal ${s.signal})` : `exited (code ${s.exitCode ?? '?'})`;
    case 'FAILED':
      return s.reason ? `failed: ${s.reason}` : 'failed';
    default:
      return undefined;
  }
}

/**
 * claude's screen shows a permission dialog (WAITING, "permission needed: answer the dialog") a
 * moment before its PermissionRequest hook says what for ("… for Write fib.go"), and the
 * notification should say it. So a WAITING notification without that detail waits for it (the
 * session's next screen updates) up to this long, then goes out with what is known.
 */
export const WAITING_SETTLE_MS = 1500;

/** Whether a WAITING snapshot already says what it waits for (or never will: not a permission). */
export function waitingSettled(s: Pick<SessionSnapshot, 'status' | 'reason'>): boolean {
  if (s.status !== 'WAITING') return true;
  return !s.reason?.startsWith('permission') || PERMISSION.test(s.reason);
}

export interface FocusState {
  /** The focused pane's session. */
  focusedId: string | undefined;
  /** False after CSI O (focus out) until CSI I. True when the terminal never reports focus. */
  terminalFocused: boolean;
}

export interface Notification {
  sessionId: string;
  /** "#2 waits for permission: Write fib.go" */
  text: string;
}

/** The notification a status change calls for, given where the person is looking; or none. */
export function decide(
  s: SessionSnapshot,
  previous: SessionStatus,
  focus: FocusState,
): Notification | undefined {
  if (focus.terminalFocused && focus.focusedId === s.id) return undefined;
  const why = attentionText(s, previous);
  return why ? { sessionId: s.id, text: `#${s.n} ${why}` } : undefined;
}

export const BEL = '\x07';
const ST = '\x1b\\';

/** Wrap a sequence in tmux's passthrough: ESC P tmux; <sequence, each ESC doubled> ESC \. */
export function tmuxPassthrough(seq: string): string {
  return `\x1bPtmux;${seq.replace(/\x1b/g, '\x1b\x1b')}${ST}`;
}

let kittyId = 0;

/** The desktop notification escape for `body` (titled "axiom"). */
export function desktopSequence(kind: DesktopEscape, body: string): string {
  const text = oscText(body);
  switch (kind) {
    case 'osc9':
      return `\x1b]9;${text}${BEL}`;
    case 'osc777':
      return `\x1b]777;notify;axiom;${text}${BEL}`;
    case 'osc99': {
      // kitty: the title chunk (d=0: more follows), then the body (p=body) under the same id.
      const id = `axiom${++kittyId}`;
      return `\x1b]99;i=${id}:d=0;axiom${ST}\x1b]99;i=${id}:p=body;${text}${ST}`;
    }
  }
}

/** Everything to write for a notification: a bell and/or a desktop notification, per mode. */
export function notificationBytes(n: Notification, mode: NotifyMode, term: TerminalInfo): string {
  let out = '';
  if (mode === 'bell' || mode === 'both') out += BEL;
  if (mode === 'desktop' || mode === 'both') {
    const seq = desktopSequence(term.escape, n.text);
    out += term.tmux ? tmuxPassthrough(seq) : seq;
  }
  return out;
}

/** The terminal title: "axiom · 2 running · 1 waiting · 1 done". */
export function titleText(sessions: readonly Pick<SessionSnapshot, 'status'>[]): string {
  let running = 0;
  let waiting = 0;
  let done = 0;
  let ended = 0;
  for (const s of sessions) {
    if (s.status === 'RUNNING' || s.status === 'STARTING') running++;
    else if (s.status === 'WAITING') waiting++;
    else if (s.status === 'COMPLETED' || s.status === 'INTERRUPTED') done++;
    else ended++;
  }
  const parts = ['axiom'];
  if (running) parts.push(`${running} running`);
  if (waiting) parts.push(`${waiting} waiting`);
  if (done) parts.push(`${done} done`);
  if (ended) parts.push(`${ended} ended`);
  return parts.join(' · ');
}

/** OSC 2: set the window (tmux: pane) title. */
/** How every title sequence starts (OSC 2). */
export const TITLE_PREFIX = '\x1b]2;';

export function titleSequence(text: string): string {
  return `${TITLE_PREFIX}${oscText(text)}${BEL}`;
}
