/**
 * One agent session: a PTY, a headless screen, a transcript, a status and its timings.
 * Commands (send, interrupt) are serialized per session so their bytes never interleave.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { generalDialog } from '../agents/dialog.js';
import type { AgentEvent, AgentProfile, ScreenState } from '../agents/profile.js';
import { checkPromptText } from '../agents/profile.js';
import { AnswerError, type AnswerTimings, answerDialog, DEFAULT_ANSWER_TIMINGS } from './answer.js';
import { DEFAULT_DELIVER_TIMINGS, type DeliverTimings, deliver } from './deliver.js';
import { classifyExit, lastOutputLine } from './exit-reason.js';
import { launchProblem, planLaunch } from './launch-plan.js';
import type { ParsePump } from './parse-pump.js';
import { isAlive, killQuietly, signalAgent } from './proc.js';
import type { PtyFactory, PtyProcess } from './pty.js';
import { Screen } from './screen.js';
import { TextStream } from './text-stream.js';
import { Transcript } from './transcript.js';
import type {
  FileEvent,
  OutputChunk,
  SessionSnapshot,
  SessionStatus,
  StyledLine,
  Waiting,
  WaitingOption,
} from './types.js';
import { isEnded } from './types.js';

export interface SessionTimings {
  /** Coalesce output for this long before notifying front ends. */
  batchMs: number;
  /** How long `send` waits for an interrupted turn to stop before typing. */
  interruptWaitMs: number;
  /** How long a command waits for a starting agent to be ready. */
  readyWaitMs: number;
  /** After SIGTERM, wait this long before SIGKILL. */
  killGraceMs: number;
  /** An exit within this long of the start counts as "exited at once". */
  earlyExitMs: number;
  /** With no output at all for this long, a starting agent is taken as ready. */
  startFallbackMs: number;
  /** Checking the input box before and after Enter (see deliver.ts). */
  deliver?: DeliverTimings;
  /** Moving a dialog's selection and confirming it (see answer.ts). */
  answer?: AnswerTimings;
}

/**
 * Scrollback lines kept in memory per session by default: tmux's history-limit. Each line costs
 * ~12 bytes per column in xterm's buffer; the transcript on disk keeps everything.
 */
export const DEFAULT_SCROLLBACK = 2000;

export const DEFAULT_TIMINGS: SessionTimings = {
  batchMs: 16,
  interruptWaitMs: 3000,
  readyWaitMs: 30000,
  killGraceMs: 2000,
  earlyExitMs: 2000,
  startFallbackMs: 3000,
};

/** Pause the PTY when this many bytes wait to be parsed; resume below the low mark. */
const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;
/** Transcript bytes not yet on disk above which the agent's output is paused (see updateFlow). */
const DISK_HIGH_WATER = 8 * 1024 * 1024;
const DISK_LOW_WATER = 1024 * 1024;
/** Output faster than this (bytes per ms, ~1 MB/s) is a flood: front ends hear of it at most every FLOOD_BATCH_MS. */
const FLOOD_BYTES_PER_MS = 1024;
const FLOOD_BATCH_MS = 100;
/** After a submit, how long the screen may still show the previous turn's state. */
const SUBMIT_GRACE_MS = 700;
/** After a Stop hook, how long to wait for the agent to draw its last lines. */
const STOP_SETTLE_MS = 400;
/**
 * An interrupt this soon after the last one, while the session is not running, is dropped: the
 * turn is already stopped, and claude reads a second Esc at idle as the first half of a
 * double-Esc, which opens its "Rewind" menu (the next prompt would be typed into it).
 */
const REPEAT_INTERRUPT_MS = 1500;
/** Margin over a profile's idleMs when silence is the only sign that an interrupt worked. */
const IDLE_SLACK_MS = 500;
/**
 * Quiet this long in the middle of a turn, with a screen that offers choices, is a dialog no
 * profile knows (the general rule): a working agent redraws (claude's spinner), a waiting one not.
 */
const DIALOG_QUIET_MS = 2500;
/**
 * After a turn's Stop, how long to wait for the agent's structured log to record the end of the
 * turn (its text is then all in) before reporting COMPLETED anyway.
 */
const TEXT_SETTLE_MS = 1500;
/** After the terminal closes, how long the agent has to exit before axiom stops it. */
const CLOSED_TERMINAL_GRACE_MS = 1000;

export interface SessionInit {
  id: string;
  n: number;
  profile: AgentProfile;
  prompt: string;
  agentArgs: string[];
  cwd: string;
  cols: number;
  rows: number;
  env: Record<string, string>;
  ptyFactory: PtyFactory;
  timings: SessionTimings;
  hookUrl?: string;
  /** Writes a file only this user can read and returns its path (see LaunchContext.privateFile). */
  privateFile?: (name: string, content: string) => string;
  transcriptDir?: string;
  /** Why transcripts are off for the whole run, if they are. */
  transcriptError?: string;
  scrollback?: number;
  /** Parse output through xterm's synchronous path (default true; see src/compat/xterm.ts). */
  syncParse?: boolean;
  /** Who feeds the screen's parser (default: the pump all screens share; see parse-pump.ts). */
  parsePump?: ParsePump;
  /** Free the screen's emulator once the session has ended, keeping its last view (default true). */
  releaseScreen?: boolean;
  /**
   * Signals the agent's processes (default: its group, its session, their descendants and every
   * process carrying the session's tag). Tests inject a fake.
   */
  signal?: (pid: number, signal: NodeJS.Signals, tag?: string) => number[] | undefined;
}

export interface SessionEvents {
  output(): void;
  status(previous: SessionStatus): void;
  file(ev: FileEvent): void;
  exit(): void;
  warning(message: string): void;
}

export class Session {
  readonly id: string;
  readonly n: number;
  private readonly init: SessionInit;
  private readonly profile: AgentProfile;
  readonly screen: Screen;
  private pty: PtyProcess | undefined;
  private transcript: Transcript | undefined;
  private transcriptError: string | undefined;
  private events: SessionEvents;

  private status: SessionStatus = 'STARTING';
  private reason: string | undefined;
  /** What a WAITING session waits for (set with WAITING, cleared with any other status). */
  private waiting: Waiting | undefined;
  /** An answer to the dialog is being given (see answer()). */
  private answering = false;
  /** The agent has been at its input once (a dialog before that keeps it not ready). */
  private ready = false;
  /** Why the last send failed, until one succeeds. */
  private sendError: string | undefined;
  /** Turn starts reported by hook (UserPromptSubmit): how a submit is confirmed. */
  private submitCount = 0;
  private dialogTimer: NodeJS.Timeout | undefined;
  private readyTimer: NodeJS.Timeout | undefined;
  private exitCode: number | null | undefined;
  private signal: number | null | undefined;
  private readonly startedAt = Date.now();
  private turnStartedAt: number | undefined;
  private turnEndedAt: number | undefined;
  private lastOutputAt: number | undefined;
  private endedAt: number | undefined;
  private readonly turnDurations: number[] = [];
  private readonly files: FileEvent[] = [];
  private lastPrompt: string;
  private bytes = 0;
  private command: string[] = [];

  private batchTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private startTimer: NodeJS.Timeout | undefined;
  private pendingParse = 0;
  /** Output rate since the last flush decides the batch delay (see scheduleFlush). */
  private bytesSinceFlush = 0;
  private lastFlushAt = Date.now();
  private flooding = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private heldByParser = false;
  private heldByDisk = false;
  private hooksSeen = false;
  private promptInArgs = false;
  private pendingInitialPrompt: string | undefined;
  private killing = false;
  private exited = false;
  private exitPromise: Promise<void>;
  private resolveExit!: () => void;
  private queue: Promise<unknown> = Promise.resolve();
  private waiters: Array<() => void> = [];
  private lastState: ScreenState = 'starting';
  private readonly knownPids = new Set<number>();
  private pendingStop = false;
  private stopTimer: NodeJS.Timeout | undefined;
  /** An interrupt was sent during this turn: if the turn now ends quietly, it was interrupted. */
  private interruptSent = false;
  /** Until then, the screen may still show the previous turn: only dialogs are read off it. */
  private screenGraceUntil = 0;
  /** Marks every process this agent starts (env SESSION_TAG_VAR), so none can slip away. */
  private readonly tag = randomUUID();
  /** Set when kill() had to escalate to SIGKILL: how long SIGTERM was ignored. */
  private ignoredTermMs: number | undefined;
  /** The agent closed its terminal and did not exit: axiom stopped it. */
  private closedTerminal = false;
  private closeTimer: NodeJS.Timeout | undefined;
  /** Private launch files (hook settings), removed when the agent exits. */
  private readonly privateFiles: string[] = [];
  /** When the last interrupt sequence was written. */
  private lastInterruptAt = Number.NEGATIVE_INFINITY;
  /** The agent's own conversation id (LaunchSpec.agentSessionId). */
  private agentSessionId: string | undefined;
  /** The plain-text stream (the agent's structured log, or the screen's stable rows). */
  private readonly text: TextStream;
  /** A Stop came while the log had not recorded the turn's end yet: COMPLETED waits for it. */
  private awaitingText = false;
  private textTimer: NodeJS.Timeout | undefined;
  /** Turns the log had opened when the wait began (a new one means the next turn is running). */
  private awaitTurns = 0;

  constructor(init: SessionInit, events: SessionEvents) {
    this.init = init;
    this.id = init.id;
    this.n = init.n;
    this.profile = init.profile;
    this.events = events;
    this.lastPrompt = init.prompt;
    this.transcriptError = init.transcriptError;
    this.screen = new Screen({
      cols: init.cols,
      rows: init.rows,
      scrollback: init.scrollback ?? DEFAULT_SCROLLBACK,
      syncParse: init.syncParse ?? true,
      ...(init.parsePump ? { pump: init.parsePump } : {}),
    });
    this.text = new TextStream(this.screen, `#${this.n}`, this.profile.name, {
      writeText: (t) => this.transcript?.writeText(t),
      changed: () => {
        if (!this.exited) this.events.output();
      },
      warning: (m) => this.events.warning(m),
      afterRead: () => this.onTextRead(),
    });
    // A flood of short lines can fill the scrollback between two flushes: commit what has
    // scrolled off the screen whenever the screen asks (see Screen.feed).
    this.screen.onCommitNeeded(() => this.takeScreenText(this.screen.commit(0)));
    this.screen.onReply((d) => {
      if (!this.exited) this.pty?.write(d);
    });
    this.exitPromise = new Promise((r) => {
      this.resolveExit = r;
    });
  }

  // ---- lifecycle ----

  /** Launch the agent. Problems become FAILED with a reason; this never throws. */
  start(hookUrl = this.init.hookUrl): void {
    const { init } = this;
    const cwd = isAbsolute(init.cwd) ? init.cwd : resolve(init.cwd);
    const writePrivate = init.privateFile;
    const privateFile = writePrivate
      ? (name: string, content: string): string => {
          try {
            const path = writePrivate(`${this.n}-${name}`, content);
            this.privateFiles.push(path);
            return path;
          } catch (e) {
            this.events.warning(
              `#${this.n}: could not write ${name} privately (${(e as Error).message}); the hook secret is visible in the process list`,
            );
            throw e;
          }
        }
      : undefined;
    const plan = planLaunch(
      this.profile,
      { prompt: init.prompt, agentArgs: init.agentArgs, hookUrl, privateFile, agentSessionId: randomUUID() },
      init.env,
      this.tag,
    );
    const { spec, env } = plan;
    this.agentSessionId = spec.agentSessionId;
    this.command = plan.command;
    const problem = launchProblem(cwd, spec.file, env.PATH, this.profile.installHint);
    if (problem.ok === false) {
      this.failEarly(problem.reason);
      return;
    }
    this.promptInArgs = spec.promptInArgs;
    this.pendingInitialPrompt = plan.typedPrompt;
    if (init.transcriptDir && !this.transcriptError) {
      this.transcript = new Transcript(
        init.transcriptDir,
        String(this.n),
        (msg) => {
          this.transcriptError = msg;
          this.events.warning(`#${this.n}: transcript off: ${msg}`);
          this.updateFlow();
        },
        () => this.updateFlow(),
      );
    }
    try {
      this.pty = init.ptyFactory({
        file: problem.path,
        args: spec.args,
        cwd,
        env,
        cols: this.screen.cols,
        rows: this.screen.rows,
      });
    } catch (e) {
      this.failEarly(`could not start ${spec.file}: ${(e as Error).message}`);
      return;
    }
    this.startFeed(cwd, env);
    this.pty.onData((d) => this.onData(d));
    this.pty.onExit((e) => this.onExit(e.exitCode, e.signal));
    this.pty.onClose?.(() => this.onTerminalClosed());
    this.startTimer = setTimeout(() => {
      if (this.status === 'STARTING' && !this.ready) this.becomeReady();
    }, init.timings.startFallbackMs);
  }

  /** Tail the agent's structured log for the plain-text stream, when its profile names one. */
  private startFeed(cwd: string, env: Record<string, string>): void {
    const id = this.agentSessionId;
    this.text.start(id ? this.profile.textSource?.({ agentSessionId: id, env, cwd }) : undefined);
  }

  /** Text the screen committed goes to the text stream. */
  private takeScreenText(text: string): void {
    this.text.takeScreenText(text);
  }

  /** The agent's log was read: a wait for its end of turn may be over. */
  private onTextRead(): void {
    const log = this.text.log;
    if (this.awaitingText && log && (!log.turnOpen || log.turns !== this.awaitTurns)) this.textSettled();
  }

  /** The wait for the log's end of turn is over (it came, or TEXT_SETTLE_MS passed). */
  private textSettled(): void {
    if (!this.awaitingText) return;
    this.awaitingText = false;
    clearTimeout(this.textTimer);
    const log = this.text.log;
    if (log && !log.found) this.text.fallBack();
    // A new turn opened meanwhile: the session is running that one.
    if (log && log.turns !== this.awaitTurns) return;
    if (this.status === 'RUNNING' || this.status === 'WAITING') this.endTurn('COMPLETED');
  }

  /** Run in another directory than first planned (its own worktree). Only before start(). */
  relocate(cwd: string): void {
    if (this.pty || this.exited) throw new Error(`session #${this.n} has started; it cannot move`);
    this.init.cwd = cwd;
  }

  /** Fail without starting anything (bad input found before launch). */
  fail(reason: string): void {
    if (!this.exited) this.failEarly(reason);
  }

  private failEarly(reason: string): void {
    this.exited = true;
    this.endedAt = Date.now();
    this.setStatus('FAILED', reason);
    this.resolveExit();
    queueMicrotask(() => this.events.exit());
  }

  get pid(): number | undefined {
    return this.pty?.pid;
  }

  // ---- output ----

  private onData(d: Buffer): void {
    this.bytes += d.length;
    this.bytesSinceFlush += d.length;
    this.lastOutputAt = Date.now();
    this.transcript?.writeRaw(d);
    this.pendingParse += d.length;
    this.updateFlow();
    this.screen.write(d, () => {
      this.pendingParse -= d.length;
      this.updateFlow();
      // Notify once the screen shows this chunk: the parser can lag behind the batch timer, and
      // the last chunk of a burst must still reach front ends.
      if (!this.exited) this.scheduleFlush();
    });
  }

  /**
   * Flow control: pause the agent's output while the parser is more than HIGH_WATER behind, or
   * the transcript more than DISK_HIGH_WATER (a disk slower than the agent); resume once both are
   * below their low water. The agent blocks in write(), as with a slow terminal: nothing is lost
   * and memory stays bounded.
   */
  private updateFlow(): void {
    if (!this.pty || this.exited) return;
    const disk = this.transcript?.backlog ?? 0;
    // Each cause has its own hysteresis: over high water holds until under low water.
    if (this.pendingParse > HIGH_WATER) this.heldByParser = true;
    else if (this.pendingParse < LOW_WATER) this.heldByParser = false;
    if (disk > DISK_HIGH_WATER) this.heldByDisk = true;
    else if (disk < DISK_LOW_WATER) this.heldByDisk = false;
    const hold = this.heldByParser || this.heldByDisk;
    if (hold && !this.paused) {
      this.paused = true;
      this.pty.pause();
    } else if (!hold && this.paused) {
      this.paused = false;
      this.pty.resume();
    }
  }

  private scheduleFlush(): void {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.flush();
    }, this.init.timings.batchMs);
  }

  /**
   * Tell front ends the screen changed. In a flood (bulk output such as `cat` of a big file) at
   * most once per FLOOD_BATCH_MS, on a grid shared by all sessions so that floods in several panes
   * land in the same UI frame: the parser gets the time that redrawing a screen nobody can read at
   * that speed would take. (Lines are still committed at every flush: none may scroll out unseen.)
   */
  private notifyOutput(final: boolean): void {
    if (final || !this.flooding) {
      clearTimeout(this.notifyTimer);
      this.notifyTimer = undefined;
      this.events.output();
      return;
    }
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(
      () => {
        this.notifyTimer = undefined;
        if (!this.exited) this.events.output();
      },
      FLOOD_BATCH_MS - (Date.now() % FLOOD_BATCH_MS),
    );
  }

  /** Commit stable lines, re-read the state off the screen, notify front ends. */
  private flush(final = false): void {
    const now = Date.now();
    this.flooding = this.bytesSinceFlush >= FLOOD_BYTES_PER_MS * Math.max(1, now - this.lastFlushAt);
    this.bytesSinceFlush = 0;
    this.lastFlushAt = now;
    const lines = this.screen.plainLines();
    const stable = final
      ? this.lastNonBlankRow(lines) + 1
      : this.profile.stableRows(lines, this.screen.cursor().y, this.status === 'RUNNING');
    // Commit even without a transcript: `transcript?.writeText(commit())` would skip the commit.
    this.takeScreenText(this.screen.commit(stable, final));
    if (!this.exited) this.onScreenState(this.profile.detect(lines), lines);
    this.notifyOutput(final);
    this.wake();
  }

  private lastNonBlankRow(lines: string[]): number {
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]?.trim()) return i;
    return -1;
  }

  // ---- state ----

  private onScreenState(state: ScreenState, lines: string[]): void {
    this.lastState = state;
    const s = this.status;
    const dialog = state === 'permission' ? this.readDialog(lines) : undefined;
    if (!this.ready) {
      // Before the agent was ever at its input, a dialog (claude's trust question) waits for a
      // person; once it is answered, the agent is ready (and runs a prompt given at launch).
      if (dialog) {
        // An error shown above the input box (an API error): the agent is at its input.
        if (this.atInput()) this.becomeReady();
        this.wait(dialog);
      } else if (state !== 'starting') this.whenQuiet(() => this.becomeReady());
      return;
    }
    if (dialog) {
      this.wait(dialog);
    } else if (Date.now() < this.screenGraceUntil) {
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
    if (this.pendingStop && state !== 'busy') this.finishStop();
    this.armIdleTimer();
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
    const first = w.text.split('\n').find((l) => l.trim()) ?? '';
    let reason = `waiting for a person (${w.name})${first ? `: ${first.trim().slice(0, 120)}` : ''}`;
    // A permission dialog keeps the words the hook gave it ("permission needed for Write x.py: …").
    let shown = w;
    if (w.name === 'permission') {
      reason =
        this.status === 'WAITING' && this.reason?.startsWith('permission needed for')
          ? this.reason
          : 'permission needed: answer the dialog';
      // What the hook said about it (the tool, its subject) stays with the drawn dialog.
      const hook = this.status === 'WAITING' ? this.waiting : undefined;
      if (hook?.subject !== undefined && w.subject === undefined)
        shown = { ...w, ...(hook.tool ? { tool: hook.tool } : {}), subject: hook.subject };
    }
    this.setStatus('WAITING', reason, shown);
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
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => {
      if (!this.exited && !this.ready) fn();
    }, ms);
  }

  /**
   * The general rule for dialogs no profile knows: RUNNING, no output for DIALOG_QUIET_MS, and a
   * screen that offers choices or says what Enter/Esc do.
   */
  private armDialogTimer(): void {
    clearTimeout(this.dialogTimer);
    if (this.status !== 'RUNNING') return;
    this.dialogTimer = setTimeout(() => this.checkQuietDialog(), DIALOG_QUIET_MS);
  }

  /** True (and WAITING) when a quiet RUNNING session shows a dialog. */
  private checkQuietDialog(): boolean {
    if (this.status !== 'RUNNING' || this.exited || this.pendingParse > 0) return false;
    if (
      this.lastOutputAt !== undefined &&
      Date.now() - this.lastOutputAt < Math.min(DIALOG_QUIET_MS, this.profile.idleMs)
    )
      return false;
    const lines = this.screen.plainLines();
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
    clearTimeout(this.idleTimer);
    if (this.status !== 'RUNNING' || (this.profile.usesHooks && this.hooksSeen)) return;
    this.idleTimer = setTimeout(() => {
      if (this.status !== 'RUNNING' || (this.profile.usesHooks && this.hooksSeen)) return;
      // Output still queued for the parser (or held back by flow control) is not silence.
      if (this.paused || this.pendingParse > 0) return this.armIdleTimer();
      if (this.checkQuietDialog()) return;
      if (this.profile.usesHooks && this.lastState !== 'idle') return;
      this.endTurn(this.interruptSent ? 'INTERRUPTED' : 'COMPLETED');
    }, this.profile.idleMs);
  }

  /**
   * The Stop hook arrives just before the agent draws its last lines: wait (briefly) for the
   * screen to leave the busy state, commit what it shows, then report COMPLETED.
   */
  private onStopHook(): void {
    if (this.status !== 'RUNNING' && this.status !== 'WAITING') return;
    this.pendingStop = true;
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.finishStop(), STOP_SETTLE_MS);
  }

  private finishStop(): void {
    if (!this.pendingStop) return;
    this.pendingStop = false;
    clearTimeout(this.stopTimer);
    const lines = this.screen.plainLines();
    this.takeScreenText(this.screen.commit(this.profile.stableRows(lines, this.screen.cursor().y)));
    if (this.text.log) {
      // The turn's last text block may still be on its way to the log: wait (bounded) for the
      // log's end of turn, so that the text is complete when COMPLETED is reported.
      this.text.read();
      const log = this.text.log;
      if (log && (log.turnOpen || !log.found)) {
        this.awaitingText = true;
        this.awaitTurns = log.turns;
        clearTimeout(this.textTimer);
        this.textTimer = setTimeout(() => this.textSettled(), TEXT_SETTLE_MS);
        return;
      }
    }
    if (this.status === 'RUNNING' || this.status === 'WAITING') this.endTurn('COMPLETED');
  }

  private becomeReady(): void {
    clearTimeout(this.startTimer);
    clearTimeout(this.readyTimer);
    if (this.ready || this.exited) return;
    this.ready = true;
    if (this.promptInArgs && this.init.prompt) {
      this.startTurn();
    } else if (this.pendingInitialPrompt !== undefined) {
      const text = this.pendingInitialPrompt;
      this.pendingInitialPrompt = undefined;
      // The turn starts now: no idle status in between for front ends to mistake for the end.
      this.startTurn();
      void this.send(text, false).catch((e: Error) => this.events.warning(`#${this.n}: ${e.message}`));
    } else {
      // Idle and ready: WAITING is kept for "a person must act" (dialogs, questions).
      this.setStatus('COMPLETED', 'ready for input');
    }
  }

  private startTurn(): void {
    this.awaitingText = false;
    clearTimeout(this.textTimer);
    this.interruptSent = false;
    this.pendingStop = false;
    clearTimeout(this.stopTimer);
    this.turnStartedAt = Date.now();
    this.turnEndedAt = undefined;
    this.setStatus('RUNNING');
    this.armIdleTimer();
  }

  private endTurn(status: 'COMPLETED' | 'INTERRUPTED' | 'WAITING', reason?: string): void {
    // Lines the agent's log holds by now go out before the status change; from the screen, the
    // rows that the turn's end made final.
    this.text.read();
    if (!this.text.log && !this.exited) {
      const lines = this.screen.plainLines();
      this.takeScreenText(this.screen.commit(this.profile.stableRows(lines, this.screen.cursor().y, false)));
    }
    if (this.status === 'RUNNING' && this.turnStartedAt !== undefined) {
      this.turnEndedAt = Date.now();
      this.turnDurations.push(this.turnEndedAt - this.turnStartedAt);
    }
    clearTimeout(this.idleTimer);
    this.setStatus(status, reason);
  }

  /** Wake everything waiting on a condition (a status change, a screen update). */
  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private setStatus(status: SessionStatus, reason?: string, waiting?: Waiting): void {
    // Once the process is gone only its end is recorded: a send or a ready check still in flight
    // when it exited must not make it RUNNING again.
    if (this.exited && !isEnded(status)) return;
    const prev = this.status;
    const w = status === 'WAITING' ? waiting : undefined;
    if (prev === status && this.reason === reason && JSON.stringify(w) === JSON.stringify(this.waiting))
      return;
    this.status = status;
    this.reason = reason;
    this.waiting = w;
    if (status !== 'RUNNING') clearTimeout(this.dialogTimer);
    if (prev !== status) this.events.status(prev);
    else this.events.output();
    this.wake();
  }

  /** A hook payload from the agent: its profile says what it means (see AgentProfile.hookEvents). */
  onHook(payload: Record<string, unknown>): void {
    if (this.exited) return;
    this.hooksSeen = true;
    clearTimeout(this.idleTimer);
    for (const ev of this.profile.hookEvents?.(payload, this.init.cwd) ?? []) this.onAgentEvent(ev);
  }

  private onAgentEvent(ev: AgentEvent): void {
    switch (ev.type) {
      case 'turn-started':
        // What the agent really received: the pane title and lastPrompt show this.
        if (ev.prompt) this.lastPrompt = ev.prompt;
        this.submitCount++;
        this.ready = true;
        if (this.status !== 'RUNNING') this.startTurn();
        this.wake();
        break;
      case 'tool-started':
        if (this.status === 'WAITING' && this.waiting?.cancellable) this.setStatus('RUNNING');
        break;
      case 'waiting': {
        // The dialog is drawn a moment later; its text and options replace these on the next flush.
        const onScreen = this.profile.dialog?.(this.screen.plainLines());
        const reason =
          ev.waiting.kind === 'permission'
            ? `permission needed for ${ev.subject}: answer the dialog`
            : `waiting for a person (${ev.waiting.name}): ${ev.subject}`;
        // What the hook said (the tool, its subject) stays with the dialog the screen shows.
        const hook = { ...(ev.waiting.tool ? { tool: ev.waiting.tool } : {}), subject: ev.subject };
        this.setStatus('WAITING', reason, onScreen ? { ...onScreen, ...hook } : { ...ev.waiting, ...hook });
        break;
      }
      case 'tool-finished':
        if (this.status === 'WAITING') this.setStatus('RUNNING');
        break;
      case 'file-written': {
        const fe: FileEvent = { path: ev.path, tool: ev.tool, at: Date.now() };
        this.files.push(fe);
        this.events.file(fe);
        break;
      }
      case 'turn-ended':
        this.onStopHook();
        break;
    }
  }

  // ---- commands ----

  /** Run `fn` after every earlier command on this session. */
  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Resolve when `pred` holds or after `ms`; true if it held. */
  private waitFor(pred: () => boolean, ms: number): Promise<boolean> {
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
      if (this.exited || !this.pty) throw new Error(`#${this.n} has exited`);
      this.pty.write(step.data);
      if (step.delayMs > 0) await new Promise((r) => setTimeout(r, step.delayMs));
    }
  }

  private assertAlive(): void {
    if (this.exited)
      throw new Error(
        `session #${this.n} has ended (${this.status}${this.reason ? `: ${this.reason}` : ''})`,
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
      if (!this.ready) {
        const ms = this.init.timings.readyWaitMs;
        const ready = await this.waitFor(() => this.ready || this.exited, ms);
        this.assertAlive();
        if (!ready) {
          const why = this.waiting ? `: it waits for a person (${this.waiting.name}), answer that first` : '';
          throw this.sendFailed(`#${this.n} did not become ready in ${ms} ms${why}`);
        }
      }
      // A dialog Esc does not cancel must be answered by a person; typing into it would pick options.
      if (this.status === 'WAITING' && this.waiting && !this.waiting.cancellable && !this.atInput())
        throw this.sendFailed(
          `#${this.n} waits for a person (${this.waiting.name}): answer the dialog first`,
        );
      if (
        interrupt &&
        (this.status === 'RUNNING' || (this.status === 'WAITING' && this.waiting?.cancellable))
      ) {
        await this.doInterrupt();
      }
      try {
        await deliver(
          this.profile,
          this.deliverPort(),
          text,
          this.init.timings.deliver ?? DEFAULT_DELIVER_TIMINGS,
        );
      } catch (e) {
        throw this.sendFailed(`#${this.n}: ${(e as Error).message}`);
      }
      // Hooks report what the agent received (UserPromptSubmit); without them, this is it.
      if (!this.hooksSeen) this.lastPrompt = text;
      this.sendError = undefined;
      this.screenGraceUntil = Date.now() + SUBMIT_GRACE_MS;
      if (this.status !== 'RUNNING') this.startTurn();
    });
  }

  /** Whether the agent's input box is on screen (true when the profile cannot tell). */
  private atInput(): boolean {
    const box = this.profile.input;
    return !box || box.read(this.screen.plainLines(), this.screen.cursor().y) !== undefined;
  }

  /** Record a failed send (snapshot.sendError, a warning) and return the error to throw. */
  private sendFailed(message: string): Error {
    this.sendError = message;
    this.events.warning(message);
    this.events.output();
    return new Error(message);
  }

  private deliverPort() {
    return {
      write: (d: string) => {
        if (this.exited || !this.pty) throw new Error(`#${this.n} has exited`);
        this.pty.write(d);
      },
      screen: () => ({ lines: this.screen.plainLines(), cursorRow: this.screen.cursor().y }),
      waitFor: (pred: () => boolean, ms: number) => this.waitFor(() => this.exited || pred(), ms),
      submits: () => (this.hooksSeen ? this.submitCount : undefined),
      assertAlive: () => this.assertAlive(),
    };
  }

  /**
   * Pick option `choice` (its id or label) in the dialog the session waits on; see answer.ts.
   * Not queued behind sends: a send can be the one waiting for this dialog to go.
   */
  async answer(choice: string): Promise<{ dialog: string; option: WaitingOption }> {
    this.assertAlive();
    if (this.answering) throw new AnswerError(`#${this.n} is already being answered; wait for that answer`);
    const w = this.status === 'WAITING' ? this.waiting : undefined;
    if (!w)
      throw new AnswerError(`#${this.n} is not waiting on a dialog (${this.status}); nothing to answer`);
    this.answering = true;
    try {
      const option = await answerDialog(
        this.profile.dialogKeys,
        {
          write: (d) => {
            if (this.exited || !this.pty) throw new Error(`#${this.n} has exited`);
            this.pty.write(d);
          },
          waiting: () => (this.status === 'WAITING' ? this.waiting : undefined),
          waitFor: (pred, ms) => this.waitFor(() => this.exited || pred(), ms),
          assertAlive: () => this.assertAlive(),
        },
        choice,
        this.init.timings.answer ?? DEFAULT_ANSWER_TIMINGS,
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
    const stopped = () =>
      this.status !== 'RUNNING' && !(this.status === 'WAITING' && this.waiting?.cancellable);
    const wasRunning = !stopped();
    if (!wasRunning && Date.now() - this.lastInterruptAt < REPEAT_INTERRUPT_MS) return;
    if (wasRunning) this.interruptSent = true;
    const press = (): Promise<void> => {
      this.lastInterruptAt = Date.now();
      return this.writeSteps([{ data: this.profile.interruptSequence(), delayMs: 0 }]);
    };
    await press();
    if (!wasRunning) return;
    const half = Math.floor(this.init.timings.interruptWaitMs / 2);
    // Without hooks, only silence says the turn stopped (idleMs of it): wait at least that long
    // before taking the interrupt as ignored, or every interrupt would be pressed twice (a second
    // Ctrl+C at an idle prompt quits some agents).
    const first = this.profile.usesHooks ? half : Math.max(half, this.profile.idleMs + IDLE_SLACK_MS);
    if (!(await this.waitFor(stopped, first))) {
      // Some turns ignore the first Esc while a tool starts; one more (never a double Ctrl+C).
      await press();
      await this.waitFor(stopped, half);
    }
    if (!stopped()) this.endTurn('INTERRUPTED');
  }

  /** Raw keyboard bytes (passthrough). */
  write(data: string): void {
    if (!this.exited) this.pty?.write(data);
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(1, Math.floor(cols));
    const r = Math.max(1, Math.floor(rows));
    if (c !== this.screen.cols || r !== this.screen.rows) this.text.resized();
    this.screen.resize(c, r);
    if (this.exited) return;
    try {
      this.pty?.resize(c, r);
    } catch {
      // The PTY may have closed between our check and the call.
    }
  }

  /** SIGTERM the agent's whole process group, SIGKILL after the grace period; resolves on exit. */
  async kill(): Promise<void> {
    if (this.exited || !this.pty) {
      await this.exitPromise;
      return;
    }
    this.killing = true;
    const pid = this.pty.pid;
    const signal = (sig: NodeJS.Signals) => {
      // Remember every process seen: children in their own session are orphaned once the agent dies.
      for (const p of (this.init.signal ?? signalAgent)(pid, sig, this.tag) ?? []) this.knownPids.add(p);
    };
    signal('SIGHUP');
    signal('SIGTERM');
    const graceMs = this.init.timings.killGraceMs;
    const grace = setTimeout(() => {
      if (!this.exited) this.ignoredTermMs = graceMs;
      signal('SIGKILL');
    }, graceMs);
    await this.exitPromise;
    clearTimeout(grace);
  }

  /**
   * The PTY closed. Normally the agent is exiting and onExit follows at once; if it is still
   * running after a grace period, it closed its terminal and can no longer be reached: stop it.
   */
  private onTerminalClosed(): void {
    if (this.exited) return;
    this.closeTimer = setTimeout(() => {
      if (this.exited || this.killing) return;
      this.closedTerminal = true;
      void this.kill();
    }, CLOSED_TERMINAL_GRACE_MS);
  }

  private onExit(exitCode: number, signal: number | undefined): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.batchTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.startTimer);
    clearTimeout(this.stopTimer);
    clearTimeout(this.closeTimer);
    clearTimeout(this.notifyTimer);
    clearTimeout(this.dialogTimer);
    clearTimeout(this.readyTimer);
    this.batchTimer = undefined;
    for (const f of this.privateFiles.splice(0)) rmSync(f, { force: true });
    const pid = this.pty?.pid;
    // Children that outlive the agent (same group or session, or tagged daemons) go with it.
    if (pid !== undefined) {
      for (const p of (this.init.signal ?? signalAgent)(pid, 'SIGKILL', this.tag) ?? [])
        this.knownPids.add(p);
      for (const p of this.knownPids) if (p !== pid && isAlive(p)) killQuietly(p);
    }
    // Killed by a signal, a process has no exit code (node-pty reports 0 then).
    this.exitCode = signal ? null : exitCode;
    this.signal = signal || null;
    this.endedAt = Date.now();
    clearTimeout(this.textTimer);
    this.awaitingText = false;
    // Let the screen parse what is still queued, then record the final state.
    this.screen.write('', () => {
      this.text.finish();
      this.flush(true);
      const { status, reason } = classifyExit({
        exitCode,
        signal,
        ranMs: this.endedAt! - this.startedAt,
        earlyExitMs: this.init.timings.earlyExitMs,
        killing: this.killing,
        ignoredTermMs: this.ignoredTermMs,
        closedTerminal: this.closedTerminal,
        lastLine: lastOutputLine(this.screen.plainLines(), this.profile.isChrome),
      });
      this.setStatus(status, reason);
      // Everything the status and the text log need is read: free the emulator (see release()).
      if (this.init.releaseScreen !== false) this.screen.release();
      void (this.transcript?.close() ?? Promise.resolve()).then(() => {
        this.resolveExit();
        this.events.exit();
      });
    });
  }

  get ended(): Promise<void> {
    return this.exitPromise;
  }

  get isEnded(): boolean {
    return this.exited;
  }

  // ---- reads ----

  snapshot(): SessionSnapshot {
    return {
      id: this.id,
      n: this.n,
      agent: this.profile.name,
      command: this.command,
      cwd: this.init.cwd,
      prompt: this.init.prompt,
      lastPrompt: this.lastPrompt,
      status: this.status,
      reason: this.reason,
      ...(this.waiting ? { waiting: { ...this.waiting, options: [...this.waiting.options] } } : {}),
      ...(this.sendError ? { sendError: this.sendError } : {}),
      exitCode: this.exitCode,
      signal: this.signal,
      startedAt: this.startedAt,
      turnStartedAt: this.turnStartedAt,
      turnEndedAt: this.turnEndedAt,
      lastOutputAt: this.lastOutputAt,
      endedAt: this.endedAt,
      turnDurations: [...this.turnDurations],
      filesWritten: [...this.files],
      lastLine: this.screen.lastLine(),
      cols: this.screen.cols,
      rows: this.screen.rows,
      bytesReceived: this.bytes,
      pid: this.exited ? undefined : this.pty?.pid,
      transcriptPath: this.transcript && !this.transcriptError ? this.transcript.rawPath : undefined,
      transcriptError: this.transcriptError,
      ...(this.agentSessionId ? { agentSessionId: this.agentSessionId } : {}),
      ...(this.text.lastCheck ? { lastCheck: this.text.lastCheck } : {}),
    };
  }

  get currentStatus(): SessionStatus {
    return this.status;
  }

  get screenState(): ScreenState {
    return this.lastState;
  }

  styled(scrollback = 0): StyledLine[] {
    return this.screen.styledLines(scrollback);
  }

  output(cursor = 0): OutputChunk {
    const { lines, dropped, cursor: next } = this.text.readLines(cursor);
    const head = dropped > 0 ? [`[axiom: ${dropped} earlier lines are only in the transcript on disk]`] : [];
    const all = [...head, ...lines];
    return { cursor: next, text: all.length ? `${all.join('\n')}\n` : '' };
  }

  dispose(): void {
    clearTimeout(this.notifyTimer);
    clearTimeout(this.stopTimer);
    clearTimeout(this.closeTimer);
    clearTimeout(this.batchTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.startTimer);
    clearTimeout(this.dialogTimer);
    clearTimeout(this.readyTimer);
    clearTimeout(this.textTimer);
    this.text.close();
    this.screen.dispose();
  }
}
