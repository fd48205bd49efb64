/**
 * What a session is made of and tells: its timings, its launch input (SessionInit) and its events.
 */
import type { AgentProfile } from '../agents/profile.js';
import type { SignalAgent } from './agent-process.js';
import type { AnswerTimings } from './answer.js';
import type { DeliverTimings } from './deliver.js';
import type { ParsePump } from './parse-pump.js';
import type { PtyFactory } from './pty.js';
import type { Answer, FileEvent, SessionStatus } from './types.js';

export interface SessionTimings {
  /** Coalesce output for this long before notifying front ends. */
  batchMs: number;
  /** How long `send` waits for an interrupted turn to stop before typing. */
  interruptWaitMs: number;
  /** How long a command waits for a starting agent to be ready. */
  readyWaitMs: number;
  /** After SIGTERM, wait this long before SIGKILL. */
  killGraceMs: number;
  /** An exit within this long of the start counts as "exited at once". */
  earlyExitMs: number;
  /** With no output at all for this long, a starting agent is taken as ready. */
  startFallbackMs: number;
  /** Checking the input box before and after Enter (see deliver.ts). */
  deliver?: DeliverTimings;
  /** Moving a dialog's selection and confirming it (see answer.ts). */
  answer?: AnswerTimings;
}

/**
 * Scrollback lines kept in memory per session by default: tmux's history-limit. Each line costs
 * ~12 bytes per column in xterm's buffer; the transcript on disk keeps everything.
 */
export const DEFAULT_SCROLLBACK = 2000;

export const DEFAULT_TIMINGS: SessionTimings = {
  batchMs: 16,
  interruptWaitMs: 3000,
  readyWaitMs: 30000,
  killGraceMs: 2000,
  earlyExitMs: 2000,
  startFallbackMs: 3000,
};

export interface SessionInit {
  id: string;
  n: number;
  profile: AgentProfile;
  prompt: string;
  /** Started again by `axiom resume`: its last prompt, and whether its turn was cut then. */
  resumed?: { lastPrompt?: string; cut?: boolean };
  agentArgs: string[];
  cwd: string;
  cols: number;
  rows: number;
  env: Record<string, string>;
  ptyFactory: PtyFactory;
  timings: SessionTimings;
  hookUrl?: string;
  /** Writes a file only this user can read and returns its path (see LaunchContext.privateFile). */
  privateFile?: (name: string, content: string) => string;
  transcriptDir?: string;
  /** Why transcripts are off for the whole run, if they are. */
  transcriptError?: string;
  scrollback?: number;
  /** Parse output through xterm's synchronous path (default true; see src/compat/xterm.ts). */
  syncParse?: boolean;
  /** Re-read only the screen rows xterm marked changed (default true; see src/compat/xterm-rows.ts). */
  rowCache?: boolean;
  /** Who feeds the screen's parser (default: the pump all screens share; see parse-pump.ts). */
  parsePump?: ParsePump;
  /** Free the screen's emulator once the session has ended, keeping its last view (default true). */
  releaseScreen?: boolean;
  /**
   * Signals the agent's processes (default: its group, its session, their descendants and every
   * process carrying the session's tag). Tests inject a fake.
   */
  signal?: SignalAgent;
}

export interface SessionEvents {
  output(): void;
  status(previous: SessionStatus): void;
  file(ev: FileEvent): void;
  exit(): void;
  warning(message: string): void;
  /** The person answered a dialog with keys (Engine.write); answers through answer() are told by the manager. */
  answered(a: Answer): void;
}
