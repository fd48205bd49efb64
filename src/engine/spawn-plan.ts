/**
 * How a session launches, decided before it exists: its agent profile, its environment, and for
 * a resumed session its agent arguments. Pure but for one file check (is the conversation saved?);
 * the manager creates, registers and starts the session from the plan.
 */
import { type ClaudeSettings, claudeProfile } from '../agents/claude.js';
import { genericProfile } from '../agents/generic.js';
import { type AgentProfile, checkPromptText } from '../agents/profile.js';
import { conversationSaved } from './resume.js';
import type { ManifestSession } from './runs.js';
import type { SpawnOptions } from './types.js';
import { RUN_TAG_VAR } from './watchdog.js';

export function defaultProfileFor(agent: string, claude: ClaudeSettings = {}): AgentProfile {
  return agent === 'claude' || agent === '' ? claudeProfile(claude.bin, claude) : genericProfile(agent);
}

/** What planSpawn needs from the manager. */
export interface SpawnContext {
  /** Build a profile for an agent name/command line (tests inject fakes). */
  profileFor?: (agent: string) => AgentProfile;
  claude?: ClaudeSettings;
  /** Base environment for agents. */
  env: Record<string, string | undefined>;
  /** The watchdog's tag for this run's agents (see watchdog.ts). */
  runTag: string;
}

export type SpawnPlan =
  | {
      /** Why the session cannot start: it is listed as FAILED with this reason, never launched. */
      failed: string;
      profile: AgentProfile;
    }
  | {
      failed?: undefined;
      profile: AgentProfile;
      env: Record<string, string>;
      /** The options the session is created with (resumed: its agent arguments, no new worktree). */
      opts: SpawnOptions;
      /** A resumed session: whether its conversation continues or its command starts again. */
      resumed?: NonNullable<ManifestSession['resumed']>;
      /** Said to the person before the session is announced (a resume that restarts). */
      warnings: string[];
    };

/** Plan session `n`'s launch from what was asked (`opts`). */
export function planSpawn(n: number, opts: SpawnOptions, ctx: SpawnContext): SpawnPlan {
  const agent = opts.agent ?? 'claude';
  let profile: AgentProfile;
  try {
    profile = ctx.profileFor ? ctx.profileFor(agent) : defaultProfileFor(agent, ctx.claude);
  } catch (e) {
    return { failed: (e as Error).message, profile: genericProfile('false') };
  }
  // The same rule as send(): the initial prompt reaches the agent literally (as an argument or
  // typed), so control characters are refused here rather than truncated (NUL) or acted upon.
  const bad = opts.prompt ? checkPromptText(opts.prompt) : undefined;
  if (bad) return { failed: `initial ${bad}`, profile };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) env[k] = v;
  Object.assign(env, opts.env ?? {});
  env[RUN_TAG_VAR] = ctx.runTag;
  if (!opts.resume) return { profile, env, opts, warnings: [] };
  const r = resumeArgs(n, profile, opts, env);
  return {
    profile,
    env,
    opts: { ...opts, agentArgs: r.agentArgs, worktree: false },
    resumed: r.how,
    warnings: r.warning ? [r.warning] : [],
  };
}

/**
 * How a resumed session launches: its agent continues the conversation where it can, else its
 * command starts again (and a warning says so, naming the session).
 */
function resumeArgs(
  n: number,
  profile: AgentProfile,
  opts: SpawnOptions,
  env: Record<string, string>,
): { agentArgs: string[]; how: NonNullable<ManifestSession['resumed']>; warning?: string } {
  const args = opts.agentArgs ?? [];
  const conversation = opts.resume?.agentSessionId;
  if (conversation && profile.resume) {
    const cwd = opts.cwd ?? process.cwd();
    if (conversationSaved(profile.textSource?.({ agentSessionId: conversation, env, cwd })))
      return { agentArgs: profile.resume(args, conversation, true), how: 'conversation' };
    return {
      agentArgs: profile.resume(args, conversation, false),
      how: 'restarted',
      warning: `#${n} restarted: it never got a prompt, so there is no conversation to resume`,
    };
  }
  return {
    agentArgs: args,
    how: 'restarted',
    warning: `#${n} restarted: no conversation to resume (${profile.name} keeps none axiom knows)`,
  };
}
