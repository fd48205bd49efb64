/**
 * `axiom clean [RUN] [--force]`: remove the worktrees and branches of ended sessions. Without
 * --force, a session whose changes were never applied is kept and named.
 */
import { readdirSync, rmdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { diffSummary, removeWorktree } from '../../engine/git/worktree.js';
import { type StoredRun, updateStoredSession } from '../../engine/runs.js';
import { TERMINAL_STATUSES } from '../../engine/types.js';
import { alive, findRun, guard, runsHere, stateDirOf, UserError } from './stored.js';

/** Remove `dir` and then its parent while they are empty (.axiom/worktrees, .axiom). */
function pruneEmpty(dir: string, levels: number): void {
  let d = dir;
  for (let i = 0; i < levels; i++) {
    try {
      if (readdirSync(d).length > 0) return;
      rmdirSync(d);
    } catch {
      return;
    }
    d = dirname(d);
  }
}

export interface CleanResult {
  removed: string[];
  refused: string[];
  live: string[];
}

export async function cleanRuns(runs: StoredRun[], force: boolean): Promise<CleanResult> {
  const res: CleanResult = { removed: [], refused: [], live: [] };
  for (const run of runs) {
    const running = alive(run.manifest.pid);
    for (const s of run.manifest.sessions) {
      const wt = s.worktree;
      if (!wt?.base || wt.state === 'removed' || wt.state === 'failed') continue;
      const name = `${run.manifest.runId}:${s.n}`;
      if (running && !TERMINAL_STATUSES.has(s.status)) {
        res.live.push(name);
        continue;
      }
      if (!force && !s.applied) {
        const d = await diffSummary(wt.path, wt.base).catch(() => undefined);
        if (d === undefined || d.files > 0) {
          res.refused.push(name);
          continue;
        }
      }
      await removeWorktree(wt.repo, wt, { base: wt.base, force: true });
      pruneEmpty(dirname(wt.path), 2);
      updateStoredSession(run.dir, s.n, (x) => {
        if (x.worktree) x.worktree.state = 'removed';
      });
      res.removed.push(name);
    }
  }
  return res;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description(
      'remove worktrees and branches of ended sessions (RUN: one run; default every run started here)',
    )
    .argument('[run]', 'a run id (axiom runs lists them)')
    .option('--force', 'also drop sessions whose changes were never applied')
    .action(
      guard(async (runId: string | undefined, _o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<{ force?: boolean; stateDir?: string; cwd?: string }>();
        const stateDir = stateDirOf(o.stateDir);
        const runs = runId ? [findRun(stateDir, runId)] : await runsHere(stateDir, o.cwd ?? process.cwd());
        const res = await cleanRuns(runs, Boolean(o.force));
        if (res.removed.length) process.stdout.write(`removed the worktrees of ${res.removed.join(', ')}\n`);
        if (res.live.length) process.stdout.write(`left ${res.live.join(', ')}: still running\n`);
        if (res.refused.length)
          throw new UserError(
            `kept ${res.refused.join(', ')}: changes never applied (axiom apply SESSION, or axiom clean --force to drop them)`,
          );
        if (!res.removed.length && !res.live.length) process.stdout.write('nothing to clean\n');
      }),
    );
}
