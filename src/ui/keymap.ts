/**
 * Every key binding of the UI, defined once as data. The key handler, the help overlay, the
 * hint bar and the README key table all read from here.
 *
 * Modes, tried in priority order (see `activeModes`):
 *  - `help`: the help overlay is open (nothing else applies).
 *  - `review`: a session's diff or the compare view is open (nothing else applies).
 *  - `passthrough`: every key goes to the focused session as raw bytes, except the toggle.
 *  - `waiting`: the focused session is WAITING and the prompt box is empty: digits, arrows and
 *    Enter answer the agent's own dialog.
 *  - `empty`: the prompt box is empty.
 *  - `normal`: always (lowest priority) outside help and passthrough.
 */

export type Mode = 'normal' | 'empty' | 'waiting' | 'passthrough' | 'help' | 'review';

export type CommandId =
  | 'submit'
  | 'newline'
  | 'interrupt'
  | 'focus-next'
  | 'focus-prev'
  | 'focus-number'
  | 'spawn'
  | 'kill'
  | 'zoom'
  | 'scroll-page-up'
  | 'scroll-page-down'
  | 'scroll-line-up'
  | 'scroll-line-down'
  | 'scroll-top'
  | 'scroll-bottom'
  | 'passthrough'
  | 'hold'
  | 'hand'
  | 'answer'
  | 'help'
  | 'help-close'
  | 'help-scroll-up'
  | 'help-scroll-down'
  | 'review-diff'
  | 'review-compare'
  | 'review-close'
  | 'review-up'
  | 'review-down'
  | 'review-open'
  | 'review-apply'
  | 'review-confirm'
  | 'clear-or-quit'
  | 'redraw'
  | 'suspend'
  | 'cursor-left'
  | 'cursor-right'
  | 'word-left'
  | 'word-right'
  | 'line-start'
  | 'line-end'
  | 'backspace'
  | 'delete'
  | 'delete-word'
  | 'kill-to-end'
  | 'kill-to-start'
  | 'history-prev'
  | 'history-next';

export type Group = 'Sessions' | 'Panes' | 'Prompt box' | 'Dialogs' | 'Review' | 'Help' | 'Other';

export interface Binding {
  mode: Mode;
  keys: readonly string[];
}

export interface Command {
  id: CommandId;
  group: Group;
  description: string;
  bindings: readonly Binding[];
  /** Short label for the hint bar (only the most important commands have one). */
  hint?: string;
}

const digits = (prefix: string) => ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => prefix + d);

export const COMMANDS: readonly Command[] = [
  // Sessions
  {
    id: 'submit',
    group: 'Sessions',
    description:
      'Send the prompt to the focused session. A RUNNING session is interrupted first, then gets the text as its new direction. With no session yet, start one.',
    bindings: [{ mode: 'normal', keys: ['enter'] }],
    hint: 'send',
  },
  {
    id: 'interrupt',
    group: 'Sessions',
    description: 'Interrupt the focused session (stops the current turn).',
    bindings: [{ mode: 'normal', keys: ['escape'] }],
    hint: 'interrupt',
  },
  {
    id: 'spawn',
    group: 'Sessions',
    description: 'Start a new session with the prompt text (or idle if empty); the others keep running.',
    bindings: [{ mode: 'normal', keys: ['ctrl+n'] }],
    hint: 'new',
  },
  {
    id: 'kill',
    group: 'Sessions',
    description:
      'Kill the focused session (press twice to confirm). On a session that has already ended, close its pane.',
    bindings: [{ mode: 'normal', keys: ['ctrl+x'] }],
    hint: 'kill',
  },
  {
    id: 'hold',
    group: 'Sessions',
    description:
      'Hold the focused session for yourself: attached MCP clients cannot send to, interrupt or kill it until you press this again.',
    bindings: [{ mode: 'normal', keys: ['ctrl+y'] }],
  },
  {
    id: 'hand',
    group: 'Sessions',
    description:
      'Hand the focused session to the next attached MCP client (axiom mcp --attach), and after the last one back to you.',
    bindings: [{ mode: 'normal', keys: ['alt+h'] }],
  },
  {
    id: 'clear-or-quit',
    group: 'Sessions',
    description:
      'Clear the prompt box; on an empty box, press twice within a second to quit (kills all sessions).',
    bindings: [
      { mode: 'normal', keys: ['ctrl+c'] },
      { mode: 'help', keys: ['ctrl+c'] },
      { mode: 'review', keys: ['ctrl+c'] },
    ],
    hint: 'quit',
  },
  // Panes
  {
    id: 'focus-next',
    group: 'Panes',
    description: 'Focus the next pane.',
    bindings: [{ mode: 'normal', keys: ['tab'] }],
    hint: 'next',
  },
  {
    id: 'focus-prev',
    group: 'Panes',
    description: 'Focus the previous pane.',
    bindings: [{ mode: 'normal', keys: ['shift+tab'] }],
  },
  {
    id: 'focus-number',
    group: 'Panes',
    description: 'Focus pane #N.',
    bindings: [{ mode: 'normal', keys: digits('alt+') }],
  },
  {
    id: 'zoom',
    group: 'Panes',
    description: 'Zoom the focused pane to the whole screen, and back.',
    bindings: [{ mode: 'normal', keys: ['ctrl+o'] }],
    hint: 'zoom',
  },
  {
    id: 'scroll-page-up',
    group: 'Panes',
    description: "Scroll the focused pane's history up one page.",
    bindings: [{ mode: 'normal', keys: ['pageup'] }],
  },
  {
    id: 'scroll-page-down',
    group: 'Panes',
    description: "Scroll the focused pane's history down one page.",
    bindings: [{ mode: 'normal', keys: ['pagedown'] }],
  },
  {
    id: 'scroll-line-up',
    group: 'Panes',
    description: 'Scroll the focused pane up one line.',
    bindings: [{ mode: 'normal', keys: ['shift+up'] }],
  },
  {
    id: 'scroll-line-down',
    group: 'Panes',
    description: 'Scroll the focused pane down one line.',
    bindings: [{ mode: 'normal', keys: ['shift+down'] }],
  },
  {
    id: 'scroll-top',
    group: 'Panes',
    description: 'Scroll the focused pane to the top of its history.',
    bindings: [
      { mode: 'normal', keys: ['ctrl+home'] },
      { mode: 'empty', keys: ['home'] },
    ],
  },
  {
    id: 'scroll-bottom',
    group: 'Panes',
    description: 'Scroll the focused pane back to the live view.',
    bindings: [
      { mode: 'normal', keys: ['ctrl+end'] },
      { mode: 'empty', keys: ['end'] },
    ],
  },
  // Dialogs
  {
    id: 'passthrough',
    group: 'Dialogs',
    description:
      "Passthrough: send every key (Ctrl+C, Esc, arrows included) to the focused session as typed, until pressed again. Use it for the agent's own menus and dialogs.",
    bindings: [
      { mode: 'normal', keys: ['ctrl+]'] },
      { mode: 'passthrough', keys: ['ctrl+]'] },
    ],
    hint: 'keys→pane',
  },
  {
    id: 'answer',
    group: 'Dialogs',
    description:
      'When the focused session is WAITING and the prompt box is empty, these keys answer its dialog directly.',
    bindings: [{ mode: 'waiting', keys: [...digits(''), 'enter', 'up', 'down', 'left', 'right'] }],
  },
  // Prompt box
  {
    id: 'newline',
    group: 'Prompt box',
    description: 'Insert a newline (Shift+Enter where the terminal reports it).',
    bindings: [{ mode: 'normal', keys: ['alt+enter', 'shift+enter', 'ctrl+j'] }],
  },
  {
    id: 'cursor-left',
    group: 'Prompt box',
    description: 'Move the cursor left.',
    bindings: [{ mode: 'normal', keys: ['left', 'ctrl+b'] }],
  },
  {
    id: 'cursor-right',
    group: 'Prompt box',
    description: 'Move the cursor right.',
    bindings: [{ mode: 'normal', keys: ['right', 'ctrl+f'] }],
  },
  {
    id: 'word-left',
    group: 'Prompt box',
    description: 'Move the cursor one word left.',
    bindings: [{ mode: 'normal', keys: ['ctrl+left', 'alt+left', 'alt+b'] }],
  },
  {
    id: 'word-right',
    group: 'Prompt box',
    description: 'Move the cursor one word right.',
    bindings: [{ mode: 'normal', keys: ['ctrl+right', 'alt+right', 'alt+f'] }],
  },
  {
    id: 'line-start',
    group: 'Prompt box',
    description: 'Move to the start of the line.',
    bindings: [{ mode: 'normal', keys: ['home', 'ctrl+a'] }],
  },
  {
    id: 'line-end',
    group: 'Prompt box',
    description: 'Move to the end of the line.',
    bindings: [{ mode: 'normal', keys: ['end', 'ctrl+e'] }],
  },
  {
    id: 'backspace',
    group: 'Prompt box',
    description: 'Delete the character before the cursor.',
    bindings: [{ mode: 'normal', keys: ['backspace', 'ctrl+h'] }],
  },
  {
    id: 'delete',
    group: 'Prompt box',
    description: 'Delete the character under the cursor.',
    bindings: [{ mode: 'normal', keys: ['delete', 'ctrl+d'] }],
  },
  {
    id: 'delete-word',
    group: 'Prompt box',
    description: 'Delete the word before the cursor.',
    bindings: [{ mode: 'normal', keys: ['ctrl+w', 'alt+backspace'] }],
  },
  {
    id: 'kill-to-end',
    group: 'Prompt box',
    description: 'Delete to the end of the line.',
    bindings: [{ mode: 'normal', keys: ['ctrl+k'] }],
  },
  {
    id: 'kill-to-start',
    group: 'Prompt box',
    description: 'Delete to the start of the line.',
    bindings: [{ mode: 'normal', keys: ['ctrl+u'] }],
  },
  {
    id: 'history-prev',
    group: 'Prompt box',
    description: 'Previous prompt from history (or the line above in a multi-line prompt).',
    bindings: [{ mode: 'normal', keys: ['up'] }],
  },
  {
    id: 'history-next',
    group: 'Prompt box',
    description: 'Next prompt from history (or the line below in a multi-line prompt).',
    bindings: [{ mode: 'normal', keys: ['down'] }],
  },
  // Review (sessions in git worktrees)
  {
    id: 'review-diff',
    group: 'Review',
    description:
      "Show the focused session's changes full screen: files changed, then the colored diff against the tree it started from (sessions in a git worktree).",
    bindings: [{ mode: 'normal', keys: ['ctrl+r'] }],
    hint: 'diff',
  },
  {
    id: 'review-compare',
    group: 'Review',
    description:
      'Compare every session side by side: status, time, files, +/−, whether its last test passed, applied, branch.',
    bindings: [
      { mode: 'normal', keys: ['ctrl+p'] },
      { mode: 'review', keys: ['tab'] },
    ],
  },
  {
    id: 'review-up',
    group: 'Review',
    description: 'Scroll the diff up, or select the session above in the compare view.',
    bindings: [{ mode: 'review', keys: ['up', 'pageup', 'k'] }],
  },
  {
    id: 'review-down',
    group: 'Review',
    description: 'Scroll the diff down, or select the session below in the compare view.',
    bindings: [{ mode: 'review', keys: ['down', 'pagedown', 'space', 'j'] }],
  },
  {
    id: 'review-open',
    group: 'Review',
    description: "In the compare view, open the selected session's diff.",
    bindings: [{ mode: 'review', keys: ['enter'] }],
  },
  {
    id: 'review-apply',
    group: 'Review',
    description:
      "Apply the session's changes to your working tree as uncommitted changes (asks first; your own edits stay, a conflict changes nothing).",
    bindings: [{ mode: 'review', keys: ['a'] }],
  },
  {
    id: 'review-confirm',
    group: 'Review',
    description: 'Yes: apply (when asked).',
    bindings: [{ mode: 'review', keys: ['y'] }],
  },
  {
    id: 'review-close',
    group: 'Review',
    description: 'Cancel the question, or close the diff or compare view.',
    bindings: [{ mode: 'review', keys: ['escape', 'q', 'n'] }],
  },
  // Help / other
  {
    id: 'help',
    group: 'Help',
    description: 'Show this help.',
    bindings: [
      { mode: 'normal', keys: ['f1'] },
      { mode: 'empty', keys: ['?'] },
    ],
    hint: 'help',
  },
  {
    id: 'help-close',
    group: 'Help',
    description: 'Close the help.',
    bindings: [{ mode: 'help', keys: ['escape', 'f1', '?', 'q', 'enter'] }],
  },
  {
    id: 'help-scroll-up',
    group: 'Help',
    description: 'Scroll the help up.',
    bindings: [{ mode: 'help', keys: ['up', 'pageup'] }],
  },
  {
    id: 'help-scroll-down',
    group: 'Help',
    description: 'Scroll the help down.',
    bindings: [{ mode: 'help', keys: ['down', 'pagedown', 'space'] }],
  },
  {
    id: 'redraw',
    group: 'Other',
    description: 'Redraw the whole screen.',
    bindings: [{ mode: 'normal', keys: ['ctrl+l'] }],
  },
  {
    id: 'suspend',
    group: 'Other',
    description: 'Suspend axiom to the shell (resume with `fg`); sessions keep running.',
    bindings: [{ mode: 'normal', keys: ['ctrl+z'] }],
  },
];

/** Commands shown in the one-line hint bar, in this order (each must have a `hint`). */
export const HINT_ORDER: readonly CommandId[] = [
  'submit',
  'interrupt',
  'focus-next',
  'spawn',
  'zoom',
  'passthrough',
  'kill',
  'help',
  'clear-or-quit',
];

export const MODE_DESCRIPTIONS: Record<Mode, string> = {
  normal: '',
  empty: 'prompt box empty',
  waiting: 'focused session WAITING, prompt box empty',
  passthrough: 'passthrough on',
  help: 'help open',
  review: 'diff or compare view open',
};

/** Modes that apply, highest priority first. */
export function activeModes(state: {
  help: boolean;
  review?: boolean;
  passthrough: boolean;
  promptEmpty: boolean;
  focusedWaiting: boolean;
}): Mode[] {
  if (state.help) return ['help'];
  if (state.review) return ['review'];
  if (state.passthrough) return ['passthrough'];
  const modes: Mode[] = [];
  if (state.promptEmpty && state.focusedWaiting) modes.push('waiting');
  if (state.promptEmpty) modes.push('empty');
  modes.push('normal');
  return modes;
}

type Index = Map<Mode, Map<string, CommandId>>;

function buildIndex(commands: readonly Command[]): Index {
  const index: Index = new Map();
  for (const c of commands) {
    for (const b of c.bindings) {
      let m = index.get(b.mode);
      if (!m) {
        m = new Map();
        index.set(b.mode, m);
      }
      for (const k of b.keys) if (!m.has(k)) m.set(k, c.id);
    }
  }
  return index;
}

/** The keymap in effect: COMMANDS, or COMMANDS with a config file's overrides (keymap-overrides.ts). */
let active: readonly Command[] = COMMANDS;
let INDEX = buildIndex(COMMANDS);

/**
 * Use `commands` from now on: the key handler, help, hint bar and key labels all follow. Called
 * once at start, before the UI draws, with COMMANDS plus the config file's bindings (checked).
 */
export function setKeymap(commands: readonly Command[]): void {
  active = commands;
  INDEX = buildIndex(commands);
}

/** The commands with their bindings in effect. */
export function activeCommands(): readonly Command[] {
  return active;
}

/** The command bound to `keyName` in the first of `modes` that binds it. */
export function resolveCommand(keyName: string, modes: readonly Mode[]): CommandId | undefined {
  for (const mode of modes) {
    const id = INDEX.get(mode)?.get(keyName);
    if (id) return id;
  }
  return undefined;
}

/** Keys bound more than once within one mode (must be empty; checked by a test). */
export function findConflicts(commands: readonly Command[] = COMMANDS): string[] {
  const seen = new Map<string, CommandId>();
  const out: string[] = [];
  for (const c of commands) {
    for (const b of c.bindings) {
      for (const k of b.keys) {
        const id = `${b.mode}:${k}`;
        const prev = seen.get(id);
        if (prev) out.push(`${id} bound to ${prev} and ${c.id}`);
        else seen.set(id, c.id);
      }
    }
  }
  return out;
}

export function getCommand(id: CommandId): Command {
  const c = active.find((x) => x.id === id);
  if (!c) throw new Error(`no such command: ${id}`);
  return c;
}

const KEY_LABELS: Record<string, string> = {
  enter: 'Enter',
  escape: 'Esc',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  insert: 'Insert',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  home: 'Home',
  end: 'End',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  space: 'Space',
};

/** Human label of a key name: 'ctrl+n' → 'Ctrl+N', 'alt+enter' → 'Alt+Enter', 'pageup' → 'PgUp'. */
export function keyLabel(name: string): string {
  const parts = name.split('+');
  // A bare '+' key would split into ['', '']; keep it.
  if (name === '+') return '+';
  const base = parts.pop() ?? '';
  const mods = parts.map((m) => m[0]?.toUpperCase() + m.slice(1));
  let label = KEY_LABELS[base] ?? (/^f\d+$/.test(base) ? base.toUpperCase() : base);
  if (mods.length > 0 && label.length === 1) label = label.toUpperCase();
  return [...mods, label].join('+');
}

/** Labels for a list of keys, compressing runs like alt+1 … alt+9 into 'Alt+1…9'. */
export function keysLabel(keys: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < keys.length) {
    const k = keys[i] ?? '';
    const m = /^(.*?)(\d)$/.exec(k);
    if (m) {
      const prefix = m[1] ?? '';
      let j = i;
      while (j + 1 < keys.length) {
        const n = /^(.*?)(\d)$/.exec(keys[j + 1] ?? '');
        if (!n || n[1] !== prefix || Number(n[2]) !== Number(m[2]) + (j + 1 - i)) break;
        j++;
      }
      if (j - i >= 2) {
        const last = /(\d)$/.exec(keys[j] ?? '')?.[1] ?? '';
        out.push(`${keyLabel(k)}…${last}`);
        i = j + 1;
        continue;
      }
    }
    out.push(keyLabel(k));
    i++;
  }
  return out;
}

/** Label of a binding, e.g. 'Alt+Enter / Ctrl+J'. */
export function bindingLabel(b: Binding): string {
  return keysLabel(b.keys).join(' / ');
}

/** The first key label of a command in a given mode (for hints): 'Ctrl+N'. */
export function primaryKey(id: CommandId, mode: Mode = 'normal'): string {
  const b = getCommand(id).bindings.find((x) => x.mode === mode) ?? getCommand(id).bindings[0];
  const k = b?.keys[0];
  return k ? keyLabel(k) : '';
}

const GROUP_ORDER: readonly Group[] = [
  'Sessions',
  'Panes',
  'Dialogs',
  'Prompt box',
  'Review',
  'Help',
  'Other',
];

/** Commands grouped in display order. */
export function groupedCommands(): { group: Group; commands: Command[] }[] {
  return GROUP_ORDER.map((group) => ({ group, commands: active.filter((c) => c.group === group) })).filter(
    (g) => g.commands.length > 0,
  );
}

/** Keys of a command for the help overlay: identical key lists in several modes are shown once. */
export function commandKeysLabel(c: Command): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const b of c.bindings) {
    const label = bindingLabel(b);
    if (seen.has(label)) continue;
    seen.add(label);
    parts.push(b.mode === 'normal' ? label : `${label} (${MODE_DESCRIPTIONS[b.mode]})`);
  }
  return parts.join(', ');
}

/** Rows for the help overlay: [keys, description] pairs, grouped. */
export function helpRows(): { group: Group; rows: { keys: string; description: string }[] }[] {
  return groupedCommands().map(({ group, commands }) => ({
    group,
    rows: commands.map((c) => ({ keys: commandKeysLabel(c), description: c.description })),
  }));
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/** The README key table, in Markdown, generated from `COMMANDS`. */
export function renderKeyTable(): string {
  const lines: string[] = ['| Keys | Action | When |', '| --- | --- | --- |'];
  for (const { commands } of groupedCommands()) {
    for (const c of commands) {
      for (const b of c.bindings) {
        const keys = keysLabel(b.keys)
          .map((k) => `\`${mdEscape(k)}\``)
          .join(' ');
        lines.push(`| ${keys} | ${mdEscape(c.description)} | ${MODE_DESCRIPTIONS[b.mode] || '—'} |`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
