/**
 * The engine: spawns and tracks sessions, routes hook events, batches notifications to front
 * ends, and shuts everything down. No React, Ink or MCP here.
 */
import { EventEmitter } from 'node:events';
import type { AgentProfile } from '../agents/profile.js';
import { AgentVersions } from './agent-versions.js';
import type { Engine } from './engine.js';
import { UnknownSessionError } from './engine.js';
import type { ApplyResult, DiffTextOptions } from './git/worktree.js';
import { HookServer } from './hook-server.js';
import type { ManagerOptions } from './manager-options.js';
import { PrivateFiles } from './private-files.js';
import { nodePtyFactory } from './pty.js';
import { ManifestWriter } from './runs.js';
import { DEFAULT_TIMINGS, Session, type SessionTimings } from './session.js';
import { planSpawn } from './spawn-plan.js';
import { Steering } from './steering.js';
import { createRunDir, defaultStateDir, newRunId } from './transcript.js';
import type {
  Answer,
  EngineEvents,
  OutputChunk,
  SendOptions,
  SessionSnapshot,
  SpawnOptions,
  StyledLine,
} from './types.js';
import { IDLE_STATUSES, PERSON } from './types.js';
import { AgentGuard } from './watchdog.js';
import { Worktrees } from './worktrees.js';

export type { ManagerOptions } from './manager-options.js';
export { defaultProfileFor } from './spawn-plan.js';

export class SessionManager extends EventEmitter implements Engine {
  private readonly sessions = new Map<string, Session>();
  private readonly opts: ManagerOptions;
  private readonly timings: SessionTimings;
  private readonly hookServer: HookServer | undefined;
  private hookReady: Promise<void> | undefined;
  private nextN = 1;
  private warnedTranscripts = false;
  /** Files that carry the hook secret (removed at shutdown). */
  private readonly privateFiles = new PrivateFiles();
  private shuttingDown: Promise<void> | undefined;
  readonly runId: string;
  readonly runDir: string | undefined;
  /** Why transcripts are off, if they are. */
  readonly transcriptError: string | undefined;
  private readonly worktrees: Worktrees;
  /** `runs/<run-id>/manifest.json` (when there is a run directory). */
  private readonly manifest: ManifestWriter | undefined;
  private readonly agentArgsOf = new Map<string, { args: string[]; agent: string }>();
  /** Each executable's version, asked once per run (see agent-versions.ts). */
  private readonly versions = new AgentVersions((m) => this.emit('warning', m));
  /** Tells the watchdog which agents run (see watchdog.ts). */
  private readonly guard: AgentGuard;
  /** Who steers each session (owner client, held, taken over) and who sent each direction. */
  private readonly steering = new Steering(
    {
      control: (id) => {
        const s = this.get(id);
        if (s) this.emit('control', s);
      },
      direction: (id, d) => {
        const snap = this.get(id);
        if (d.from !== PERSON || snap?.owner !== undefined || snap?.takenOver)
          this.sessions.get(id)?.noteDirection(d.from, d.text);
        this.emit('direction', id, d);
      },
      clients: (names) => this.emit('clients', names),
    },
    (id) => this.sessions.get(id)?.output(Number.MAX_SAFE_INTEGER).cursor ?? 0,
  );

  constructor(opts: ManagerOptions = {}) {
    super();
    this.setMaxListeners(0);
    this.opts = opts;
    this.timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.runId = opts.resume?.runId ?? opts.runId ?? newRunId();
    this.guard = new AgentGuard(opts.watchdog ?? !opts.ptyFactory, (m) => this.emit('warning', m));
    if (opts.stateDir !== false) {
      try {
        this.runDir = createRunDir(opts.stateDir ?? defaultStateDir(), this.runId);
      } catch (e) {
        this.transcriptError = (e as Error).message;
      }
    } else {
      this.transcriptError = 'transcripts disabled';
    }
    this.worktrees = new Worktrees(
      this.runId,
      {
        changed: (id) => {
          const s = this.get(id);
          if (!s) return;
          this.record(s);
          this.emit('worktree', s);
        },
        warn: (m) => this.emit('warning', m),
      },
      opts.git,
    );
    if (this.runDir) {
      this.manifest = new ManifestWriter(
        this.runDir,
        this.runId,
        opts.resume?.cwd ?? opts.cwd ?? process.cwd(),
        (m) => this.emit('warning', m),
      );
      if (opts.resume) this.manifest.seed(opts.resume);
    }
    // New sessions in a resumed run never take a stored session's number.
    for (const s of opts.resume?.sessions ?? []) this.nextN = Math.max(this.nextN, s.n + 1);
    if (opts.hooks !== false) {
      this.hookServer = new HookServer((ev) => this.sessions.get(ev.sessionId)?.onHook(ev.payload));
    }
  }

  /** Start the hook channel. Called by spawn lazily; front ends may await it up front. */
  ready(): Promise<void> {
    this.hookReady ??= this.hookServer ? this.hookServer.start() : Promise.resolve();
    return this.hookReady;
  }

  spawn(opts: SpawnOptions): SessionSnapshot {
    if (this.shuttingDown) throw new Error('axiom is shutting down');
    const n = opts.resume?.n ?? this.nextN;
    if (this.sessions.has(String(n))) throw new Error(`session #${n} exists already`);
    this.nextN = Math.max(this.nextN, n + 1);
    const id = String(n);
    this.steering.spawned(id, opts.owner);
    const agent = opts.agent ?? 'claude';
    const plan = planSpawn(n, opts, {
      profileFor: this.opts.profileFor,
      claude: this.opts.claude,
      env: this.opts.env ?? process.env,
      runTag: this.guard.tag,
    });
    if (plan.failed !== undefined) return this.addFailed(id, n, opts, plan.profile, plan.failed);
    const { profile, env, resumed } = plan;
    for (const w of plan.warnings) this.emit('warning', w);
    const session = this.addSession(id, n, profile, plan.opts, env);
    this.agentArgsOf.set(id, { args: opts.agentArgs ?? [], agent });
    if (opts.resume?.worktree?.base) this.worktrees.adopt(id, opts.resume.worktree);
    if (resumed) this.manifest?.update(this.snap(session), { agentCommand: agent, resumed });
    if (profile.version)
      this.versions.probe(id, profile.version, env, () => {
        if (!this.sessions.has(id)) return false;
        this.emit('output', id);
        return true;
      });
    this.record(this.snap(session));
    if (this.transcriptError && this.opts.stateDir !== false && !this.warnedTranscripts) {
      // Said once, when it first matters (nobody listens yet while the constructor runs).
      this.warnedTranscripts = true;
      this.emit('warning', `transcripts off: ${this.transcriptError}`);
    }
    const launch = () => {
      if (this.shuttingDown || session.isEnded) return;
      session.start(profile.usesHooks && this.hookServer ? this.hookServer.urlFor(id) : undefined);
    };
    const hooked =
      profile.usesHooks && this.hookServer
        ? this.ready().catch((e: Error) => {
            this.emit('warning', `hook channel unavailable (${e.message}); status comes from the screen`);
          })
        : undefined;
    // The worktree is made before the agent starts; a git problem fails this session only.
    const placed = opts.worktree
      ? this.worktrees.create(id, n, opts.cwd ?? process.cwd()).then(
          (cwd) => session.relocate(cwd),
          (e: Error) => {
            session.fail(`worktree: ${e.message}`);
          },
        )
      : undefined;
    if (hooked || placed) void Promise.all([hooked, placed]).then(launch);
    else launch();
    return this.snap(session);
  }

  /** Create a session, register it and announce it (it is not started). */
  private addSession(
    id: string,
    n: number,
    profile: AgentProfile,
    opts: SpawnOptions,
    env: Record<string, string>,
  ): Session {
    const session = new Session(
      {
        id,
        n,
        profile,
        prompt: opts.prompt ?? '',
        resumed: opts.resume,
        agentArgs: opts.agentArgs ?? [],
        cwd: opts.cwd ?? process.cwd(),
        cols: opts.cols ?? 80,
        rows: opts.rows ?? 24,
        env,
        ptyFactory: this.opts.ptyFactory ?? nodePtyFactory,
        timings: this.timings,
        transcriptDir: this.runDir,
        transcriptError: this.transcriptError,
        privateFile: (name, content) => this.privateFiles.write(name, content),
        scrollback: this.opts.scrollback,
        releaseScreen: this.opts.releaseEndedScreens,
        syncParse: this.opts.syncParse,
        rowCache: this.opts.rowCache,
        signal: this.opts.signal,
      },
      this.eventsFor(id),
    );
    this.sessions.set(id, session);
    this.emit('session-added', this.snap(session));
    return session;
  }

  /** A session that cannot start: listed as FAILED with the reason, never launched. */
  private addFailed(
    id: string,
    n: number,
    opts: SpawnOptions,
    profile: AgentProfile,
    reason: string,
  ): SessionSnapshot {
    const session = this.addSession(id, n, profile, opts, {});
    session.fail(reason);
    return this.snap(session);
  }

  private eventsFor(id: string) {
    return {
      output: () => this.emit('output', id),
      status: (previous: SessionSnapshot['status']) => {
        const s = this.get(id);
        if (!s) return;
        this.record(s);
        // A turn ended: its changes are in the tree now.
        if (IDLE_STATUSES.has(s.status)) this.worktrees.scheduleRefresh(id, 0);
        this.emit('status', s, previous);
      },
      file: (ev: SessionSnapshot['filesWritten'][number]) => {
        this.worktrees.scheduleRefresh(id);
        this.emit('file-written', id, ev);
      },
      exit: () => {
        const s = this.get(id);
        if (!s) return;
        this.record(s);
        this.emit('exit', s);
        // Removed if it holds nothing, kept if it holds changes.
        void this.worktrees.settle(id);
      },
      warning: (m: string) => this.emit('warning', m),
      answered: (a: Answer) => this.emit('answered', id, a),
    };
  }

  private must(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new UnknownSessionError(id);
    return s;
  }

  list(): SessionSnapshot[] {
    return [...this.sessions.values()].map((s) => this.snap(s));
  }

  get(id: string): SessionSnapshot | undefined {
    const s = this.sessions.get(id);
    return s ? this.snap(s) : undefined;
  }

  /** The session object itself (engine-internal use and tests). */
  session(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  send(id: string, text: string, opts?: SendOptions): Promise<void> {
    const session = this.must(id);
    const sent = session.send(text, opts?.interrupt !== false);
    this.steering.sent(id, text, opts?.from);
    void sent.then(
      () => this.record(this.snap(session), text, opts?.from),
      () => undefined,
    );
    return sent;
  }

  diff(id: string, opts?: DiffTextOptions): Promise<string> {
    this.must(id);
    return this.worktrees.diff(id, opts);
  }

  apply(id: string, within?: string): Promise<ApplyResult> {
    this.must(id);
    return this.worktrees.apply(id, within);
  }

  /** The snapshot front ends see: the session's own, plus its worktree and agent version. */
  private snap(s: Session): SessionSnapshot {
    const snap = s.snapshot();
    const wt = this.worktrees.info(s.id);
    const version = this.versions.of(s.id);
    return {
      ...snap,
      ...(wt ? { worktree: wt } : {}),
      ...(version ? { agentVersion: version } : {}),
      ...this.steering.fields(s.id),
    };
  }

  /** Rewrite the run manifest with this session's state (`prompt`: one more prompt was sent, by `from`). */
  private record(s: SessionSnapshot, prompt?: string, from?: string): void {
    const launched = this.agentArgsOf.get(s.id);
    this.manifest?.update(s, { agentArgs: launched?.args, agentCommand: launched?.agent, prompt, from });
    this.guard.see(s);
  }

  hold(id: string, held: boolean): void {
    this.must(id);
    this.steering.hold(id, held);
  }

  handTo(id: string, client: string | undefined): void {
    this.must(id);
    this.steering.handTo(id, client);
  }

  clients(): string[] {
    return this.steering.clients();
  }

  /** The attached clients changed (engine/attach's server says so). */
  setClients(names: readonly string[]): void {
    this.steering.setClients(names);
  }

  interrupt(id: string): Promise<void> {
    return this.must(id).interrupt();
  }

  async answer(id: string, option: string, by = 'person'): Promise<Answer> {
    const picked = await this.must(id).answer(option);
    const a: Answer = { ...picked, by, at: Date.now() };
    this.emit('answered', id, a);
    return a;
  }

  /** Keys from the person's pane (an attached client never writes raw keys). */
  write(id: string, data: string): void {
    this.must(id).write(data);
    this.steering.personWrote(id, data);
  }

  /** Kill a session on purpose: `axiom resume` leaves it ended (a quit or a crash does not). */
  kill(id: string): Promise<void> {
    const s = this.must(id);
    if (!s.isEnded) this.manifest?.markKilled(s.n);
    return s.kill();
  }

  remove(id: string): void {
    const s = this.must(id);
    if (!s.isEnded) throw new Error(`session #${s.n} is still running; kill it first`);
    s.dispose();
    this.sessions.delete(id);
    this.steering.removed(id);
    this.emit('session-removed', id);
  }

  resize(id: string, cols: number, rows: number): void {
    this.must(id).resize(cols, rows);
  }

  screen(id: string, scrollback = 0): StyledLine[] {
    return this.must(id).styled(scrollback);
  }

  scrollbackLength(id: string): number {
    return this.must(id).screen.scrollbackLength();
  }

  cursor(id: string): { x: number; y: number } | undefined {
    const s = this.must(id);
    return s.isEnded ? undefined : s.screen.cursor();
  }

  output(id: string, cursor = 0): OutputChunk {
    return this.must(id).output(cursor);
  }

  shutdown(): Promise<void> {
    this.shuttingDown ??= (async () => {
      this.versions.stop();
      await Promise.all([...this.sessions.values()].map((s) => s.kill()));
      // Worktrees without changes go; those with changes stay (axiom runs lists them).
      await this.worktrees.settleAll();
      this.worktrees.dispose();
      await this.hookServer?.close();
      this.privateFiles.remove();
      // Sweeps anything an agent left running in a session of its own, then exits.
      this.guard.close();
    })();
    return this.shuttingDown;
  }

  /** Pids of live agent processes (for tests and diagnostics). */
  pids(): number[] {
    return [...this.sessions.values()]
      .filter((s) => !s.isEnded && s.pid !== undefined)
      .map((s) => s.pid as number);
  }

  override on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this {
    return super.on(event, listener);
  }

  override off<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this {
    return super.off(event, listener);
  }
}
