/**
 * The lifecycle of one agent's process: its launch (the plan, private files, the PTY), stopping
 * it (SIGHUP+SIGTERM, SIGKILL after a grace period; a closed terminal), reaping what it leaves
 * behind, and the facts its end is classified from (exit-reason.ts). Knows no screen, no
 * transcript and no status: the session hears of data and of the exit through ProcessEvents.
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { AgentProfile, LaunchContext } from '../agents/profile.js';
import { classifyExit, type ExitOutcome } from './exit-reason.js';
import { type LaunchPlan, launchProblem, planLaunch } from './launch-plan.js';
import { isAlive, killQuietly, type Resolved, signalAgent } from './proc.js';
import type { PtyFactory, PtyProcess, PtySpawnOptions } from './pty.js';

/** After the terminal closes, how long the agent has to exit before axiom stops it. */
export const CLOSED_TERMINAL_GRACE_MS = 1000;

/** Signals the agent's processes; returns the pids it reached (see signalAgent). */
export type SignalAgent = (pid: number, signal: NodeJS.Signals, tag?: string) => number[] | undefined;

export interface AgentProcessInit {
  n: number;
  profile: AgentProfile;
  /** After SIGTERM, wait this long before SIGKILL. */
  killGraceMs: number;
  /** An exit within this long of the start counts as "exited at once". */
  earlyExitMs: number;
  /** Writes a file only this user can read and returns its path (see LaunchContext.privateFile). */
  privateFile?: (name: string, content: string) => string;
  /** Default: signalAgent (the group, the session, descendants and tagged processes). */
  signal?: SignalAgent;
  warning(message: string): void;
}

/** What the session hears from its process. */
export interface ProcessEvents {
  data(d: Buffer): void;
  /** The process exited and what it left behind is reaped; `end()` gives the outcome. */
  exit(): void;
}

/** The launch as planned, and why it cannot start here (with the fix) or the executable. */
export interface PlannedLaunch {
  plan: LaunchPlan;
  cwd: string;
  problem: Resolved;
}

export class AgentProcess {
  /** Marks every process this agent starts (env SESSION_TAG_VAR), so none can slip away. */
  readonly tag = randomUUID();
  readonly startedAt = Date.now();
  private pty: PtyProcess | undefined;
  private done = false;
  private endedAt: number | undefined;
  private exitCode: number | null | undefined;
  private exitSignal: number | null | undefined;
  /** The raw exit as node-pty reported it (classified at the end). */
  private raw: { exitCode: number; signal: number | undefined } | undefined;
  private killing = false;
  /** Set when kill() had to escalate to SIGKILL: how long SIGTERM was ignored. */
  private ignoredTermMs: number | undefined;
  /** The agent closed its terminal and did not exit: axiom stopped it. */
  private closedTerminal = false;
  private closeTimer: NodeJS.Timeout | undefined;
  private readonly knownPids = new Set<number>();
  /** Private launch files (hook settings), removed when the agent exits. */
  private readonly privateFiles: string[] = [];
  private readonly endedPromise: Promise<void>;
  private resolveEnded!: () => void;

  constructor(private readonly init: AgentProcessInit) {
    this.endedPromise = new Promise((r) => {
      this.resolveEnded = r;
    });
  }

  // ---- reads ----

  /** The process is gone (or never started: a failed launch). */
  get exited(): boolean {
    return this.done;
  }
  get started(): boolean {
    return this.pty !== undefined;
  }
  get pid(): number | undefined {
    return this.pty?.pid;
  }
  /** Resolves once the session has ended (see finish()). */
  get ended(): Promise<void> {
    return this.endedPromise;
  }
  /** The process part of the session's snapshot. */
  facts(): {
    exitCode: number | null | undefined;
    signal: number | null | undefined;
    endedAt: number | undefined;
    pid: number | undefined;
  } {
    return {
      exitCode: this.exitCode,
      signal: this.exitSignal,
      endedAt: this.endedAt,
      pid: this.done ? undefined : this.pty?.pid,
    };
  }

  // ---- launch ----

  /** The launch for `ctx` over `env` in `cwd`, and whether it can start (nothing is started). */
  plan(ctx: Omit<LaunchContext, 'privateFile'>, env: Record<string, string>, cwd: string): PlannedLaunch {
    const { n, privateFile: writePrivate, profile } = this.init;
    const privateFile = writePrivate
      ? (name: string, content: string): string => {
          try {
            const path = writePrivate(`${n}-${name}`, content);
            this.privateFiles.push(path);
            return path;
          } catch (e) {
            this.init.warning(
              `#${n}: could not write ${name} privately (${(e as Error).message}); the hook secret is visible in the process list`,
            );
            throw e;
          }
        }
      : undefined;
    const plan = planLaunch(profile, { ...ctx, privateFile }, env, this.tag);
    return { plan, cwd, problem: launchProblem(cwd, plan.spec.file, plan.env.PATH, profile.installHint) };
  }

  /** Start the PTY (throws what the factory throws); `events` hears its data and its exit. */
  spawn(factory: PtyFactory, opts: PtySpawnOptions, events: ProcessEvents): void {
    const pty = factory(opts);
    this.pty = pty;
    pty.onData((d) => events.data(d));
    pty.onExit((e) => this.onExit(e.exitCode, e.signal, events));
    pty.onClose?.(() => this.onTerminalClosed());
  }

  /** Bytes to the agent's terminal; throws once it has exited. */
  write(d: string): void {
    if (this.done || !this.pty) throw new Error(`#${this.init.n} has exited`);
    this.pty.write(d);
  }

  /** Bytes to the agent's terminal if it is there (replies, keys); dropped once it has exited. */
  writeIfAlive(d: string): void {
    if (!this.done) this.pty?.write(d);
  }

  resize(cols: number, rows: number): void {
    if (this.done) return;
    try {
      this.pty?.resize(cols, rows);
    } catch {
      // The PTY may have closed between our check and the call.
    }
  }

  pause(): void {
    this.pty?.pause();
  }
  resume(): void {
    this.pty?.resume();
  }

  // ---- the end ----

  /** Ended without a process (bad input, a launch problem). */
  fail(): void {
    this.done = true;
    this.endedAt = Date.now();
  }

  /** The session has recorded its end: `ended` resolves. */
  finish(): void {
    this.resolveEnded();
  }

  /** SIGTERM the agent's whole process group, SIGKILL after the grace period; resolves on the end. */
  async kill(): Promise<void> {
    if (this.done || !this.pty) {
      await this.endedPromise;
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
    const graceMs = this.init.killGraceMs;
    const grace = setTimeout(() => {
      if (!this.done) this.ignoredTermMs = graceMs;
      signal('SIGKILL');
    }, graceMs);
    await this.endedPromise;
    clearTimeout(grace);
  }

  /** How it ended, in words (see exit-reason.ts); `lastLine` is its last line of output. */
  end(lastLine: string): ExitOutcome {
    const { exitCode = 0, signal } = this.raw ?? {};
    return classifyExit({
      exitCode,
      signal,
      ranMs: (this.endedAt ?? Date.now()) - this.startedAt,
      earlyExitMs: this.init.earlyExitMs,
      killing: this.killing,
      ignoredTermMs: this.ignoredTermMs,
      closedTerminal: this.closedTerminal,
      lastLine,
    });
  }

  dispose(): void {
    clearTimeout(this.closeTimer);
  }

  /**
   * The PTY closed. Normally the agent is exiting and onExit follows at once; if it is still
   * running after a grace period, it closed its terminal and can no longer be reached: stop it.
   */
  private onTerminalClosed(): void {
    if (this.done) return;
    this.closeTimer = setTimeout(() => {
      if (this.done || this.killing) return;
      this.closedTerminal = true;
      void this.kill();
    }, CLOSED_TERMINAL_GRACE_MS);
  }

  private onExit(exitCode: number, signal: number | undefined, events: ProcessEvents): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.closeTimer);
    for (const f of this.privateFiles.splice(0)) rmSync(f, { force: true });
    const pid = this.pty?.pid;
    // Children that outlive the agent (same group or session, or tagged daemons) go with it.
    if (pid !== undefined) {
      for (const p of (this.init.signal ?? signalAgent)(pid, 'SIGKILL', this.tag) ?? [])
        this.knownPids.add(p);
      for (const p of this.knownPids) if (p !== pid && isAlive(p)) killQuietly(p);
    }
    this.raw = { exitCode, signal };
    // Killed by a signal, a process has no exit code (node-pty reports 0 then).
    this.exitCode = signal ? null : exitCode;
    this.exitSignal = signal || null;
    this.endedAt = Date.now();
    events.exit();
  }
}
