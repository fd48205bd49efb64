/**
 * How front ends (the UI, the MCP server) meet the one owner of process signals and fatal errors,
 * src/cli/lifecycle.ts. Types only: front ends take a ProcessHost as an option and never touch
 * `process` themselves; tests pass none (or a lifecycle over a fake process).
 */

/** Why the process is ending. */
export interface Ending {
  code: number;
  signal?: NodeJS.Signals;
  error?: unknown;
}

/** A front end as the owner sees it. */
export interface FrontEnd {
  /** Stop like a quit (shut the engine down, restore what was changed); the run then resolves. */
  stop(ending: Ending): void;
  /** It prints fatal errors itself (after giving the terminal back); otherwise the owner does. */
  reportsErrors?: boolean;
  /** How long its stop may take before the owner exits anyway. Default 5 s. */
  graceMs?: number;
  /** Give the terminal back before the process stops (Ctrl+Z, SIGTSTP). Without it the owner leaves SIGTSTP alone. */
  leaveTerminal?(): void;
  /** Take the terminal again once continued. */
  enterTerminal?(): void;
  /** SIGCONT arrived (someone ran `kill -STOP`/`-CONT`): the screen may have been drawn over. */
  continued?(): void;
}

/** What the process owner offers front ends (the UI and MCP take it as an option). */
export interface ProcessHost {
  /** Hand signals and fatal errors to `front` until the returned undo. */
  attach(front: FrontEnd): () => void;
  /** Run `restore` (synchronous, idempotent) when the process exits, however. Returns its undo. */
  onRestore(restore: () => void): () => void;
  /** Stop this process until continued (Ctrl+Z): the front end leaves the terminal first. */
  suspend(): void;
}
