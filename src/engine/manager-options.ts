/** What a SessionManager is given: its ports, where its run is stored, and its switches. */
import type { ClaudeSettings } from '../agents/claude.js';
import type { AgentProfile } from '../agents/profile.js';
import type { GitOptions } from './git/worktree.js';
import type { PtyFactory } from './pty.js';
import type { RunManifest } from './runs.js';
import type { SessionTimings } from './session.js';

export interface ManagerOptions {
  ptyFactory?: PtyFactory;
  /** Where `runs/<run-id>/` transcripts go; `false` turns transcripts off. Default ~/.axiom. */
  stateDir?: string | false;
  runId?: string;
  timings?: Partial<SessionTimings>;
  /** Build a profile for an agent name/command line (tests inject fakes). */
  profileFor?: (agent: string) => AgentProfile;
  /** Start the hook channel (claude status via hooks). Default true. */
  hooks?: boolean;
  /** Base environment for agents. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Scrollback lines kept in memory per session. */
  scrollback?: number;
  /** Parse output through xterm's synchronous path (default true; see src/compat/xterm.ts). */
  syncParse?: boolean;
  /** Re-read only the screen rows xterm marked changed (default true; see src/compat/xterm-rows.ts). */
  rowCache?: boolean;
  /**
   * When a session ends, free its screen emulator (~4 MB at 2000 lines of scrollback) and keep
   * its last view, status and text log; its history stays in the transcript. Default true; the
   * UI passes false so an ended pane can still be scrolled.
   */
  releaseEndedScreens?: boolean;
  /** How the default profiles run claude (its executable, its renderer). */
  claude?: ClaudeSettings;
  /** Signals agent processes; tests with fake PTYs inject a fake. */
  signal?: (pid: number, signal: NodeJS.Signals) => number[] | undefined;
  /** The directory the run was started in (the manifest records it). Default process.cwd(). */
  cwd?: string;
  /** How to run git for worktrees (tests point it elsewhere). */
  git?: GitOptions;
  /**
   * Continue this stored run (`axiom resume`): its id, its run directory and its manifest, whose
   * sessions stay recorded; resumed ones are spawned with SpawnOptions.resume.
   */
  resume?: RunManifest;
  /**
   * Start a watchdog process that kills whatever is left of the agents once axiom is gone, even
   * after kill -9 (see watchdog.ts). Default: on with real PTYs, off with an injected factory.
   */
  watchdog?: boolean;
}
