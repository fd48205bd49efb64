import type { ApplyResult, DiffTextOptions } from './git/worktree.js';
import type {
  Answer,
  EngineEvents,
  OutputChunk,
  SendOptions,
  SessionSnapshot,
  SpawnOptions,
  StyledLine,
} from './types.js';

/**
 * The engine as front ends see it. `SessionManager` implements it; tests of front ends may
 * implement it with a fake. Every method that takes an id throws `UnknownSessionError` for an
 * unknown id.
 */
export interface Engine {
  /** Start one session. Returns at once (the process starts asynchronously; a failure shows as FAILED). */
  spawn(opts: SpawnOptions): SessionSnapshot;
  list(): SessionSnapshot[];
  get(id: string): SessionSnapshot | undefined;

  /** Send text as a prompt. If the session is RUNNING and `interrupt` is not false, interrupt it first, wait until it has stopped, then submit. Serialized per session. */
  send(id: string, text: string, opts?: SendOptions): Promise<void>;
  /** Interrupt the current turn (claude: Esc). Serialized per session. */
  interrupt(id: string): Promise<void>;
  /**
   * Pick an option (its id or label) in the dialog the session waits on: the selection is moved
   * onto it and seen there before it is confirmed. `by` names who answers (a client's name;
   * default 'person'); an `answered` event carries it. Rejects with AnswerError (its message lists
   * the options) when no dialog is open or the option is unknown. Not queued behind sends.
   */
  answer(id: string, option: string, by?: string): Promise<Answer>;
  /** Write raw bytes to the PTY (keyboard passthrough). */
  write(id: string, data: string): void;
  /** Kill the session's whole process group (SIGTERM, then SIGKILL after a grace period). */
  kill(id: string): Promise<void>;
  /** Forget an ended session (it must be EXITED or FAILED). */
  remove(id: string): void;
  /** Resize the PTY and its screen together (clamped to >= 1). */
  resize(id: string, cols: number, rows: number): void;

  /**
   * The session's screen: `rows` lines ending `scrollback` lines above the bottom
   * (0 = live view). Styled for the TUI.
   */
  screen(id: string, scrollback?: number): StyledLine[];
  /** How many lines of scrollback are available above the live view. */
  scrollbackLength(id: string): number;
  /** Cursor position on the live screen (for drawing a cursor), or undefined when hidden. */
  cursor(id: string): { x: number; y: number } | undefined;
  /** Plain text of everything produced since `cursor` (0 = from the start). */
  output(id: string, cursor?: number): OutputChunk;

  /** The session's changes in its worktree against its base (a patch, or a diffstat). Rejects when it has no worktree. */
  diff(id: string, opts?: DiffTextOptions): Promise<string>;
  /**
   * Bring the session's worktree changes into the user's tree as uncommitted changes; all or
   * nothing (a conflict lists the files). `within`: refuse changes outside this directory.
   */
  apply(id: string, within?: string): Promise<ApplyResult>;

  /**
   * Hold the session for the person (true) or release it: while held, attached clients may not
   * send to, interrupt or kill it.
   */
  hold(id: string, held: boolean): void;
  /** Hand the session to an attached client (by name), or back to the person (undefined). */
  handTo(id: string, client: string | undefined): void;
  /** Names of the MCP clients attached to this engine (`axiom mcp --attach`), oldest first. */
  clients(): string[];

  on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this;
  off<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this;

  /** Kill every session and wait for them to exit; flush transcripts. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * The engine as a front end in another process sees it (engine/attach/remote.ts): the same,
 * except that starting a session takes a round trip.
 */
export type EngineLike = Omit<Engine, 'spawn'> & {
  spawn(opts: SpawnOptions): SessionSnapshot | Promise<SessionSnapshot>;
};

export class UnknownSessionError extends Error {
  constructor(id: string) {
    super(`unknown session: ${id}`);
    this.name = 'UnknownSessionError';
  }
}
