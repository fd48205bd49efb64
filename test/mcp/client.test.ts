/**
 * The real SDK Client against the axiom McpServer in process (linked in-memory transports), and
 * against runMcpStdio over in-process stdio streams (both protocol eras).
 */
import { PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import {
  InMemoryTransport,
  type JSONRPCMessage,
  ProtocolError,
  ReadBuffer,
  serializeMessage,
  type Transport,
} from '@modelcontextprotocol/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMcpServer, runMcpStdio } from '../../src/mcp/index.js';
import { engineListeners, type Fixture, fixture, tick } from './helpers.js';

let f: Fixture;
let client: Client;

async function connect(): Promise<Client> {
  const server = createMcpServer(f.engine, {
    root: f.root,
    maxSessions: 4,
    version: '9.9.9',
    spawnDefaults: { agentArgs: ['--permission-mode', 'acceptEdits'] },
    log: (l) => f.logs.push(l),
    settleMs: 25,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const c = new Client({ name: 'test', version: '1.0.0' });
  await c.connect(clientSide);
  return c;
}

type Structured = Record<string, unknown>;
async function call(name: string, args: Record<string, unknown>) {
  const r = await client.callTool({ name, arguments: args });
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
  return { isError: r.isError === true, text, structured: r.structuredContent as Structured | undefined };
}

beforeEach(async () => {
  f = await fixture();
  client = await connect();
});
afterEach(async () => {
  await client.close();
  await tick();
  expect(engineListeners(f.engine)).toBe(0);
  await f.cleanup();
});

describe('in-memory client <-> server', () => {
  it('lists the eleven tools with titles, schemas and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'axiom_spawn',
      'axiom_output',
      'axiom_status',
      'axiom_send',
      'axiom_interrupt',
      'axiom_kill',
      'axiom_forget',
      'axiom_diff',
      'axiom_apply',
      'axiom_answer',
      'axiom_wait',
    ]);
    for (const t of tools) {
      expect(t.title).toBeTruthy();
      expect(t.description?.length).toBeGreaterThan(40);
      expect(t.outputSchema?.type).toBe('object');
      expect(t.inputSchema.additionalProperties).toBe(false);
      expect(t.annotations).toBeDefined();
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(byName.axiom_spawn?.inputSchema.required).toEqual(['prompt']);
    expect(byName.axiom_spawn?.inputSchema.properties?.spawnCount).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 4,
    });
    expect(byName.axiom_output?.inputSchema.properties?.waitMs).toMatchObject({
      minimum: 0,
      maximum: 600000,
    });
    expect(byName.axiom_output?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.axiom_status?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.axiom_kill?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: true });
    expect(client.getServerVersion()).toMatchObject({ name: 'axiom', version: '9.9.9' });
    expect(client.getInstructions()).toContain('axiom_spawn');
  });

  it('spawn returns at once; output reads by cursor', async () => {
    const s = await call('axiom_spawn', { prompt: 'write fib.py' });
    // Returned before the agent did anything (no timing assertion: bench/ measures the round trip).
    expect(s).toMatchObject({ isError: false, structured: { tasks: [{ id: '1', status: 'RUNNING' }] } });
    expect(f.engine.calls[0]).toMatchObject({
      op: 'spawn',
      opts: { agentArgs: ['--permission-mode', 'acceptEdits'], cwd: f.root, prompt: 'write fib.py' },
    });
    f.engine.emitOutput('1', '⏺ Writing fib.py');
    const o = await call('axiom_output', { taskId: '1' });
    expect(o.structured).toEqual({
      taskId: '1',
      status: 'RUNNING',
      cursor: 1,
      text: '⏺ Writing fib.py',
      done: false,
    });
    expect(o.text).toBe('[task 1 RUNNING; cursor 1]\n⏺ Writing fib.py');
    const redirect = await call('axiom_spawn', { prompt: 'quicksort instead' });
    expect(redirect.structured).toMatchObject({ tasks: [{ id: '1' }], redirected: true });
    // A numeric task id is accepted (models and the Inspector CLI send ids as numbers).
    expect((await call('axiom_status', { taskId: 1 })).structured).toMatchObject({ tasks: [{ id: '1' }] });
  });

  it('follow streams chunks as progress notifications (onprogress) until the turn ends', async () => {
    await call('axiom_spawn', { prompt: 'a' });
    const seen: { progress: number; message?: string }[] = [];
    const pending = client.callTool(
      { name: 'axiom_output', arguments: { taskId: '1', follow: true, waitMs: 10_000 } },
      { onprogress: (p) => seen.push({ progress: p.progress, message: p.message }) },
    );
    await tick(10);
    f.engine.emitOutput('1', 'first');
    await tick(10);
    f.engine.emitOutput('1', 'second', 'third');
    await tick(10);
    f.engine.setStatus('1', 'COMPLETED');
    const r = await pending;
    expect(seen).toEqual([
      { progress: 1, message: 'first' },
      { progress: 3, message: 'second\nthird' },
    ]);
    expect(r.structuredContent).toEqual({
      taskId: '1',
      status: 'COMPLETED',
      cursor: 3,
      text: 'first\nsecond\nthird',
      done: true,
    });
  });

  it('waitMs wakes on output over the protocol', async () => {
    await call('axiom_spawn', { prompt: 'a' });
    const pending = call('axiom_output', { taskId: '1', waitMs: 30_000 });
    setTimeout(() => f.engine.emitOutput('1', 'hello'), 20);
    expect((await pending).structured).toMatchObject({ text: 'hello', cursor: 1 });
  });

  it('bad input is an isError result with a one-line reason, and the server keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['axiom_spawn', {}, /axiom_spawn: prompt: expected a non-empty string: the task for the agent$/],
      ['axiom_spawn', { prompt: '   ' }, /prompt: must not be empty/],
      [
        'axiom_spawn',
        { prompt: 'x', spawnCount: 5 },
        /spawnCount: at most 4 \(the server's --max-sessions\)/,
      ],
      ['axiom_spawn', { prompt: 'x', spawnCount: 0 }, /spawnCount: expected an integer from 1 to 4/],
      ['axiom_spawn', { prompt: 'x', spawnCount: 1.5 }, /spawnCount: expected an integer from 1 to 4/],
      ['axiom_spawn', { prompt: 'x', spawnCount: '2' }, /spawnCount: expected an integer from 1 to 4/],
      ['axiom_spawn', { prompt: 'x', parallel: 'yes' }, /parallel: expected true or false/],
      ['axiom_spawn', { prompt: 'x', agent: 'rm' }, /Unrecognized key: "agent"/],
      ['axiom_spawn', { prompt: 'x', agentArgs: ['-rf'] }, /Unrecognized key: "agentArgs"/],
      ['axiom_spawn', { prompt: 'x', cwd: '..' }, /^cwd \S+ is outside the server root \S+$/],
      ['axiom_spawn', { prompt: 'x', cwd: 'missing' }, /^cwd does not exist: /],
      ['axiom_output', { taskId: '42' }, /^unknown taskId "42" \(axiom_status lists the tasks\)$/],
      ['axiom_output', {}, /taskId: expected a task id such as "1"/],
      ['axiom_output', { taskId: true }, /taskId: expected a task id such as "1"/],
      ['axiom_output', { taskId: '' }, /taskId: expected a task id such as "1"/],
      ['axiom_output', { taskId: 1.5 }, /taskId: expected a task id such as "1"/],
      ['axiom_output', { taskId: '1', waitMs: 600_001 }, /waitMs: at most 600000 ms/],
      ['axiom_output', { taskId: '1', cursor: -1 }, /cursor: expected a non-negative integer/],
      ['axiom_status', { taskId: 'nope' }, /^unknown taskId "nope"/],
      ['axiom_send', { taskId: '1' }, /text: expected a non-empty string: the text to send/],
      ['axiom_send', { taskId: '1', text: 'x' }, /^unknown taskId "1"/],
      ['axiom_interrupt', { taskId: '3' }, /^unknown taskId "3"/],
      ['axiom_kill', { taskId: '3' }, /^unknown taskId "3"/],
    ];
    for (const [name, args, re] of cases) {
      const r = await call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(r.text, `${name} ${JSON.stringify(args)}`).toMatch(re);
      expect(r.text).not.toContain('\n');
    }
    expect(f.engine.calls).toEqual([]);
    expect((await call('axiom_spawn', { prompt: 'fine' })).isError).toBe(false);
  });

  it('an unknown tool is a protocol error (-32602 InvalidParams), not a tool result', async () => {
    const err = await client.callTool({ name: 'axiom_nope', arguments: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toMatchObject({
      code: -32602,
      message: expect.stringContaining('Tool axiom_nope not found'),
    });
    expect((await call('axiom_status', {})).isError).toBe(false);
  });

  it('cancelling a follow releases the engine listeners', async () => {
    await call('axiom_spawn', { prompt: 'a' });
    const ac = new AbortController();
    const pending = client
      .callTool(
        { name: 'axiom_output', arguments: { taskId: '1', follow: true, waitMs: 600_000 } },
        { signal: ac.signal },
      )
      .catch((e: unknown) => e);
    await tick(10);
    expect(engineListeners(f.engine)).toBeGreaterThan(0);
    ac.abort('stop');
    expect(await pending).toBeDefined();
    await tick(10);
    expect(engineListeners(f.engine)).toBe(0);
    expect((await call('axiom_status', {})).isError).toBe(false);
  });

  it('a client disconnecting mid-follow releases the engine listeners', async () => {
    await call('axiom_spawn', { prompt: 'a' });
    const pending = client
      .callTool({ name: 'axiom_output', arguments: { taskId: '1', follow: true, waitMs: 600_000 } })
      .catch((e: unknown) => e);
    await tick(10);
    expect(engineListeners(f.engine)).toBeGreaterThan(0);
    await client.close();
    await pending;
    await tick(10);
    expect(engineListeners(f.engine)).toBe(0);
    client = await connect(); // for afterEach
  });
});

/** A client Transport over a pair of streams (the server's stdin and stdout). */
class StreamTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];
  private readonly buf = new ReadBuffer();

  constructor(
    private readonly toServer: PassThrough,
    private readonly fromServer: PassThrough,
  ) {}

  async start(): Promise<void> {
    this.fromServer.on('data', (chunk: Buffer) => {
      this.buf.append(chunk);
      for (let m = this.buf.readMessage(); m; m = this.buf.readMessage()) this.onmessage?.(m);
    });
    this.fromServer.on('end', () => this.onclose?.());
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.toServer.write(serializeMessage(message));
  }

  async close(): Promise<void> {
    this.toServer.end();
    this.onclose?.();
  }
}

describe('runMcpStdio over stdio streams', () => {
  for (const era of ['legacy', 'modern'] as const) {
    it(`serves a ${era} client and resolves when stdin closes`, async () => {
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const written: string[] = [];
      stdout.on('data', (c: Buffer) => written.push(c.toString()));
      let resolved = false;
      const served = runMcpStdio(f.engine, {
        root: f.root,
        maxSessions: 2,
        version: '1.2.3',
        spawnDefaults: {},
        stdin,
        stdout,
        log: (l) => f.logs.push(l),
        settleMs: 25,
      }).then(() => {
        resolved = true;
      });
      const c = new Client(
        { name: 'stdio-test', version: '1' },
        era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
      );
      await c.connect(new StreamTransport(stdin, stdout));
      expect((await c.listTools()).tools).toHaveLength(11);
      await c.callTool({ name: 'axiom_spawn', arguments: { prompt: 'x' } });
      const seen: string[] = [];
      const follow = c.callTool(
        { name: 'axiom_output', arguments: { taskId: '1', follow: true } },
        { onprogress: (p) => seen.push(p.message ?? '') },
      );
      await tick(10);
      f.engine.emitOutput('1', 'streamed');
      await tick(10);
      f.engine.setStatus('1', 'COMPLETED');
      expect((await follow).structuredContent).toMatchObject({ text: 'streamed', done: true });
      expect(seen).toEqual(['streamed']);
      // Every line on stdout is JSON-RPC.
      for (const line of written.join('').split('\n').filter(Boolean)) {
        expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
      }
      expect(resolved).toBe(false);
      stdin.end();
      await served;
      expect(resolved).toBe(true);
      expect(engineListeners(f.engine)).toBe(0);
      await c.close();
    });
  }

  it('throws at once when the root does not exist', async () => {
    await expect(
      runMcpStdio(f.engine, {
        root: `${f.root}/nope`,
        maxSessions: 2,
        version: '1',
        spawnDefaults: {},
        stdin: new PassThrough(),
        stdout: new PassThrough(),
      }),
    ).rejects.toThrow(/^--root \S+\/nope does not exist; create it or pass --root <an existing directory>$/);
    expect(() =>
      createMcpServer(f.engine, {
        root: `${f.root}/file.txt`,
        maxSessions: 2,
        version: '1',
        spawnDefaults: {},
      }),
    ).toThrow(/--root is not a directory/);
    expect(() =>
      createMcpServer(f.engine, { root: f.root, maxSessions: 0, version: '1', spawnDefaults: {} }),
    ).toThrow(/maxSessions must be a positive integer/);
  });
});
