/**
 * The axiom MCP server: thin tools over the Engine, one file each in tools/. See docs/mcp.md for the tools table.
 */
import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import type { EngineLike } from '../engine/engine.js';
import { UnknownSessionError } from '../engine/engine.js';
import { type AxiomMcpOptions, createToolContext, oneLine, type ToolContext, ToolError } from './context.js';
import type { AnyToolDef, RequestCtx, ToolOutput } from './tool.js';
import { allTools } from './tools/index.js';

export const SERVER_NAME = 'axiom';

export const INSTRUCTIONS =
  'axiom runs Claude Code sessions in the background. axiom_spawn starts one and returns its task id at ' +
  'once; read what it does with axiom_output (pass back the returned cursor; waitMs waits for new output; ' +
  'follow=true streams progress until its turn ends). A second axiom_spawn while the last session is ' +
  'RUNNING redirects that session unless parallel=true. axiom_status lists sessions and files written; ' +
  'axiom_send, axiom_interrupt and axiom_kill steer them; axiom_answer picks an option in a dialog a ' +
  'WAITING session shows (axiom_status lists its options), and axiom_wait waits on several sessions at once.';

/** The client's name (MCP initialize's clientInfo.name) is known: remember it and say so once. */
function noteClient(ctx: ToolContext, name: string | undefined): void {
  if (name === undefined || name === '' || ctx.client !== undefined) return;
  ctx.client = name;
  ctx.identify?.(name);
}

/** Adapt one ToolDef to McpServer.registerTool. */
function register(server: McpServer, ctx: ToolContext, def: AnyToolDef): void {
  // The SDK validated `args` against def.inputSchema, so it has the handler's argument type.
  const handler = def.handler as (args: unknown, req: RequestCtx) => Promise<ToolOutput<unknown>>;
  server.registerTool(
    def.name,
    {
      title: def.title,
      description: def.description,
      inputSchema: def.inputSchema,
      outputSchema: def.outputSchema,
      annotations: { title: def.title, ...def.annotations },
    },
    async (args, extra): Promise<CallToolResult> => {
      noteClient(ctx, server.server.getClientVersion()?.name);
      const token = extra.mcpReq._meta?.progressToken;
      const req: RequestCtx = { signal: extra.mcpReq.signal };
      const client = server.server.getClientVersion()?.name;
      if (client) req.client = client;
      // The token may be 0 (the SDK client numbers them from 0): test for undefined, not falsiness.
      if (token !== undefined) {
        req.progress = (progress, message) =>
          extra.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken: token, progress, message },
          });
      }
      try {
        const out = await handler(args, req);
        return {
          content: [{ type: 'text', text: out.text }],
          structuredContent: out.structured as Record<string, unknown>,
        };
      } catch (err) {
        let message: string;
        if (err instanceof ToolError) message = err.message;
        else if (err instanceof UnknownSessionError)
          message = `${err.message} (axiom_status lists the tasks)`;
        else {
          message = `${def.name} failed: ${oneLine(err)}`;
          ctx.log(err instanceof Error && err.stack ? err.stack : message);
        }
        return { content: [{ type: 'text', text: message }], isError: true };
      }
    },
  );
}

/** An McpServer with the axiom tools registered on `ctx` (shared state of one server). */
export function buildMcpServer(ctx: ToolContext, version: string): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'axiom', version },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  for (const def of allTools(ctx)) register(server, ctx, def);
  return server;
}

/**
 * The axiom MCP server over `engine`. Throws when `opts.root` does not exist or maxSessions is
 * not a positive integer.
 */
export function createMcpServer(engine: EngineLike, opts: AxiomMcpOptions): McpServer {
  const ctx = createToolContext(engine, opts);
  const server = buildMcpServer(ctx, opts.version);
  const closed = server.server.onclose;
  server.server.onclose = () => {
    closed?.();
    ctx.dispose();
  };
  return server;
}
