import * as z from 'zod';
import { mustGet, oneLine, type ToolContext, ToolError } from '../context.js';
import { defineTool, TaskIdSchema } from '../tool.js';

/**
 * axiom_apply: bring a session's worktree changes into the user's tree as uncommitted changes.
 * All or nothing; only files inside the server root.
 */
export function applyTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_apply',
    title: "Apply a session's changes",
    description:
      "Bring a session's worktree changes into the repository it was started from, as uncommitted changes " +
      "(the user's own edits stay). All or nothing: on a conflict nothing changes and the files are listed. " +
      'Refused when a changed file lies outside the server root.',
    inputSchema: z.strictObject({ taskId: TaskIdSchema }),
    outputSchema: z.object({
      taskId: z.string(),
      applied: z.boolean(),
      files: z.array(z.string()).describe('Applied: the files changed; not applied: the conflicting files'),
      reason: z.string().optional().describe('Why it was not applied'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (args) => {
      const s = mustGet(ctx, args.taskId);
      if (!s.worktree) throw new ToolError(`task ${s.id} has no worktree (spawn it with worktree=true)`);
      let res: Awaited<ReturnType<typeof ctx.engine.apply>>;
      try {
        res = await ctx.engine.apply(s.id, ctx.root);
      } catch (e) {
        throw new ToolError(oneLine(e));
      }
      if (!res.ok)
        return {
          structured: { taskId: s.id, applied: false, files: res.conflicts, reason: res.message },
          text: `task ${s.id} not applied: ${res.message}`,
        };
      return {
        structured: { taskId: s.id, applied: true, files: res.files },
        text: `applied task ${s.id} to ${s.worktree.repo}: ${res.files.join(', ') || 'no changes'}`,
      };
    },
  });
}
