/**
 * What the review commands (runs, diff, apply, clean) share: where the manifests are, which run
 * is "the latest in this repository", and SESSION = `N` or `RUN:N`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../config/config.js';
import { repoRoot } from '../../engine/git/worktree.js';
import { listRuns, type ManifestSession, type StoredRun } from '../../engine/runs.js';

/** A problem the user can fix: printed as one line, exit code 1 (2 for usage). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * Where run manifests live: --state-dir, then AXIOM_STATE_DIR, then the config files' stateDir
 * (project over user, see src/config), then ~/.axiom. --no-transcripts does not matter here.
 */
export function stateDirOf(flag: string | undefined, env = process.env, cwd = process.cwd()): string {
  if (flag) return flag;
  if (env.AXIOM_STATE_DIR) return env.AXIOM_STATE_DIR;
  let fromFile: string | false | undefined;
  try {
    fromFile = loadConfig({ cwd, env, home: homedir() }).base.stateDir;
  } catch (e) {
    if (e instanceof ConfigError) throw new UserError(e.message, 2);
    throw e;
  }
  return typeof fromFile === 'string' ? fromFile : join(homedir(), '.axiom');
}

/** The repository holding `cwd` (its top level), or undefined outside one. */
export async function repoOf(cwd: string): Promise<string | undefined> {
  try {
    return await repoRoot(cwd);
  } catch {
    return undefined;
  }
}

/** Runs started in this repository (or, outside a repository, in this directory), newest first. */
export async function runsHere(stateDir: string, cwd: string): Promise<StoredRun[]> {
  const repo = await repoOf(cwd);
  return listRuns(stateDir).filter((r) =>
    repo
      ? r.manifest.repo === repo || r.manifest.cwd === repo || r.manifest.cwd.startsWith(`${repo}/`)
      : r.manifest.cwd === cwd,
  );
}

export function findRun(stateDir: string, runId: string): StoredRun {
  const run = listRuns(stateDir).find((r) => r.manifest.runId === runId);
  if (!run) throw new UserError(`no run ${runId} in ${stateDir} (axiom runs lists them)`);
  return run;
}

export async function latestRunHere(stateDir: string, cwd: string): Promise<StoredRun> {
  const run = (await runsHere(stateDir, cwd))[0];
  if (!run)
    throw new UserError(
      `no axiom run started in this repository (${cwd}); give RUN:N (axiom runs --all lists every run)`,
    );
  return run;
}

export interface SessionRef {
  run: StoredRun;
  session: ManifestSession;
}

/** SESSION: `N` (the latest run started here) or `RUN:N`. */
export async function resolveSession(spec: string, stateDir: string, cwd: string): Promise<SessionRef> {
  const m = /^(?:(.+):)?(\d+)$/.exec(spec.trim());
  if (!m) throw new UserError(`bad SESSION '${spec}': give N or RUN:N (axiom runs lists them)`, 2);
  const run = m[1] ? findRun(stateDir, m[1]) : await latestRunHere(stateDir, cwd);
  const n = Number(m[2]);
  const session = run.manifest.sessions.find((s) => s.n === n);
  if (!session)
    throw new UserError(
      `run ${run.manifest.runId} has no session ${n} (it has ${run.manifest.sessions.map((s) => s.n).join(', ') || 'none'})`,
    );
  return { run, session };
}

/** The session's worktree, if it still holds one; else a UserError saying why not. */
export function worktreeOf(ref: SessionRef): { path: string; branch: string; base: string; repo: string } {
  const wt = ref.session.worktree;
  const name = `${ref.run.manifest.runId}:${ref.session.n}`;
  if (!wt) throw new UserError(`session ${name} ran without a worktree (start with --worktree)`);
  if (wt.state === 'removed')
    throw new UserError(`session ${name}'s worktree was removed (it held no changes, or was cleaned)`);
  if (!wt.base)
    throw new UserError(`session ${name}'s worktree was never made (${ref.session.reason ?? wt.state})`);
  return { path: wt.path, branch: wt.branch, base: wt.base, repo: wt.repo };
}

/** Is the process that wrote a manifest still running? */
export function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An action whose expected failures (UserError, git's one-line GitError) print one line on stderr
 * and set the exit code, rather than a stack trace.
 */
export function guard<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      const err = e as Error;
      if (!(err instanceof UserError) && err.name !== 'GitError') throw e;
      process.stderr.write(`axiom: ${err.message}\n`);
      process.exitCode = err instanceof UserError ? err.exitCode : 1;
    }
  };
}
