import * as z from 'zod';
import { AnswerError } from '../../engine/answer.js';
import { type Answer, isEnded } from '../../engine/types.js';
import { mustGet, raceTimeout, type ToolContext, ToolError } from '../context.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';

/** How long axiom_answer waits for the dialog to take the answer. */
export const ANSWER_WAIT_MS = 15_000;

export function answerTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_answer',
    title: 'Answer a dialog',
    description:
      'Pick an option in the dialog a WAITING session shows (a permission request, a question): `option` is an ' +
      'option\'s id from axiom_status\'s `waiting.options` ("1", "2"...), or its exact label. axiom moves the ' +
      "dialog's selection to it, checks it on screen, then confirms, like a person would. No dialog open, or " +
      'an unknown option: isError, listing the options that exist.',
    inputSchema: z.strictObject({
      taskId: TaskIdSchema,
      option: z
        .union([z.string().trim().min(1, 'must not be empty'), z.number().int().min(0)], {
          error: 'expected an option id such as "1" (axiom_status lists them under waiting.options)',
        })
        .transform(String)
        .describe("An option's id from axiom_status (waiting.options), or its label"),
    }),
    outputSchema: z.object({
      taskId: z.string(),
      status: StatusSchema,
      dialog: z.string().describe("Which dialog was answered (waiting.name: 'permission', 'question'...)"),
      option: z.object({ id: z.string(), label: z.string() }).describe('The option picked'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    handler: async (args, req) => {
      const s = mustGet(ctx, args.taskId);
      if (isEnded(s.status))
        throw new ToolError(
          `task ${s.id} has ${s.status === 'FAILED' ? 'failed' : 'exited'}; nothing to answer`,
        );
      let r: { done: true; value: Answer } | { done: false };
      try {
        r = await raceTimeout(
          ctx.engine.answer(s.id, args.option, req.client ?? 'an MCP client'),
          ANSWER_WAIT_MS,
          req.signal,
        );
      } catch (err) {
        if (err instanceof AnswerError) throw new ToolError(`task ${s.id}: ${err.message}`);
        throw err;
      }
      if (!r.done)
        throw new ToolError(`task ${s.id}: the answer was not confirmed within ${ANSWER_WAIT_MS / 1000} s`);
      const now = ctx.engine.get(s.id) ?? s;
      const { option, dialog } = r.value;
      return {
        structured: { taskId: s.id, status: now.status, dialog, option },
        text: `answered the ${dialog} dialog of task ${s.id}: ${option.id} "${option.label}" (${now.status})`,
      };
    },
  });
}
