/**
 * Turn tracking: a session's status (STARTING, RUNNING, WAITING, COMPLETED, INTERRUPTED, and its
 * end), read from the agent's events (hooks, through its profile) and, where they cannot tell,
 * from its screen and the output's silence. Owns the idle, dialog, ready and start timers, on an
 * injected clock; the end of a turn the agent reports (stop and text-settle timers) is TurnEnd's
 * (turn-end.ts). Knows no process and no PTY: the session is its host.
 */
import { generalDialog } from '../agents/dialog.js';
import type { AgentEvent, AgentProfile, ScreenState } from '../agents/profile.js';
import { type Clock, systemClock, type Timer } from './clock.js';
import { TurnEnd, type TurnText } from './turn-end.js';
import type { FileEvent, SessionStatus, Waiting } from './types.js';
import { isEnded } from './types.js';
import { dialogWaiting, eventWaiting } from './waiting-reason.js';

/** After a submit, how long the screen may still show the previous turn's state. */
const SUBMIT_GRACE_MS = 700;
/**
 * Quiet this long in the middle of a turn, with a screen that offers choices, is a dialog no
 * profile knows (the general rule): a working agent redraws (claude's spinner), a waiting one not.
 */
const DIALOG_QUIET_MS = 2500;

export type { TurnText } from './turn-end.js';

/** What turn tracking reads from and tells the session. */
export interface TurnHost {
  /** The session's directory (relative paths in agent events). */
  cwd(): string;
  /** The agent's process is gone. */
  exited(): boolean;
  /** The live screen's plain lines, and the cursor's row. */
  lines(): string[];
  cursorRow(): number;
  /** Commit the rows the profile calls final (AgentProfile.stableRows with `busy`) as text. */
  commitStable(busy?: boolean): void;
  /** Output waits for the parser (not silence). */
  parsePending(): boolean;
  /** Flow control holds the agent's output back (not silence either). */
  paused(): boolean;
  lastOutputAt(): number | undefined;
  /** The agent's input box is on screen (true when the profile cannot tell). */
  atInput(): boolean;
  /** Type the prompt given at launch: the agent is ready and its turn has started. */
  typeInitialPrompt(text: string): void;
  status(previous: SessionStatus): void;
  output(): void;
  file(ev: FileEvent): void;
  /** Wake everything waiting on a condition (a status change, a screen update). */
  wake(): void;
}

/** How the prompt given at launch reaches the agent. */
export interface LaunchPrompt {
  /** It is on the agent's command line: the agent runs it once ready. */
  runsItself: boolean;
  /** It is typed once the agent is ready (cleared once typed). */
  typed?: string;
}

export class TurnTracker {
  private status: SessionStatus = 'STARTING';
  private reason: string | undefined;
  /** What a WAITING session waits for (set with WAITING, cleared with any other status). */
  private waiting: Waiting | undefined;
  /** The agent has been at its input once (a dialog before that keeps it not ready). */
  private ready = false;
  /** Turn starts reported by the agent (turn-started): how a submit is confirmed. */
  private submitCount = 0;
  private hooksSeen = false;
  private lastPrompt: string;
  /** Resumed after axiom stopped mid-turn: the first idle is that turn's end, cut (see resumed). */
  private cutOnStop = false;
  private turnStartedAt: number | undefined;
  private turnEndedAt: number | undefined;
  private readonly turnDurations: number[] = [];
  private readonly files: FileEvent[] = [];
  private lastState: ScreenState = 'starting';
  /** An interrupt was sent during this turn: if the turn now ends quietly, it was interrupted. */
  private interruptSent = false;
  /** Until then, the screen may still show the previous turn: only dialogs are read off it. */
  private screenGraceUntil = 0;
  private launch: LaunchPrompt = { runsItself: false };
  private idleTimer: Timer | undefined;
  /** The agent's last output when the idle timer was armed (see onScreenState). */
  private idleArmedAt: number | undefined;
  private dialogTimer: Timer | undefined;
  private readyTimer: Timer | undefined;
  private startTimer: Timer | undefined;
  /** The end of a turn the agent reports: the screen's last lines, then the log's end of turn. */
  private readonly ending: TurnEnd;

  constructor(
    private readonly profile: AgentProfile,
    private readonly text: TurnText,
    private readonly host: TurnHost,
    prompt: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.lastPrompt = prompt;
    this.ending = new TurnEnd(
      text,
      {
        commitStable: () => this.host.commitStable(),
        complete: () => {
          if (this.status === 'RUNNING' || this.status === 'WAITING') this.endTurn('COMPLETED');
        },
      },
      clock,
    );
  }

  // ---- reads ----

  get currentStatus(): SessionStatus {
    return this.status;
  }
  get currentReason(): string | undefined {
    return this.reason;
  }
  get currentWaiting(): Waiting | undefined {
    return this.waiting;
  }
  /** The agent has been at its input once. */
  get isReady(): boolean {
    return this.ready;
  }
  /** Turn starts the agent reported, when it reports them (undefined: it never did). */
  get submits(): number | undefined {
    return this.hooksSeen ? this.submitCount : undefined;
  }
  get screenState(): ScreenState {
    return this.lastState;
  }

  /** The turn part of the session's snapshot. */
  snapshot(): {
    lastPrompt: string;
    turnStartedAt: number | undefined;
    turnEndedAt: number | undefined;
    turnDurations: number[];
    filesWritten: FileEvent[];
  } {
    return {
      lastPrompt: this.lastPrompt,
      turnStartedAt: this.turnStartedAt,
      turnEndedAt: this.turnEndedAt,
      turnDurations: [...this.turnDurations],
      filesWritten: [...this.files],
    };
  }

  // ---- from the session ----

  /** The agent was started: how its first prompt reaches it; ready at the latest after `fallbackMs`. */
  launched(prompt: LaunchPrompt, fallbackMs: number): void {
    this.launch = prompt;
    this.startTimer = this.clock.setTimeout(() => {
      if (this.status === 'STARTING' && !this.ready) this.becomeReady();
    }, fallbackMs);
  }

  /**
   * Started again by `axiom resume`: the title keeps its last prompt; a turn cut when axiom
   * stopped ends INTERRUPTED once the agent is ready (its log has no answer to that prompt).
   */
  resumed(from: { lastPrompt?: string; cut?: boolean }): void {
    if (from.lastPrompt) this.lastPrompt = from.lastPrompt;
    this.cutOnStop = from.cut === true;
  }

  /** `text` was submitted (typed and Enter): the turn runs, the screen may lag a moment. */
  submitted(text: string): void {
    // Hooks report what the agent received (turn-started); without them, this is it.
    if (!this.hooksSeen) this.lastPrompt = text;
    this.screenGraceUntil = this.clock.now() + SUBMIT_GRACE_MS;
    if (this.status !== 'RUNNING') this.startTurn();
  }

  /** An interrupt was pressed while the turn ran: a quiet end of it is INTERRUPTED. */
  interruptPressed(): void {
    this.interruptSent = true;
  }

  /** The process is gone: no timer runs any more. */
  stop(): void {
    this.clearIdleTimer();
    for (const t of [this.dialogTimer, this.readyTimer, this.startTimer]) this.clock.clearTimeout(t);
    this.ending.stop();
  }

  // ---- the turn ----

  /** The agent's log was read: a wait for its end of turn may be over. */
  onTextRead(): void {
    this.ending.onTextRead();
  }

  /** The screen was re-read (each flush): what it shows moves the turn on when hooks cannot. */
  onScreenState(state: ScreenState, lines: string[]): void {
    this.lastState = state;
    const s = this.status;
    const dialog = state === 'permission' ? this.readDialog(lines) : undefined;
    if (!this.ready) {
      // Before the agent was ever at its input, a dialog (claude's trust question) waits for a
      // person; once it is answered, the agent is ready (and runs a prompt given at launch).
      if (dialog) {
        // An error shown above the input box (an API error): the agent is at its input.
        if (this.host.atInput()) this.becomeReady();
        this.wait(dialog);
      } else if (state !== 'starting') this.whenQuiet(() => this.becomeReady());
      return;
    }
    if (dialog) {
      this.wait(dialog);
    } else if (this.clock.now() < this.screenGraceUntil) {
      // The agent has not redrawn since our submit yet.
    } else if (state === 'busy') {
      // From the screen we only move to RUNNING when hooks cannot tell us (or a dialog was answered).
      if ((s === 'WAITING' && this.waiting?.cancellable) || (!this.hooksSeen && s !== 'RUNNING'))
        this.startTurn();
    } else if (state === 'interrupted') {
      if (s === 'RUNNING' || (s === 'WAITING' && this.waiting?.cancellable)) this.endTurn('INTERRUPTED');
    } else if (state === 'idle' && s === 'WAITING' && this.waiting?.name !== 'unknown') {
      // The dialog is gone and the agent is at its input (a dialog answered "no", an error resent).
      this.endTurn('COMPLETED');
    } else if (s === 'WAITING' && this.waiting?.name === 'unknown' && !generalDialog(lines)) {
      this.setStatus('RUNNING');
    }
    this.ending.onScreenState(state);
    // Quiet is counted from the agent's last output: a second look at the same screen (the
    // output pump's confirming flush) does not start it again.
    if (this.idleTimer === undefined || this.host.lastOutputAt() !== this.idleArmedAt) this.armIdleTimer();
    this.armDialogTimer();
  }

  /** The dialog on screen: by name from the profile, else what the general rule reads. */
  private readDialog(lines: string[]): Waiting {
    return (
      this.profile.dialog?.(lines) ??
      generalDialog(lines) ?? {
        kind: 'permission',
        name: 'unknown',
        text: '',
        options: [],
        cancellable: true,
      }
    );
  }

  /** WAITING on `w`; the reason names the dialog and its first line. */
  private wait(w: Waiting): void {
    const before = this.status === 'WAITING' ? { reason: this.reason, waiting: this.waiting } : undefined;
    const { reason, waiting } = dialogWaiting(w, before);
    this.setStatus('WAITING', reason, waiting);
  }

  /**
   * Run `fn` once the screen has been quiet for the profile's readyQuietMs (at once without one):
   * an agent that paints a banner before it reads input is not ready at its first paint.
   */
  private whenQuiet(fn: () => void): void {
    const ms = this.profile.readyQuietMs;
    if (!ms) {
      fn();
      return;
    }
    this.clock.clearTimeout(this.readyTimer);
    this.readyTimer = this.clock.setTimeout(() => {
      if (!this.host.exited() && !this.ready) fn();
    }, ms);
  }

  /**
   * The general rule for dialogs no profile knows: RUNNING, no output for DIALOG_QUIET_MS, and a
   * screen that offers choices or says what Enter/Esc do.
   */
  private armDialogTimer(): void {
    this.clock.clearTimeout(this.dialogTimer);
    if (this.status !== 'RUNNING') return;
    this.dialogTimer = this.clock.setTimeout(() => this.checkQuietDialog(), DIALOG_QUIET_MS);
  }

  /** True (and WAITING) when a quiet RUNNING session shows a dialog. */
  private checkQuietDialog(): boolean {
    if (this.status !== 'RUNNING' || this.host.exited() || this.host.parsePending()) return false;
    const lastOutputAt = this.host.lastOutputAt();
    if (
      lastOutputAt !== undefined &&
      this.clock.now() - lastOutputAt < Math.min(DIALOG_QUIET_MS, this.profile.idleMs)
    )
      return false;
    const lines = this.host.lines();
    const w = this.profile.dialog?.(lines) ?? generalDialog(lines);
    if (!w) return false;
    this.wait(w);
    return true;
  }

  /**
   * When no hook tells us: a RUNNING session whose output has been quiet for `idleMs` (and, for
   * agents with screen markers, whose screen reads idle) has finished its turn.
   */
  private armIdleTimer(): void {
    this.clearIdleTimer();
    if (this.status !== 'RUNNING' || (this.profile.usesHooks && this.hooksSeen)) return;
    this.idleArmedAt = this.host.lastOutputAt();
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      if (this.status !== 'RUNNING' || (this.profile.usesHooks && this.hooksSeen)) return;
      // Output still queued for the parser (or held back by flow control) is not silence.
      if (this.host.paused() || this.host.parsePending()) return this.armIdleTimer();
      if (this.checkQuietDialog()) return;
      if (this.profile.usesHooks && this.lastState !== 'idle') return;
      this.endTurn(this.interruptSent ? 'INTERRUPTED' : 'COMPLETED');
    }, this.profile.idleMs);
  }

  private clearIdleTimer(): void {
    this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private becomeReady(): void {
    this.clock.clearTimeout(this.startTimer);
    this.clock.clearTimeout(this.readyTimer);
    if (this.ready || this.host.exited()) return;
    this.ready = true;
    if (this.launch.runsItself) {
      this.startTurn();
    } else if (this.launch.typed !== undefined) {
      const text = this.launch.typed;
      this.launch.typed = undefined;
      // The turn starts now: no idle status in between for front ends to mistake for the end.
      this.startTurn();
      this.host.typeInitialPrompt(text);
    } else if (this.cutOnStop) {
      this.cutOnStop = false;
      this.setStatus(
        'INTERRUPTED',
        'its last turn did not finish before axiom stopped: send the prompt again to redo it',
      );
    } else {
      // Idle and ready: WAITING is kept for "a person must act" (dialogs, questions).
      this.setStatus('COMPLETED', 'ready for input');
    }
  }

  startTurn(): void {
    this.ending.cancel();
    this.interruptSent = false;
    this.turnStartedAt = this.clock.now();
    this.turnEndedAt = undefined;
    this.setStatus('RUNNING');
    this.armIdleTimer();
  }

  endTurn(status: 'COMPLETED' | 'INTERRUPTED' | 'WAITING', reason?: string): void {
    // Lines the agent's log holds by now go out before the status change; from the screen, the
    // rows that the turn's end made final.
    this.text.read();
    if (!this.text.log && !this.host.exited()) {
      this.host.commitStable(false);
    }
    // A turn still open ends here, also when it ends from a dialog (answered, then Stop while the
    // screen still showed it): every turn is counted once.
    const open = this.status === 'RUNNING' || (this.status === 'WAITING' && this.turnEndedAt === undefined);
    if (open && this.turnStartedAt !== undefined) {
      this.turnEndedAt = this.clock.now();
      this.turnDurations.push(this.turnEndedAt - this.turnStartedAt);
    }
    this.clearIdleTimer();
    this.setStatus(status, reason);
  }

  setStatus(status: SessionStatus, reason?: string, waiting?: Waiting): void {
    // Once the process is gone only its end is recorded: a send or a ready check still in flight
    // when it exited must not make it RUNNING again.
    if (this.host.exited() && !isEnded(status)) return;
    const prev = this.status;
    const w = status === 'WAITING' ? waiting : undefined;
    if (prev === status && this.reason === reason && JSON.stringify(w) === JSON.stringify(this.waiting))
      return;
    this.status = status;
    this.reason = reason;
    this.waiting = w;
    if (status !== 'RUNNING') this.clock.clearTimeout(this.dialogTimer);
    if (prev !== status) this.host.status(prev);
    else this.host.output();
    this.host.wake();
  }

  /** A hook payload from the agent: its profile says what it means (see AgentProfile.hookEvents). */
  onHook(payload: Record<string, unknown>): void {
    if (this.host.exited()) return;
    this.hooksSeen = true;
    this.clearIdleTimer();
    for (const ev of this.profile.hookEvents?.(payload, this.host.cwd()) ?? []) this.onAgentEvent(ev);
  }

  private onAgentEvent(ev: AgentEvent): void {
    switch (ev.type) {
      case 'turn-started':
        // What the agent really received: the pane title and lastPrompt show this.
        if (ev.prompt) this.lastPrompt = ev.prompt;
        this.submitCount++;
        this.ready = true;
        if (this.status !== 'RUNNING') this.startTurn();
        this.host.wake();
        break;
      case 'tool-started':
        if (this.status === 'WAITING' && this.waiting?.cancellable) this.setStatus('RUNNING');
        break;
      case 'waiting': {
        // The dialog is drawn a moment later; its text and options replace these on the next flush.
        const onScreen = this.profile.dialog?.(this.host.lines());
        const { reason, waiting } = eventWaiting(ev.subject, ev.waiting, onScreen);
        this.setStatus('WAITING', reason, waiting);
        break;
      }
      case 'tool-finished':
        if (this.status === 'WAITING') this.setStatus('RUNNING');
        break;
      case 'file-written': {
        const fe: FileEvent = { path: ev.path, tool: ev.tool, at: this.clock.now() };
        this.files.push(fe);
        this.host.file(fe);
        break;
      }
      case 'turn-ended':
        // The agent draws its last lines just after: see turn-end.ts.
        if (this.status === 'RUNNING' || this.status === 'WAITING') this.ending.reported();
        break;
    }
  }
}
