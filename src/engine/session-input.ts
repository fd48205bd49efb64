/**
 * A session's input side (zellij's pty_writer): prompts typed and verified (deliver.ts), dialogs
 * answered (answer.ts), interrupts, all serialized per session so their bytes never interleave;
 * and the conditions commands wait on, woken by the session on every status or screen change.
 */
import type { AgentProfile } from '../agents/profile.js';
import { checkPromptText } from '../agents/profile.js';
import { AnswerError, type AnswerTimings, answerDialog, DEFAULT_ANSWER_TIMINGS } from './answer.js';
import { DEFAULT_DELIVER_TIMINGS, type DeliverTimings, deliver } from './deliver.js';
import type { TurnTracker } from './turns.js';
import type { WaitingOption } from './types.js';

/**
 * An interrupt this soon after the last one, while the session is not running, is dropped: the
 * turn is already stopped, and claude reads a second Esc at idle as the first half of a
 * double-Esc, which opens its "Rewind" menu (the next prompt would be typed into it).
 */
const REPEAT_INTERRUPT_MS = 1500;
/** Margin over a profile's idleMs when silence is the only sign that an interrupt worked. */
const IDLE_SLACK_MS = 500;

export interface InputTimings {
  /** How long `send` waits for an interrupted turn to stop before typing. */
  interruptWaitMs: number;
  /** How long a command waits for a starting agent to be ready. */
  readyWaitMs: number;
  deliver?: DeliverTimings;
  answer?: AnswerTimings;
}

/** What the input side needs of its session. */
export interface InputHost {
  readonly n: number;
  readonly profile: AgentProfile;
  readonly timings: InputTimings;
  readonly turns: TurnTracker;
  exited(): boolean;
  /** Write to the agent's terminal; throws once it has exited. */
  write(data: string): void;
  screen(): { lines: string[]; cursorRow: number };
  warning(message: string): void;
  output(): void;
}

export class SessionInput {
  private queue: Promise<unknown> = Promise.resolve();
  private waiters: Array<() => void> = [];
  /** An answer to the dialog is being given (see answer()). */
  private answering = false;

  /** Whether an answer is being given now (its keys are not the person's). */
  get isAnswering(): boolean {
    return this.answering;
  }
  /** Why the last send failed, until one succeeds. */
  sendError: string | undefined;
  /** When the last interrupt sequence was written. */
  private lastInterruptAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly host: InputHost) {}

  /** Wake everything waiting on a condition (a status change, a screen update). */
  wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Run `fn` after every earlier command on this session. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolve when `pred` holds or after `ms`; true if it held. */
  waitFor(pred: () => boolean, ms: number): Promise<boolean> {
    if (pred()) return Promise.resolve(true);
    return new Promise((resolveWait) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        resolveWait(pred());
      }, ms);
      const check = (): void => {
        if (pred()) {
          clearTimeout(timer);
          resolveWait(true);
        } else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private async writeSteps(steps: { data: string; delayMs: number }[]): Promise<void> {
    for (const step of steps) {
      this.host.write(step.data);
      if (step.delayMs > 0) await new Promise((r) => setTimeout(r, step.delayMs));
    }
  }

  assertAlive(): void {
    if (this.host.exited())
      throw new Error(
        `session #${this.host.n} has ended (${this.host.turns.currentStatus}${this.host.turns.currentReason ? `: ${this.host.turns.currentReason}` : ''})`,
      );
  }

  /**
   * Send `text` as a prompt. When the session is RUNNING (or waiting on a dialog) and `interrupt`
   * is not false, interrupt it first and wait (bounded) until it has stopped.
   */
  send(text: string, interrupt = true): Promise<void> {
    const problem = checkPromptText(text);
    if (problem) return Promise.reject(new Error(problem));
    if (text.trim() === '') return Promise.reject(new Error('empty prompt'));
    return this.serialize(async () => {
      this.assertAlive();
      const turns = this.host.turns;
      if (!turns.isReady) {
        const ms = this.host.timings.readyWaitMs;
        const ready = await this.waitFor(() => turns.isReady || this.host.exited(), ms);
        this.assertAlive();
        if (!ready) {
          const waiting = turns.currentWaiting;
          const why = waiting ? `: it waits for a person (${waiting.name}), answer that first` : '';
          throw this.sendFailed(`#${this.host.n} did not become ready in ${ms} ms${why}`);
        }
      }
      // A dialog Esc does not cancel must be answered by a person; typing into it would pick options.
      const waiting = turns.currentWaiting;
      if (turns.currentStatus === 'WAITING' && waiting && !waiting.cancellable && !this.atInput())
        throw this.sendFailed(
          `#${this.host.n} waits for a person (${waiting.name}): answer the dialog first`,
        );
      if (interrupt && (turns.currentStatus === 'RUNNING' || waiting?.cancellable)) {
        await this.doInterrupt();
      }
      try {
        await deliver(
          this.host.profile,
          this.deliverPort(),
          text,
          this.host.timings.deliver ?? DEFAULT_DELIVER_TIMINGS,
        );
      } catch (e) {
        throw this.sendFailed(`#${this.host.n}: ${(e as Error).message}`);
      }
      this.sendError = undefined;
      turns.submitted(text);
    });
  }

  /** Whether the agent's input box is on screen (true when the profile cannot tell). */
  atInput(): boolean {
    const box = this.host.profile.input;
    const { lines, cursorRow } = this.host.screen();
    return !box || box.read(lines, cursorRow) !== undefined;
  }

  /** Record a failed send (snapshot.sendError, a warning) and return the error to throw. */
  private sendFailed(message: string): Error {
    this.sendError = message;
    this.host.warning(message);
    this.host.output();
    return new Error(message);
  }

  private deliverPort() {
    return {
      write: (d: string) => this.host.write(d),
      screen: () => this.host.screen(),
      waitFor: (pred: () => boolean, ms: number) => this.waitFor(() => this.host.exited() || pred(), ms),
      submits: () => this.host.turns.submits,
      assertAlive: () => this.assertAlive(),
    };
  }

  /**
   * Pick option `choice` (its id or label) in the dialog the session waits on; see answer.ts.
   * Not queued behind sends: a send can be the one waiting for this dialog to go.
   */
  async answer(choice: string): Promise<{ dialog: string; option: WaitingOption }> {
    this.assertAlive();
    if (this.answering)
      throw new AnswerError(`#${this.host.n} is already being answered; wait for that answer`);
    const turns = this.host.turns;
    const waiting = () => (turns.currentStatus === 'WAITING' ? turns.currentWaiting : undefined);
    const w = waiting();
    if (!w)
      throw new AnswerError(
        `#${this.host.n} is not waiting on a dialog (${turns.currentStatus}); nothing to answer`,
      );
    this.answering = true;
    try {
      const option = await answerDialog(
        this.host.profile.dialogKeys,
        {
          write: (d) => this.host.write(d),
          waiting,
          waitFor: (pred, ms) => this.waitFor(() => this.host.exited() || pred(), ms),
          assertAlive: () => this.assertAlive(),
        },
        choice,
        this.host.timings.answer ?? DEFAULT_ANSWER_TIMINGS,
      );
      return { dialog: w.name, option };
    } finally {
      this.answering = false;
    }
  }

  interrupt(): Promise<void> {
    return this.serialize(async () => {
      this.assertAlive();
      await this.doInterrupt();
    });
  }

  private async doInterrupt(): Promise<void> {
    const turns = this.host.turns;
    const stopped = () =>
      turns.currentStatus !== 'RUNNING' &&
      !(turns.currentStatus === 'WAITING' && turns.currentWaiting?.cancellable);
    const wasRunning = !stopped();
    if (!wasRunning && Date.now() - this.lastInterruptAt < REPEAT_INTERRUPT_MS) return;
    if (wasRunning) turns.interruptPressed();
    const press = (): Promise<void> => {
      this.lastInterruptAt = Date.now();
      return this.writeSteps([{ data: this.host.profile.interruptSequence(), delayMs: 0 }]);
    };
    await press();
    if (!wasRunning) return;
    const half = Math.floor(this.host.timings.interruptWaitMs / 2);
    // Without hooks, only silence says the turn stopped (idleMs of it): wait at least that long
    // before taking the interrupt as ignored, or every interrupt would be pressed twice (a second
    // Ctrl+C at an idle prompt quits some agents).
    const first = this.host.profile.usesHooks
      ? half
      : Math.max(half, this.host.profile.idleMs + IDLE_SLACK_MS);
    if (!(await this.waitFor(stopped, first))) {
      // Some turns ignore the first Esc while a tool starts; one more (never a double Ctrl+C).
      await press();
      await this.waitFor(stopped, half);
    }
    if (!stopped()) turns.endTurn('INTERRUPTED');
  }
}
