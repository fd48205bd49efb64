/**
 * The Claude Code profile. State comes from hooks injected per session with `--settings`
 * (merged on top of the user's settings, which stay untouched); these screen patterns are the
 * fallback and the source of "interrupted" (an interrupted turn sends no Stop hook).
 */

import { isAbsolute, resolve } from 'node:path';
import { claudeTextSource } from './claude-log.js';
import { claudeDialog, claudeInputBox, turnError } from './claude-screen.js';
import type { AgentEvent, AgentProfile, LaunchContext, LaunchSpec, ScreenState } from './profile.js';
import { DEFAULT_DIALOG_KEYS, typeAndSubmit } from './profile.js';

/** Hook events axiom listens to. */
// SessionStart is left out: claude runs no HTTP hooks for it. SessionEnd too: the PTY's exit
// already tells axiom, sooner and for every agent.
export const CLAUDE_HOOK_EVENTS = [
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PermissionRequest',
  'Stop',
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

/**
 * What a PermissionRequest hook asks about, in a few words: "Write fib.go" (the path relative to
 * the session's cwd when inside it), "Bash npm test", or just the tool's name.
 */
export function permissionSubject(payload: Record<string, unknown>, cwd: string): string {
  const tool = typeof payload.tool_name === 'string' && payload.tool_name ? payload.tool_name : 'a tool';
  const input = payload.tool_input;
  if (typeof input !== 'object' || input === null) return tool;
  const fields = input as Record<string, unknown>;
  const path = fields.file_path ?? fields.notebook_path;
  if (typeof path === 'string' && path) {
    const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
    return `${tool} ${path.startsWith(prefix) ? path.slice(prefix.length) : path}`;
  }
  const command = fields.command;
  if (typeof command === 'string' && command.trim()) {
    const line = command.trim().split('\n')[0] ?? '';
    return `${tool} ${line.length > 60 ? `${line.slice(0, 59)}…` : line}`;
  }
  return tool;
}

/** The tools whose PostToolUse means a file was written (tool_input.file_path or notebook_path). */
const WRITE_TOOLS = /^(Write|Edit|MultiEdit|NotebookEdit)$/;

/** Claude's hook payloads (see CLAUDE_HOOK_EVENTS) as the engine's neutral agent events. */
export function claudeHookEvents(payload: Record<string, unknown>, cwd: string): AgentEvent[] {
  const here = typeof payload.cwd === 'string' ? payload.cwd : cwd;
  switch (payload.hook_event_name) {
    case 'UserPromptSubmit':
      return [
        {
          type: 'turn-started',
          ...(typeof payload.prompt === 'string' && payload.prompt ? { prompt: payload.prompt } : {}),
        },
      ];
    case 'PreToolUse':
      return [{ type: 'tool-started' }];
    case 'PermissionRequest': {
      const subject = permissionSubject(payload, here);
      return [
        {
          type: 'waiting',
          subject,
          waiting: {
            kind: 'permission',
            name: 'permission',
            text: `${subject} needs permission`,
            options: [],
            cancellable: true,
            ...(typeof payload.tool_name === 'string' && payload.tool_name
              ? { tool: payload.tool_name }
              : {}),
            subject,
          },
        },
      ];
    }
    case 'PostToolUse': {
      const events: AgentEvent[] = [{ type: 'tool-finished' }];
      const tool = String(payload.tool_name ?? '');
      const input = payload.tool_input as Record<string, unknown> | undefined;
      const path = input?.file_path ?? input?.notebook_path;
      if (WRITE_TOOLS.test(tool) && typeof path === 'string')
        events.push({ type: 'file-written', path: isAbsolute(path) ? path : resolve(here, path), tool });
      return events;
    }
    case 'Stop':
      return [{ type: 'turn-ended' }];
    default:
      return [];
  }
}

const BUSY = /esc to interrupt|ctrl\+c to interrupt/i;
/** A row with something drawn: what `trim() !== ''` says, without making the trimmed string. */
const NOT_BLANK = /\S/;
const INTERRUPTED = /Interrupted\s*·|Interrupted by user/;
const INPUT_BOX = /^\s*[>❯]\s/;
const RULE = /^\s*─{8,}/;
/** An answer's bullet before its text arrives. */
const BARE_BULLET = /^\s*●\s*$/;
/** An answer row holding one word (no blank after its bullet or indent). */
const ONE_WORD = /^(?:● |\s+)\S+\s*$/;
/**
 * The live spinner line: a glyph, then a verb ending in an ellipsis ("✻ Prestidigitating… (3s ·
 * esc to interrupt)"), or without it, as its first frames draw it ("✢ Flibbertigibbeting", "✻
 * Flibbertigibbeting  (running UserPromptSubmit hook · 0s)").
 */
const SPINNER = /^\s*[✻✽✶✳✢·*+]\s+\S+(…|\.\.\.|\s*$|\s+\()/;
/** The spinner as claude 2.1.3xx draws it while a turn runs (its glyphs, a verb, the ellipsis). */
const LIVE_SPINNER = /^\s*[✻✽✶✳✢·]\s+\S+…/;

/** Footer and status-line words of claude's live region (2.1.3xx). */
const FOOTER =
  /\? for shortcuts|shift\+tab to cycle|esc to interrupt|ctrl\+c to interrupt|← for agents|\/effort\b|accept edits on|bypass permissions on|plan mode on|auto mode on|Press Ctrl-C again to exit/i;

/** A line of claude's own UI (rules, input box, spinner, footer), not output a person can act on. */
export function isClaudeChrome(line: string): boolean {
  const l = line.trim();
  return (
    l === '' ||
    RULE.test(line) ||
    /^[>❯](\s|$)/.test(l) ||
    SPINNER.test(line) ||
    /^[✻✽✶✳✢]\s+\S+ for \d/.test(l) || // "✻ Crunched for 0s · done 7:30 PM"
    FOOTER.test(line) ||
    /^[◐◑◒◓○●]\s+(low|medium|high|max)\b/.test(l)
  );
}

export function detectClaude(lines: string[]): ScreenState {
  if (claudeDialog(lines)) return 'permission';
  // Only the bottom of what is drawn holds the live status: claude draws inline from the top, so
  // on a screen it has not filled the bottom rows are blank. A live spinner ("✶ Orchestrating…
  // (8s · ↓ 27 tokens)") says busy too: after a dialog is answered the footer can show only the
  // mode ("⏸ manual mode on") while the turn goes on.
  // The last 8 drawn rows, read bottom-up (no row is trimmed or joined: /\S/ is trim()'s test).
  for (let i = lines.length - 1, n = 0; i >= 0 && n < 8; i--) {
    const l = lines[i] as string;
    if (!NOT_BLANK.test(l)) continue;
    n++;
    if (BUSY.test(l) || LIVE_SPINNER.test(l)) return 'busy';
  }
  const hasInput = lines.some((l) => INPUT_BOX.test(l)) || lines.some((l) => RULE.test(l));
  if (!hasInput) return 'starting';
  // The "Interrupted" notice stays above the input box until the next prompt.
  const lastMarker = findLast(lines, (l) => INTERRUPTED.test(l));
  const lastPrompt = findLast(lines, (l) => /^\s*[>❯]\s\S/.test(l));
  if (lastMarker >= 0 && lastMarker > lastPrompt) return 'interrupted';
  // Interrupted before the first token, claude draws no notice and sends no Stop hook: it puts the
  // prompt back into its box. Text in the box with no busy footer ends a running turn.
  if (claudeInputBox.holds(lines, 0, '') === false) return 'interrupted';
  return 'idle';
}

function findLast(lines: string[], pred: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pred(lines[i] as string)) return i;
  return -1;
}

/**
 * Claude's live region is at the bottom: the spinner or "done" line, the input box between two
 * rules, the footer; or a dialog that starts at a rule. Everything above it is finished output.
 */
export function claudeStableRows(lines: string[], cursorY?: number, busy = false): number {
  const rules: number[] = [];
  for (let i = lines.length - 1; i >= 0 && rules.length < 2; i--)
    if (RULE.test(lines[i] as string)) rules.push(i);
  const bottom = rules[0];
  if (bottom === undefined) return 0; // nothing drawn yet: nothing is known to be final
  // The input box: a rule, the prompt line(s), a rule. Otherwise the lowest rule opens a dialog.
  const upper = rules[1];
  const isBox =
    upper !== undefined &&
    lines.slice(upper + 1, bottom).every((l) => l.trim() === '' || /^\s*[>❯ ]/.test(l));
  // No box and no dialog drawn whole: a frame is being drawn (the box's rules one at a time, or
  // the last frame's rows overwritten), so nothing is known to be final yet.
  if (!isBox && !claudeDialog(lines) && !turnError(lines)) return 0;
  let i = (isBox ? (upper as number) : bottom) - 1;
  // Walk up over the spinner / status lines that belong to the live region, and what claude
  // draws under the spinner (a tip, its task list).
  for (;;) {
    while (
      i >= 0 &&
      ((lines[i] ?? '').trim() === '' || SPINNER.test(lines[i] ?? '') || BUSY.test(lines[i] ?? ''))
    )
      i--;
    const spinner = spinnerAbove(lines, i);
    if (spinner < 0) break;
    i = spinner;
  }
  // Claude draws an answer's bullet alone first and fills its row in place later: that row, and
  // everything below it, is not final yet.
  for (let j = 0; j <= i; j++) if (BARE_BULLET.test(lines[j] ?? '')) return j;
  // While the turn runs, the last row can still change: claude moves a word that no longer fits
  // to the next row, and once it outgrows a row hard-wraps it from the row before instead (a long
  // URL, a long word, CJK without spaces). When the last row is one word, the row before it can
  // change too.
  let end = i + 1;
  if (busy) end = ONE_WORD.test(lines[i] ?? '') ? Math.max(0, i - 1) : i;
  // Claude parks the cursor in its input box once a frame is drawn. Anywhere else the cursor is
  // writing a frame (rows top down, over the last frame's), and what it has not reached yet is
  // half written or stale: nothing is known to be final until the frame is done.
  if (isBox && cursorY !== undefined && (cursorY <= (upper as number) || cursorY >= bottom)) return 0;
  return end;
}

/** Rows claude draws under its spinner: "  ⎿  Tip: …" or a task list, wrapped rows indented. */
const UNDER_SPINNER = /^\s*⎿\s/;
const UNDER_SPINNER_ROWS = 12;

/**
 * The spinner row above a block claude draws under it (a tip, a task list) whose last row is
 * `end`: the block is part of the live region (drawn while the model thinks, replaced by the
 * answer's rows when it streams). -1 when `end` ends no such block.
 */
function spinnerAbove(lines: string[], end: number): number {
  for (let j = end; j >= 0 && j > end - UNDER_SPINNER_ROWS; j--) {
    const l = lines[j] ?? '';
    if (UNDER_SPINNER.test(l)) {
      const above = lines[j - 1] ?? '';
      return SPINNER.test(above) || BUSY.test(above) ? j - 1 : -1;
    }
    // Rows of the block after its first: wrapped or further items, indented past "  ⎿".
    if (!/^\s{3,}\S/.test(l)) return -1;
  }
  return -1;
}

/** How axiom runs claude (filled in src/cli from AXIOM_CLAUDE_BIN and AXIOM_CLAUDE_FULLSCREEN). */
export interface ClaudeSettings {
  /** The executable (default `claude` on PATH). */
  bin?: string;
  /** Let claude use its full-screen renderer; by default axiom pins the inline one. */
  fullscreen?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The value after `flag` (or in `flag=value`) in argv, '' when the flag has none, undefined when absent. */
function flagValue(args: string[], ...flags: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') break;
    for (const f of flags) {
      if (a === f) {
        const next = args[i + 1];
        return next !== undefined && !next.startsWith('-') ? next : '';
      }
      if (a.startsWith(`${f}=`)) return a.slice(f.length + 1);
    }
  }
  return undefined;
}

/**
 * The conversation id for this launch, and the arguments that fix it: axiom's fresh id as
 * `--session-id` unless the user chose one, resumes one (`--resume <id>` keeps its id unless
 * `--fork-session`), or continues the last one (`--continue`: id unknown).
 */
export function claudeSessionArgs(
  agentArgs: string[],
  fresh: string | undefined,
): { args: string[]; id?: string } {
  const own = flagValue(agentArgs, '--session-id');
  if (own !== undefined) return { args: [], id: UUID.test(own) ? own : undefined };
  const fork = flagValue(agentArgs, '--fork-session') !== undefined;
  const resumed = flagValue(agentArgs, '--resume', '-r');
  const continued = flagValue(agentArgs, '--continue', '-c') !== undefined;
  if ((resumed !== undefined || continued) && !fork) {
    return { args: [], id: resumed && UUID.test(resumed) ? resumed : undefined };
  }
  if (!fresh) return { args: [] };
  return { args: ['--session-id', fresh], id: fresh };
}

/**
 * The claude versions whose screens, dialogs, hooks and log format the tests cover: the suite
 * pins 2.1.332 (package.json); the screen fixtures were captured from it, and the markers they
 * rely on have held across 2.1.300-2.1.332.
 */
export const CLAUDE_TESTED = { from: '2.1.300', to: '2.1.332' } as const;

/** "2.1.332" out of `claude --version` ("2.1.332 (Claude Code)"). */
export function parseClaudeVersion(out: string): string | undefined {
  return /\b(\d+\.\d+\.\d+)\b/.exec(out)?.[1];
}

function versionKey(v: string): number[] {
  return v.split('.').map((x) => Number(x) || 0);
}

function compareVersions(a: string, b: string): number {
  const x = versionKey(a);
  const y = versionKey(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** The warning for a claude outside the tested range, if it is. */
export function claudeVersionWarning(v: string): string | undefined {
  if (compareVersions(v, CLAUDE_TESTED.from) >= 0 && compareVersions(v, CLAUDE_TESTED.to) <= 0)
    return undefined;
  return `claude ${v} is outside the versions axiom is tested with (${CLAUDE_TESTED.from}-${CLAUDE_TESTED.to}); status and dialogs may be misread: install @anthropic-ai/claude-code@${CLAUDE_TESTED.to} or report what differs`;
}

/** Flags that choose a conversation: a resume replaces them with its own `--resume <id>`. */
const CONVERSATION_FLAGS = new Set(['--session-id', '--resume', '-r', '--continue', '-c', '--fork-session']);

/**
 * `claude --resume <id>` plus the session's other arguments: the conversation continues under
 * the same id (checked: the next request carries the earlier turns). A flag of the user's that
 * picked a conversation the first time (`--session-id U`, `--resume X`, `--continue`) is dropped.
 */
export function claudeResumeArgs(agentArgs: string[], id: string, saved = true): string[] {
  const out: string[] = [];
  for (let i = 0; i < agentArgs.length; i++) {
    const a = agentArgs[i] as string;
    if (a === '--') {
      out.push(...agentArgs.slice(i));
      break;
    }
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!CONVERSATION_FLAGS.has(flag)) {
      out.push(a);
      continue;
    }
    // Its value, when it takes one and it is a separate argument.
    const next = agentArgs[i + 1];
    const takesValue = flag === '--session-id' || flag === '--resume' || flag === '-r';
    if (takesValue && !a.includes('=') && next !== undefined && !next.startsWith('-')) i++;
  }
  // Nothing saved under the id (claude would exit: "No conversation found"): begin it afresh.
  return [saved ? '--resume' : '--session-id', id, ...out];
}

export function claudeProfile(bin = 'claude', settings: ClaudeSettings = {}): AgentProfile {
  return {
    name: 'claude',
    usesHooks: true,
    idleMs: 3000,
    version: { file: bin, args: ['--version'], parse: parseClaudeVersion, untested: claudeVersionWarning },
    launch(ctx: LaunchContext): LaunchSpec {
      const session = claudeSessionArgs(ctx.agentArgs, ctx.agentSessionId);
      const args = [...session.args, ...ctx.agentArgs];
      if (ctx.hookUrl) {
        // The hook URL carries the channel's secret: hand it over in a private file, not in argv.
        const settings = claudeHookSettings(ctx.hookUrl);
        let arg = settings;
        try {
          arg = ctx.privateFile ? ctx.privateFile('hooks.json', settings) : settings;
        } catch {
          // No private file: inline (the secret is then visible in the process list).
        }
        args.push('--settings', arg);
      }
      // `--` keeps a prompt that starts with '-' from being read as an option.
      if (ctx.prompt) args.push(...(ctx.prompt.startsWith('-') ? ['--', ctx.prompt] : [ctx.prompt]));
      return {
        file: bin,
        args,
        // A claude started from inside Claude Code (e.g. `axiom mcp` as its MCP server) would
        // otherwise refuse to run as a nested session.
        env: {
          CLAUDECODE: undefined,
          CLAUDE_CODE_ENTRYPOINT: undefined,
          // Classic (inline) mode: finished output scrolls into the pane's scrollback, so panes
          // can scroll history and MCP can read it. The full-screen mode keeps it on the
          // alternate screen, where nothing reaches scrollback. AXIOM_CLAUDE_FULLSCREEN=1 opts out.
          CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN: settings.fullscreen ? undefined : '1',
        },
        promptInArgs: ctx.prompt !== '',
        ...(session.id ? { agentSessionId: session.id } : {}),
      };
    },
    hookEvents: claudeHookEvents,
    // The plain-text stream comes from claude's own conversation log (see claude-log.ts).
    textSource: claudeTextSource,
    resume: claudeResumeArgs,
    submitSteps: (text) => typeAndSubmit(text, 200, true),
    interruptSequence: () => '\x1b',
    detect: detectClaude,
    dialog: claudeDialog,
    // Arrows move the selection and Enter confirms (2.1.332: test/e2e/approve-mcp.e2e.test.ts).
    dialogKeys: DEFAULT_DIALOG_KEYS,
    input: claudeInputBox,
    stableRows: (lines, cursorY, busy) => claudeStableRows(lines, cursorY, busy),
    isChrome: isClaudeChrome,
    installHint:
      'install Claude Code (npm install -g @anthropic-ai/claude-code), set AXIOM_CLAUDE_BIN, or use --agent',
  };
}
