/**
 * Every setting axiom reads from its surroundings, gathered in one place at the edge: command-line
 * flags first, then AXIOM_* environment variables, then the config files (src/config), then defaults.
 * Nothing below src/cli reads process.env for axiom's own settings; they arrive as options.
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SCROLLBACK } from '../engine/session.js';
import { detectTerminal, type NotifyMode, type TerminalInfo } from '../ui/notify.js';

export interface Settings {
  /** Agent command line for new sessions: "claude" or any command. Flag --agent. */
  agent: string;
  /** Arguments for every agent: what follows `--` on the command line, or a config file's agentArgs. */
  agentArgs: string[];
  /** Working directory of new sessions. Flag --cwd; default the current directory. */
  cwd: string;
  /** Where `runs/<run-id>/` transcripts go; false: none. Flags --state-dir / --no-transcripts, env AXIOM_STATE_DIR. */
  stateDir: string | false;
  /** Scrollback lines kept in memory per pane. Flag --scrollback, env AXIOM_SCROLLBACK. */
  scrollback: number;
  /**
   * A git worktree per session. Flags --worktree / --no-worktree; 'auto' (the default): on when
   * more than one session starts on one prompt inside a git work tree (see cli/worktree-mode.ts).
   */
  worktree: boolean | 'auto';
  /** Bell and/or desktop notification when a session needs you. Flag --notify; default both. */
  notify: NotifyMode;
  /** Command line run on every status change. Flag --on-status. */
  onStatus?: string;
  /** The desktop-notification escape the terminal understands, from TERM, TERM_PROGRAM, TMUX, … */
  terminal: TerminalInfo;
  /** The claude executable. Env AXIOM_CLAUDE_BIN. */
  claudeBin: string;
  /** Let claude use its full-screen renderer (panes then keep no scrollback). Env AXIOM_CLAUDE_FULLSCREEN=1. */
  claudeFullscreen: boolean;
  /**
   * Switches that exist to measure (A/B) or to fall back if a pinned library changes; the README
   * lists them under troubleshooting. See src/compat/.
   */
  fallbacks: {
    /** Keep Ink's per-line measurement caches across renders. Env AXIOM_INK_CACHE=0 turns off. */
    inkCaches: boolean;
    /** Parse output through xterm's synchronous core path. Env AXIOM_XTERM_ASYNC=1 turns off. */
    xtermSyncParse: boolean;
    /** Re-read only the screen rows xterm marked changed. Env AXIOM_XTERM_ROWS=0 turns off. */
    xtermRows: boolean;
  };
}

/** What commander parsed: the program's options (global to every subcommand). */
export interface SettingsFlags {
  agent?: string;
  /** What followed `--`; undefined when there was no `--`. */
  agentArgs?: string[];
  cwd?: string;
  stateDir?: string;
  /** --no-transcripts gives false. */
  transcripts?: boolean;
  /** Already validated by commander (it also reads AXIOM_SCROLLBACK). */
  scrollback?: number;
  /** --worktree gives true, --no-worktree false. */
  worktree?: boolean;
  /** Validated by commander (choices). */
  notify?: NotifyMode;
  onStatus?: string;
}

/**
 * Build the settings: `flags` over `env` over `base` (a config file's values, say) over the
 * defaults. `env` is process.env at the edge and a plain object in tests.
 */
export function settingsFrom(
  flags: SettingsFlags,
  env: Readonly<Record<string, string | undefined>> = process.env,
  base: Partial<Settings> = {},
): Settings {
  const fallbacks = { inkCaches: true, xtermSyncParse: true, xtermRows: true, ...base.fallbacks };
  if (env.AXIOM_INK_CACHE === '0') fallbacks.inkCaches = false;
  if (env.AXIOM_XTERM_ASYNC === '1') fallbacks.xtermSyncParse = false;
  if (env.AXIOM_XTERM_ROWS === '0') fallbacks.xtermRows = false;
  const stateDir =
    flags.transcripts === false
      ? false
      : (flags.stateDir ?? (env.AXIOM_STATE_DIR || undefined) ?? base.stateDir ?? join(homedir(), '.axiom'));
  return {
    agent: flags.agent ?? base.agent ?? 'claude',
    agentArgs: flags.agentArgs ?? base.agentArgs ?? [],
    cwd: resolve(flags.cwd ?? base.cwd ?? process.cwd()),
    stateDir,
    scrollback: flags.scrollback ?? base.scrollback ?? DEFAULT_SCROLLBACK,
    worktree: flags.worktree ?? base.worktree ?? 'auto',
    notify: flags.notify ?? base.notify ?? 'both',
    onStatus: flags.onStatus ?? base.onStatus,
    terminal: base.terminal ?? detectTerminal(env),
    claudeBin: env.AXIOM_CLAUDE_BIN || base.claudeBin || 'claude',
    claudeFullscreen: env.AXIOM_CLAUDE_FULLSCREEN === '1' || (base.claudeFullscreen ?? false),
    fallbacks,
  };
}
