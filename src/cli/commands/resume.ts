/**
 * `axiom resume [RUN]`: reopen a run after a quit, a crash (kill -9) or a reboot. Every session
 * not killed on purpose comes back in its own cwd or worktree under its old number; claude
 * continues its conversation (`claude --resume <id>`), other agents start their command again.
 * A session that cannot come back is one line naming it; the others still resume.
 */
import type { Command } from 'commander';
import { planResume, RunLock, RunLockError } from '../../engine/resume.js';
import { type ManifestSession, type StoredRun, scanRuns, turnCut } from '../../engine/runs.js';
import type { SessionManager } from '../../engine/session-manager.js';
import { promptSummary } from '../../ui/format.js';
import type { Loaded } from '../load-settings.js';
import type { Settings, SettingsFlags } from '../settings.js';
import { guard, runsHere, stateDirOf, UserError } from './stored.js';

/** What the front end calls once it listens: start the sessions, return their ids. */
export interface Resuming {
  start(manager: SessionManager): string[];
}

type Load = (flags: SettingsFlags) => Loaded | undefined;
type Launch = (
  settings: Settings,
  manager: SessionManager,
  resuming: Resuming,
  headless: boolean,
) => Promise<number>;
type MakeManager = (settings: Settings, ui: boolean, resume: StoredRun) => SessionManager;

/** `--agent` as the session was started with it (older manifests: rebuilt from its argv). */
export function agentCommandOf(s: ManifestSession): string {
  if (s.agentCommand !== undefined) return s.agentCommand;
  if (s.agent === 'claude') return 'claude';
  const argv = s.command.slice(0, Math.max(1, s.command.length - s.agentArgs.length));
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The run to resume: RUN by id, else the latest started in this repository or directory. */
export async function findResumable(stateDir: string, cwd: string, runId?: string): Promise<StoredRun> {
  const { runs, broken } = scanRuns(stateDir);
  if (runId) {
    const run = runs.find((r) => r.manifest.runId === runId);
    if (run) return run;
    const bad = broken.find((b) => b.runId === runId);
    if (bad) throw new UserError(`run ${runId}: ${bad.problem}`);
    throw new UserError(`no run ${runId} in ${stateDir} (axiom runs lists them)`);
  }
  const here = await runsHere(stateDir, cwd);
  const latest = here[0];
  // A newer run whose manifest cannot be read may be the one meant: say so rather than skip it.
  const newer = broken
    .filter((b) => !latest || b.runId > latest.manifest.runId)
    .sort((a, b) => (a.runId < b.runId ? 1 : -1))[0];
  if (!latest) {
    if (newer) throw new UserError(`run ${newer.runId}: ${newer.problem}`);
    throw new UserError(
      `no axiom run started here (${cwd}) to resume; give RUN (axiom runs --all lists every run)`,
    );
  }
  if (newer) process.stderr.write(`axiom: skipped run ${newer.runId}: ${newer.problem}\n`);
  return latest;
}

export function registerResume(
  program: Command,
  agentArgs: string[] | undefined,
  load: Load,
  launch: Launch,
  make: MakeManager,
): void {
  program
    .command('resume')
    .description(
      'reopen a run after a quit, a crash or a reboot: every session not killed on purpose, each conversation continued',
    )
    .argument('[run]', 'the run (axiom runs lists them; default: the latest started in this repository)')
    .option('--headless', 'print labeled lines instead of the UI (needs --prompt)')
    .option('--prompt <text>', 'send this follow-up to every resumed session once it is ready')
    .action(
      guard(async (runId: string | undefined, _o: unknown, cmd: Command) => {
        const all = cmd.optsWithGlobals<SettingsFlags & { headless?: boolean; prompt?: string }>();
        if (agentArgs && agentArgs.length > 0)
          throw new UserError(
            'axiom resume takes no agent arguments after --: each session keeps its own',
            2,
          );
        const headless = Boolean(all.headless) || !process.stdout.isTTY || !process.stdin.isTTY;
        if (headless && !all.prompt?.trim())
          throw new UserError('headless resume needs a follow-up: axiom resume --headless --prompt "…"', 2);
        const stateDir = stateDirOf(all.stateDir);
        const run = await findResumable(stateDir, all.cwd ?? process.cwd(), runId);
        const m = run.manifest;
        const plan = planResume(m);
        if (plan.resume.length === 0) {
          const why = [...plan.problems, ...plan.left.map((s) => `#${s.n} was killed on purpose`)];
          throw new UserError(
            `nothing to resume in run ${m.runId}: ${why.join('; ') || 'it has no sessions'}`,
          );
        }
        const loaded = load({ ...all, agentArgs: undefined });
        if (!loaded) return;
        let lock: RunLock;
        try {
          lock = RunLock.acquire(run.dir, m);
        } catch (e) {
          if (e instanceof RunLockError) throw new UserError(e.message);
          throw e;
        }
        const notes = [
          ...plan.problems,
          ...plan.left.map((s) => `#${s.n} stays ended: it was killed on purpose`),
          ...plan.resume.filter(turnCut).map((s) => {
            const last = s.prompts.at(-1)?.text;
            const what = last ? ` ("${promptSummary(last)}")` : '';
            return `#${s.n}: its last turn${what} did not finish before axiom stopped: send it again to redo it`;
          }),
        ];
        // Before the UI takes the screen (and again inside it): still readable after a quit.
        if (!headless) for (const n of notes) process.stderr.write(`axiom: ${n}\n`);
        const manager = make(loaded.settings, !headless, run);
        const prompt = all.prompt?.trim() ? all.prompt : undefined;
        const resuming: Resuming = {
          start(engine) {
            for (const n of notes) engine.emit('warning', n);
            return plan.resume.map((s) => {
              const snap = engine.spawn({
                agent: agentCommandOf(s),
                agentArgs: s.agentArgs,
                cwd: s.cwd,
                resume: {
                  n: s.n,
                  agentSessionId: s.agentSessionId,
                  lastPrompt: s.prompts.at(-1)?.text,
                  cut: turnCut(s),
                  worktree:
                    s.worktree && s.worktree.state !== 'removed' && s.worktree.state !== 'failed'
                      ? { ...s.worktree, applied: s.applied }
                      : undefined,
                },
              });
              if (prompt)
                void engine.send(snap.id, prompt).catch((e: Error) => {
                  engine.emit('warning', `#${s.n}: follow-up not sent: ${e.message}`);
                });
              return snap.id;
            });
          },
        };
        try {
          process.exitCode = await launch(loaded.settings, manager, resuming, headless);
        } finally {
          lock.release();
        }
      }),
    );
}
