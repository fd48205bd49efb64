/** Options of runTui (run.tsx), in their own module so run.tsx and tui.tsx do not import each other. */
import type { ProcessHost } from '../engine/process-host.js';
import type { SpawnOptions } from '../engine/types.js';
import type { EarlySpawn } from './early-spawn.js';
import type { NotifyMode, TerminalInfo } from './notify.js';

export interface RunTuiOptions {
  /** Options for every session the UI starts (cwd, agent, agentArgs, env). */
  spawnDefaults: SpawnOptions;
  /** Start `parallel` sessions on `prompt` right away. */
  initial?: { prompt: string; parallel: number };
  /** Sessions already started for `initial` before the UI loaded (run.tsx); the UI adopts them. */
  spawned?: EarlySpawn;
  /** Called once when the UI is up and listening (axiom resume starts its sessions here). */
  onStart?: () => void;
  /** Streams, for tests. Default: the process's. */
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Bell / desktop notifications (mode) and the escapes this terminal understands; the title is kept either way. */
  notify?: { mode: NotifyMode; terminal: TerminalInfo };
  /** Restore the terminal anyway if engine.shutdown() takes longer than this (default 15 s). */
  shutdownTimeoutMs?: number;
  /**
   * Keep Ink's per-line measurement caches across renders (default true; src/compat/ink.ts).
   * AXIOM_INK_CACHE=0, read by src/cli/settings.ts, turns it off.
   */
  inkCaches?: boolean;
  /**
   * The owner of process signals and fatal errors (src/cli/lifecycle.ts): the UI attaches to it
   * and registers its terminal restore there. Without one (tests) nothing reaches the process.
   */
  host?: ProcessHost;
  /**
   * The frame drawn before the UI loaded (first-frame.ts): the terminal is in the alternate
   * screen already; the UI stops it right before its own first frame.
   */
  firstFrame?: { stop(): void };
}
