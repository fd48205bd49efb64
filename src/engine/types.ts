/**
 * Public types of the axiom engine. Front ends (TUI, headless spawn, MCP) depend on these only.
 * Nothing here imports React, Ink or MCP.
 */
import type { Waiting, WaitingOption } from '../agents/waiting.js';

// What a WAITING session waits for is read off the agent's screen, so its type lives with the agents.
export type { Waiting, WaitingOption } from '../agents/waiting.js';

/** Lifecycle of one agent session. */
export type SessionStatus =
  | 'STARTING' // process launched, agent not ready yet
  | 'RUNNING' // a turn is in progress
  | 'WAITING' // the agent needs the user: a permission dialog or a question
  | 'COMPLETED' // the turn finished; ready for more input
  | 'INTERRUPTED' // the turn was interrupted; ready for a new direction
  | 'EXITED' // the process exited (see exitCode)
  | 'FAILED'; // could not start, or died abnormally (see reason)

/** Every status, in lifecycle order (for schemas and listings). */
export const SESSION_STATUSES = [
  'STARTING',
  'RUNNING',
  'WAITING',
  'COMPLETED',
  'INTERRUPTED',
  'EXITED',
  'FAILED',
] as const satisfies readonly SessionStatus[];

/** Statuses after which the process is gone. */
export const TERMINAL_STATUSES: ReadonlySet<SessionStatus> = new Set(['EXITED', 'FAILED']);

/** Statuses in which the agent is idle and waiting for the next prompt. */
export const IDLE_STATUSES: ReadonlySet<SessionStatus> = new Set(['COMPLETED', 'INTERRUPTED']);

/** Statuses in which the agent is working (or getting ready to) on its own. */
export const BUSY_STATUSES: ReadonlySet<SessionStatus> = new Set(['STARTING', 'RUNNING']);

/** The process is gone (EXITED or FAILED). */
export const isEnded = (s: SessionStatus): boolean => TERMINAL_STATUSES.has(s);
/** Ready for the next prompt (COMPLETED or INTERRUPTED). */
export const isIdle = (s: SessionStatus): boolean => IDLE_STATUSES.has(s);
/** Working on its own (STARTING or RUNNING). */
export const isBusy = (s: SessionStatus): boolean => BUSY_STATUSES.has(s);

/** An answer given to a dialog (Engine.answer). */
export interface Answer {
  /** The dialog's name (Waiting.name). */
  dialog: string;
  /** The option picked. */
  option: WaitingOption;
  /** Who answered: a client's name, or 'person' for the person at the terminal. */
  by: string;
  at: number;
}

/**
 * One run of same-styled text on a screen line. Colors: undefined = default, number = palette
 * 0-255, string = '#rrggbb'. Widths are the terminal's own layout, never guessed from the text:
 * without `width`, every UTF-16 code unit of `text` is one 1-cell character; with `width`,
 * `text` is one cell's content (a wide character or a grapheme cluster) covering `width` cells.
 */
export interface StyledSpan {
  text: string;
  width?: number;
  fg?: number | string;
  bg?: number | string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strikethrough?: boolean;
}
export type StyledLine = StyledSpan[];

export interface FileEvent {
  /** Absolute path of the file the agent wrote or edited. */
  path: string;
  /** Tool that wrote it: Write, Edit, MultiEdit or NotebookEdit (from claude's PostToolUse hook). */
  tool: string;
  at: number;
}

/** Lines added/deleted and files changed in a session's worktree against its base. */
export interface DiffSummary {
  added: number;
  deleted: number;
  files: number;
}

/** A session's own git worktree (see src/engine/git/worktree.ts). */
export interface WorktreeInfo {
  /**
   * creating: git is making it (the agent starts after); ready: the agent works in it;
   * kept: the session ended and it holds changes; removed: it held none and is gone;
   * failed: it could not be made (the session is FAILED with the reason).
   */
  state: 'creating' | 'ready' | 'kept' | 'removed' | 'failed';
  /** The user's repository (its top level): where `apply` brings the changes. */
  repo: string;
  /** The worktree folder (`<repo>/.axiom/worktrees/<run>-<n>`). */
  path: string;
  branch: string;
  /** The commit it started from (HEAD plus the user's uncommitted tracked edits). */
  base?: string;
  diff?: DiffSummary;
  /** Its changes were brought into the user's tree. */
  applied?: boolean;
}

export interface SessionSnapshot {
  /** Stable id, unique within one engine ("1", "2", ...). Used as the MCP taskId. */
  id: string;
  /** Display number (#N). */
  n: number;
  /** Agent profile name: 'claude' or 'generic'. */
  agent: string;
  /** argv actually launched (executable first). */
  command: string[];
  cwd: string;
  /** The first prompt the session was started with ('' if none). */
  prompt: string;
  /** The most recent prompt sent (initial or redirect). */
  lastPrompt: string;
  status: SessionStatus;
  /** Why the session is FAILED / WAITING / EXITED, one line, naming the fix where there is one. */
  reason?: string;
  /** Set while WAITING: the dialog (or question) a person must answer. */
  waiting?: Waiting;
  /** Why the last send could not be delivered (cleared by the next one that is). */
  sendError?: string;
  /** The process's exit code; null when a signal ended it (see signal). */
  exitCode?: number | null;
  /** The number of the signal that ended the process, or null when it exited by itself. */
  signal?: number | null;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms when the current (or last) turn started. */
  turnStartedAt?: number;
  /** Epoch ms when the current turn ended (undefined while running). */
  turnEndedAt?: number;
  lastOutputAt?: number;
  endedAt?: number;
  /** Durations (ms) of finished turns. */
  turnDurations: number[];
  filesWritten: FileEvent[];
  /** Last non-empty line of plain text on the screen. */
  lastLine: string;
  cols: number;
  rows: number;
  /** Total bytes received from the PTY. */
  bytesReceived: number;
  /** The agent's process id while it runs. */
  pid?: number;
  /** Where the raw transcript is written, if transcripts are on. */
  transcriptPath?: string;
  /** Why transcripts are off for this session, if they are. */
  transcriptError?: string;
  /** The session's own git worktree, when it has one. */
  worktree?: WorktreeInfo;
  /**
   * The agent's own conversation id, when axiom knows it (claude: the `--session-id` axiom chose,
   * or the id being resumed): `claude --resume <id>` continues the conversation.
   */
  agentSessionId?: string;
  /** The agent's version, once known (claude: `claude --version`, asked once per run). */
  agentVersion?: string;
  /**
   * The attached MCP client that steers it (its name from MCP initialize): the client that
   * started it, or the one the person handed it to. Undefined: the person's own session.
   */
  owner?: string;
  /** The person holds it: clients may not send to, interrupt or kill it (see Engine.hold). */
  held?: boolean;
  /** The person typed into this client's session: it stays when the client goes away. */
  takenOver?: boolean;
  /**
   * The last test (or, before any test, the last command) the agent ran, where its log tells
   * (claude: its Bash tool calls); undefined when unknown.
   */
  lastCheck?: LastCheck;
}

/** Who sent a direction: the person at the terminal, or an attached client (by name). */
export const PERSON = 'person';

/** A prompt sent to a session, and who sent it. */
export interface Direction {
  /** PERSON or the client's name. */
  from: string;
  text: string;
  /** The session's output cursor when it was sent (see Engine.output). */
  at: number;
  time: number;
}

/** A command the agent ran and how it ended. */
export interface LastCheck {
  /** The command line, as the agent ran it. */
  command: string;
  /** It succeeded (exit code 0). */
  ok: boolean;
  /** Epoch ms when axiom saw the result. */
  at: number;
  /** It runs tests, a build, a type check or a linter (rather than any command). */
  check: boolean;
}

export interface SpawnOptions {
  /** Initial prompt. For claude it is passed as the positional prompt argument. */
  prompt?: string;
  cwd?: string;
  /** 'claude' (default) or a generic command line, e.g. 'bash' or 'aider --yes'. */
  agent?: string;
  /** Extra agent arguments (after `--`). */
  agentArgs?: string[];
  cols?: number;
  rows?: number;
  /** Extra environment for the agent process. */
  env?: Record<string, string>;
  /**
   * Run in a git worktree of its own, made from `cwd`'s repository (HEAD plus uncommitted
   * tracked edits) on branch `axiom/<run>-<n>`. Not in a repository: the session fails with the fix.
   */
  worktree?: boolean;
  /**
   * Bring back session `n` of a stored run (`axiom resume`): it keeps its number, and continues
   * conversation `agentSessionId` where its agent can (claude: `--resume`); other agents start
   * their command again. `worktree` stays off: `cwd` is the session's worktree already, and the
   * stored `worktree` record is adopted (branch and diff in the title, removed at the end if empty).
   */
  resume?: {
    n: number;
    agentSessionId?: string;
    worktree?: Pick<WorktreeInfo, 'repo' | 'path' | 'branch' | 'base' | 'applied'>;
    /** The last prompt it was given: its title shows it until the next one. */
    lastPrompt?: string;
    /** Its turn was cut when axiom stopped: once ready it is INTERRUPTED, not COMPLETED. */
    cut?: boolean;
  };
  /** The attached client starting it (see SessionSnapshot.owner); undefined: the person. */
  owner?: string;
}

export interface OutputChunk {
  /** Cursor to pass next time. */
  cursor: number;
  /** Plain text (complete lines, '\n'-separated) produced since the given cursor. */
  text: string;
}

export interface SendOptions {
  /** Interrupt first when the session is RUNNING (default true). */
  interrupt?: boolean;
  /** Who sends it: PERSON (default) or an attached client's name. */
  from?: string;
}

/** Events emitted by the SessionManager. */
export interface EngineEvents {
  /** A session was created (it may still be STARTING). */
  'session-added': (s: SessionSnapshot) => void;
  /** The session's screen changed. Batched: at most one per session per ~16-33 ms. */
  output: (id: string) => void;
  status: (s: SessionSnapshot, previous: SessionStatus) => void;
  'file-written': (id: string, ev: FileEvent) => void;
  /** The process exited (status is EXITED or FAILED). */
  exit: (s: SessionSnapshot) => void;
  'session-removed': (id: string) => void;
  /** The session's worktree changed: created, diff summary refreshed, kept, removed, applied. */
  worktree: (s: SessionSnapshot) => void;
  /** A dialog was answered through Engine.answer (by a client or the person). */
  answered: (id: string, answer: Answer) => void;
  /** Engine-level warnings (e.g. transcripts disabled). */
  warning: (message: string) => void;
  /** Who steers the session changed: its owner, held or takenOver. */
  control: (s: SessionSnapshot) => void;
  /** A prompt was sent to the session (by the person or a client). */
  direction: (id: string, d: Direction) => void;
  /** The attached MCP clients changed (their names). */
  clients: (names: string[]) => void;
}
