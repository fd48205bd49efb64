/**
 * The launch spec of a session, pure: what the profile asks for (executable, arguments, its
 * environment changes), turned into the command and the environment the agent really gets, and
 * why it cannot start here (with the fix). No process is started here.
 */
import { existsSync, statSync } from 'node:fs';
import type { AgentProfile, LaunchContext, LaunchSpec } from '../agents/profile.js';
import { type Resolved, resolveExecutable, SESSION_TAG_VAR } from './proc.js';

/** Variables that describe the terminal axiom itself runs in; agents must not see them. */
export const OUTER_TERMINAL_VARS = [
  'TMUX',
  'TMUX_PANE',
  'STY',
  'TERM_PROGRAM',
  'TERM_PROGRAM_VERSION',
  'TERM_SESSION_ID',
  'WINDOWID',
];

/** The fix named when an agent's executable is missing and its profile gives no installHint. */
export const DEFAULT_INSTALL_HINT = 'check the --agent command';

export interface LaunchPlan {
  spec: LaunchSpec;
  /** argv as started (for the snapshot). */
  command: string[];
  /** The agent's whole environment. */
  env: Record<string, string>;
  /** A prompt given at launch that the agent did not take on its command line: typed once it is ready. */
  typedPrompt?: string;
}

/**
 * The profile's launch spec for `ctx` over the inherited environment `base`: the spec's variables
 * set or removed, the outer terminal's hidden, TERM set to what axiom emulates, every process
 * tagged with `tag` (SESSION_TAG_VAR).
 */
export function planLaunch(
  profile: AgentProfile,
  ctx: LaunchContext,
  base: Record<string, string>,
  tag: string,
): LaunchPlan {
  const spec = profile.launch(ctx);
  const env: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(spec.env)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  // The agent's terminal is axiom's emulator, not the one axiom runs in (tmux, screen, an IDE).
  for (const k of OUTER_TERMINAL_VARS) delete env[k];
  env.TERM = 'xterm-256color';
  env.COLORTERM ??= 'truecolor';
  env[SESSION_TAG_VAR] = tag;
  return {
    spec,
    command: [spec.file, ...spec.args],
    env,
    ...(ctx.prompt && !spec.promptInArgs ? { typedPrompt: ctx.prompt } : {}),
  };
}

/**
 * Why the agent cannot start in `cwd`, with the fix; or the resolved executable. `installHint`
 * is the profile's own fix for a missing executable.
 */
export function launchProblem(
  cwd: string,
  file: string,
  pathEnv: string | undefined,
  installHint = DEFAULT_INSTALL_HINT,
): Resolved {
  if (!existsSync(cwd))
    return { ok: false, reason: `working directory does not exist: ${cwd} (create it or pass --cwd)` };
  if (!statSync(cwd).isDirectory())
    return { ok: false, reason: `working directory is not a directory: ${cwd}` };
  const exe = resolveExecutable(file, pathEnv, cwd);
  if (exe.ok) return exe;
  return { ok: false, reason: `${exe.reason}; ${installHint}` };
}
