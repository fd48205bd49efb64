/**
 * The UI's state and the vocabulary of its commands: `UiState`, the `Effect`s a command asks for,
 * the `Facts` it may read, and the `Handler` type every command implements; the initial state and
 * two small reducers the effect runner and the controller apply. The handlers (commands.ts,
 * session-commands.ts, review-commands.ts) and the helpers they share (step.ts) import from here,
 * and nothing here imports them, so nothing cycles.
 */
import type { SessionSnapshot } from '../engine/types.js';
import type { Notice } from './components/Bars.js';
import * as ed from './editor.js';
import type { CommandId } from './keymap.js';
import type { KeyPress } from './keys.js';
import type { Layout } from './layout.js';
import type { DiffLine } from './review.js';
import type { EventLevel } from './use-engine.js';

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

/** After a spawn: focus the first new session, leave passthrough. */
export const focusSpawned = (s: UiState, id: string): UiState => ({ ...s, focusId: id, passthrough: false });

/** Drop the notice once its time is up. */
export const expireNotice = (s: UiState, now: number): UiState =>
  s.notice && s.notice.until <= now ? { ...s, notice: undefined } : s;
