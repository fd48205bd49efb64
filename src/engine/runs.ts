/**
 * Run manifests: `<stateDir>/runs/<run-id>/manifest.json`, rewritten atomically (temp file +
 * rename) on every change. They let `axiom runs/diff/apply/clean` (and later resume) find every
 * session of a run, its worktree and what became of it, after axiom has exited or crashed.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DiffSummary,
  type LastCheck,
  PERSON,
  type SessionSnapshot,
  type SessionStatus,
} from './types.js';

/** Bumped when a field changes meaning; readers refuse versions they do not know. */
export const MANIFEST_VERSION = 1;

export interface ManifestSession {
  n: number;
  agent: string;
  /** What `--agent` said ('claude', or the command line of any other agent), to start it again. */
  agentCommand?: string;
  agentArgs: string[];
  /** argv launched (executable first). */
  command: string[];
  /** Where the agent ran (the worktree, when there is one). */
  cwd: string;
  /** The agent's own conversation id (claude: --session-id), for resuming it. */
  agentSessionId?: string;
  worktree?: {
    state: string;
    repo: string;
    path: string;
    branch: string;
    base?: string;
  };
  diff?: DiffSummary;
  applied: boolean;
  appliedAt?: number;
  /** The last test (or command) the agent ran and whether it passed, where its log told. */
  lastCheck?: LastCheck;
  /**
   * Every prompt sent, in order (the initial one first); `from`: the attached client that sent
   * it, or 'person' (absent in manifests written before clients could attach).
   */
  prompts: { at: number; text: string; from?: string }[];
  /** The attached MCP client that started the session or was handed it. */
  owner?: string;
  status: SessionStatus;
  reason?: string;
  startedAt: number;
  endedAt?: number;
  turnDurations: number[];
  /** A person or a tool killed it (not a quit or a crash): `axiom resume` leaves it ended. */
  killedOnPurpose?: boolean;
  /**
   * It ended while its last turn was unfinished (running, waiting or interrupted) when axiom quit
   * or the agent died. A crash of axiom leaves `status` as it was instead (see turnCut).
   */
  cutMidTurn?: boolean;
  /** How `axiom resume` brought it back last: its conversation continued, or its command restarted. */
  resumed?: 'conversation' | 'restarted';
}

export interface RunManifest {
  version: number;
  runId: string;
  /** The directory axiom was started in. */
  cwd: string;
  /** The top of the git work tree holding `cwd`, when there is one. */
  repo?: string;
  startedAt: number;
  updatedAt: number;
  pid: number;
  /** The kernel's boot id when `pid` wrote it (Linux): after a reboot the pid means nothing. */
  bootId?: string;
  sessions: ManifestSession[];
}

let boot: { id: string | undefined } | undefined;

/** This boot's id (Linux), to tell a live writer from a pid reused after a reboot. */
export function bootId(): string | undefined {
  if (!boot) {
    try {
      boot = { id: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined };
    } catch {
      boot = { id: undefined };
    }
  }
  return boot.id;
}

/**
 * The session's last turn did not finish before axiom stopped: it was running, waiting or
 * interrupted when axiom quit, crashed (the status it last wrote), or the agent died.
 */
export function turnCut(s: ManifestSession): boolean {
  return (
    s.cutMidTurn === true || s.status === 'RUNNING' || s.status === 'WAITING' || s.status === 'INTERRUPTED'
  );
}

/**
 * Whether a session now `status` keeps a cut turn behind it (cutMidTurn): it ended (quit, the
 * agent died) in one, or had one and has not started a turn since (resumed, starting again).
 */
function cutNow(old: ManifestSession | undefined, status: SessionStatus): boolean {
  return (
    (status === 'EXITED' || status === 'FAILED' || status === 'STARTING') && old !== undefined && turnCut(old)
  );
}

export function manifestPath(runDir: string): string {
  return join(runDir, 'manifest.json');
}

/** Write atomically: a reader sees the old file or the new one, never half of one. */
export function writeManifest(runDir: string, m: RunManifest): void {
  const file = manifestPath(runDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(m, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export type LoadedManifest =
  | { ok: true; manifest: RunManifest }
  | { ok: false; missing: boolean; problem: string };

/**
 * The manifest in `runDir`, or why it cannot be used, in one line naming the file and the fix:
 * none there, not JSON (a corrupt file), written by a newer axiom, or not a manifest's shape.
 */
export function loadManifest(runDir: string): LoadedManifest {
  const file = manifestPath(runDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    return { ok: false, missing: code === 'ENOENT', problem: `cannot read ${file} (${code})` };
  }
  const corrupt = (why: string) =>
    ({
      ok: false,
      missing: false,
      problem: `corrupt manifest ${file} (${why}): this run cannot be resumed; delete ${runDir} or fix the file`,
    }) as const;
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    return corrupt((e as Error).message.split('\n')[0] ?? 'not JSON');
  }
  if (typeof m !== 'object' || m === null) return corrupt('not an object');
  const v = (m as { version?: unknown }).version;
  if (typeof v === 'number' && v > MANIFEST_VERSION)
    return {
      ok: false,
      missing: false,
      problem: `${file} is manifest version ${v}, newer than this axiom reads (${MANIFEST_VERSION}): upgrade axiom to resume it`,
    };
  if (v !== MANIFEST_VERSION) return corrupt(`version ${JSON.stringify(v)} is not one axiom wrote`);
  const r = m as Partial<RunManifest>;
  if (typeof r.runId !== 'string' || typeof r.cwd !== 'string' || !Array.isArray(r.sessions))
    return corrupt('runId, cwd or sessions missing');
  for (const s of r.sessions) {
    const x = s as Partial<ManifestSession> | null;
    if (typeof x !== 'object' || x === null || typeof x.n !== 'number' || typeof x.cwd !== 'string')
      return corrupt('a session without n or cwd');
    x.agentArgs = Array.isArray(x.agentArgs) ? x.agentArgs : [];
    x.prompts = Array.isArray(x.prompts) ? x.prompts : [];
    x.turnDurations = Array.isArray(x.turnDurations) ? x.turnDurations : [];
  }
  return { ok: true, manifest: m as RunManifest };
}

/** The manifest in `runDir`, or undefined when there is none or it cannot be read. */
export function readManifest(runDir: string): RunManifest | undefined {
  const m = loadManifest(runDir);
  return m.ok ? m.manifest : undefined;
}

export interface StoredRun {
  dir: string;
  manifest: RunManifest;
}

/** Every run with a manifest under `<stateDir>/runs`, newest first. */
export function listRuns(stateDir: string): StoredRun[] {
  return scanRuns(stateDir).runs;
}

/** Runs whose manifest is there but cannot be used (corrupt, newer), with why. */
export interface BrokenRun {
  dir: string;
  runId: string;
  problem: string;
}

/** Every run directory under `<stateDir>/runs`: the usable ones newest first, and the broken ones. */
export function scanRuns(stateDir: string): { runs: StoredRun[]; broken: BrokenRun[] } {
  const root = join(stateDir, 'runs');
  const runs: StoredRun[] = [];
  const broken: BrokenRun[] = [];
  if (!existsSync(root)) return { runs, broken };
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    const m = loadManifest(dir);
    if (m.ok) runs.push({ dir, manifest: m.manifest });
    else if (!m.missing) broken.push({ dir, runId: name, problem: m.problem });
  }
  runs.sort((a, b) => b.manifest.startedAt - a.manifest.startedAt);
  return { runs, broken };
}

/** Update one session of a stored manifest (e.g. `applied`), atomically. */
export function updateStoredSession(
  runDir: string,
  n: number,
  change: (s: ManifestSession) => void,
): RunManifest | undefined {
  const m = readManifest(runDir);
  const s = m?.sessions.find((x) => x.n === n);
  if (!m || !s) return undefined;
  change(s);
  m.updatedAt = Date.now();
  writeManifest(runDir, m);
  return m;
}

/**
 * Keeps one run's manifest up to date from the engine's snapshots. Writes are synchronous and
 * small; a failure (full disk, read-only state dir) is reported once and writing stops.
 */
export class ManifestWriter {
  private readonly sessions = new Map<number, ManifestSession>();
  private failed = false;
  private startedAt = Date.now();
  /** Turns a resumed session finished before this process (its snapshot counts only its own). */
  private readonly earlierTurns = new Map<number, number[]>();
  repo: string | undefined;

  constructor(
    private readonly runDir: string,
    private readonly runId: string,
    private readonly cwd: string,
    private readonly onError: (message: string) => void,
  ) {}

  /**
   * Continue a run's manifest (`axiom resume`): its start, its repository and every session it
   * holds stay; resumed sessions are updated in place, the others are kept as they were.
   */
  seed(previous: RunManifest): void {
    this.startedAt = previous.startedAt;
    this.repo = previous.repo;
    for (const s of previous.sessions) {
      this.sessions.set(s.n, { ...s });
      this.earlierTurns.set(s.n, s.turnDurations);
    }
    this.write();
  }

  /** Record a session's current state (extra: what the snapshot does not carry). */
  update(
    s: SessionSnapshot,
    extra: {
      agentArgs?: string[];
      agentCommand?: string;
      prompt?: string;
      from?: string;
      resumed?: ManifestSession['resumed'];
    } = {},
  ): void {
    const old = this.sessions.get(s.n);
    const prompts =
      old?.prompts ?? (s.prompt ? [{ at: s.startedAt, text: s.prompt, from: s.owner ?? PERSON }] : []);
    if (extra.prompt !== undefined)
      prompts.push({ at: Date.now(), text: extra.prompt, from: extra.from ?? PERSON });
    const wt = s.worktree;
    if (wt && !this.repo) this.repo = wt.repo;
    this.sessions.set(s.n, {
      n: s.n,
      agent: s.agent,
      agentCommand: extra.agentCommand ?? old?.agentCommand,
      agentArgs: extra.agentArgs ?? old?.agentArgs ?? [],
      command: s.command,
      cwd: s.cwd,
      agentSessionId: s.agentSessionId ?? old?.agentSessionId,
      // A resumed session runs in its worktree without owning it again: the record stays.
      worktree: wt
        ? { state: wt.state, repo: wt.repo, path: wt.path, branch: wt.branch, base: wt.base }
        : old?.worktree,
      diff: wt?.diff ?? old?.diff,
      applied: Boolean(wt?.applied) || Boolean(old?.applied),
      appliedAt: old?.appliedAt,
      ...((s.lastCheck ?? old?.lastCheck) ? { lastCheck: s.lastCheck ?? old?.lastCheck } : {}),
      prompts,
      ...(s.owner !== undefined ? { owner: s.owner } : {}),
      status: s.status,
      reason: s.reason,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      turnDurations: [...(this.earlierTurns.get(s.n) ?? []), ...s.turnDurations],
      killedOnPurpose: old?.killedOnPurpose,
      ...(cutNow(old, s.status) ? { cutMidTurn: true } : {}),
      resumed: extra.resumed ?? old?.resumed,
    });
    this.write();
  }

  /** A person or a tool killed session `n` (a quit is not this): resume leaves it ended. */
  markKilled(n: number): void {
    const s = this.sessions.get(n);
    if (!s) return;
    s.killedOnPurpose = true;
    this.write();
  }

  private write(): void {
    if (this.failed) return;
    // `axiom apply` in another process may have marked a session applied: keep its word.
    const onDisk = readManifest(this.runDir);
    for (const d of onDisk?.sessions ?? []) {
      const mine = this.sessions.get(d.n);
      if (mine && d.applied && !mine.applied) {
        mine.applied = true;
        mine.appliedAt = d.appliedAt;
      }
    }
    try {
      writeManifest(this.runDir, {
        version: MANIFEST_VERSION,
        runId: this.runId,
        cwd: this.cwd,
        repo: this.repo,
        startedAt: this.startedAt,
        updatedAt: Date.now(),
        pid: process.pid,
        bootId: bootId(),
        sessions: [...this.sessions.values()].sort((a, b) => a.n - b.n),
      });
    } catch (e) {
      this.failed = true;
      const err = e as NodeJS.ErrnoException;
      this.onError(
        `run manifest not written (${err.code ?? err.message}): \`axiom runs\` will not list this run`,
      );
    }
  }

  /** Mark a session applied (the engine applied it). */
  markApplied(n: number): void {
    const s = this.sessions.get(n);
    if (!s) return;
    s.applied = true;
    s.appliedAt = Date.now();
    this.write();
  }
}
