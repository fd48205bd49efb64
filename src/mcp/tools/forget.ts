import * as z from 'zod';
import { mustGet, type ToolContext, ToolError } from '../context.js';
import { defineTool, TaskIdSchema } from '../tool.js';

const ENDED = new Set(['EXITED', 'FAILED']);

export function forgetTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_forget',
    title: 'Forget ended sessions',
    description:
      'Forget an ended (EXITED or FAILED) session, or without taskId every ended session, so axiom_status ' +
      'no longer lists it and the server frees what it kept of it. Transcripts stay on disk. A session ' +
      'that is still alive is refused: axiom_kill it first.',
    inputSchema: z.strictObject({ taskId: TaskIdSchema.optional() }),
    outputSchema: z.object({
      forgotten: z.array(z.string()).describe('Ids of the sessions forgotten'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args) => {
      let ids: string[];
      if (args.taskId !== undefined) {
        const s = mustGet(ctx, args.taskId);
        if (!ENDED.has(s.status))
          throw new ToolError(`task ${s.id} is ${s.status}, not ended; axiom_kill it first`);
        ids = [s.id];
      } else {
        ids = ctx.engine
          .list()
          .filter((s) => ENDED.has(s.status))
          .map((s) => s.id);
      }
      for (const id of ids) {
        ctx.engine.remove(id);
        ctx.sendErrors.delete(id);
        const i = ctx.spawned.indexOf(id);
        if (i >= 0) ctx.spawned.splice(i, 1);
      }
      return {
        structured: { forgotten: ids },
        text: ids.length
          ? `forgot task${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`
          : 'no ended tasks to forget',
      };
    },
  });
}
