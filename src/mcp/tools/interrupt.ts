import * as z from 'zod';
import { isEnded, isIdle } from '../../engine/types.js';
import { mustGet, raceTimeout, type ToolContext, ToolError } from '../context.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';

export const INTERRUPT_WAIT_MS = 15_000;

export function interruptTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_interrupt',
    title: 'Interrupt a session',
    description:
      "Interrupt a session's current turn (like pressing Esc). The session stays alive, INTERRUPTED, and " +
      'takes a new direction with axiom_send. Does nothing if it is not working.',
    inputSchema: z.strictObject({ taskId: TaskIdSchema }),
    outputSchema: z.object({
      taskId: z.string(),
      status: StatusSchema,
      interrupted: z.boolean().describe('false: it was not working, nothing to interrupt'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args, req) => {
      const s = mustGet(ctx, args.taskId);
      if (isEnded(s.status)) {
        throw new ToolError(
          `task ${s.id} has ${s.status === 'FAILED' ? 'failed' : 'exited'}; nothing to interrupt`,
        );
      }
      if (isIdle(s.status)) {
        return {
          structured: { taskId: s.id, status: s.status, interrupted: false },
          text: `task ${s.id} is not working (${s.status}); nothing to interrupt`,
        };
      }
      await raceTimeout(ctx.engine.interrupt(s.id), INTERRUPT_WAIT_MS, req.signal);
      const now = ctx.engine.get(s.id) ?? s;
      return {
        structured: { taskId: s.id, status: now.status, interrupted: true },
        text: `interrupted task ${s.id} (${now.status})`,
      };
    },
  });
}
