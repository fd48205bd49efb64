import * as z from 'zod';
import type { ToolContext } from '../context.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';
import { readOutput } from '../watch.js';

export const MAX_WAIT_MS = 600_000;
/**
 * `waitMs` when following and none is given: under the 60 s default request timeout of the SDK
 * clients (progress does not extend it unless the client opts in), so a plain follow never times
 * out on the client side. Pass a larger waitMs when your client allows it.
 */
export const DEFAULT_FOLLOW_MS = 50_000;

export function outputTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_output',
    title: 'Read session output',
    description:
      "Read a session's output as plain text (what its terminal shows, without escape sequences or spinner " +
      'frames) produced since `cursor` (0 = from the start); pass the returned cursor next time to get only ' +
      'new lines. waitMs (0..600000) waits up to that long for new output when there is none yet. ' +
      'follow=true keeps the request open and streams each new chunk as a progress notification (when the ' +
      'request has a progressToken) until the session ends its turn, needs input, exits, or waitMs runs ' +
      `out (default ${DEFAULT_FOLLOW_MS} ms when following); the result then holds all text since cursor. ` +
      'done=true means the session is not working (turn over, waiting for input, or exited). A cursor past ' +
      'the end is answered at once, with a note naming the cursor to pass.',
    inputSchema: z.strictObject({
      taskId: TaskIdSchema,
      cursor: z
        .number({ error: 'expected a non-negative integer (a cursor returned by axiom_output)' })
        .int('expected a non-negative integer')
        .min(0, 'expected a non-negative integer')
        .optional()
        .describe('Cursor from a previous axiom_output result; 0 or absent = from the start'),
      waitMs: z
        .number({ error: `expected milliseconds from 0 to ${MAX_WAIT_MS}` })
        .int(`expected whole milliseconds from 0 to ${MAX_WAIT_MS}`)
        .min(0, `expected milliseconds from 0 to ${MAX_WAIT_MS}`)
        .max(MAX_WAIT_MS, `at most ${MAX_WAIT_MS} ms`)
        .optional()
        .describe(`Wait up to this long for new output (default 0; ${DEFAULT_FOLLOW_MS} when following)`),
      follow: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe('Stream new output as progress notifications until the turn ends or waitMs runs out'),
    }),
    outputSchema: z.object({
      taskId: z.string(),
      status: StatusSchema,
      cursor: z.number().describe('Pass this as cursor next time'),
      text: z.string().describe('Plain text lines produced since the given cursor'),
      done: z.boolean().describe('The session is not working: its turn ended, it needs input, or it exited'),
      truncated: z
        .boolean()
        .optional()
        .describe('true: only the end of the text fits; older lines are in the transcript'),
      note: z
        .string()
        .optional()
        .describe('Set when the cursor given was past the end of the output: what to pass instead'),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (args, req) => {
      const follow = args.follow ?? false;
      const r = await readOutput(
        ctx,
        {
          taskId: args.taskId,
          cursor: args.cursor ?? 0,
          waitMs: args.waitMs ?? (follow ? DEFAULT_FOLLOW_MS : 0),
          follow,
        },
        req,
      );
      const head = `[task ${r.taskId} ${r.status}${r.done ? ', done' : ''}; cursor ${r.cursor}]`;
      const none = r.note ? ` ${r.note}` : ' (no new output)';
      return { structured: r, text: r.text === '' ? `${head}${none}` : `${head}\n${r.text}` };
    },
  });
}
