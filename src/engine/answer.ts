/**
 * Answering a dialog the engine can vouch for: find the option asked for, move the dialog's
 * selection onto it and read the selection back off the screen, and only then confirm; then see
 * the dialog go (or change). Like deliver.ts for prompts: nothing is confirmed that was not seen
 * selected, and a failure says what the screen shows.
 */
import type { DialogKeys } from '../agents/profile.js';
import type { Waiting, WaitingOption } from './types.js';

/** A wrong request (no dialog, unknown option): the message lists what can be picked. */
export class AnswerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerError';
  }
}

/** What answering needs from a session. */
export interface AnswerPort {
  write(data: string): void;
  /** The dialog open now (re-read at every screen update), undefined when none is. */
  waiting(): Waiting | undefined;
  /** Resolve when `pred` holds (checked at every screen update and status change) or after `ms`. */
  waitFor(pred: () => boolean, ms: number): Promise<boolean>;
  /** Throws when the session has ended. */
  assertAlive(): void;
}

export interface AnswerTimings {
  /** How long the dialog may take to show its options (a hook can come before the drawing), or a moved selection. */
  verifyMs: number;
  /** How long after confirming the dialog has to go or change. */
  confirmMs: number;
  /** Rounds of move-and-check before giving up. */
  attempts: number;
}

export const DEFAULT_ANSWER_TIMINGS: AnswerTimings = { verifyMs: 2000, confirmMs: 4000, attempts: 3 };

/** `1 "Yes", 2 "No"` for messages. */
export function listOptions(options: WaitingOption[]): string {
  return options
    .map((o) => `${o.id} "${o.label.length > 50 ? `${o.label.slice(0, 49)}…` : o.label}"`)
    .join(', ');
}

/** The option `choice` names: its id, else its label (case and spacing ignored). Throws AnswerError. */
export function findOption(w: Waiting, choice: string): WaitingOption {
  const want = choice.trim();
  const byId =
    w.options.find((o) => o.id === want) ?? w.options.find((o) => o.id.toLowerCase() === want.toLowerCase());
  if (byId) return byId;
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const byLabel = w.options.filter((o) => norm(o.label) === norm(want));
  if (byLabel.length === 1) return byLabel[0] as WaitingOption;
  throw new AnswerError(`unknown option "${choice}"; the ${w.name} dialog offers: ${listOptions(w.options)}`);
}

/** What identifies one dialog on screen (its selection aside): a change means it took the answer. */
const identity = (w: Waiting | undefined): string => (w ? JSON.stringify([w.name, w.text, w.options]) : '');
/** The same dialog, however its options redraw as the cursor moves. */
const sameDialog = (a: Waiting | undefined, b: Waiting): boolean => a?.name === b.name && a.text === b.text;

/**
 * Pick `choice` in the dialog open on the port. Resolves with the option once the dialog took it;
 * rejects with AnswerError for a request that cannot be right (no dialog, unknown option), with
 * Error when the screen did not do what was expected.
 */
export async function answerDialog(
  keys: DialogKeys | undefined,
  port: AnswerPort,
  choice: string,
  t: AnswerTimings = DEFAULT_ANSWER_TIMINGS,
): Promise<WaitingOption> {
  port.assertAlive();
  if (!keys)
    throw new AnswerError("this agent's dialogs cannot be answered by axiom; answer it at the terminal");
  let w = port.waiting();
  if (!w) throw new AnswerError('no dialog is open; nothing to answer');
  // A permission hook arrives a moment before the dialog is drawn: give it time to show its options.
  if (w.options.length === 0) {
    await port.waitFor(() => (port.waiting()?.options.length ?? 1) > 0, t.verifyMs);
    w = port.waiting();
    if (!w) throw new AnswerError('the dialog has closed; nothing to answer');
    if (w.options.length === 0)
      throw new AnswerError(
        `the ${w.name} dialog shows no options axiom can read (${w.text.split('\n')[0] ?? ''}); answer it at the terminal`,
      );
  }
  const opt = findOption(w, choice);
  const index = (id: string | undefined): number => (w as Waiting).options.findIndex((o) => o.id === id);
  let bytes: string;
  if (w.selected !== undefined && index(opt.id) >= 0) {
    // A list: move the cursor onto the option and see it there before confirming.
    let seen = false;
    for (let attempt = 0; attempt < t.attempts && !seen; attempt++) {
      port.assertAlive();
      const now = port.waiting();
      if (!now || !sameDialog(now, w))
        throw new Error('the dialog changed before it was answered; read axiom_status and answer again');
      if (now.selected === opt.id) {
        seen = true;
        break;
      }
      const from = index(now.selected);
      if (from < 0) break;
      const delta = index(opt.id) - from;
      port.write((delta > 0 ? keys.down : keys.up).repeat(Math.abs(delta)));
      seen = await port.waitFor(() => port.waiting()?.selected === opt.id, t.verifyMs);
    }
    if (!seen) {
      const at = port.waiting()?.selected;
      throw new Error(
        `could not move the dialog's selection to ${opt.id} "${opt.label}" (it shows ${at ?? 'no selection'}); nothing was chosen`,
      );
    }
    bytes = keys.confirm;
  } else {
    // A key hint ("Esc to cancel") or a list whose cursor is not drawn: the option's own key.
    const k = keys.key(opt.id);
    if (k === undefined)
      throw new AnswerError(
        `option ${opt.id} "${opt.label}" has no key axiom can press; answer it at the terminal`,
      );
    bytes = k;
  }
  port.assertAlive();
  const before = identity(port.waiting());
  port.write(bytes);
  const taken = await port.waitFor(() => identity(port.waiting()) !== before, t.confirmMs);
  if (!taken) throw new Error(`the ${w.name} dialog is still open after picking ${opt.id} "${opt.label}"`);
  return opt;
}
