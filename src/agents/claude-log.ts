/**
 * Claude Code's own conversation log as the plain-text stream. Claude (2.1.x) appends one JSON
 * record per line to `<config dir>/projects/<slug of the cwd>/<session id>.jsonl`; the records
 * that matter here (seen in 2.1.332):
 * - `{"type":"user","message":{"content":"the prompt"}}`: a prompt (string content, or text
 *   blocks); tool results come back as user records with `tool_result` blocks, and an interrupt
 *   as a user text block "[Request interrupted by user]" (or "... for tool use").
 * - `{"type":"assistant","message":{"content":[ONE block]}}`: one record per content block, text
 *   or tool_use, written when the block is complete, or at the interrupt with the text streamed
 *   so far.
 * - `{"type":"system","subtype":"stop_hook_summary" | "turn_duration"}`: the turn is over.
 * - A Bash tool_use carries `input.command`; its tool_result (matched by `tool_use_id`) has
 *   `is_error: true` when the command exited non-zero (content "Exit code N ..."): these become
 *   TextRecord.commands, from which the engine keeps the session's last test or command.
 * Records with `isMeta` (injected context) or `isSidechain` (sub-agents) are not the conversation.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, relative } from 'node:path';
import type { CommandRecord, ScreenRow, TextRecord, TextSourceContext, TextSourceSpec } from './profile.js';

/** Characters of a tool's argument or result shown on its one line. */
const SUMMARY_CHARS = 160;
const INTERRUPT = /^\[Request interrupted by user[^\]]*\]$/;
/** Tool input fields worth showing, most telling first. */
const TOOL_ARGS = [
  'file_path',
  'notebook_path',
  'path',
  'command',
  'pattern',
  'url',
  'query',
  'description',
  'prompt',
];

const NOTHING: TextRecord = { lines: [] };

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function oneLine(s: string, max = SUMMARY_CHARS): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Text as lines: CRLF normalized, trailing blanks and blank lines at both ends dropped. */
function textLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Commands that check the work: test runners, builds, type checks, linters ("npm test", "python3 -m
 * unittest", "go test ./...", "cargo clippy", "make"). The shell's own `test`/`[` is not one.
 */
const CHECK =
  /\b(test|tests|pytest|unittest|jest|vitest|mocha|ava|tap|rspec|phpunit|ctest|tox|nox|typecheck|tsc|mypy|pyright|lint|eslint|biome|ruff|flake8|pylint|clippy|check|build|make|gradle|mvn)\b/;

/** Is a shell command one that checks the work (see CHECK)? */
export function isCheckCommand(command: string): boolean {
  const c = command.trim();
  if (/^(test|\[)\s/.test(c)) return false;
  return CHECK.test(c);
}

/** Claude's shell tool: its tool_use carries `input.command`; its tool_result says is_error. */
const SHELL_TOOL = 'Bash';

/** "● Write(hello.py)": the tool and its most telling argument (paths relative to the cwd). */
function toolLine(block: Json, cwd: string | undefined): string {
  const name = typeof block.name === 'string' ? block.name : 'tool';
  const input = isObject(block.input) ? block.input : {};
  let arg = '';
  for (const key of TOOL_ARGS) {
    const v = input[key];
    if (typeof v !== 'string' || v === '') continue;
    arg = v;
    if (key.endsWith('path') && cwd && isAbsolute(v)) {
      const rel = relative(cwd, v);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) arg = rel;
    }
    break;
  }
  return arg ? `● ${name}(${oneLine(arg, 80)})` : `● ${name}`;
}

/** "  ⎿  first line … (+N lines)" for a tool result. */
function resultLine(block: Json): string {
  let text = '';
  if (typeof block.content === 'string') text = block.content;
  else if (Array.isArray(block.content))
    text = block.content
      .map((b) => (isObject(b) && typeof b.text === 'string' ? b.text : ''))
      .filter(Boolean)
      .join('\n');
  const lines = textLines(text);
  const first = oneLine(lines[0] ?? (block.is_error === true ? 'error' : 'done'));
  const more = lines.length > 1 ? ` (+${lines.length - 1} lines)` : '';
  return `  ⎿  ${block.is_error === true ? 'Error: ' : ''}${first}${more}`;
}

/** A prompt as "❯ first line", later lines indented under it; slash commands as "❯ /name args". */
function promptLines(text: string): string[] {
  const command = /<command-name>([^<]*)<\/command-name>/.exec(text);
  if (command) {
    const args = /<command-args>([^<]*)<\/command-args>/.exec(text)?.[1]?.trim();
    return [`❯ ${command[1]?.trim() ?? ''}${args ? ` ${args}` : ''}`];
  }
  // Output of local commands and other harness wrappers are not prompts.
  if (/^\s*<(local-command|bash-|command-|system-reminder)/.test(text)) return [];
  const lines = textLines(text);
  return lines.map((l, i) => (i === 0 ? `❯ ${l}` : `  ${l}`));
}

function userRecord(content: unknown, id: string | undefined): TextRecord {
  if (typeof content === 'string') {
    const lines = promptLines(content);
    return lines.length ? { lines, turn: 'start', id } : NOTHING;
  }
  if (!Array.isArray(content)) return NOTHING;
  const lines: string[] = [];
  const commands: CommandRecord[] = [];
  const prompt: string[] = [];
  let interrupted = false;
  for (const b of content) {
    if (!isObject(b)) continue;
    if (b.type === 'tool_result') {
      lines.push(resultLine(b));
      if (typeof b.tool_use_id === 'string')
        commands.push({ callId: b.tool_use_id, ok: b.is_error !== true });
    } else if (b.type === 'text' && typeof b.text === 'string') {
      if (INTERRUPT.test(b.text.trim())) interrupted = true;
      else prompt.push(b.text);
    }
  }
  const cmds = commands.length > 0 ? { commands } : {};
  if (interrupted) return { lines: [...lines, '  ⎿  Interrupted'], turn: 'end', id, ...cmds };
  if (prompt.length > 0) {
    const p = promptLines(prompt.join('\n'));
    if (p.length > 0) return { lines: [...lines, ...p], turn: 'start', id, ...cmds };
  }
  return { lines, id, ...cmds };
}

function assistantRecord(content: unknown, id: string | undefined, cwd: string | undefined): TextRecord {
  if (typeof content === 'string') return { lines: textLines(content), id, answer: true };
  if (!Array.isArray(content)) return NOTHING;
  const lines: string[] = [];
  const commands: CommandRecord[] = [];
  let text = 0;
  let tools = 0;
  for (const b of content) {
    if (!isObject(b)) continue;
    if (b.type === 'text' && typeof b.text === 'string') {
      lines.push(...textLines(b.text));
      text++;
    } else if (b.type === 'tool_use') {
      lines.push(toolLine(b, cwd));
      tools++;
      const command = isObject(b.input) ? b.input.command : undefined;
      if (b.name === SHELL_TOOL && typeof b.id === 'string' && typeof command === 'string')
        commands.push({ callId: b.id, command, check: isCheckCommand(command) });
    }
    // thinking and redacted_thinking blocks are not part of the answer
  }
  // Claude streams text blocks on screen ("● " then indented rows); a record is one block.
  if (text > 0 && tools === 0) return { lines, id, answer: true };
  return commands.length > 0 ? { lines, id, commands } : { lines, id };
}

/** One line of claude's JSONL log to text. Unknown or malformed records add nothing. */
export function parseClaudeRecord(record: string): TextRecord {
  let r: unknown;
  try {
    r = JSON.parse(record);
  } catch {
    return NOTHING;
  }
  if (!isObject(r) || r.isSidechain === true) return NOTHING;
  const id = typeof r.uuid === 'string' ? r.uuid : undefined;
  const cwd = typeof r.cwd === 'string' ? r.cwd : undefined;
  if (r.type === 'system') {
    if (r.subtype === 'stop_hook_summary' || r.subtype === 'turn_duration')
      return { lines: [], turn: 'end', id };
    // API errors and the like, as claude shows them.
    if (r.level === 'error' && typeof r.content === 'string')
      return { lines: [`  ⎿  ${oneLine(r.content)}`], id };
    return NOTHING;
  }
  if ((r.type !== 'user' && r.type !== 'assistant') || r.isMeta === true || r.isCompactSummary === true)
    return NOTHING;
  const message = isObject(r.message) ? r.message : undefined;
  if (!message) return NOTHING;
  return r.type === 'user' ? userRecord(message.content, id) : assistantRecord(message.content, id, cwd);
}

/** A tool call as claude draws it: "● Name(args…)" or "● Name". */
const TOOL_ROW = /^● [A-Z][A-Za-z0-9_]*(\(.*\)?)?\s*$/;

/** Claude's own UI, which scrolls off between rows of an answer when the screen is redrawn. */
const CHROME = [
  /^\s*[✻✽✶✳✢·*+]\s+\S+(…|\.\.\.)/, // spinner: "✻ Determining… (6s · ↓ 3 tokens)"
  /^\s*[✻✽✶✳✢·*+]\s+\S+ for \d/, // end of turn: "✻ Brewed for 10s · done 2:25 AM"
  /^\s*─{8,}/, // the input box's rules
  /^\s*❯\s*$/, // the empty input line
  /⏵⏵|◐|\? for shortcuts|esc to interrupt/, // footer
  /^\s*⎿\s+Tip:/, // tips under the spinner
];

/**
 * A finished line of claude's screen (classic renderer): an answer block starts with "● " and
 * goes on in rows indented by two spaces (blank rows between its paragraphs). Prompts ("❯"),
 * tool calls ("● Write(x)") and tool results ("  ⎿") are not answer text (the log has them);
 * the spinner, input box and footer are chrome.
 */
export function claudeScreenRow(line: string): ScreenRow {
  if (CHROME.some((re) => re.test(line))) return { kind: 'chrome', text: '' };
  if (line.startsWith('● ') && !TOOL_ROW.test(line)) return { kind: 'start', text: line.slice(2) };
  if (line.trim() === '') return { kind: 'more', text: '' };
  if (line.startsWith('  ') && !line.trimStart().startsWith('⎿'))
    return { kind: 'more', text: line.slice(2) };
  return { kind: 'other', text: '' };
}

/** Claude's config directory: CLAUDE_CONFIG_DIR, else ~/.claude under the agent's HOME. */
export function claudeConfigDir(env: Record<string, string>): string {
  if (env.CLAUDE_CONFIG_DIR) return env.CLAUDE_CONFIG_DIR;
  return join(env.HOME || homedir(), '.claude');
}

/** Where claude logs the conversation `ctx.agentSessionId`: found by the id, in any project dir. */
export function claudeTextSource(ctx: TextSourceContext): TextSourceSpec {
  return {
    root: join(claudeConfigDir(ctx.env), 'projects'),
    fileName: `${ctx.agentSessionId}.jsonl`,
    // Claude's slug of the working directory: every character but letters and digits becomes '-'.
    likelyDir: ctx.cwd.replace(/[^a-zA-Z0-9]/g, '-'),
    parse: parseClaudeRecord,
    screenRow: claudeScreenRow,
  };
}
