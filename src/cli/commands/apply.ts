/** `axiom apply SESSION`: bring a session's changes into your tree as uncommitted changes. */
import type { Command } from 'commander';
import { applyToTree, diffSummary, formatDiffSummary } from '../../engine/git/worktree.js';
import { updateStoredSession } from '../../engine/runs.js';
import { guard, resolveSession, stateDirOf, UserError, worktreeOf } from './stored.js';

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description("bring a session's changes into your working tree as uncommitted changes (your edits stay)")
    .argument('<session>', 'N (latest run here) or RUN:N')
    .action(
      guard(async (spec: string, _o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<{ stateDir?: string; cwd?: string }>();
        const ref = await resolveSession(spec, stateDirOf(o.stateDir), o.cwd ?? process.cwd());
        const wt = worktreeOf(ref);
        const name = `${ref.run.manifest.runId}:${ref.session.n}`;
        const summary = await diffSummary(wt.path, wt.base);
        const res = await applyToTree(wt.path, wt.base, wt.repo);
        if (!res.ok) throw new UserError(`session ${name} not applied: ${res.message}`);
        updateStoredSession(ref.run.dir, ref.session.n, (s) => {
          s.applied = true;
          s.appliedAt = Date.now();
          s.diff = summary;
        });
        const files = res.files.length ? `: ${res.files.join(', ')}` : '';
        process.stdout.write(
          `applied session ${name} (${formatDiffSummary(summary)}) to ${wt.repo}${files}\n`,
        );
      }),
    );
}
