import * as z from 'zod';
import {
  liveCount,
  oneLine,
  resolveCwd,
  senderName,
  type ToolContext,
  ToolError,
  trackSend,
} from '../context.js';
import { clip } from '../format.js';
import { defineTool, StatusSchema } from '../tool.js';

/**
 * axiom_spawn: start sessions, or redirect the most recent one. Returns at once: it never waits
 * for the agent.
 *
 * Redirect: when `parallel` is false, `spawnCount` is 1, and the most recent session this server
 * spawned is RUNNING (and `cwd`, if given, is that session's cwd), the prompt goes to that
 * session with `engine.send(id, prompt, { interrupt: true })`. The send is fired, not awaited:
 * interrupting a turn and submitting the new prompt takes the engine hundreds of milliseconds
 * (Esc, wait for the turn to stop, type, pause, Enter), and spawn must answer well under 100 ms.
 * While the send is in flight the session counts as busy for axiom_output (so a follow does
 * not stop at the interrupt that precedes the redirect); if it fails, the failure is logged to
 * stderr and shown as `sendError` by axiom_status, and the session's own status shows the rest.
 */
export function spawnTool(ctx: ToolContext) {
  const max = ctx.maxSessions;
  return defineTool({
    name: 'axiom_spawn',
    title: 'Spawn Claude sessions',
    description:
      'Start a Claude Code session on a prompt and return at once with its task id (it never waits for the ' +
      'agent). Watch it with axiom_output, list with axiom_status. With parallel=false and spawnCount=1 ' +
      '(the defaults), if the most recent session started by this server is still RUNNING, the prompt ' +
      'interrupts and redirects that session instead (same id, redirected=true). spawnCount>1 or ' +
      `parallel=true starts new sessions. At most ${max} live sessions. cwd must be inside the server root ` +
      '(relative paths resolve against it).',
    inputSchema: z.strictObject({
      prompt: z
        .string({ error: 'expected a non-empty string: the task for the agent' })
        .refine((s) => s.trim() !== '', 'must not be empty')
        .describe('The task for the agent'),
      spawnCount: z
        .number({ error: `expected an integer from 1 to ${max}` })
        .int(`expected an integer from 1 to ${max}`)
        .min(1, `expected an integer from 1 to ${max}`)
        .max(max, `at most ${max} (the server's --max-sessions)`)
        .optional()
        .describe(`How many sessions to start on the same prompt (1..${max}, default 1)`),
      parallel: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe('true: always start new sessions, never redirect (default false)'),
      cwd: z
        .string({ error: 'expected a directory path string' })
        .optional()
        .describe('Working directory, inside the server root; relative paths resolve against the root'),
      worktree: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe(
          'true: each session works in its own git worktree of the repository holding cwd (on branch ' +
            'axiom/<run>-<n>); review with axiom_diff, take one with axiom_apply. Default: the server setting',
        ),
    }),
    outputSchema: z.object({
      tasks: z.array(z.object({ id: z.string(), status: StatusSchema, cwd: z.string() })),
      redirected: z
        .boolean()
        .optional()
        .describe('true: the prompt redirected the running session tasks[0] instead of starting one'),
    }),
    annotations: {
      readOnlyHint: false,
      // The agent it starts or redirects edits files and runs commands.
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    handler: async (args) => {
      const count = args.spawnCount ?? 1;
      const parallel = args.parallel ?? false;
      const cwd = await resolveCwd(ctx, args.cwd);
      const { engine } = ctx;

      if (!parallel && count === 1) {
        const lastId = ctx.spawned.at(-1);
        const last = lastId === undefined ? undefined : engine.get(lastId);
        if (last && last.status === 'RUNNING' && (args.cwd === undefined || last.cwd === cwd)) {
          void trackSend(ctx, last.id, () =>
            engine.send(last.id, args.prompt, { interrupt: true, from: senderName(ctx) }),
          );
          const now = engine.get(last.id) ?? last;
          return {
            structured: { tasks: [{ id: now.id, status: now.status, cwd: now.cwd }], redirected: true },
            text: `redirected task ${now.id}: interrupting its turn and sending the new prompt "${clip(args.prompt, 60)}"`,
          };
        }
      }

      const live = liveCount(ctx);
      if (live + count > ctx.maxSessions) {
        throw new ToolError(
          `cannot start ${count} more: ${live} of at most ${ctx.maxSessions} sessions are live (axiom_kill some first)`,
        );
      }
      const tasks: { id: string; status: z.infer<typeof StatusSchema>; cwd: string }[] = [];
      for (let i = 0; i < count; i++) {
        let s: Awaited<ReturnType<typeof engine.spawn>>;
        try {
          s = await engine.spawn({
            ...ctx.spawnDefaults,
            prompt: args.prompt,
            cwd,
            worktree: args.worktree ?? ctx.spawnDefaults.worktree,
            ...(ctx.client !== undefined ? { owner: ctx.client } : {}),
          });
        } catch (err) {
          const started = tasks.length ? ` (started: ${tasks.map((t) => t.id).join(', ')})` : '';
          throw new ToolError(`spawn failed: ${oneLine(err)}${started}`);
        }
        ctx.spawned.push(s.id);
        tasks.push({ id: s.id, status: s.status, cwd: s.cwd });
      }
      const ids = tasks.map((t) => t.id).join(', ');
      return {
        structured: { tasks },
        text: `started task${count > 1 ? 's' : ''} ${ids} in ${cwd} (poll or follow with axiom_output)`,
      };
    },
  });
}
