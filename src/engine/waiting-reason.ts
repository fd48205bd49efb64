/**
 * The words of a WAITING status, pure: what a person reads about the dialog the agent waits on,
 * and the dialog as shown, keeping what the agent's permission event said (tool, subject) once the
 * screen draws the dialog itself.
 */
import type { Waiting } from './types.js';

/** The status a session is in when the dialog is read: its reason and waiting, when it waits already. */
export interface WaitingBefore {
  reason: string | undefined;
  waiting: Waiting | undefined;
}

/** A dialog read off the screen (`w`), after `before` (undefined when the session was not waiting). */
export function dialogWaiting(
  w: Waiting,
  before: WaitingBefore | undefined,
): { reason: string; waiting: Waiting } {
  const first = w.text.split('\n').find((l) => l.trim()) ?? '';
  if (w.name !== 'permission')
    return {
      reason: `waiting for a person (${w.name})${first ? `: ${first.trim().slice(0, 120)}` : ''}`,
      waiting: w,
    };
  // A permission dialog keeps the words the hook gave it ("permission needed for Write x.py: …").
  const reason = before?.reason?.startsWith('permission needed for')
    ? before.reason
    : 'permission needed: answer the dialog';
  // What the hook said about it (the tool, its subject) stays with the drawn dialog.
  const hook = before?.waiting;
  if (hook?.subject !== undefined && w.subject === undefined)
    return { reason, waiting: { ...w, ...(hook.tool ? { tool: hook.tool } : {}), subject: hook.subject } };
  return { reason, waiting: w };
}

/**
 * The agent said it waits for a person about `subject` (a permission event); `onScreen` is the
 * dialog if the screen shows it already, `told` what the event carried.
 */
export function eventWaiting(
  subject: string,
  told: Waiting,
  onScreen: Waiting | undefined,
): { reason: string; waiting: Waiting } {
  const reason =
    told.kind === 'permission'
      ? `permission needed for ${subject}: answer the dialog`
      : `waiting for a person (${told.name}): ${subject}`;
  // What the event said (the tool, its subject) stays with the dialog the screen shows.
  const hook = { ...(told.tool ? { tool: told.tool } : {}), subject };
  return { reason, waiting: onScreen ? { ...onScreen, ...hook } : { ...told, ...hook } };
}
