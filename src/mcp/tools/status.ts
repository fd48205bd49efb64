import * as z from 'zod';
import { listOptions } from '../../engine/answer.js';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import type { SessionSnapshot, Waiting } from '../../engine/types.js';
import { mustGet, type ToolContext } from '../context.js';
import { clip, duration, signalName } from '../format.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';

/** What a WAITING session waits for (SessionSnapshot.waiting), as tools show it. */
export const WaitingSchema = z.object({
  kind: z.enum(['permission', 'question']),
  name: z
    .string()
    .describe(
      "Which dialog: 'trust', 'permission', 'auto-mode', 'plan', 'question', 'rate-limit', 'login' or 'unknown'",
    ),
  text: z.string().describe("The dialog's text, without its options"),
  options: z
    .array(z.object({ id: z.string(), label: z.string() }))
    .describe('Its choices: pass an id to axiom_answer'),
  selected: z.string().optional().describe('The id of the option its cursor is on'),
  cancellable: z.boolean().describe('Esc (axiom_interrupt) cancels it; false: it must be answered'),
  tool: z.string().optional().describe("From the agent's permission hook: the tool that asks, e.g. Write"),
  subject: z
    .string()
    .optional()
    .describe('From the permission hook: what it asks about, e.g. "Write perm.txt"'),
});

const TaskSchema = z.object({
  id: z.string(),
  status: StatusSchema,
  prompt: z.string().describe('The prompt the session was started with'),
  lastPrompt: z.string().describe('The most recent prompt sent (differs from prompt after a redirect)'),
  cwd: z.string(),
  startedAt: z.string().describe('ISO 8601'),
  elapsedMs: z.number().describe('Since the session started (until it ended, if it did)'),
  filesWritten: z.array(z.string()).describe('Absolute paths the agent wrote or edited, first write first'),
  lastLine: z.string().describe('Last non-empty line on its screen'),
  reason: z.string().optional().describe('Why it is WAITING, FAILED or EXITED'),
  exitCode: z.number().nullable().optional().describe('null when a signal ended the process'),
  signal: z.string().optional().describe('The signal that ended the process, e.g. SIGKILL'),
  transcriptPath: z.string().optional().describe('Raw transcript of everything the session printed'),
  transcriptError: z.string().optional().describe('Why this session has no transcript on disk'),
  agentVersion: z.string().optional().describe("The agent's version, once known (claude --version)"),
  agentSessionId: z.string().optional().describe("The agent's own conversation id (claude --resume <id>)"),
  worktree: z
    .object({
      path: z.string(),
      branch: z.string(),
      state: z.enum(['creating', 'ready', 'kept', 'removed', 'failed']),
      diff: z.string().describe('e.g. "+12 −3, 2 files"'),
      applied: z.boolean(),
    })
    .optional()
    .describe("The session's own git worktree (spawned with worktree=true)"),
  sendError: z.string().optional().describe('Why the last send to it failed'),
  lastCheck: z
    .object({
      command: z.string(),
      ok: z.boolean().describe('It exited 0'),
      at: z.string().describe('ISO 8601'),
      check: z.boolean().describe('A test, build, type check or lint run (false: any other command)'),
    })
    .optional()
    .describe(
      "The last test (before any, the last command) the agent ran, where its log tells (claude's Bash calls)",
    ),
  waiting: WaitingSchema.optional().describe(
    'While WAITING: the dialog a person must answer, with its choices',
  ),
});
export type TaskInfo = z.infer<typeof TaskSchema>;

/** The dialog a session waits on, for tool results. */
export function waitingInfo(w: Waiting): z.infer<typeof WaitingSchema> {
  return {
    kind: w.kind,
    name: w.name,
    text: w.text,
    options: w.options,
    ...(w.selected !== undefined ? { selected: w.selected } : {}),
    cancellable: w.cancellable,
    ...(w.tool ? { tool: w.tool } : {}),
    ...(w.subject ? { subject: w.subject } : {}),
  };
}

export function taskInfo(ctx: ToolContext, s: SessionSnapshot): TaskInfo {
  const files = [...new Set(s.filesWritten.map((f) => f.path))];
  const sendError = ctx.sendErrors.get(s.id) ?? s.sendError;
  return {
    id: s.id,
    status: s.status,
    prompt: s.prompt,
    lastPrompt: s.lastPrompt,
    cwd: s.cwd,
    startedAt: new Date(s.startedAt).toISOString(),
    elapsedMs: Math.max(0, (s.endedAt ?? ctx.now()) - s.startedAt),
    filesWritten: files,
    lastLine: s.lastLine,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
    ...(s.signal ? { signal: signalName(s.signal) } : {}),
    ...(s.transcriptPath ? { transcriptPath: s.transcriptPath } : {}),
    ...(s.transcriptError ? { transcriptError: s.transcriptError } : {}),
    ...(s.agentVersion ? { agentVersion: s.agentVersion } : {}),
    ...(s.agentSessionId ? { agentSessionId: s.agentSessionId } : {}),
    ...(sendError ? { sendError } : {}),
    ...(s.worktree
      ? {
          worktree: {
            path: s.worktree.path,
            branch: s.worktree.branch,
            state: s.worktree.state,
            diff: formatDiffSummary(s.worktree.diff),
            applied: Boolean(s.worktree.applied),
          },
        }
      : {}),
    ...(s.lastCheck ? { lastCheck: { ...s.lastCheck, at: new Date(s.lastCheck.at).toISOString() } } : {}),
    ...(s.waiting ? { waiting: waitingInfo(s.waiting) } : {}),
  };
}

function render(t: TaskInfo): string {
  const parts = [`#${t.id} ${t.status} ${duration(t.elapsedMs)} "${clip(t.lastPrompt || t.prompt, 50)}"`];
  if (t.reason) parts.push(`(${clip(t.reason, 60)})`);
  if (t.filesWritten.length) parts.push(`files: ${t.filesWritten.length}`);
  if (t.lastLine) parts.push(`| ${clip(t.lastLine, 60)}`);
  if (t.worktree)
    parts.push(`[${t.worktree.branch}: ${t.worktree.diff}${t.worktree.applied ? ', applied' : ''}]`);
  if (t.lastCheck) parts.push(`last test ${t.lastCheck.ok ? '✓' : '✗'} ${clip(t.lastCheck.command, 40)}`);
  if (t.sendError) parts.push(`! send failed: ${clip(t.sendError, 60)}`);
  if (t.waiting?.options.length)
    parts.push(`\n  ${t.waiting.name} dialog, options (axiom_answer): ${listOptions(t.waiting.options)}`);
  return parts.join(' ');
}

export function statusTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_status',
    title: 'List sessions',
    description:
      'List the sessions of this server (all of them, including exited ones, or one by taskId) with status, ' +
      'prompt, cwd, start time, elapsed time, files written, the last line on screen, and its worktree ' +
      '(path, branch, diff summary, applied) when it has one. A WAITING session shows what it waits for ' +
      "(`waiting`: kind permission or question, the dialog's text and its options); answer it with axiom_answer.",
    inputSchema: z.strictObject({ taskId: TaskIdSchema.optional() }),
    outputSchema: z.object({ tasks: z.array(TaskSchema) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args) => {
      const list = args.taskId === undefined ? ctx.engine.list() : [mustGet(ctx, args.taskId)];
      const tasks = list.map((s) => taskInfo(ctx, s));
      return {
        structured: { tasks },
        text: tasks.length ? tasks.map(render).join('\n') : 'no sessions (start one with axiom_spawn)',
      };
    },
  });
}
