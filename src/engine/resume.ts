/**
 * What `axiom resume` needs from a stored run: which sessions come back (and why the others do
 * not, one line each naming the session), and a lock so one run is never open in two axioms.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TextSourceSpec } from '../agents/profile.js';
import { isAlive } from './proc.js';
import { bootId, type ManifestSession, type RunManifest } from './runs.js';

export interface ResumePlan {
  /** Sessions to start again, in order. */
  resume: ManifestSession[];
  /** Killed on purpose: they stay ended (said, not an error). */
  left: ManifestSession[];
  /** Sessions that cannot come back, one line each naming the session and the fix. */
  problems: string[];
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every session not killed on purpose comes back, in its own cwd or worktree, if that is still there. */
export function planResume(m: RunManifest, dirExists: (p: string) => boolean = isDir): ResumePlan {
  const plan: ResumePlan = { resume: [], left: [], problems: [] };
  for (const s of m.sessions) {
    if (s.killedOnPurpose) {
      plan.left.push(s);
      continue;
    }
    if (!dirExists(s.cwd)) {
      const wt = s.worktree && s.worktree.path === s.cwd;
      plan.problems.push(
        wt
          ? `session ${m.runId}:${s.n} not resumed: its worktree ${s.cwd} is gone (removed or cleaned); \`axiom runs\` shows what it held`
          : `session ${m.runId}:${s.n} not resumed: its cwd ${s.cwd} no longer exists; restore it and run axiom resume ${m.runId} again`,
      );
      continue;
    }
    plan.resume.push(s);
  }
  return plan;
}

/**
 * Whether the agent's log holds the conversation (`<root>/<any dir>/<fileName>`); true when the
 * agent keeps no log axiom knows (nothing to check: let it try).
 */
export function conversationSaved(spec: TextSourceSpec | undefined): boolean {
  if (!spec) return true;
  if (spec.likelyDir && existsSync(join(spec.root, spec.likelyDir, spec.fileName))) return true;
  try {
    return readdirSync(spec.root).some((d) => existsSync(join(spec.root, d, spec.fileName)));
  } catch {
    return false;
  }
}

/**
 * Whether the axiom that wrote `pid` (on boot `boot`) still runs: a pid from another boot means
 * nothing, and on Linux the process must still be an axiom (pids are reused).
 */
export function axiomAlive(pid: number, boot: string | undefined): boolean {
  if (pid === process.pid) return false;
  const now = bootId();
  if (boot && now && boot !== now) return false;
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('axiom');
  } catch {
    // No /proc (macOS): trust the pid.
    return !existsSync('/proc/self');
  }
}

export class RunLockError extends Error {}

/**
 * `<runDir>/resume.lock`: created exclusively, holding the pid and boot id of the axiom that has
 * the run open. A lock whose holder is gone (quit, kill -9, reboot) is taken over.
 */
export class RunLock {
  private constructor(private readonly file: string) {}

  /** Take the run, or throw RunLockError naming its sessions and where they are open. */
  static acquire(runDir: string, m: RunManifest): RunLock {
    const live = m.sessions
      .filter((s) => !s.killedOnPurpose)
      .map((s) => `#${s.n}`)
      .join(', ');
    const busy = (pid: number) =>
      new RunLockError(
        `run ${m.runId} is already open in axiom pid ${pid} (sessions ${live || 'none'}): switch to it, or quit it before resuming`,
      );
    // The run's own axiom (it takes no lock) or one that resumed it writes the manifest's pid.
    if (axiomAlive(m.pid, m.bootId)) throw busy(m.pid);
    const file = join(runDir, 'resume.lock');
    const mine = JSON.stringify({ pid: process.pid, bootId: bootId() });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
        return new RunLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let holder: { pid?: unknown; bootId?: unknown } = {};
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
      } catch {
        // Half-written or gone: treat as stale.
      }
      const pid = typeof holder.pid === 'number' ? holder.pid : 0;
      if (pid > 0 && axiomAlive(pid, typeof holder.bootId === 'string' ? holder.bootId : undefined))
        throw busy(pid);
      rmSync(file, { force: true });
    }
    throw new RunLockError(`run ${m.runId}: another axiom is taking it at this moment; try again`);
  }

  release(): void {
    try {
      const holder = JSON.parse(readFileSync(this.file, 'utf8')) as { pid?: unknown };
      if (holder.pid === process.pid) rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}
