/** Small text helpers for the tools' human-readable renderings. */
import { constants } from 'node:os';
import { formatDuration } from '../engine/duration.js';

/** "SIGKILL" for 9; the number as text when the platform has no name for it. */
export function signalName(n: number): string {
  return Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? String(n);
}

/** Largest `text` one axiom_output result (or one progress message) carries. */
export const MAX_TEXT_CHARS = 200_000;

/**
 * Keep the last `max` characters of `text`, cut at a line start, behind a one-line marker.
 * Returns the text unchanged when it fits.
 */
export function tail(
  text: string,
  max = MAX_TEXT_CHARS,
  where?: string,
): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let cut = text.length - max;
  const nl = text.indexOf('\n', cut);
  if (nl !== -1 && nl < text.length - 1) cut = nl + 1;
  const marker = `[axiom: ${cut} earlier characters omitted${where ? `; the full transcript is ${where}` : ''}]\n`;
  return { text: marker + text.slice(cut), truncated: true };
}

/** "12.3s", "4m05s", "2h03m" (src/engine/duration.ts). */
export function duration(ms: number): string {
  return formatDuration(ms, { tenths: true });
}

/** Shorten to one line of at most `max` characters. */
export function clip(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}
