/**
 * Soak: long runs of ordinary things. 200 redirects with the real submit timings; 300 sessions
 * started, finished and removed one after another; 10,000 MCP calls and 500 abandoned follows
 * against the real engine. Nothing may leak: file descriptors, engine listeners, processes,
 * memory.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import type { EngineEvents } from '../../src/engine/types.js';
import { createMcpServer } from '../../src/mcp/index.js';
import { agent, ended, type Rig, rig, tempDir, waitLog, waitReady } from '../faults/helpers.js';

const fds = (): number => readdirSync('/proc/self/fd').length;
const EVENTS: Array<keyof EngineEvents> = [
  'output',
  'status',
  'exit',
  'session-added',
  'session-removed',
  'warning',
];

let r: Rig;
beforeAll(() => {
  // The generic profile with its real submit pause (50 ms) and a short idle time.
  r = rig({ profile: (a) => genericProfile(a, 300) });
});
afterAll(async () => {
  await r.close();
});

describe('soak', () => {
  it('200 redirects with the real timings: in order, intact', async () => {
    const { id } = r.m.spawn({ agent: agent('input'), cols: 250 });
    await waitReady(r.m, id);
    const texts = Array.from({ length: 200 }, (_, i) => `${i % 2 ? 'busy' : 'plain'} soak redirect ${i}`);
    await Promise.all(texts.map((t) => r.m.send(id, t)));
    await waitLog(r.m, id, /soak redirect 199/, 60_000);
    const got = r.m
      .output(id, 0)
      .text.split('\n')
      .filter((l) => l.startsWith('GOT '));
    const want = texts.map((t) => {
      const sha = createHash('sha256').update(t).digest('hex').slice(0, 16);
      return `GOT ${t.length} ${sha} |${JSON.stringify(t)}|`;
    });
    expect(got).toEqual(want);
    await r.m.kill(id);
    r.m.remove(id);
  });

  it('300 sessions started, finished and removed: no descriptor, listener, process or memory leak', async () => {
    const listeners = () => EVENTS.reduce((n, e) => n + r.m.listenerCount(e), 0);
    const warm = r.m.spawn({ agent: agent('emit lines 10 exit0') });
    await ended(r.m, warm.id);
    r.m.remove(warm.id);
    global.gc?.();
    const before = { fds: fds(), listeners: listeners(), heap: process.memoryUsage().heapUsed };
    for (let i = 0; i < 300; i += 10) {
      const batch = Array.from({ length: 10 }, () => r.m.spawn({ agent: agent('emit lines 200 exit0') }).id);
      for (const id of batch) {
        const done = await ended(r.m, id);
        expect(done.status).toBe('EXITED');
        r.m.remove(id);
      }
    }
    global.gc?.();
    expect(r.m.list()).toEqual([]);
    expect(fds()).toBeLessThanOrEqual(before.fds + 5);
    expect(listeners()).toBe(before.listeners);
    expect(process.memoryUsage().heapUsed - before.heap).toBeLessThan(64 * 2 ** 20);
  });

  it('10,000 MCP calls and 500 abandoned follows leave no listener behind', async () => {
    const dir = tempDir();
    const server = createMcpServer(r.m, {
      root: dir.path,
      maxSessions: 4,
      version: '0.0.0',
      spawnDefaults: { agent: agent('input') },
      log: () => {},
      settleMs: 50,
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 'soak', version: '1.0.0' });
    await client.connect(a);
    try {
      const spawned = await client.callTool({ name: 'axiom_spawn', arguments: { prompt: 'busy' } });
      const id = (spawned.structuredContent as { tasks: Array<{ id: string }> }).tasks[0]?.id as string;
      await waitLog(r.m, id, /tick 5\b/);
      const before = r.m.listenerCount('output');
      for (let i = 0; i < 10_000; i += 500) {
        await Promise.all(
          Array.from({ length: 500 }, (_, j) =>
            client.callTool({
              name: (i + j) % 2 ? 'axiom_status' : 'axiom_output',
              arguments: (i + j) % 2 ? {} : { taskId: id, cursor: 0 },
            }),
          ),
        );
      }
      // Follows that the client gives up on (cancelled): every watcher must be released.
      const follows = Array.from({ length: 500 }, () => {
        const ac = new AbortController();
        const p = client
          .callTool(
            { name: 'axiom_output', arguments: { taskId: id, follow: true, waitMs: 600_000 } },
            { signal: ac.signal },
          )
          .catch(() => undefined);
        return { ac, p };
      });
      await waitLog(r.m, id, /tick 50\b/);
      expect(r.m.listenerCount('output')).toBeGreaterThanOrEqual(before + 500);
      for (const f of follows) f.ac.abort();
      await Promise.all(follows.map((f) => f.p));
      await waitLog(r.m, id, /tick 60\b/);
      expect(r.m.listenerCount('output')).toBe(before);
      await r.m.kill(id);
    } finally {
      await client.close();
      dir.remove();
    }
  });
});
