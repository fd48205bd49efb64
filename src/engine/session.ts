/**
 * One agent session: a PTY, a headless screen, a transcript, a status and its timings.
 * Commands (send, interrupt) are serialized per session so their bytes never interleave.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { AgentProfile, ScreenState } from '../agents/profile.js';
import type { AnswerTimings } from './answer.js';
import type { DeliverTimings } from './deliver.js';
import { classifyExit, lastOutputLine } from './exit-reason.js';
import { launchProblem, planLaunch } from './launch-plan.js';
import type { ParsePump } from './parse-pump.js';
import { isAlive, killQuietly, signalAgent } from './proc.js';
import type { PtyFactory, PtyProcess } from './pty.js';
import { Screen } from './screen.js';
import { SessionInput } from './session-input.js';
import { TextStream } from './text-stream.js';
import { Transcript } from './transcript.js';
import { type TurnHost, TurnTracker } from './turns.js';
import type {
  Answer,
  FileEvent,
  OutputChunk,
  SessionSnapshot,
  SessionStatus,
  StyledLine,
  Waiting,
  WaitingOption,
} from './types.js';

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
/** A key the person typed into a dialog counts as its answer if the dialog goes within this long. */
const PERSON_PICK_MS = 5000;
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
  /** The person answered a dialog with keys (Engine.write); answers through answer() are told by the manager. */
  answered(a: Answer): void;
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

  /** The option the person's last key into the dialog picked (see notePersonPick). */
  private personPick: { dialog: Waiting; option: WaitingOption; at: number } | undefined;
  private exitCode: number | null | undefined;
  private signal: number | null | undefined;
  private readonly startedAt = Date.now();
  private lastOutputAt: number | undefined;
  private endedAt: number | undefined;
  private bytes = 0;
  private command: string[] = [];

  private batchTimer: NodeJS.Timeout | undefined;
  private pendingParse = 0;
  /** Output rate since the last flush decides the batch delay (see scheduleFlush). */
  private bytesSinceFlush = 0;
  private lastFlushAt = Date.now();
  private flooding = false;
  private notifyTimer: NodeJS.Timeout | undefined;
  private paused = false;
  private heldByParser = false;
  private heldByDisk = false;
  private killing = false;
  private exited = false;
  private exitPromise: Promise<void>;
  private resolveExit!: () => void;
  private readonly knownPids = new Set<number>();
  /** Marks every process this agent starts (env SESSION_TAG_VAR), so none can slip away. */
  private readonly tag = randomUUID();
  /** Set when kill() had to escalate to SIGKILL: how long SIGTERM was ignored. */
  private ignoredTermMs: number | undefined;
  /** The agent closed its terminal and did not exit: axiom stopped it. */
  private closedTerminal = false;
  private closeTimer: NodeJS.Timeout | undefined;
  /** Private launch files (hook settings), removed when the agent exits. */
  private readonly privateFiles: string[] = [];
  /** The agent's own conversation id (LaunchSpec.agentSessionId). */
  private agentSessionId: string | undefined;
  /** The plain-text stream (the agent's structured log, or the screen's stable rows). */
  private readonly text: TextStream;
  /** The status and its turns (hooks, screen, timers). */
  private readonly turns: TurnTracker;
  /** Prompts, answers, interrupts, and the conditions they wait on. */
  private readonly input: SessionInput;

  constructor(init: SessionInit, events: SessionEvents) {
    this.init = init;
    this.id = init.id;
    this.n = init.n;
    this.profile = init.profile;
    this.events = events;
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
      afterRead: () => this.turns.onTextRead(),
    });
    this.turns = new TurnTracker(this.profile, this.text, this.turnHost(), init.prompt);
    this.input = new SessionInput({
      n: this.n,
      profile: this.profile,
      timings: init.timings,
      turns: this.turns,
      exited: () => this.exited,
      write: (d) => {
        if (this.exited || !this.pty) throw new Error(`#${this.n} has exited`);
        this.pty.write(d);
      },
      screen: () => ({ lines: this.screen.plainLines(), cursorRow: this.screen.cursor().y }),
      warning: (m) => this.events.warning(m),
      output: () => this.events.output(),
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
    const launchPrompt = {
      runsItself: spec.promptInArgs && init.prompt !== '',
      ...(plan.typedPrompt !== undefined ? { typed: plan.typedPrompt } : {}),
    };
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
    this.turns.launched(launchPrompt, init.timings.startFallbackMs);
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
    this.turns.setStatus('FAILED', reason);
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
      : this.profile.stableRows(lines, this.screen.cursor().y, this.turns.currentStatus === 'RUNNING');
    // Commit even without a transcript: `transcript?.writeText(commit())` would skip the commit.
    this.takeScreenText(this.screen.commit(stable, final));
    if (!this.exited) this.turns.onScreenState(this.profile.detect(lines), lines);
    this.notifyOutput(final);
    this.input.wake();
  }

  /**
   * A direction sent while an attached client steers (or steered) this session, marked in the
   * `.txt` with who sent it (`» orchestrator: …`, `» person: …`). The plain-text stream itself
   * (output(), axiom_output) is not changed: the agent's words stay exactly as it said them.
   */
  noteDirection(from: string, text: string): void {
    this.transcript?.writeText(`» ${from}: ${text.replace(/\s*\n\s*/g, ' ')}\n`);
  }

  private lastNonBlankRow(lines: string[]): number {
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]?.trim()) return i;
    return -1;
  }

  /** A hook payload from the agent: its profile says what it means (see AgentProfile.hookEvents). */
  onHook(payload: Record<string, unknown>): void {
    this.turns.onHook(payload);
  }

  /** What turn tracking reads off this session and tells it. */
  private turnHost(): TurnHost {
    return {
      cwd: () => this.init.cwd,
      exited: () => this.exited,
      lines: () => this.screen.plainLines(),
      cursorRow: () => this.screen.cursor().y,
      commitStable: (busy) =>
        this.takeScreenText(
          this.screen.commit(this.profile.stableRows(this.screen.plainLines(), this.screen.cursor().y, busy)),
        ),
      parsePending: () => this.pendingParse > 0,
      paused: () => this.paused,
      lastOutputAt: () => this.lastOutputAt,
      atInput: () => this.input.atInput(),
      typeInitialPrompt: (text) => {
        void this.send(text, false).catch((e: Error) => this.events.warning(`#${this.n}: ${e.message}`));
      },
      status: (prev) => {
        this.checkPersonPick();
        this.events.status(prev);
      },
      output: () => {
        this.checkPersonPick();
        this.events.output();
      },
      file: (ev) => this.events.file(ev),
      wake: () => this.input.wake(),
    };
  }

  // ---- commands (see session-input.ts) ----

  /**
   * Send `text` as a prompt. When the session is RUNNING (or waiting on a dialog) and `interrupt`
   * is not false, interrupt it first and wait (bounded) until it has stopped.
   */
  send(text: string, interrupt = true): Promise<void> {
    return this.input.send(text, interrupt);
  }

  /** Pick option `choice` (its id or label) in the dialog the session waits on; see answer.ts. */
  answer(choice: string): Promise<{ dialog: string; option: WaitingOption }> {
    return this.input.answer(choice);
  }

  interrupt(): Promise<void> {
    return this.input.interrupt();
  }

  /** Raw keyboard bytes (passthrough). */
  write(data: string): void {
    if (this.exited) return;
    const w = this.turns.currentStatus === 'WAITING' ? this.turns.currentWaiting : undefined;
    if (w && !this.input.isAnswering) this.notePersonPick(w, data);
    this.pty?.write(data);
  }

  /**
   * Keys the person typed into a dialog: Enter picks the option under the cursor, a digit the
   * option with that id. When the dialog then goes (or changes), an `answered` event says the
   * person picked it (see checkPersonPick).
   */
  private notePersonPick(w: Waiting, data: string): void {
    const id = data === '\r' ? w.selected : /^\d$/.test(data) ? data : undefined;
    const option = w.options.find((o) => o.id === id);
    this.personPick = option ? { dialog: w, option, at: Date.now() } : undefined;
  }

  /** At each status or screen change: a dialog the person typed an answer into has gone. */
  private checkPersonPick(): void {
    const pick = this.personPick;
    if (!pick) return;
    const now = this.turns.currentStatus === 'WAITING' ? this.turns.currentWaiting : undefined;
    if (now && now.name === pick.dialog.name && now.text === pick.dialog.text) return;
    this.personPick = undefined;
    if (Date.now() - pick.at > PERSON_PICK_MS) return;
    this.events.answered({ dialog: pick.dialog.name, option: pick.option, by: 'person', at: pick.at });
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
    clearTimeout(this.closeTimer);
    clearTimeout(this.notifyTimer);
    this.turns.stop();
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
      this.turns.setStatus(status, reason);
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
    const turns = this.turns.snapshot();
    const waiting = this.turns.currentWaiting;
    return {
      id: this.id,
      n: this.n,
      agent: this.profile.name,
      command: this.command,
      cwd: this.init.cwd,
      prompt: this.init.prompt,
      lastPrompt: turns.lastPrompt,
      status: this.turns.currentStatus,
      reason: this.turns.currentReason,
      ...(waiting ? { waiting: { ...waiting, options: [...waiting.options] } } : {}),
      ...(this.input.sendError ? { sendError: this.input.sendError } : {}),
      exitCode: this.exitCode,
      signal: this.signal,
      startedAt: this.startedAt,
      turnStartedAt: turns.turnStartedAt,
      turnEndedAt: turns.turnEndedAt,
      lastOutputAt: this.lastOutputAt,
      endedAt: this.endedAt,
      turnDurations: turns.turnDurations,
      filesWritten: turns.filesWritten,
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
    return this.turns.currentStatus;
  }

  get screenState(): ScreenState {
    return this.turns.screenState;
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
    clearTimeout(this.closeTimer);
    clearTimeout(this.batchTimer);
    this.turns.stop();
    this.text.close();
    this.screen.dispose();
  }
}
