/** `axiom mcp`: the engine as an MCP stdio server. */
export { type AxiomMcpOptions, resolveRoot } from './context.js';
export { buildMcpServer, createMcpServer, INSTRUCTIONS, SERVER_NAME } from './server.js';
export { type RunMcpStdioOptions, runMcpStdio } from './stdio.js';
