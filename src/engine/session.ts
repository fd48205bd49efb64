/**
 * One agent session: a PTY, a headless screen, a transcript, a status and its timings. Session
 * composes its parts and holds no logic of theirs: the process's lifecycle (agent-process.ts),
 * the output pump and flow control (output-pump.ts), turn tracking (turns.ts), input
 * (session-input.ts), the plain-text stream (text-stream.ts). Commands (send, interrupt) are
 * serialized per session so their bytes never interleave.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { AgentProfile, ScreenState } from '../agents/profile.js';
import { AgentProcess } from './agent-process.js';
import { lastOutputLine } from './exit-reason.js';
import { type FlowState, OutputPump } from './output-pump.js';
import { PersonPick } from './person-pick.js';
import { Screen } from './screen.js';
import { DEFAULT_SCROLLBACK, type SessionEvents, type SessionInit } from './session-init.js';
import { SessionInput } from './session-input.js';
import { StableGate } from './stable-gate.js';
import { TextStream } from './text-stream.js';
import { Transcript } from './transcript.js';
import { type TurnHost, TurnTracker } from './turns.js';
import type {
  OutputChunk,
  SessionSnapshot,
  SessionStatus,
  StyledLine,
  Waiting,
  WaitingOption,
} from './types.js';

export {
  DEFAULT_SCROLLBACK,
  DEFAULT_TIMINGS,
  type SessionEvents,
  type SessionInit,
  type SessionTimings,
} from './session-init.js';

export class Session {
  readonly id: string;
  readonly n: number;
  private readonly init: SessionInit;
  private readonly profile: AgentProfile;
  readonly screen: Screen;
  private transcript: Transcript | undefined;
  /** Which stable rows two flushes agree on (see settle). */
  private readonly stableGate = new StableGate();
  private transcriptError: string | undefined;
  private events: SessionEvents;
  private command: string[] = [];
  /** The agent's own conversation id (LaunchSpec.agentSessionId). */
  private agentSessionId: string | undefined;
  /** The process: launch, kill, closed terminal, reaping, the facts of its end. */
  private readonly proc: AgentProcess;
  /** Output to transcript and screen, flow control, batched flushes, flood notices. */
  private readonly pump: OutputPump;
  /** The plain-text stream (the agent's structured log, or the screen's stable rows). */
  private readonly text: TextStream;
  /** The status and its turns (hooks, screen, timers). */
  private readonly turns: TurnTracker;
  /** Prompts, answers, interrupts, and the conditions they wait on. */
  private readonly input: SessionInput;
  /** Dialogs the person answers with keys (see write()). */
  private readonly personPick: PersonPick;

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
      rowCache: init.rowCache ?? true,
      ...(init.parsePump ? { pump: init.parsePump } : {}),
    });
    this.proc = new AgentProcess({
      n: this.n,
      profile: this.profile,
      killGraceMs: init.timings.killGraceMs,
      earlyExitMs: init.timings.earlyExitMs,
      ...(init.privateFile ? { privateFile: init.privateFile } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      warning: (m) => this.events.warning(m),
    });
    this.pump = new OutputPump(
      {
        record: (d) => this.transcript?.writeRaw(d),
        parse: (d, parsed) => this.screen.write(d, parsed),
        diskBacklog: () => this.transcript?.backlog ?? 0,
        settle: (final) => this.settle(final),
        output: () => this.events.output(),
        wake: () => this.input.wake(),
      },
      init.timings.batchMs,
    );
    this.personPick = new PersonPick((a) => this.events.answered(a));
    this.text = new TextStream(this.screen, `#${this.n}`, this.profile.name, {
      writeText: (t) => this.transcript?.writeText(t),
      changed: () => {
        if (!this.proc.exited) this.events.output();
      },
      warning: (m) => this.events.warning(m),
      afterRead: () => this.turns.onTextRead(),
    });
    this.turns = new TurnTracker(this.profile, this.text, this.turnHost(), init.prompt);
    if (init.resumed) this.turns.resumed(init.resumed);
    this.input = new SessionInput({
      n: this.n,
      profile: this.profile,
      timings: init.timings,
      turns: this.turns,
      exited: () => this.proc.exited,
      write: (d) => this.proc.write(d),
      screen: () => ({ lines: this.screen.plainLines(), cursorRow: this.screen.cursor().y }),
      warning: (m) => this.events.warning(m),
      output: () => this.events.output(),
    });
    // A flood of short lines can fill the scrollback between two flushes: commit what has
    // scrolled off the screen whenever the screen asks (see Screen.feed).
    this.screen.onCommitNeeded(() => this.takeScreenText(this.screen.commit(0)));
    this.screen.onReply((d) => this.proc.writeIfAlive(d));
    // Once per session: a parser that throws on every chunk must not flood the log.
    this.screen.onParseError((e, count) => {
      if (count === 1) this.events.warning(parseErrorWarning(this.n, e));
    });
  }

  // ---- lifecycle ----

  /** Launch the agent. Problems become FAILED with a reason; this never throws. */
  start(hookUrl = this.init.hookUrl): void {
    const { init } = this;
    const cwd = isAbsolute(init.cwd) ? init.cwd : resolve(init.cwd);
    const { plan, problem } = this.proc.plan(
      { prompt: init.prompt, agentArgs: init.agentArgs, hookUrl, agentSessionId: randomUUID() },
      init.env,
      cwd,
    );
    const { spec, env } = plan;
    this.agentSessionId = spec.agentSessionId;
    this.command = plan.command;
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
          this.pump.updateFlow();
        },
        () => this.pump.updateFlow(),
      );
    }
    const size = { cols: this.screen.cols, rows: this.screen.rows };
    try {
      this.proc.spawn(
        init.ptyFactory,
        { file: problem.path, args: spec.args, cwd, env, ...size },
        { data: (d) => this.pump.onData(d), exit: () => this.onExit() },
      );
    } catch (e) {
      this.failEarly(`could not start ${spec.file}: ${(e as Error).message}`);
      return;
    }
    this.pump.attach(this.proc);
    this.startFeed(cwd, env);
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
    if (this.proc.started || this.proc.exited)
      throw new Error(`session #${this.n} has started; it cannot move`);
    this.init.cwd = cwd;
  }

  /** Fail without starting anything (bad input found before launch). */
  fail(reason: string): void {
    if (!this.proc.exited) this.failEarly(reason);
  }

  private failEarly(reason: string): void {
    this.proc.fail();
    this.turns.setStatus('FAILED', reason);
    this.proc.finish();
    queueMicrotask(() => this.events.exit());
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** The process exited: let the screen parse what is still queued, then record the final state. */
  private onExit(): void {
    this.pump.stop();
    this.turns.stop();
    this.screen.write('', () => {
      this.text.finish();
      this.pump.flush(true);
      const { status, reason } = this.proc.end(
        lastOutputLine(this.screen.plainLines(), this.profile.isChrome),
      );
      this.turns.setStatus(status, reason);
      // Everything the status and the text log need is read: free the emulator (see release()).
      if (this.init.releaseScreen !== false) this.screen.release();
      void (this.transcript?.close() ?? Promise.resolve()).then(() => {
        this.proc.finish();
        this.events.exit();
      });
    });
  }

  /** SIGTERM the agent's whole process group, SIGKILL after the grace period; resolves on exit. */
  kill(): Promise<void> {
    return this.proc.kill();
  }

  get ended(): Promise<void> {
    return this.proc.ended;
  }

  get isEnded(): boolean {
    return this.proc.exited;
  }

  // ---- output (see output-pump.ts) ----

  /** The screen shows new output (a flush): commit its stable lines, re-read its state. */
  private settle(final: boolean): boolean {
    const lines = this.screen.plainLines();
    let held = false;
    let stable: number;
    if (final) {
      stable = this.lastNonBlankRow(lines) + 1;
      this.stableGate.reset();
    } else {
      const now = this.profile.stableRows(
        lines,
        this.screen.cursor().y,
        this.turns.currentStatus === 'RUNNING',
      );
      // Rows two flushes agree on (see stable-gate.ts); the rest wait for the next look.
      stable = this.stableGate.gate(lines, this.screen.scrollbackLength(), now);
      held = stable < now;
    }
    // Commit even without a transcript: `transcript?.writeText(commit())` would skip the commit.
    this.takeScreenText(this.screen.commit(stable, final));
    if (!this.proc.exited) this.turns.onScreenState(this.profile.detect(lines), lines);
    return held;
  }

  /** Flow control's state: is the agent held back, how much waits for the parser. */
  flow(): FlowState {
    return this.pump.flow();
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
      exited: () => this.proc.exited,
      lines: () => this.screen.plainLines(),
      cursorRow: () => this.screen.cursor().y,
      commitStable: (busy) =>
        this.takeScreenText(
          this.screen.commit(this.profile.stableRows(this.screen.plainLines(), this.screen.cursor().y, busy)),
        ),
      parsePending: () => this.pump.flow().pendingParse > 0,
      paused: () => this.pump.flow().paused,
      lastOutputAt: () => this.pump.lastOutput,
      atInput: () => this.input.atInput(),
      typeInitialPrompt: (text) => {
        void this.send(text, false).catch((e: Error) => this.events.warning(`#${this.n}: ${e.message}`));
      },
      status: (prev) => {
        this.personPick.check(this.shownDialog());
        this.events.status(prev);
      },
      output: () => {
        this.personPick.check(this.shownDialog());
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

  /** Raw keyboard bytes (passthrough); keys into a dialog may be its answer (see person-pick.ts). */
  write(data: string): void {
    if (this.proc.exited) return;
    const w = this.shownDialog();
    if (w && !this.input.isAnswering) this.personPick.keys(w, data);
    this.proc.writeIfAlive(data);
  }

  /** The dialog a WAITING session shows. */
  private shownDialog(): Waiting | undefined {
    return this.turns.currentStatus === 'WAITING' ? this.turns.currentWaiting : undefined;
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(1, Math.floor(cols));
    const r = Math.max(1, Math.floor(rows));
    if (c !== this.screen.cols || r !== this.screen.rows) this.text.resized();
    this.screen.resize(c, r);
    this.stableGate.reset();
    this.proc.resize(c, r);
  }

  // ---- reads ----

  snapshot(): SessionSnapshot {
    const turns = this.turns.snapshot();
    const waiting = this.turns.currentWaiting;
    const proc = this.proc.facts();
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
      exitCode: proc.exitCode,
      signal: proc.signal,
      startedAt: this.proc.startedAt,
      turnStartedAt: turns.turnStartedAt,
      turnEndedAt: turns.turnEndedAt,
      lastOutputAt: this.pump.lastOutput,
      endedAt: proc.endedAt,
      turnDurations: turns.turnDurations,
      filesWritten: turns.filesWritten,
      lastLine: this.screen.lastLine(),
      cols: this.screen.cols,
      rows: this.screen.rows,
      bytesReceived: this.pump.bytesReceived,
      pid: proc.pid,
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
    this.pump.clearTimers();
    this.proc.dispose();
    this.turns.stop();
    this.text.close();
    this.screen.dispose();
  }
}

/** The one-line notice for a session whose output the terminal emulator failed to parse. */
export function parseErrorWarning(n: number, error: unknown): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `#${n}: the terminal emulator failed on this session's output (${what.slice(0, 100)}); its pane may miss that part until the agent redraws, the .raw transcript keeps every byte`;
}
