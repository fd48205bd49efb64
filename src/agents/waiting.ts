/**
 * What a WAITING session waits for, as the profiles read it off their agent's dialog. Defined here,
 * beside the profiles that produce it, so agents import nothing from the engine; the engine
 * re-exports it from engine/types.ts for its front ends.
 */

/** One choice a dialog offers: `id` is what to type to pick it ("1", "y"...), `label` what it says. */
export interface WaitingOption {
  id: string;
  label: string;
}

/**
 * What a WAITING session waits for, read off the agent's dialog (and its hooks where there are).
 * `kind` 'permission': the agent asks to be allowed something (a tool, a folder, a plan);
 * 'question': it asks something else (a question to the user, an error that needs a person).
 */
export interface Waiting {
  kind: 'permission' | 'question';
  /**
   * Which dialog, when it is a known one: 'trust', 'permission', 'auto-mode', 'plan', 'question',
   * 'rate-limit', 'login'; 'unknown' when only the general rule caught it (quiet + choices on screen).
   */
  name: string;
  /** The dialog's text, one line per screen row, without the options. */
  text: string;
  /** The choices it offers, when they can be read (may be empty). */
  options: WaitingOption[];
  /** Whether Esc (the profile's interrupt) cancels it; a dialog that is not cancellable must be answered. */
  cancellable: boolean;
  /** The id of the option the dialog's cursor is on, when the screen shows one ("❯ 1. Yes"). */
  selected?: string;
  /** From the agent's permission hook, when it sent one: the tool that asks ("Write"). */
  tool?: string;
  /** From the permission hook: what it asks about, in a few words ("Write perm.txt", "Bash npm test"). */
  subject?: string;
}
