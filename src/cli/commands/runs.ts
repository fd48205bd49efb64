/** `axiom runs [--json]`: every run started here and what became of each session. */
import type { Command } from 'commander';
import { formatDuration } from '../../engine/duration.js';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import type { ManifestSession, StoredRun } from '../../engine/runs.js';
import { listRuns } from '../../engine/runs.js';
import { alive, guard, runsHere, stateDirOf, UserError } from './stored.js';

function seconds(s: ManifestSession): string {
  const ms = s.turnDurations.reduce((a, b) => a + b, 0);
  return formatDuration(ms, { tenths: true });
}

function where(s: ManifestSession): string {
  const wt = s.worktree;
  if (!wt) return `cwd ${s.cwd}`;
  if (wt.state === 'removed') return `worktree removed (${wt.branch})`;
  if (wt.state === 'failed' || wt.state === 'creating') return `no worktree (${s.reason ?? wt.state})`;
  return `${wt.path} (branch ${wt.branch})`;
}

/** Plain-text listing of runs. */
export function formatRuns(runs: StoredRun[]): string {
  const out: string[] = [];
  for (const { manifest: m } of runs) {
    const live = alive(m.pid) ? ', running' : '';
    out.push(`${m.runId}  ${new Date(m.startedAt).toISOString()}  ${m.repo ?? m.cwd}${live}`);
    for (const s of m.sessions) {
      const applied = s.applied ? ', applied' : '';
      const diff = s.worktree ? `  ${formatDiffSummary(s.diff)}${applied}` : '';
      out.push(`  [${s.n}] ${s.status.padEnd(11)} ${seconds(s).padStart(7)}${diff}  ${where(s)}`);
    }
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list runs started in this repository: sessions, status, time, worktree, diff, applied')
    .option('--json', 'print the run manifests as JSON')
    .option('--all', 'every run, not only those started here')
    .action(
      guard(async (_o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<{ json?: boolean; all?: boolean; stateDir?: string; cwd?: string }>();
        const stateDir = stateDirOf(o.stateDir);
        const runs = o.all ? listRuns(stateDir) : await runsHere(stateDir, o.cwd ?? process.cwd());
        if (o.json) {
          process.stdout.write(
            `${JSON.stringify(
              runs.map((r) => ({ dir: r.dir, ...r.manifest })),
              null,
              2,
            )}\n`,
          );
          return;
        }
        if (runs.length === 0)
          throw new UserError(
            `no runs ${o.all ? `in ${stateDir}` : 'started here (axiom runs --all lists every run)'}`,
          );
        process.stdout.write(formatRuns(runs));
      }),
    );
}
