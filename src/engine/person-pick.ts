/**
 * Dialogs the person answers with keys (Engine.write): Enter picks the option under the cursor,
 * a digit the option with that id. When the dialog then goes (or changes) within PERSON_PICK_MS,
 * the person answered it with that option. Answers through answer() are told by the manager.
 */
import type { Answer, Waiting, WaitingOption } from './types.js';

/** A key the person typed into a dialog counts as its answer if the dialog goes within this long. */
export const PERSON_PICK_MS = 5000;

export class PersonPick {
  /** The option the person's last key into the dialog picked. */
  private pick: { dialog: Waiting; option: WaitingOption; at: number } | undefined;

  constructor(
    private readonly answered: (a: Answer) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The person typed `data` while the session waits on `w`. */
  keys(w: Waiting, data: string): void {
    const id = data === '\r' ? w.selected : /^\d$/.test(data) ? data : undefined;
    const option = w.options.find((o) => o.id === id);
    this.pick = option ? { dialog: w, option, at: this.now() } : undefined;
  }

  /** At each status or screen change, with the dialog shown now: a dialog answered by keys has gone. */
  check(shown: Waiting | undefined): void {
    const pick = this.pick;
    if (!pick) return;
    if (shown && shown.name === pick.dialog.name && shown.text === pick.dialog.text) return;
    this.pick = undefined;
    if (this.now() - pick.at > PERSON_PICK_MS) return;
    this.answered({ dialog: pick.dialog.name, option: pick.option, by: 'person', at: pick.at });
  }
}
