import * as z from 'zod';
import { isEnded } from '../../engine/types.js';
import { mustGet, raceTimeout, senderName, type ToolContext, ToolError, trackSend } from '../context.js';
import { clip } from '../format.js';
import { defineTool, StatusSchema, TaskIdSchema } from '../tool.js';

/** How long axiom_send waits for the engine to deliver before answering `pending: true`. */
export const SEND_WAIT_MS = 15_000;

export function sendTool(ctx: ToolContext) {
  return defineTool({
    name: 'axiom_send',
    title: 'Send a prompt to a session',
    description:
      'Send text to a session as its next prompt. If the session is RUNNING, it is interrupted first and the ' +
      'text becomes its new direction (interrupt defaults to true); interrupt=false types the text without ' +
      'interrupting (claude queues it). Answers once the text is submitted (pending=true if that takes over ' +
      `${SEND_WAIT_MS / 1000} s; it still goes through). Follow the new turn with axiom_output.`,
    inputSchema: z.strictObject({
      taskId: TaskIdSchema,
      text: z
        .string({ error: 'expected a non-empty string: the text to send' })
        .refine((s) => s.trim() !== '', 'must not be empty')
        .describe('The prompt to submit'),
      interrupt: z
        .boolean({ error: 'expected true or false' })
        .optional()
        .describe('Interrupt a RUNNING turn first (default true)'),
    }),
    outputSchema: z.object({
      taskId: z.string(),
      status: StatusSchema,
      interrupted: z.boolean().describe('The session was RUNNING and was interrupted first'),
      pending: z.boolean().describe('Still being delivered when this answer was sent'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    handler: async (args, req) => {
      const s = mustGet(ctx, args.taskId);
      if (isEnded(s.status)) {
        throw new ToolError(
          `task ${s.id} has ${s.status === 'FAILED' ? 'failed' : 'exited'}; start a new one with axiom_spawn`,
        );
      }
      const interrupt = args.interrupt ?? true;
      const interrupted = interrupt && s.status === 'RUNNING';
      const sent = trackSend(ctx, s.id, () =>
        ctx.engine.send(s.id, args.text, { interrupt, from: senderName(ctx) }),
      );
      const r = await raceTimeout(sent, SEND_WAIT_MS, req.signal);
      if (r.done && !r.value.ok) throw new ToolError(`send to task ${s.id} failed: ${r.value.error}`);
      const now = ctx.engine.get(s.id) ?? s;
      const pending = !r.done;
      return {
        structured: { taskId: s.id, status: now.status, interrupted, pending },
        text:
          `${interrupted ? 'interrupted and redirected' : 'sent to'} task ${s.id}: "${clip(args.text, 60)}"` +
          (pending ? ' (still being delivered)' : ` (${now.status})`),
      };
    },
  });
}
