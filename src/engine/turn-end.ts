/**
 * The end of a turn as the agent reports it (its turn-ended event: claude's Stop hook). The event
 * comes just before the agent draws its last lines, and before its structured log holds the
 * turn's last text: wait (briefly) for the screen to leave its busy state, commit what it shows,
 * then wait (bounded) for the log's end of turn, so that the text is complete when the turn is
 * reported COMPLETED. Timers on the tracker's clock; the tracker is the host.
 */
import type { ScreenState } from '../agents/profile.js';
import type { Clock, Timer } from './clock.js';
import type { TextStream } from './text-stream.js';

/** After a Stop hook, how long to wait for the agent to draw its last lines. */
export const STOP_SETTLE_MS = 400;
/**
 * After a turn's Stop, how long to wait for the agent's structured log to record the end of the
 * turn (its text is then all in) before reporting COMPLETED anyway.
 */
export const TEXT_SETTLE_MS = 1500;

/** What turn tracking needs of the text stream: the log's view of the turn (see TextStream). */
export type TurnText = Pick<TextStream, 'log' | 'read' | 'fallBack'>;

/** What the end of a turn does through the tracker. */
export interface TurnEndHost {
  /** Commit the rows the profile calls final as text. */
  commitStable(): void;
  /** The turn is over: COMPLETED, if it still runs or waits. */
  complete(): void;
}

export class TurnEnd {
  /** A Stop came and the screen may still show the turn running. */
  private pendingStop = false;
  /** A Stop came while the log had not recorded the turn's end yet: COMPLETED waits for it. */
  private awaitingText = false;
  /** Turns the log had opened when the wait began (a new one means the next turn is running). */
  private awaitTurns = 0;
  private stopTimer: Timer | undefined;
  private textTimer: Timer | undefined;

  constructor(
    private readonly text: TurnText,
    private readonly host: TurnEndHost,
    private readonly clock: Clock,
  ) {}

  /** The agent reported the end of its turn (the tracker checked that one runs or waits). */
  reported(): void {
    this.pendingStop = true;
    this.clock.clearTimeout(this.stopTimer);
    this.stopTimer = this.clock.setTimeout(() => this.finishStop(), STOP_SETTLE_MS);
  }

  /** The screen was re-read: once it leaves its busy state, a reported end goes on. */
  onScreenState(state: ScreenState): void {
    if (this.pendingStop && state !== 'busy') this.finishStop();
  }

  /** The agent's log was read: a wait for its end of turn may be over. */
  onTextRead(): void {
    const log = this.text.log;
    if (this.awaitingText && log && (!log.turnOpen || log.turns !== this.awaitTurns)) this.textSettled();
  }

  /** A new turn started: what was pending of the last one's end is dropped. */
  cancel(): void {
    this.awaitingText = false;
    this.clock.clearTimeout(this.textTimer);
    this.pendingStop = false;
    this.clock.clearTimeout(this.stopTimer);
  }

  /** The process is gone: no timer runs any more. */
  stop(): void {
    this.clock.clearTimeout(this.stopTimer);
    this.clock.clearTimeout(this.textTimer);
    this.awaitingText = false;
  }

  private finishStop(): void {
    if (!this.pendingStop) return;
    this.pendingStop = false;
    this.clock.clearTimeout(this.stopTimer);
    this.host.commitStable();
    if (this.text.log) {
      // The turn's last text block may still be on its way to the log: wait (bounded) for the
      // log's end of turn, so that the text is complete when COMPLETED is reported.
      this.text.read();
      const log = this.text.log;
      if (log && (log.turnOpen || !log.found)) {
        this.awaitingText = true;
        this.awaitTurns = log.turns;
        this.clock.clearTimeout(this.textTimer);
        this.textTimer = this.clock.setTimeout(() => this.textSettled(), TEXT_SETTLE_MS);
        return;
      }
    }
    this.host.complete();
  }

  /** The wait for the log's end of turn is over (it came, or TEXT_SETTLE_MS passed). */
  private textSettled(): void {
    if (!this.awaitingText) return;
    this.awaitingText = false;
    this.clock.clearTimeout(this.textTimer);
    const log = this.text.log;
    if (log && !log.found) this.text.fallBack();
    // A new turn opened meanwhile: the session is running that one.
    if (log && log.turns !== this.awaitTurns) return;
    this.host.complete();
  }
}
