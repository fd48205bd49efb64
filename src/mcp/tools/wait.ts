import * as z from 'zod';
import type { SessionSnapshot } from '../../engine/types.js';
import type { ToolContext } from '../context.js';
import { clip } from '../format.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';
import { type WaitResult, waitMany } from '../wait-many.js';
import { DEFAULT_FOLLOW_MS, MAX_WAIT_MS } from './output.js';
import { WaitingSchema, waitingInfo } from './status.js';

const TaskStateSchema = z.object({
  taskId: z.string(),
  status: StatusSchema,
  ready: z.boolean().describe('It needs you: WAITING on a dialog, its turn is over, or it exited'),
  turns: z.number().describe('Turns it has finished so far (grows by one each time a turn ends)'),
  reason: z.string().optional().describe('Why it is WAITING, FAILED or EXITED'),
  lastLine: z.string().describe('Last non-empty line on its screen'),
  waiting: WaitingSchema.optional().describe('While WAITING: the dialog, with its options (axiom_answer)'),
});

function taskState(s: SessionSnapshot, ready: boolean) {
  return {
    taskId: s.id,
    status: s.status,
    ready,
    turns: s.turnDurations.length,
    ...(s.reason ? { reason: s.reason } : {}),
    lastLine: s.lastLine,
    ...(s.waiting ? { waiting: waitingInfo(s.waiting) } : {}),
  };
}

/** "#1 WAITING (permission), #2 COMPLETED, #3 RUNNING". */
function summary(r: WaitResult): string {
  if (r.sessions.length === 0) return 'no live sessions';
  return r.sessions.map((s) => `#${s.id} ${s.status}${s.waiting ? ` (${s.waiting.name})` : ''}`).join(', ');
}

export function waitTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_wait',
    title: 'Wait on several sessions',
    description:
      'Wait until any (until="any", the default) or all (until="all") of the named sessions (default: every ' +
      'live session) need you: a dialog waits for an answer (WAITING), the turn is over (COMPLETED, ' +
      'INTERRUPTED) or the process exited (EXITED, FAILED). Judged on their state, not on changes: a session ' +
      'already in such a state when you call counts at once, so a loop is: axiom_wait → handle each `ready` ' +
      'session (axiom_answer, axiom_send, or leave it out of taskIds next time) → axiom_wait again. A send ' +
      'still being delivered counts as working. `turns` (finished turns) tells a turn that ended since your ' +
      'last call. Sends a progress notification at each status change (when the request has a ' +
      `progressToken). waitMs 0..${MAX_WAIT_MS} (default ${DEFAULT_FOLLOW_MS}, under the clients' 60 s ` +
      'timeout); met=false when it ran out.',
    inputSchema: z.strictObject({
      taskIds: z
        .array(TaskIdSchema, { error: 'expected an array of task ids such as ["1", "2"]' })
        .min(1, 'list at least one task id, or leave taskIds out for every live session')
        .optional()
        .describe('The sessions to wait on (default: every live session)'),
      until: z
        .enum(['any', 'all'], { error: 'expected "any" or "all"' })
        .optional()
        .describe('"any" (default): answer when one of them needs you; "all": when every one does'),
      waitMs: z
        .number({ error: `expected milliseconds from 0 to ${MAX_WAIT_MS}` })
        .int(`expected whole milliseconds from 0 to ${MAX_WAIT_MS}`)
        .min(0, `expected milliseconds from 0 to ${MAX_WAIT_MS}`)
        .max(MAX_WAIT_MS, `at most ${MAX_WAIT_MS} ms`)
        .optional()
        .describe(`Wait at most this long (default ${DEFAULT_FOLLOW_MS})`),
    }),
    outputSchema: z.object({
      until: z.enum(['any', 'all']),
      met: z.boolean().describe('The condition held; false: waitMs ran out first'),
      ready: z.array(z.string()).describe('Ids of the sessions that need you'),
      tasks: z.array(TaskStateSchema).describe('Each session waited on, as it is now'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args, req) => {
      const until = args.until ?? 'any';
      let n = 0;
      let sent: Promise<void> = Promise.resolve();
      const progress = req.progress;
      const r = await waitMany(
        ctx,
        {
          ...(args.taskIds ? { taskIds: args.taskIds } : {}),
          until,
          waitMs: args.waitMs ?? DEFAULT_FOLLOW_MS,
        },
        req,
        progress
          ? (now) => {
              const message = `${now.ready.length} of ${now.sessions.length} ready: ${summary(now)}`;
              const k = ++n;
              sent = sent
                .then(() => progress(k, message))
                .catch((err: unknown) =>
                  ctx.log(`progress not sent: ${err instanceof Error ? err.message : err}`),
                );
            }
          : undefined,
      );
      await sent;
      const tasks = r.sessions.map((s) => taskState(s, r.ready.includes(s.id)));
      const head = r.met
        ? `${r.ready.length} of ${r.sessions.length} ready (${until})`
        : `still waiting (${until}): ${r.ready.length} of ${r.sessions.length} ready`;
      return {
        structured: { until, met: r.met, ready: r.ready, tasks },
        text: `${head}: ${summary(r)}${tasks.length ? '' : ' (start one with axiom_spawn)'}${
          tasks.some((t) => t.waiting)
            ? '\n(answer a dialog with axiom_answer; axiom_status lists its options)'
            : ''
        }${tasks
          .filter((t) => t.lastLine)
          .map((t) => `\n#${t.taskId} | ${clip(t.lastLine, 80)}`)
          .join('')}`,
      };
    },
  });
}
