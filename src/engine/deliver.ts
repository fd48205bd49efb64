/**
 * Submitting a prompt the engine can vouch for. With a profile that can read its input box:
 * empty the box, type the text, read the box back off the screen, and press Enter only when it
 * holds exactly the text; then confirm the agent took it (a turn-start hook, or the text leaving
 * the box). Text left in the box (claude puts an interrupted prompt back) can never be glued to
 * the new text: a mismatch is cleared and typed again, and when the box cannot be verified
 * nothing is submitted and the caller gets an error.
 */
import type { AgentProfile } from '../agents/profile.js';

/** What delivery needs from a session. */
export interface DeliverPort {
  write(data: string): void;
  /** The live screen as last parsed. */
  screen(): { lines: string[]; cursorRow: number };
  /** Resolve when `pred` holds (checked at every screen update and status change) or after `ms`. */
  waitFor(pred: () => boolean, ms: number): Promise<boolean>;
  /** Turn starts the agent reported by hook so far (UserPromptSubmit); undefined without hooks. */
  submits(): number | undefined;
  /** Throws when the session has ended. */
  assertAlive(): void;
}

export interface DeliverTimings {
  /** How long one check of the box (emptied, typed) may take to show on screen. */
  verifyMs: number;
  /** How long after Enter the agent has to show it took the prompt. */
  confirmMs: number;
  /** Rounds of clear-type-check before giving up. */
  attempts: number;
}

export const DEFAULT_DELIVER_TIMINGS: DeliverTimings = { verifyMs: 2000, confirmMs: 4000, attempts: 4 };

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One line, at most 60 characters, for messages. */
function shown(s: string | undefined): string {
  if (s === undefined) return 'no input box';
  const one = s.replace(/\s+/g, ' ').trim();
  return one === '' ? 'an empty box' : `"${one.length > 60 ? `${one.slice(0, 59)}…` : one}"`;
}

/**
 * Type `text` and submit it. Resolves once the agent took it; rejects (having left the box empty
 * where it can) when it could not be verified. Profiles without an input box reader get the old
 * unverified typing.
 */
export async function deliver(
  profile: AgentProfile,
  port: DeliverPort,
  text: string,
  t: DeliverTimings = DEFAULT_DELIVER_TIMINGS,
): Promise<void> {
  const steps = profile.submitSteps(text);
  const typing = steps.slice(0, -1);
  const enter = steps[steps.length - 1];
  const box = profile.input;
  const type = async (): Promise<void> => {
    for (const s of typing) {
      port.assertAlive();
      port.write(s.data);
      if (s.delayMs > 0) await sleep(s.delayMs);
    }
  };
  if (!box || !enter) {
    await type();
    if (enter) port.write(enter.data);
    return;
  }
  const holds = (want: string): boolean | undefined => {
    const { lines, cursorRow } = port.screen();
    return box.holds(lines, cursorRow, want);
  };
  const read = (): string | undefined => {
    const { lines, cursorRow } = port.screen();
    return box.read(lines, cursorRow);
  };

  // A long text takes the agent a while to echo (1 MB: seconds): allow 1 ms per 100 characters.
  const echoMs = t.verifyMs + Math.ceil(text.length / 100);
  let verified = false;
  // Without a way to clear (generic agents), typing again is safe only when nothing of the text
  // arrived: a part of it on the input line means the agent got it late, and a retype would double it.
  const head = text.replace(/\s+/g, '').slice(0, 8);
  const partEchoed = (): boolean => (read() ?? '').replace(/\s+/g, '').includes(head);
  for (let attempt = 0; attempt < t.attempts && !verified; attempt++) {
    port.assertAlive();
    if (box.clear !== undefined) {
      if (holds('') !== true) {
        port.write(box.clear);
        if (!(await port.waitFor(() => holds('') === true, t.verifyMs))) continue;
      }
    } else if (attempt > 0 && partEchoed()) {
      break;
    }
    await type();
    verified = await port.waitFor(() => holds(text) === true, echoMs);
  }
  if (!verified) {
    const seen = read();
    if (box.clear !== undefined && holds('') === false) port.write(box.clear);
    throw new Error(
      `could not verify the agent's input box (it shows ${shown(seen)}); nothing was submitted, send again`,
    );
  }
  port.assertAlive();
  const hooksBefore = port.submits();
  const taken = (): boolean => {
    const h = port.submits();
    if (h !== undefined && hooksBefore !== undefined && h > hooksBefore) return true;
    return holds(text) !== true;
  };
  port.write(enter.data);
  if (await port.waitFor(taken, t.confirmMs)) return;
  // Enter may have been dropped (an agent busy redrawing): once more, never more.
  port.assertAlive();
  if (holds(text) === true) port.write(enter.data);
  if (await port.waitFor(taken, t.confirmMs)) return;
  throw new Error(`the agent did not take the prompt (its input box still shows ${shown(read())})`);
}
