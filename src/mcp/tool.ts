/**
 * The shape of one axiom MCP tool, independent of the SDK's request context so handlers can be
 * unit-tested with a plain object. `server.ts` adapts these to `McpServer.registerTool`.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { SESSION_STATUSES } from '../engine/types.js';

/** What a handler gets from the request besides its arguments. */
export interface RequestCtx {
  /** Aborted when the client cancels the request or disconnects. */
  signal: AbortSignal;
  /**
   * Send a `notifications/progress` for this request. Undefined when the request carried no
   * `_meta.progressToken` (progress is not allowed then).
   */
  progress?: (progress: number, message: string) => Promise<void>;
  /** The client's name from MCP `initialize`, once it sent one. */
  client?: string;
}

/** A successful result: `structured` becomes structuredContent, `text` the text content. */
export interface ToolOutput<O> {
  structured: O;
  text: string;
}

export interface ToolDef<I extends z.ZodType, O extends z.ZodType> {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ToolAnnotations;
  /** Throw `ToolError` (or any error) for an `isError` result with a one-line reason. */
  handler: (args: z.output<I>, req: RequestCtx) => Promise<ToolOutput<z.output<O>>>;
}

/**
 * A ToolDef with its types erased, for registration: every ToolDef<I, O> is assignable (a handler
 * of any argument type accepts `never`). server.ts calls the handler with the SDK-validated
 * arguments, which have the handler's argument type because they passed `inputSchema`.
 */
export interface AnyToolDef {
  name: string;
  title: string;
  description: string;
  inputSchema: z.ZodType;
  outputSchema: z.ZodType;
  annotations: ToolAnnotations;
  handler(args: never, req: RequestCtx): Promise<ToolOutput<unknown>>;
}

/** Identity with inference: keeps each tool file's types precise. */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

export const StatusSchema = z
  .enum(SESSION_STATUSES)
  .describe(
    'STARTING: launching; RUNNING: working on a turn; WAITING: needs input (e.g. a permission dialog); ' +
      'COMPLETED: turn finished, ready for more; INTERRUPTED: turn interrupted, ready for a new direction; ' +
      'EXITED: process ended; FAILED: could not start or died',
  );

/**
 * A task id: "1", "2", ... Integers are accepted too and turned into strings, because the ids
 * look numeric and clients (models, the Inspector CLI's `--tool-arg taskId=1`) often send them
 * as numbers.
 */
const TASK_ID_ERROR = 'expected a task id such as "1" (from axiom_spawn or axiom_status)';
export const TaskIdSchema = z
  .union([z.string().min(1, TASK_ID_ERROR), z.number().int(TASK_ID_ERROR).min(0, TASK_ID_ERROR)], {
    error: TASK_ID_ERROR,
  })
  .transform(String)
  .describe('Task id returned by axiom_spawn (also listed by axiom_status)');
