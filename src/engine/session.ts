/**
 * One agent session: a PTY, a headless screen, a transcript, a status and its timings.
 * Commands (send, interrupt) are serialized per session so their bytes never interleave.
 */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { AgentProfile, ScreenState } from '../agents/profile.js';
import { checkPromptText } from '../agents/profile.js';
import { isAlive, killQuietly, type Resolved, resolveExecutable, signalAgent } from './proc.js';
import type { PtyFactory, PtyProcess } from './pty.js';
import { Screen } from './screen.js';
import { Transcript } from './transcript.js';
import type { FileEvent, OutputChunk, SessionSnapshot, SessionStatus, StyledLine } from './types.js';

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
}

export const DEFAULT_TIMINGS: SessionTimings = {
  batchMs: 16,
  interruptWaitMs: 3000,
  readyWaitMs: 30000,
  killGraceMs: 2000,
  earlyExitMs: 2000,
  startFallbackMs: 3000,
};

/** Pause the PTY when this many bytes wait to be parsed; resume below the low mark. */
const HIGH_WATER = 4 * 1024 * 1024;
const LOW_WATER = 512 * 1024;
/** After a submit, how long the screen may still show the previous turn's state. */
const SUBMIT_GRACE_MS = 700;
/** After a Stop hook, how long to wait for the agent to draw its last lines. */
const STOP_SETTLE_MS = 400;

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
  transcriptDir?: string;
  /** Why transcripts are off for the whole run, if they are. */
  transcriptError?: string;
  scrollback?: number;
  /** Signals the agent's processes (default: its group, session and descendants). Tests inject a fake. */
  signal?: (pid: number, signal: NodeJS.Signals) => number[] | undefined;
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
  private paused = false;
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

  constructor(init: SessionInit, events: SessionEvents) {
    this.init = init;
    this.id = init.id;
    this.n = init.n;
    this.profile = init.profile;
    this.events = events;
    this.lastPrompt = init.prompt;
    this.transcriptError = init.transcriptError;
    this.screen = new Screen({ cols: init.cols, rows: init.rows, scrollback: init.scrollback ?? 5000 });
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
    const spec = this.profile.launch({ prompt: init.prompt, agentArgs: init.agentArgs, hookUrl });
    const env: Record<string, string> = { ...init.env };
    for (const [k, v] of Object.entries(spec.env)) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    env.TERM = 'xterm-256color';
    env.COLORTERM ??= 'truecolor';
    this.command = [spec.file, ...spec.args];
    const problem = this.launchProblem(cwd, spec.file, env.PATH);
    if (problem.ok === false) {
      this.failEarly(problem.reason);
      return;
    }
    this.promptInArgs = spec.promptInArgs;
    if (init.prompt && !spec.promptInArgs) this.pendingInitialPrompt = init.prompt;
    if (init.transcriptDir && !this.transcriptError) {
      this.transcript = new Transcript(init.transcriptDir, String(this.n), (msg) => {
        this.transcriptError = msg;
        this.events.warning(`#${this.n}: transcript off: ${msg}`);
      });
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
    this.pty.onData((d) => this.onData(d));
    this.pty.onExit((e) => this.onExit(e.exitCode, e.signal));
    this.startTimer = setTimeout(() => {
      if (this.status === 'STARTING') this.becomeReady();
    }, init.timings.startFallbackMs);
  }

  /** Why the agent cannot start here, with the fix; or the resolved executable. */
  private launchProblem(cwd: string, file: string, pathEnv: string | undefined): Resolved {
    if (!existsSync(cwd))
      return { ok: false, reason: `working directory does not exist: ${cwd} (create it or pass --cwd)` };
    if (!statSync(cwd).isDirectory())
      return { ok: false, reason: `working directory is not a directory: ${cwd}` };
    const exe = resolveExecutable(file, pathEnv, cwd);
    if (exe.ok) return exe;
    const fix =
      this.profile.name === 'claude'
        ? 'install Claude Code (npm install -g @anthropic-ai/claude-code), set AXIOM_CLAUDE_BIN, or use --agent'
        : 'check the --agent command';
    return { ok: false, reason: `${exe.reason}; ${fix}` };
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
    this.lastOutputAt = Date.now();
    this.transcript?.writeRaw(d);
    this.pendingParse += d.length;
    if (!this.paused && this.pendingParse > HIGH_WATER && this.pty) {
      this.paused = true;
      this.pty.pause();
    }
    this.screen.write(d, () => {
      this.pendingParse -= d.length;
      if (this.paused && this.pendingParse < LOW_WATER && !this.exited) {
        this.paused = false;
        this.pty?.resume();
      }
    });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.batchTimer) return;
    this.batchTimer = setTimeout(() => {
      this.batchTimer = undefined;
      this.flush();
    }, this.init.timings.batchMs);
  }

  /** Commit stable lines, re-read the state off the screen, notify front ends. */
  private flush(final = false): void {
    const lines = this.screen.plainLines();
    const stable = final
      ? this.lastNonBlankRow(lines) + 1
      : this.profile.stableRows(lines, this.screen.cursor().y);
    const added = this.screen.commit(stable);
    this.transcript?.writeLines(added);
    if (!this.exited) this.onScreenState(this.profile.detect(lines));
    this.events.output();
  }

  private lastNonBlankRow(lines: string[]): number {
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]?.trim()) return i;
    return -1;
  }

  // ---- state ----

  private onScreenState(state: ScreenState): void {
    this.lastState = state;
    const s = this.status;
    if (s === 'STARTING') {
      if (state !== 'starting') this.becomeReady();
      return;
    }
    if (state === 'permission') {
      if (s !== 'WAITING') this.setStatus('WAITING', 'permission needed: answer the dialog');
    } else if (Date.now() < this.screenGraceUntil) {
      // The agent has not redrawn since our submit yet.
    } else if (state === 'busy') {
      // From the screen we only move to RUNNING when hooks cannot tell us (or a dialog was answered).
      if ((s === 'WAITING' && this.reason?.startsWith('permission')) || (!this.hooksSeen && s !== 'RUNNING'))
        this.startTurn();
    } else if (state === 'interrupted') {
      if (s === 'RUNNING' || (s === 'WAITING' && this.reason?.startsWith('permission')))
        this.endTurn('INTERRUPTED');
    }
    if (this.pendingStop && state !== 'busy') this.finishStop();
    this.armIdleTimer();
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
    this.transcript?.writeLines(this.screen.commit(this.profile.stableRows(lines, this.screen.cursor().y)));
    if (this.status === 'RUNNING' || this.status === 'WAITING') this.endTurn('COMPLETED');
  }

  private becomeReady(): void {
    clearTimeout(this.startTimer);
    if (this.status !== 'STARTING') return;
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
    this.interruptSent = false;
    this.pendingStop = false;
    clearTimeout(this.stopTimer);
    this.turnStartedAt = Date.now();
    this.turnEndedAt = undefined;
    this.setStatus('RUNNING');
    this.armIdleTimer();
  }

  private endTurn(status: 'COMPLETED' | 'INTERRUPTED' | 'WAITING', reason?: string): void {
    if (this.status === 'RUNNING' && this.turnStartedAt !== undefined) {
      this.turnEndedAt = Date.now();
      this.turnDurations.push(this.turnEndedAt - this.turnStartedAt);
    }
    clearTimeout(this.idleTimer);
    this.setStatus(status, reason);
  }

  private setStatus(status: SessionStatus, reason?: string): void {
    const prev = this.status;
    if (prev === status && this.reason === reason) return;
    this.status = status;
    this.reason = reason;
    if (prev !== status) this.events.status(prev);
    else this.events.output();
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** A hook event from the agent (claude). */
  onHook(payload: Record<string, unknown>): void {
    if (this.exited) return;
    this.hooksSeen = true;
    clearTimeout(this.idleTimer);
    const ev = payload.hook_event_name;
    switch (ev) {
      case 'UserPromptSubmit':
        if (typeof payload.prompt === 'string' && payload.prompt) this.lastPrompt = payload.prompt;
        if (this.status !== 'RUNNING') this.startTurn();
        break;
      case 'PreToolUse':
        if (this.status === 'WAITING' && this.reason?.startsWith('permission')) this.setStatus('RUNNING');
        break;
      case 'PermissionRequest': {
        const tool = typeof payload.tool_name === 'string' ? payload.tool_name : 'a tool';
        this.setStatus('WAITING', `permission needed for ${tool}: answer the dialog`);
        break;
      }
      case 'PostToolUse': {
        if (this.status === 'WAITING') this.setStatus('RUNNING');
        const tool = String(payload.tool_name ?? '');
        const input = payload.tool_input as Record<string, unknown> | undefined;
        const path = input?.file_path ?? input?.notebook_path;
        if (/^(Write|Edit|MultiEdit|NotebookEdit)$/.test(tool) && typeof path === 'string') {
          const abs = isAbsolute(path)
            ? path
            : resolve(typeof payload.cwd === 'string' ? payload.cwd : this.init.cwd, path);
          const fe: FileEvent = { path: abs, tool, at: Date.now() };
          this.files.push(fe);
          this.events.file(fe);
        }
        break;
      }
      case 'Stop':
        this.onStopHook();
        break;
      default:
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
      if (this.status === 'STARTING') {
        const ready = await this.waitFor(() => this.status !== 'STARTING', this.init.timings.readyWaitMs);
        if (!ready) throw new Error(`#${this.n} did not become ready in ${this.init.timings.readyWaitMs} ms`);
        this.assertAlive();
      }
      if (
        interrupt &&
        (this.status === 'RUNNING' || (this.status === 'WAITING' && this.reason?.startsWith('permission')))
      ) {
        await this.doInterrupt();
      }
      this.lastPrompt = text;
      await this.writeSteps(this.profile.submitSteps(text));
      this.screenGraceUntil = Date.now() + SUBMIT_GRACE_MS;
      if (this.status !== 'RUNNING') this.startTurn();
    });
  }

  interrupt(): Promise<void> {
    return this.serialize(async () => {
      this.assertAlive();
      await this.doInterrupt();
    });
  }

  private async doInterrupt(): Promise<void> {
    const stopped = () =>
      this.status !== 'RUNNING' && !(this.status === 'WAITING' && this.reason?.startsWith('permission'));
    const wasRunning = !stopped();
    if (wasRunning) this.interruptSent = true;
    await this.writeSteps([{ data: this.profile.interruptSequence(), delayMs: 0 }]);
    if (!wasRunning) return;
    const half = Math.floor(this.init.timings.interruptWaitMs / 2);
    if (!(await this.waitFor(stopped, half))) {
      // Some turns ignore the first Esc while a tool starts; one more (never a double Ctrl+C).
      await this.writeSteps([{ data: this.profile.interruptSequence(), delayMs: 0 }]);
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
      for (const p of (this.init.signal ?? signalAgent)(pid, sig) ?? []) this.knownPids.add(p);
    };
    signal('SIGHUP');
    signal('SIGTERM');
    const grace = setTimeout(() => signal('SIGKILL'), this.init.timings.killGraceMs);
    await this.exitPromise;
    clearTimeout(grace);
  }

  private onExit(exitCode: number, signal: number | undefined): void {
    if (this.exited) return;
    this.exited = true;
    clearTimeout(this.batchTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.startTimer);
    clearTimeout(this.stopTimer);
    this.batchTimer = undefined;
    const pid = this.pty?.pid;
    // Children that outlive the agent (same group or session) go with it.
    if (pid !== undefined) {
      for (const p of (this.init.signal ?? signalAgent)(pid, 'SIGKILL') ?? []) this.knownPids.add(p);
      for (const p of this.knownPids) if (p !== pid && isAlive(p)) killQuietly(p);
    }
    this.exitCode = exitCode;
    this.signal = signal ?? null;
    this.endedAt = Date.now();
    // Let the screen parse what is still queued, then record the final state.
    this.screen.write('', () => {
      this.flush(true);
      const early = this.endedAt! - this.startedAt < this.init.timings.earlyExitMs;
      const last = this.screen.lastLine();
      const tail = last ? `: ${last.slice(0, 160)}` : '';
      if (this.killing) this.setStatus('EXITED', 'killed');
      else if (signal) this.setStatus('FAILED', `killed by signal ${signal}${tail}`);
      else if (exitCode !== 0)
        this.setStatus('FAILED', `${early ? 'exited at once' : 'exited'} with code ${exitCode}${tail}`);
      else if (early)
        this.setStatus(
          'EXITED',
          `exited at once with code 0${tail}; check the agent command and its arguments`,
        );
      else this.setStatus('EXITED', 'exited with code 0');
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
    const { lines, dropped, cursor: next } = this.screen.readLog(cursor);
    const head = dropped > 0 ? [`[axiom: ${dropped} earlier lines are only in the transcript on disk]`] : [];
    const all = [...head, ...lines];
    return { cursor: next, text: all.length ? `${all.join('\n')}\n` : '' };
  }

  dispose(): void {
    clearTimeout(this.stopTimer);
    clearTimeout(this.batchTimer);
    clearTimeout(this.idleTimer);
    clearTimeout(this.startTimer);
    this.screen.dispose();
  }
}
