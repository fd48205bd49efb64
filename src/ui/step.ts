/**
 * The two helpers every command handler uses (commands.ts, review-commands.ts): a step (next state
 * plus effects) and a notice on the event line. Type-only imports: no runtime cycle.
 */
import type { Effect, Step, UiState } from './commands.js';
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
