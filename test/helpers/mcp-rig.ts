/**
 * An MCP client over real stdio against the built `axiom mcp`, with the real claude CLI talking to
 * the fake Messages API: the rig the MCP end-to-end tests share. `mcpRigs` gives a test file a
 * starter whose rigs are all closed after each test.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, expect } from 'vitest';
import {
  type FakeAnthropic,
  type FakeAnthropicOptions,
  startFakeAnthropic,
} from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from './claude-env.js';

/** The built CLI (`npm run build`); tests that need it skip without dist/. */
export const AXIOM_BIN = path.join(repoRoot(), 'bin', 'axiom.js');
export const AXIOM_BUILT =
  existsSync(path.join(repoRoot(), 'dist', 'cli', 'main.js')) &&
  existsSync(path.join(repoRoot(), 'dist', 'mcp'));

export interface McpRigOptions {
  /** The client's name in the MCP handshake. */
  name: string;
  /** The fake API's options (delays, script). */
  fake: FakeAnthropicOptions;
  /** Claude's --permission-mode for every session. */
  permissionMode: string;
  /** The temp root's name prefix. */
  tmpPrefix: string;
}

export interface McpRig {
  fake: FakeAnthropic;
  /** The temp folder passed as --root (sessions run there). */
  root: string;
  env: ClaudeEnv;
  client: Client;
  transport: StdioClientTransport;
  /** The axiom mcp server's pid. */
  pid: number;
  /** What the server wrote to stderr so far, chunk by chunk. */
  stderr: string[];
}

export async function startMcpRig(opts: McpRigOptions): Promise<McpRig> {
  const fake = await startFakeAnthropic(opts.fake);
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), opts.tmpPrefix)));
  const env = await makeClaudeEnv({ workDir: root, baseUrl: fake.url });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [AXIOM_BIN, 'mcp', '--root', root, '--', '--permission-mode', opts.permissionMode],
    env: { ...env.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: path.join(env.home, 'axiom-state') },
    stderr: 'pipe',
    cwd: os.tmpdir(), // not the root: --root alone decides where sessions run
  });
  const stderr: string[] = [];
  transport.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const client = new Client({ name: opts.name, version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid;
  if (pid === null) throw new Error('no server pid');
  return { fake, root, env, client, transport, pid, stderr };
}

export async function closeMcpRig(rig: McpRig): Promise<void> {
  await rig.client.close().catch(() => {});
  await rig.fake.close();
  await rig.env.cleanup();
  await rm(rig.root, { recursive: true, force: true });
}

/** A starter for this test file's rigs: each one started is closed after the test. */
export function mcpRigs(opts: McpRigOptions): () => Promise<McpRig> {
  const rigs: McpRig[] = [];
  afterEach(async () => {
    for (const rig of rigs.splice(0)) await closeMcpRig(rig);
  });
  return async () => {
    const rig = await startMcpRig(opts);
    rigs.push(rig);
    return rig;
  };
}

/** A tool call that must succeed: its structured content. */
export async function call<T>(rig: McpRig, name: string, args: Record<string, unknown>): Promise<T> {
  const r = await rig.client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} failed: ${JSON.stringify(r.content)}`);
  return r.structuredContent as T;
}

/** The error text of a call that must fail. */
export async function callError(rig: McpRig, name: string, args: Record<string, unknown>): Promise<string> {
  const r = await rig.client.callTool({ name, arguments: args });
  expect(r.isError).toBe(true);
  return (r.content as { text: string }[]).map((c) => c.text).join('\n');
}
