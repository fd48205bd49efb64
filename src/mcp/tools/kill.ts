import * as z from 'zod';
import { isEnded } from '../../engine/types.js';
import { mustGet, raceTimeout, type ToolContext } from '../context.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';

export const KILL_WAIT_MS = 15_000;

export function killTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_kill',
    title: 'Kill a session',
    description:
      "Kill a session's whole process group (SIGTERM, then SIGKILL). It stays listed by axiom_status as " +
      'EXITED, and its output stays readable.',
    inputSchema: z.strictObject({ taskId: TaskIdSchema }),
    outputSchema: z.object({
      taskId: z.string(),
      status: StatusSchema,
      killed: z.boolean().describe('false: it had already ended'),
      exitCode: z.number().nullable().optional(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args, req) => {
      const s = mustGet(ctx, args.taskId);
      if (isEnded(s.status)) {
        return {
          structured: {
            taskId: s.id,
            status: s.status,
            killed: false,
            ...(s.exitCode !== undefined ? { exitCode: s.exitCode } : {}),
          },
          text: `task ${s.id} had already ended (${s.status})`,
        };
      }
      await raceTimeout(ctx.engine.kill(s.id), KILL_WAIT_MS, req.signal);
      const now = ctx.engine.get(s.id) ?? s;
      return {
        structured: {
          taskId: s.id,
          status: now.status,
          killed: true,
          ...(now.exitCode !== undefined ? { exitCode: now.exitCode } : {}),
        },
        text: `killed task ${s.id} (${now.status})`,
      };
    },
  });
}
