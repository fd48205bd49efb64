/**
 * An agent profile: how to launch an agent, submit text, interrupt it, and read its state off
 * its screen. Profiles are pure data + functions (no processes, no I/O) so they are unit-testable
 * on fake screens.
 */
import type { Waiting } from './waiting.js';

export interface LaunchSpec {
  /** Executable (a name looked up on PATH, or a path). */
  file: string;
  args: string[];
  /** Extra environment. Keys mapped to undefined are removed from the inherited environment. */
  env: Record<string, string | undefined>;
  /** True when the initial prompt was put on the command line (the agent submits it itself). */
  promptInArgs: boolean;
  /**
   * The agent's own conversation id for this launch, when it has one axiom knows (claude:
   * `--session-id`, or the id being resumed). Other features (resume, text source) rely on it.
   */
  agentSessionId?: string;
}

export interface LaunchContext {
  prompt: string;
  agentArgs: string[];
  /** URL the agent's hooks should POST to (claude), if the engine runs a hook channel. */
  hookUrl?: string;
  /**
   * Write `content` to a file only this user can read (0600 in a 0700 directory) and return its
   * path: for launch data carrying the hook channel's secret, which must not appear in argv (any
   * local user can read a process's command line). Throws when it cannot.
   */
  privateFile?: (name: string, content: string) => string;
  /** A fresh conversation id the profile may hand the agent (see LaunchSpec.agentSessionId). */
  agentSessionId?: string;
}

/** What one record of an agent's structured log adds to the plain-text stream. */
export interface TextRecord {
  /** Plain-text lines, in order (no newlines inside). */
  lines: string[];
  /** 'start': the record opens a turn (a prompt); 'end': the turn's text is all written. */
  turn?: 'start' | 'end';
  /** An id unique to the record, when it has one: a record seen twice adds nothing the second time. */
  id?: string;
  /**
   * The lines are answer text that the agent also draws on its screen as it streams (see
   * TextSourceSpec.screenRow): the part already shown live is not repeated.
   */
  answer?: boolean;
  /** Shell commands the record starts or finishes (a command and its result come in separate records). */
  commands?: CommandRecord[];
}

/** A shell command the agent runs through its own tool, as its log tells it. */
export interface CommandRecord {
  /** The tool call's id: pairs the start with its result. */
  callId: string;
  /** At the start: the command line. */
  command?: string;
  /** At the start: the command runs tests, a build, a type check or a linter. */
  check?: boolean;
  /** With the result: whether it succeeded (exit code 0). */
  ok?: boolean;
}

/** What a finished screen line is, for the live part of the text stream. */
export interface ScreenRow {
  /**
   * 'start': first row of an answer block; 'more': a further row of it; 'other': content that is
   * not answer text (it ends a block); 'chrome': the agent's own UI (spinner, input box, footer),
   * which may sit anywhere between rows of a block and ends nothing.
   */
  kind: 'start' | 'more' | 'other' | 'chrome';
  /** The row's answer text (without the agent's bullet or indent). */
  text: string;
}

/**
 * Where an agent writes a structured log of its conversation (one JSON record per line) and how
 * to read it: the engine tails `<root>/<any dir>/<fileName>` and turns each record into text
 * lines. The source of truth for the plain-text stream where an agent has one (the screen
 * cannot tell a row that is finished from one the agent will redraw).
 */
export interface TextSourceSpec {
  /** The directory whose subdirectories are searched for `fileName`. */
  root: string;
  fileName: string;
  /** The subdirectory of `root` to look in first (the others are searched less often). */
  likelyDir?: string;
  /** One line of the log (without its newline) to text. Pure; never throws. */
  parse(record: string): TextRecord;
  /**
   * The log gets an answer block only once it is complete. While it streams, the screen's
   * finished lines that this says are answer text are passed on live; the block's record then
   * adds only what they did not show. Without it, text comes from the log alone.
   */
  screenRow?(line: string): ScreenRow;
}

export interface TextSourceContext {
  /** The id from LaunchSpec.agentSessionId. */
  agentSessionId: string;
  /** The agent's environment (HOME and the agent's own config variables). */
  env: Record<string, string>;
  cwd: string;
}

/**
 * What an agent reports about itself through its hooks, in the engine's words: each profile turns
 * its agent's own protocol (claude: hook event names and tool names) into these, so the engine
 * knows no agent's protocol and a second agent with hooks only touches src/agents/. (The end of
 * the process is no agent event: the PTY's exit tells the engine, for every agent.)
 */
export type AgentEvent =
  /** A prompt was submitted and a turn runs; `prompt` is the text the agent received. */
  | { type: 'turn-started'; prompt?: string }
  /** A tool starts: a dialog that Esc can cancel is over, the agent works again. */
  | { type: 'tool-started' }
  /** A tool finished: whatever the agent waited for is over, it works again. */
  | { type: 'tool-finished' }
  /**
   * The agent waits for a person about `subject` ("Write fib.go"); `waiting` stands for the
   * dialog until the screen shows it (the profile's dialog reader then replaces it).
   */
  | { type: 'waiting'; subject: string; waiting: Waiting }
  /** The agent wrote a file: its absolute path and the tool that wrote it. */
  | { type: 'file-written'; path: string; tool: string }
  /** The turn is over; the agent draws its last lines a moment later. */
  | { type: 'turn-ended' };

/** What a screen says about the agent. */
export type ScreenState =
  | 'starting' // not ready for input yet
  | 'busy' // working on a turn
  | 'permission' // a dialog waits for the user
  | 'interrupted' // the last turn was interrupted
  | 'idle'; // ready for input

/**
 * The agent's input line, as the engine needs it to submit a prompt it can vouch for: the box is
 * emptied, the text typed, the box read back off the screen, and only then Enter.
 */
export interface InputBox {
  /** Bytes that empty the input box (never a double Ctrl+C). Undefined: it cannot be emptied. */
  clear?: string;
  /**
   * Whether the input box on screen holds exactly `text` ('' = it is empty); undefined when no
   * input box can be seen (a dialog is up, the agent is not drawn yet).
   */
  holds(lines: string[], cursorRow: number, text: string): boolean | undefined;
  /** What the input box shows, for messages (undefined when none is seen). */
  read(lines: string[], cursorRow: number): string | undefined;
}

/** One write of a submit/interrupt sequence, with a pause before the next write. */
export interface InputStep {
  data: string;
  /** Pause after this write, in ms. */
  delayMs: number;
}

export interface VersionProbe {
  file: string;
  args: string[];
  /** The version in what the command printed, if it says one. */
  parse(stdout: string): string | undefined;
  /** A one-line warning naming the covered range when `version` is outside it. */
  untested(version: string): string | undefined;
}

/**
 * The keys that answer the agent's dialogs: a list's selection is moved with `up`/`down` and read
 * back off the screen (Waiting.selected) before `confirm`; an option that is a key hint ("Esc to
 * cancel") is that key.
 */
export interface DialogKeys {
  up: string;
  down: string;
  confirm: string;
  /** Bytes for a key a hint names ("Enter", "Esc", "Tab", "shift+Tab", "y"); undefined when unknown. */
  key(name: string): string | undefined;
}

/** Bytes of the keys dialogs name in their hints, in a terminal's usual encoding. */
const HINT_KEYS: Record<string, string> = {
  enter: '\r',
  esc: '\x1b',
  tab: '\t',
  'shift+tab': '\x1b[Z',
  space: ' ',
};

/** Arrow keys move, Enter confirms; hints map to their keys (single letters are typed as they are). */
export const DEFAULT_DIALOG_KEYS: DialogKeys = {
  up: '\x1b[A',
  down: '\x1b[B',
  confirm: '\r',
  key: (name) => HINT_KEYS[name.toLowerCase()] ?? (/^[a-z0-9]$/i.test(name) ? name : undefined),
};

export interface AgentProfile {
  readonly name: string;
  /** Whether the agent reports its state through hooks (status from the screen is then a fallback). */
  readonly usesHooks: boolean;
  launch(ctx: LaunchContext): LaunchSpec;
  /**
   * One hook payload the agent posted, as neutral events (none for a payload it does not know).
   * `cwd` is the session's directory, for relative paths. Pure; never throws.
   */
  hookEvents?(payload: Record<string, unknown>, cwd: string): AgentEvent[];
  /** Byte steps that type `text` and submit it. */
  submitSteps(text: string): InputStep[];
  /** Bytes that interrupt a running turn. */
  interruptSequence(): string;
  /** Read the state off the live screen's plain lines. */
  detect(lines: string[]): ScreenState;
  /**
   * The dialog on screen that waits for a person, read by name where the profile knows it
   * (undefined when there is none it recognises; the engine's general rule covers the rest).
   */
  dialog?(lines: string[]): Waiting | undefined;
  /** How to answer its dialogs (Engine.answer); without it, only a person at the terminal can. */
  readonly dialogKeys?: DialogKeys;
  /** How to read and empty the agent's input box; without it, prompts are typed unverified. */
  readonly input?: InputBox;
  /**
   * For agents that paint before they read input: once something is drawn, the screen must stay
   * quiet this long (or show an input line with the cursor in it) before the agent counts as ready.
   */
  readonly readyQuietMs?: number;
  /**
   * How many rows from the top of the live screen are finished output (will not be redrawn).
   * Rows below belong to the agent's live region (spinner, input box, footer). `busy`: a turn
   * is running (rows the agent may still redraw in place are not finished yet).
   */
  stableRows(lines: string[], cursorRow: number, busy?: boolean): number;
  /** With no hooks and no screen markers: ms of output silence after which a turn counts as done. */
  readonly idleMs: number;
  /**
   * How to ask the agent for its version (run once per run and executable, off the start path),
   * and which versions the tests cover: `untested` returns a one-line warning for any other.
   */
  readonly version?: VersionProbe;
  /**
   * Whether a screen line is the agent's own chrome (footer, input box, rules, spinner) rather
   * than output: such lines never become the reason a person reads when the agent dies.
   */
  isChrome?(line: string): boolean;
  /**
   * The fix to name when the agent's executable is missing or cannot run (one line: how to
   * install it, or which setting points at it). Without it: "check the --agent command".
   */
  readonly installHint?: string;

  /**
   * The arguments that continue conversation `id` (the LaunchSpec.agentSessionId of an earlier
   * launch) given the session's own `agentArgs`. Undefined: the agent keeps no conversation axiom
   * can resume; `axiom resume` starts its command again. `saved` is false when the agent's log
   * (textSource) holds no conversation under `id` (it never got a prompt): then the arguments
   * start a new conversation under that same id.
   */
  resume?(agentArgs: string[], id: string, saved: boolean): string[];

  /**
   * The agent's structured log, when it keeps one: then the plain-text stream comes from it and
   * not from the screen. Undefined (or no such method): the screen's stable rows are the text.
   */
  textSource?(ctx: TextSourceContext): TextSourceSpec | undefined;
}

/** Text longer than this, or with a newline or a tab, is sent as a bracketed paste. */
export const PASTE_THRESHOLD = 200;

/** Reject text that would act as keystrokes instead of reaching the agent literally. */
export function checkPromptText(text: string): string | undefined {
  const bad = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).padStart(2, '0');
    return `prompt contains control character 0x${code} at offset ${bad.index}; remove it (only tab and newline are allowed)`;
  }
  return undefined;
}

/**
 * Steps that type text: a bracketed paste for long or multi-line text, or text with a tab (a tab
 * typed is a key: claude 2.1.332 drops it, gluing the words around it), then Enter on its own after
 * a pause.
 */
export function typeAndSubmit(text: string, pauseMs: number, bracketed: boolean): InputStep[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const paste = bracketed && (/[\n\t]/.test(normalized) || normalized.length > PASTE_THRESHOLD);
  const body = paste ? `\x1b[200~${normalized}\x1b[201~` : normalized;
  return [
    { data: body, delayMs: pauseMs },
    { data: '\r', delayMs: 0 },
  ];
}

/**
 * Split a command line into argv the way a POSIX shell would for quotes and backslashes only:
 * no expansion, no globbing, no substitution — no shell ever runs it.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string))
        cur += line[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in agent command: ${line}`);
  if (has || cur) out.push(cur);
  return out;
}
