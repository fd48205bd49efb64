/** The UI's fixed texts that depend on state: the prompt box placeholder and the full-screen messages. */
import type { SessionSnapshot } from '../engine/types.js';
import { keyLabel, primaryKey } from './keymap.js';
import { isLive } from './step.js';
import { stringWidth } from './width.js';

/** What the empty prompt box says, for the focused session (or none). */
export function placeholderText(focused: SessionSnapshot | undefined): string {
  if (!focused) return 'type a prompt and press Enter to start a session (F1: help)';
  if (focused.status === 'WAITING')
    return `#${focused.n} is waiting: answer with 1-9 / ↑↓ / Enter, or type a prompt`;
  if (!isLive(focused)) return `#${focused.n} has ended: ${primaryKey('spawn')} starts a new session`;
  if (focused.status === 'RUNNING')
    return `Enter interrupts #${focused.n} and redirects it · ${primaryKey('spawn')} starts another session`;
  return `prompt for #${focused.n} · ${primaryKey('spawn')} starts another session · F1 help`;
}

/** The pane area before the first session. */
export function welcomeLines(): string[] {
  return [
    'axiom: several Claude Code sessions side by side',
    '',
    'Type a prompt below and press Enter to start a session.',
    `${primaryKey('spawn')} starts more; each gets its own pane. F1 lists every key.`,
  ];
}

/** The whole screen while quitting. */
export function quittingLines(sessions: readonly SessionSnapshot[]): string[] {
  const live = sessions.filter((s) => isLive(s)).length;
  return [live > 0 ? `quitting: stopping ${live} session${live === 1 ? '' : 's'}…` : 'quitting…'];
}

/** The "terminal too small" message, in lines that fit the width when they can. */
export function tooSmallLines(
  need: { cols: number; rows: number },
  cols: number,
  canZoom: boolean,
): string[] {
  const size = `${need.cols}×${need.rows}`;
  const one = `terminal too small (need ≥ ${size})`;
  const lines = stringWidth(one) <= cols ? [one] : ['terminal too small', `need ≥ ${size}`];
  lines.push(canZoom ? `enlarge it, or ${primaryKey('zoom')} zooms one pane` : 'enlarge it');
  lines.push(`${keyLabel('ctrl+c')} twice quits`);
  return lines;
}
