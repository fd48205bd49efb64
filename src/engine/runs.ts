/**
 * Run manifests: `<stateDir>/runs/<run-id>/manifest.json`, rewritten atomically (temp file +
 * rename) on every change. They let `axiom runs/diff/apply/clean` (and later resume) find every
 * session of a run, its worktree and what became of it, after axiom has exited or crashed.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffSummary, SessionSnapshot, SessionStatus } from './types.js';

/** Bumped when a field changes meaning; readers refuse versions they do not know. */
export const MANIFEST_VERSION = 1;

export interface ManifestSession {
  n: number;
  agent: string;
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
  /** Every prompt sent, in order (the initial one first). */
  prompts: { at: number; text: string }[];
  status: SessionStatus;
  reason?: string;
  startedAt: number;
  endedAt?: number;
  turnDurations: number[];
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
  sessions: ManifestSession[];
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

/** The manifest in `runDir`, or undefined when there is none or it cannot be read. */
export function readManifest(runDir: string): RunManifest | undefined {
  try {
    const m = JSON.parse(readFileSync(manifestPath(runDir), 'utf8')) as RunManifest;
    if (typeof m !== 'object' || m === null || m.version !== MANIFEST_VERSION || !Array.isArray(m.sessions))
      return undefined;
    return m;
  } catch {
    return undefined;
  }
}

export interface StoredRun {
  dir: string;
  manifest: RunManifest;
}

/** Every run with a manifest under `<stateDir>/runs`, newest first. */
export function listRuns(stateDir: string): StoredRun[] {
  const root = join(stateDir, 'runs');
  if (!existsSync(root)) return [];
  const runs: StoredRun[] = [];
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    const manifest = readManifest(dir);
    if (manifest) runs.push({ dir, manifest });
  }
  return runs.sort((a, b) => b.manifest.startedAt - a.manifest.startedAt);
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
  private readonly startedAt = Date.now();
  repo: string | undefined;

  constructor(
    private readonly runDir: string,
    private readonly runId: string,
    private readonly cwd: string,
    private readonly onError: (message: string) => void,
  ) {}

  /** Record a session's current state (extra: what the snapshot does not carry). */
  update(s: SessionSnapshot, extra: { agentArgs?: string[]; prompt?: string } = {}): void {
    const old = this.sessions.get(s.n);
    const prompts = old?.prompts ?? (s.prompt ? [{ at: s.startedAt, text: s.prompt }] : []);
    if (extra.prompt !== undefined) prompts.push({ at: Date.now(), text: extra.prompt });
    const wt = s.worktree;
    if (wt && !this.repo) this.repo = wt.repo;
    this.sessions.set(s.n, {
      n: s.n,
      agent: s.agent,
      agentArgs: extra.agentArgs ?? old?.agentArgs ?? [],
      command: s.command,
      cwd: s.cwd,
      agentSessionId: s.agentSessionId ?? old?.agentSessionId,
      worktree: wt
        ? { state: wt.state, repo: wt.repo, path: wt.path, branch: wt.branch, base: wt.base }
        : undefined,
      diff: wt?.diff,
      applied: Boolean(wt?.applied) || Boolean(old?.applied),
      appliedAt: old?.appliedAt,
      prompts,
      status: s.status,
      reason: s.reason,
      startedAt: s.startedAt,
      endedAt: s.endedAt,
      turnDurations: s.turnDurations,
    });
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
