/**
 * The Claude Code profile. State comes from hooks injected per session with `--settings`
 * (merged on top of the user's settings, which stay untouched); these screen patterns are the
 * fallback and the source of "interrupted" (an interrupted turn sends no Stop hook).
 */
import type { AgentProfile, LaunchContext, LaunchSpec, ScreenState } from './profile.js';
import { typeAndSubmit } from './profile.js';

/** Hook events axiom listens to. */
export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PermissionRequest',
  'Stop',
  'SessionEnd',
] as const;

/** The `--settings` JSON that routes the hooks to axiom's private channel. */
export function claudeHookSettings(hookUrl: string): string {
  const handler = [{ type: 'http', url: hookUrl, timeout: 5 }];
  const hooks: Record<string, unknown[]> = {};
  for (const ev of CLAUDE_HOOK_EVENTS) {
    hooks[ev] =
      ev === 'PreToolUse' || ev === 'PostToolUse' ? [{ matcher: '*', hooks: handler }] : [{ hooks: handler }];
  }
  return JSON.stringify({ hooks });
}

const BUSY = /esc to interrupt|ctrl\+c to interrupt/i;
const PERMISSION = /Do you want to (make this edit|create|proceed|allow|run)|❯\s*1\.\s*Yes/;
const INTERRUPTED = /Interrupted\s*·|Interrupted by user/;
const INPUT_BOX = /^\s*[>❯]\s/;
const RULE = /^\s*─{8,}/;

export function detectClaude(lines: string[]): ScreenState {
  const text = lines.join('\n');
  if (PERMISSION.test(text)) return 'permission';
  // Only the bottom part of the screen holds the live status footer.
  const tail = lines.slice(-8).join('\n');
  if (BUSY.test(tail)) return 'busy';
  const hasInput = lines.some((l) => INPUT_BOX.test(l)) || lines.some((l) => RULE.test(l));
  if (!hasInput) return 'starting';
  // The "Interrupted" notice stays above the input box until the next prompt.
  const lastMarker = findLast(lines, (l) => INTERRUPTED.test(l));
  const lastPrompt = findLast(lines, (l) => /^\s*>\s\S/.test(l));
  if (lastMarker >= 0 && lastMarker > lastPrompt) return 'interrupted';
  return 'idle';
}

function findLast(lines: string[], pred: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pred(lines[i] as string)) return i;
  return -1;
}

/**
 * Claude's live region is at the bottom: spinner/status, then the input box between two rules,
 * then the footer. Everything above the first of those is finished output.
 */
export function claudeStableRows(lines: string[]): number {
  // The input box's top rule; the spinner line (busy footer) may stand just above it.
  let top = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (RULE.test(lines[i] as string)) top = i;
  }
  if (top === lines.length) return 0; // no input box drawn yet: nothing is known to be final
  // Walk up over the spinner / status lines that belong to the live region.
  let i = top - 1;
  while (
    i >= 0 &&
    (lines[i]?.trim() === '' ||
      /^[\s✻✽✶✳✢·*●]\s*\S.*(…|\.\.\.)/.test(lines[i] ?? '') ||
      BUSY.test(lines[i] ?? ''))
  )
    i--;
  return i + 1;
}

export function claudeProfile(bin = process.env.AXIOM_CLAUDE_BIN || 'claude'): AgentProfile {
  return {
    name: 'claude',
    usesHooks: true,
    idleMs: 3000,
    launch(ctx: LaunchContext): LaunchSpec {
      const args = [...ctx.agentArgs];
      if (ctx.hookUrl) args.push('--settings', claudeHookSettings(ctx.hookUrl));
      // `--` keeps a prompt that starts with '-' from being read as an option.
      if (ctx.prompt) args.push(...(ctx.prompt.startsWith('-') ? ['--', ctx.prompt] : [ctx.prompt]));
      return {
        file: bin,
        args,
        // A claude started from inside Claude Code (e.g. `axiom mcp` as its MCP server) would
        // otherwise refuse to run as a nested session.
        env: { CLAUDECODE: undefined, CLAUDE_CODE_ENTRYPOINT: undefined },
        promptInArgs: ctx.prompt !== '',
      };
    },
    submitSteps: (text) => typeAndSubmit(text, 200, true),
    interruptSequence: () => '\x1b',
    detect: detectClaude,
    stableRows: (lines) => claudeStableRows(lines),
  };
}
