import * as z from 'zod';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import { mustGet, oneLine, type ToolContext, ToolError } from '../context.js';
import { tail } from '../format.js';
import { defineTool, TaskIdSchema } from '../tool.js';

/** axiom_diff: a session's changes in its worktree against the tree it started from. */
export function diffTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_diff',
    title: "Show a session's changes",
    description:
      'The changes a session made in its own git worktree (spawned with worktree=true), against the tree it ' +
      'started from: committed, uncommitted and new files, as a unified diff (stat=true: a diffstat). ' +
      'Compare sessions with it, then bring the best one in with axiom_apply.',
    inputSchema: z.strictObject({
      taskId: TaskIdSchema,
      stat: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe('A diffstat instead of the patch'),
    }),
    outputSchema: z.object({
      taskId: z.string(),
      branch: z.string(),
      summary: z.string().describe('e.g. "+12 −3, 2 files"'),
      diff: z.string(),
      truncated: z.boolean().describe('true: only the end of the diff fits here; axiom diff N shows all'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args) => {
      const s = mustGet(ctx, args.taskId);
      if (!s.worktree) throw new ToolError(`task ${s.id} has no worktree (spawn it with worktree=true)`);
      let text: string;
      try {
        text = await ctx.engine.diff(s.id, { stat: args.stat ?? false });
      } catch (e) {
        throw new ToolError(oneLine(e));
      }
      const { text: diff, truncated } = tail(text);
      const summary = formatDiffSummary(ctx.engine.get(s.id)?.worktree?.diff ?? s.worktree.diff);
      return {
        structured: { taskId: s.id, branch: s.worktree.branch, summary, diff, truncated },
        text: diff || `task ${s.id}: no changes`,
      };
    },
  });
}
