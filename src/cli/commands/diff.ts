/** `axiom diff [SESSION] [--stat]`: a session's changes against the tree it started from. */
import type { Command } from 'commander';
import { diffText, formatDiffSummary } from '../../engine/git/worktree.js';
import { guard, latestRunHere, resolveSession, type SessionRef, stateDirOf, worktreeOf } from './stored.js';

async function diffOf(ref: SessionRef, stat: boolean, color: boolean): Promise<string> {
  const wt = worktreeOf(ref);
  return diffText(wt.path, wt.base, { stat, color });
}

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      "show a session's changes (SESSION: N in the latest run here, or RUN:N; none: every session)",
    )
    .argument('[session]', 'N or RUN:N')
    .option('--stat', 'a diffstat instead of the patch')
    .action(
      guard(async (spec: string | undefined, _o: unknown, cmd: Command) => {
        const o = cmd.optsWithGlobals<{ stat?: boolean; stateDir?: string; cwd?: string }>();
        const stateDir = stateDirOf(o.stateDir);
        const cwd = o.cwd ?? process.cwd();
        const color = Boolean(process.stdout.isTTY);
        if (spec !== undefined) {
          const text = await diffOf(await resolveSession(spec, stateDir, cwd), Boolean(o.stat), color);
          process.stdout.write(text || '(no changes)\n');
          return;
        }
        const run = await latestRunHere(stateDir, cwd);
        for (const session of run.manifest.sessions) {
          const ref = { run, session };
          const head = `== ${run.manifest.runId}:${session.n} ${session.worktree?.branch ?? ''} (${formatDiffSummary(session.diff)})`;
          process.stdout.write(`${color ? `\x1b[1m${head}\x1b[0m` : head}\n`);
          try {
            process.stdout.write((await diffOf(ref, Boolean(o.stat), color)) || '(no changes)\n');
          } catch (e) {
            process.stdout.write(`${(e as Error).message.replace(/^axiom: /, '')}\n`);
          }
        }
      }),
    );
}
