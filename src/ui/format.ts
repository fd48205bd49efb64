import { formatDuration } from '../engine/duration.js';
import type { SessionSnapshot, SessionStatus } from '../engine/types.js';

export { formatDuration } from '../engine/duration.js';

/** Whether the current turn is still going (its clock is ticking). */
export function turnLive(s: SessionSnapshot): boolean {
  return (
    s.turnStartedAt !== undefined &&
    s.turnEndedAt === undefined &&
    (s.status === 'RUNNING' || s.status === 'WAITING')
  );
}

/** Elapsed ms of the current (or last) turn, and total ms of all turns. */
export function sessionTimes(s: SessionSnapshot, now: number): { turn?: number; total: number } {
  const finished = s.turnDurations.reduce((a, b) => a + b, 0);
  if (s.turnStartedAt === undefined) return { total: finished };
  if (turnLive(s)) {
    const turn = Math.max(0, now - s.turnStartedAt);
    return { turn, total: finished + turn };
  }
  const end = s.turnEndedAt ?? s.endedAt ?? s.turnStartedAt;
  const turn = Math.max(0, end - s.turnStartedAt);
  // The last turn is normally already in turnDurations once it has ended.
  return { turn, total: Math.max(finished, turn) };
}

/** '12s · Σ1m03s' (turn · total); only the total when it differs meaningfully, '' before any turn. */
export function timingText(s: SessionSnapshot, now: number): string {
  const { turn, total } = sessionTimes(s, now);
  if (turn === undefined) return total > 0 ? `Σ${formatDuration(total)}` : '';
  const t = formatDuration(turn);
  const tot = formatDuration(total);
  return t === tot ? t : `${t} · Σ${tot}`;
}

/** The first words of a prompt, on one line. */
export function promptSummary(text: string, maxWords = 8): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  if (words.length === 0) return '';
  const head = words.slice(0, maxWords).join(' ');
  return words.length > maxWords ? `${head}…` : head;
}

export interface StatusStyle {
  color: string;
  backgroundColor?: string;
  bold?: boolean;
}

export const STATUS_STYLES: Record<SessionStatus, StatusStyle> = {
  STARTING: { color: 'gray' },
  RUNNING: { color: 'cyan', bold: true },
  WAITING: { color: 'black', backgroundColor: 'yellow', bold: true },
  COMPLETED: { color: 'green', bold: true },
  INTERRUPTED: { color: 'magenta', bold: true },
  EXITED: { color: 'gray' },
  FAILED: { color: 'white', backgroundColor: 'red', bold: true },
};

export function filesText(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

/** Shorten an absolute path for display: relative to `cwd` when inside it. */
export function displayPath(path: string, cwd: string): string {
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(base) ? path.slice(base.length) : path;
}

export function clockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((x) => String(x).padStart(2, '0')).join(':');
}
