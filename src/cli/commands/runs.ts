/** `axiom runs [--json]`: every run started here and what became of each session. */
import type { Command } from 'commander';
import { formatDuration } from '../../engine/duration.js';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import { axiomAlive, planResume } from '../../engine/resume.js';
import type { BrokenRun, ManifestSession, StoredRun } from '../../engine/runs.js';
import { scanRuns } from '../../engine/runs.js';
import { checkText } from '../../ui/review.js';
import { guard, runsHere, stateDirOf, UserError } from './stored.js';

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

/** Whether `axiom resume` can reopen the run now: not open in an axiom, a session to bring back. */
export function resumable(run: StoredRun): boolean {
  const m = run.manifest;
  return !axiomAlive(m.pid, m.bootId) && planResume(m).resume.length > 0;
}

/** Plain-text listing of runs (and of those whose manifest cannot be read, with why). */
export function formatRuns(runs: StoredRun[], broken: BrokenRun[] = []): string {
  const out: string[] = [];
  for (const run of runs) {
    const m = run.manifest;
    const state = axiomAlive(m.pid, m.bootId)
      ? `, running (pid ${m.pid})`
      : resumable(run)
        ? `, resumable: axiom resume ${m.runId}`
        : '';
    out.push(`${m.runId}  ${new Date(m.startedAt).toISOString()}  ${m.repo ?? m.cwd}${state}`);
    for (const s of m.sessions) {
      const applied = s.applied ? ', applied' : '';
      const diff = s.worktree ? `  ${formatDiffSummary(s.diff)}${applied}` : '';
      const check = s.lastCheck ? `  last test ${checkText(s.lastCheck)}` : '';
      const killed = s.killedOnPurpose ? '  (killed on purpose: not resumed)' : '';
      out.push(
        `  [${s.n}] ${s.status.padEnd(11)} ${seconds(s).padStart(7)}${diff}${check}  ${where(s)}${killed}`,
      );
    }
  }
  for (const b of broken) out.push(`${b.runId}  cannot be read: ${b.problem}`);
  return out.length ? `${out.join('\n')}\n` : '';
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description(
      'list runs started in this repository: sessions, status, time, worktree, diff, applied, last test, and which axiom resume can reopen',
    )
    .option('--json', 'print the run manifests as JSON')
    .option('--all', 'every run, not only those started here')
    .option('--resumable', 'only the runs axiom resume can reopen now')
    .action(
      guard(async (_o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<{
          json?: boolean;
          all?: boolean;
          resumable?: boolean;
          stateDir?: string;
          cwd?: string;
        }>();
        const stateDir = stateDirOf(o.stateDir);
        const cwd = o.cwd ?? process.cwd();
        const scan = scanRuns(stateDir);
        let runs = o.all ? scan.runs : await runsHere(stateDir, cwd);
        if (o.resumable) runs = runs.filter(resumable);
        // An unreadable manifest cannot say where it ran: listed (with why) under --all.
        const broken = o.all ? scan.broken : [];
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
        if (runs.length === 0 && broken.length === 0)
          throw new UserError(
            `no ${o.resumable ? 'resumable ' : ''}runs ${o.all ? `in ${stateDir}` : 'started here (axiom runs --all lists every run)'}`,
          );
        process.stdout.write(formatRuns(runs, broken));
      }),
    );
}
