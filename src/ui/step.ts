/**
 * The helpers every command handler uses (commands.ts, session-commands.ts, review-commands.ts): a
 * step (next state plus effects), a notice on the event line, and which session is focused and live.
 */
import { isEnded, type SessionSnapshot } from '../engine/types.js';
import type { Effect, Step, UiState } from './ui-state.js';
import type { EventLevel } from './use-engine.js';

export const NOTICE_MS = 3000;

export const step = (state: UiState, ...effects: Effect[]): Step => ({ state, effects });

/** Show `text` on the event line until `now + ms`. */
export function withNotice(
  s: UiState,
  now: number,
  text: string,
  level: EventLevel = 'info',
  ms = NOTICE_MS,
): UiState {
  return { ...s, notice: { text, level, until: now + ms } };
}

/** A session that has not ended (its PTY still runs). */
export const isLive = (s: SessionSnapshot | undefined): boolean => !!s && !isEnded(s.status);

export function resolveFocus(
  sessions: readonly SessionSnapshot[],
  focusId: string | undefined,
): SessionSnapshot | undefined {
  return sessions.find((s) => s.id === focusId) ?? sessions[0];
}
