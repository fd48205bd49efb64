/**
 * The MCP tools, unchanged, over a RemoteEngine attached to a UI's engine (what `axiom mcp
 * --attach` runs): the SDK client's name labels the sessions it spawns; the person's direction
 * shows in the client's next axiom_output as a marked line; a held session refuses the client.
 * A real SessionManager over fake PTYs, a real socket, the SDK client in memory.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { connectRemote, type RemoteEngine } from '../../src/engine/attach/remote.js';
import { AttachServer } from '../../src/engine/attach/server.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import { createMcpServer } from '../../src/mcp/index.js';
import { type FakePty, fakePtyFactory } from '../helpers/fake-pty.js';

let dir: string;
let root: string;
let manager: SessionManager;
let ptys: FakePty[];
let server: AttachServer;
let remote: RemoteEngine;
let client: Client;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-mcp-attach-'));
  root = realpathSync(mkdtempSync(join(dir, 'root-')));
  const f = fakePtyFactory();
  ptys = f.ptys;
  manager = new SessionManager({
    ptyFactory: f.factory,
    stateDir: false,
    hooks: false,
    profileFor: (agent) => genericProfile(agent, 50),
    // The fake agent dies of the first signal it gets, as a real one would of SIGHUP/SIGTERM.
    signal: (pid) => {
      setImmediate(() => ptys.find((p) => p.pid === pid)?.exit(0, 15));
      return [];
    },
    timings: { batchMs: 5, killGraceMs: 60_000 },
  });
  server = new AttachServer({
    engine: manager,
    stateDir: join(dir, 'state'),
    runId: 'r',
    root,
    spawnDefaults: { agent: 'cat' },
    onClients: (n) => manager.setClients(n),
  });
  await server.start();
  remote = await connectRemote(server.socketPath);
  const mcp = createMcpServer(remote, {
    root: remote.root,
    maxSessions: 4,
    version: '0.0.0-test',
    spawnDefaults: {},
    log: () => undefined,
    settleMs: 25,
    identify: (name) => void remote.identify(name),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await mcp.connect(b);
  client = new Client({ name: 'orchestrator', version: '1.0.0' });
  await client.connect(a);
});

afterEach(async () => {
  await client.close();
  await remote.shutdown();
  await server.close();
  for (const p of ptys) p.exit(0);
  await manager.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>) {
  const r = await client.callTool({ name, arguments: args });
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { isError: r.isError === true, text, structured: r.structuredContent as Record<string, unknown> };
}

it('a client-spawned session is the client’s pane; the person’s redirect is marked in its output; held refuses', async () => {
  const spawned = await call('axiom_spawn', { prompt: 'build it' });
  expect(spawned.isError).toBe(false);
  const id = (spawned.structured.tasks as { id: string }[])[0]?.id as string;
  expect(manager.get(id)?.owner).toBe('orchestrator');
  expect(manager.clients()).toEqual(['orchestrator']);

  ptys[0]?.emit('working on it\r\n');
  // The person redirects it from the terminal (the UI's prompt box sends with no `from`).
  void manager.send(id, 'use the other API').catch(() => undefined);
  ptys[0]?.emit('switching\r\n');
  const out = await call('axiom_output', { taskId: id, cursor: 0, waitMs: 2000 });
  expect(out.text).toContain('» person: use the other API');
  const again = await call('axiom_output', { taskId: id, cursor: 0 });
  expect(again.text).not.toContain('» person'); // shown once
  expect(manager.get(id)?.takenOver).toBe(true);

  manager.hold(id, true);
  const refused = await call('axiom_send', { taskId: id, text: 'keep going' });
  expect(refused.isError).toBe(true);
  expect(refused.text).toContain('held by the person at the terminal');
  const kill = await call('axiom_kill', { taskId: id });
  expect(kill.isError).toBe(true);
  expect(kill.text).toContain('held by the person at the terminal');
  manager.hold(id, false);
  const killed = await call('axiom_kill', { taskId: id });
  expect(killed.isError).toBe(false);
  expect(manager.get(id)?.status).toBe('EXITED');
});
