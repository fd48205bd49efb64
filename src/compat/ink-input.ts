/**
 * Ink internal: `useStdin().internal_eventEmitter` (pinned ink 6.8.0), the emitter on which Ink's
 * App publishes each chunk read from stdin as one 'input' event. useInput() would hand over
 * chunks already split and parsed into Ink's `Key` objects; axiom decodes keys itself
 * (src/ui/keys.ts: Alt+Enter, bracketed paste, keys Ink does not name) and forwards runs of plain
 * text to a PTY in one write, so it needs the raw chunks. test/compat/pinned.test.ts fails loudly
 * if the pinned Ink stops providing it.
 *
 * Note for an upgrade: Ink 7 moves bracketed paste onto its own channel; the chunks arriving here
 * would then lack the ESC[200~ … ESC[201~ brackets, and src/ui/keys.ts would read a pasted
 * newline as Enter (submitting half a paste). Listen to the paste channel too before upgrading.
 */
import type { EventEmitter } from 'node:events';
import { useStdin } from 'ink';

export interface RawInput {
  /** Emits 'input' with each raw stdin chunk (a string). */
  events: EventEmitter;
  setRawMode: (on: boolean) => void;
  isRawModeSupported: boolean;
}

/** Error text when Ink no longer provides the emitter (named so the fix is obvious). */
export const MISSING_INK_INPUT =
  'Ink no longer provides useStdin().internal_eventEmitter (src/compat/ink-input.ts): pin ink 6.8.x or port the key reader';

/** The raw input of what useStdin() returned, or undefined when this Ink has none. */
export function rawInputOf(stdin: ReturnType<typeof useStdin>): RawInput | undefined {
  const events = (stdin as { internal_eventEmitter?: EventEmitter }).internal_eventEmitter;
  if (!events || typeof events.on !== 'function') return undefined;
  return { events, setRawMode: stdin.setRawMode, isRawModeSupported: stdin.isRawModeSupported };
}

/** The raw stdin chunks of Ink's App (a hook: call it from a component). */
export function useRawInput(): RawInput {
  const input = rawInputOf(useStdin());
  if (!input) throw new Error(MISSING_INK_INPUT);
  return input;
}
