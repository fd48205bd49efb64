/**
 * MCP faults over real stdio against the built `node bin/axiom.js mcp`, with a raw line-based
 * JSON-RPC client (the SDK client would refuse to send most of this): malformed JSON, requests
 * without an id, oversized messages, 1,000 calls in a burst, huge waitMs, the client vanishing
 * mid-follow, two clients at their session limit, a cwd outside the root, choosing an executable.
 * Errors are JSON-RPC errors or isError results with a reason; memory stays bounded; no session
 * or process is left once the client is gone.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processesWithEnv, waitNoProcesses } from '../helpers/procs.js';
import { agent, BIN, BUILT, TAG_VAR, tempDir } from './helpers.js';

interface Msg {
  jsonrpc: '2.0';
  id?: string | number | null;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

interface ToolResult {
  isError?: boolean;
  content: Array<{ type: string; text: string }>;
  structuredContent?: Record<string, unknown>;
}

/** `axiom mcp` in a child process, spoken to line by line. */
class Server {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly tag = randomUUID();
  readonly root: string;
  readonly stderr: string[] = [];
  readonly notes: Msg[] = [];
  readonly exited: Promise<number | null>;
  private readonly waiting = new Map<string | number, (m: Msg) => void>();
  private readonly unmatched: Msg[] = [];
  private buf = '';
  private nextId = 1;
  private readonly dir = tempDir('axiom-fault-mcp-');

  constructor(agentCmd: string, extra: string[] = []) {
    this.root = realpathSync(join(this.dir.path));
    mkdirSync(join(this.root, 'sub'));
    this.proc = spawn(process.execPath, [BIN, 'mcp', '--root', this.root, '--agent', agentCmd, ...extra], {
      env: { ...process.env, AXIOM_STATE_DIR: join(this.root, '.state'), [TAG_VAR]: this.tag },
      cwd: this.root,
    });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (d: string) => {
      this.buf += d;
      for (let i = this.buf.indexOf('\n'); i >= 0; i = this.buf.indexOf('\n')) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const m = JSON.parse(line) as Msg;
        if (m.method) this.notes.push(m);
        else if (m.id !== undefined && m.id !== null && this.waiting.has(m.id)) {
          this.waiting.get(m.id)?.(m);
          this.waiting.delete(m.id);
        } else this.unmatched.push(m);
      }
    });
    this.proc.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.proc.stdin.on('error', () => {}); // EPIPE once it is gone
    this.exited = new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  async init(): Promise<this> {
    const r = await this.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'faults', version: '1.0.0' },
    });
    expect(r.error).toBeUndefined();
    this.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return this;
  }

  write(m: Msg | string): void {
    this.proc.stdin.write(`${typeof m === 'string' ? m : JSON.stringify(m)}\n`);
  }

  /** Send a request; resolves with its response. */
  request(method: string, params: Record<string, unknown> = {}, id: number = this.nextId++): Promise<Msg> {
    const p = new Promise<Msg>((resolve) => this.waiting.set(id, resolve));
    this.write({ jsonrpc: '2.0', id, method, params });
    return p;
  }

  async call(
    name: string,
    args: Record<string, unknown>,
    meta?: Record<string, unknown>,
  ): Promise<ToolResult> {
    const r = await this.request('tools/call', { name, arguments: args, ...(meta ? { _meta: meta } : {}) });
    if (r.error) throw new Error(`${name}: JSON-RPC error ${r.error.code} ${r.error.message}`);
    return r.result as unknown as ToolResult;
  }

  /** Resolves with the response to request `id` (sent by hand with `write`). */
  answer(id: number): Promise<Msg> {
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /** Error responses that answered no request of ours (id null). */
  nextUnmatched(): Promise<Msg> {
    return until(() => this.unmatched.shift(), 'an unmatched response');
  }

  rssKb(): number {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return Number(m?.[1]);
  }

  live(): number[] {
    return processesWithEnv(TAG_VAR, this.tag);
  }

  async close(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.stdin.end();
    await this.exited;
    await waitNoProcesses(TAG_VAR, this.tag, 8000);
    this.dir.remove();
  }
}

/** Poll `get` (every 20 ms) until it returns a value. */
async function until<T>(get: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const text = (r: ToolResult): string => r.content.map((c) => c.text).join('');
/** structuredContent.tasks of a spawn or status result. */
const tasksOf = (r: ToolResult): Array<{ id: string; status: string; cwd: string }> =>
  (r.structuredContent?.tasks ?? []) as Array<{ id: string; status: string; cwd: string }>;
/** structuredContent.text of an output result. */
const outText = (r: ToolResult | undefined): string => String(r?.structuredContent?.text ?? '');

/** Wait until task `id` is RUNNING (the agent started its `busy` turn). */
async function running(s: Server, id: string): Promise<void> {
  await readUntil(s, id, (t) => t.includes('tick'), 'ticking');
}

/** Read task `id`'s output (waiting for new text each time) until `pred` holds; returns the last result. */
async function readUntil(s: Server, id: string, pred: (text: string) => boolean, what: string, ms = 20_000) {
  const end = Date.now() + ms;
  for (;;) {
    const o = await s.call('axiom_output', { taskId: id, waitMs: 300 });
    if (pred(outText(o))) return o;
    if (Date.now() > end) throw new Error(`task ${id}: timed out waiting for ${what}`);
    // An idle task answers at once: do not spin.
    if (o.structuredContent?.done) await new Promise((r) => setTimeout(r, 50));
  }
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(agentCmd = agent('input'), extra: string[] = []): Promise<Server> {
  const s = new Server(agentCmd, extra);
  servers.push(s);
  return s.init();
}

describe.skipIf(!BUILT)('axiom mcp over stdio, under abuse', () => {
  it('malformed JSON, non-JSON-RPC and batches get JSON-RPC errors; a request without an id is ignored', async () => {
    const s = await start();
    const bad: Array<[string, number, RegExp, (number | null)?]> = [
      ['{"jsonrpc":"2.0","id":1,"method":', -32700, /^Parse error/],
      ['not json at all', -32700, /^Parse error/],
      ['{"foo":1}', -32600, /"jsonrpc" must be "2.0"/],
      ['[{"jsonrpc":"2.0","id":7,"method":"tools/list"}]', -32600, /no batches/],
      ['"a string"', -32600, /one JSON-RPC 2.0 object/],
      ['{"jsonrpc":"2.0","id":{"x":1},"method":"tools/list"}', -32600, /"id" must be a string or a number/],
      ['{"jsonrpc":"2.0","id":9}', -32600, /no "method"/, 9],
      // Numbers the SDK drops without an answer (the client would wait for its timeout).
      ['{"jsonrpc":"2.0","id":1.5,"method":"ping"}', -32600, /"id" must be a whole number/, 1.5],
      ['{"jsonrpc":"2.0","id":1e20,"method":"ping"}', -32600, /"id" must be a whole number/, 1e20],
      ['{"jsonrpc":"2.0","id":1e400,"method":"ping"}', -32600, /"id" must be a whole number/, null],
    ];
    for (const [line, code, message, id = null] of bad) {
      s.write(line);
      const r = await s.nextUnmatched();
      expect(r, line).toMatchObject({ jsonrpc: '2.0', error: { code } });
      expect(r.error?.message, line).toMatch(message);
      expect(r.id ?? null, line).toBe(id);
    }
    // A negative integer id is fine.
    expect((await s.request('ping', {}, -3)).result).toEqual({});
    // A request without an id is a notification: never answered, never acted upon.
    s.write({
      jsonrpc: '2.0',
      method: 'tools/call',
      params: { name: 'axiom_spawn', arguments: { prompt: 'x' } },
    });
    const status = await s.call('axiom_status', {});
    expect(status.structuredContent).toEqual({ tasks: [] });
    // Still serving, and every log line is one line.
    expect((await s.request('tools/list')).result?.tools).toHaveLength(11);
    expect(s.stderr.join('')).toMatch(/ignored tools\/call without an id/);
    expect(
      s.stderr
        .join('')
        .split('\n')
        .every((l) => !/^\s*[[{]\s*$/.test(l)),
    ).toBe(true);
  });

  it('a message over the limit (11 MB) is refused with an error; the connection and its sessions survive', async () => {
    // The SDK alone closes the connection past 10 MB (and axiom then kills every session).
    const s = await start();
    const spawned = await s.call('axiom_spawn', { prompt: 'busy' });
    const id = tasksOf(spawned)[0]?.id as string;
    await running(s, id);
    s.write(
      JSON.stringify({ jsonrpc: '2.0', id: 999, method: 'tools/call', params: { x: 'y'.repeat(11 << 20) } }),
    );
    const r = await s.nextUnmatched();
    expect(r.error).toEqual({ code: -32600, message: 'Invalid Request: message over 8388608 bytes' });
    const st = await s.call('axiom_status', { taskId: id });
    expect(tasksOf(st)[0]?.status).toBe('RUNNING');
  });

  it('1,000 calls in one burst are all answered, in bounded memory', async () => {
    const s = await start();
    const spawned = await s.call('axiom_spawn', { prompt: 'busy' });
    const id = tasksOf(spawned)[0]?.id as string;
    await running(s, id);
    const before = s.rssKb();
    const calls = Array.from({ length: 1000 }, (_, i) => {
      const kind = i % 3;
      const params =
        kind === 0
          ? { name: 'axiom_status', arguments: {} }
          : kind === 1
            ? { name: 'axiom_output', arguments: { taskId: id, cursor: 0 } }
            : { name: 'axiom_interrupt', arguments: { taskId: 'nope' } };
      return { jsonrpc: '2.0' as const, id: 10_000 + i, method: 'tools/call', params };
    });
    const answers = calls.map((c) => s.answer(c.id));
    s.proc.stdin.write(`${calls.map((c) => JSON.stringify(c)).join('\n')}\n`);
    const all = await Promise.all(answers);
    expect(all.map((a) => a.id)).toEqual(calls.map((c) => c.id));
    expect(all.filter((a) => a.error)).toEqual([]);
    const errors = all.filter((a) => (a.result as unknown as ToolResult).isError);
    expect(errors).toHaveLength(333);
    expect(text(errors[0]?.result as unknown as ToolResult)).toMatch(/unknown taskId "nope"/);
    expect(s.rssKb() - before).toBeLessThan(150 * 1024);
  });

  it('huge, negative and fractional waitMs (and other bad numbers) are isError with the reason', async () => {
    const s = await start();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ taskId: '1', waitMs: 1e12 }, /waitMs: at most 600000 ms/],
      [{ taskId: '1', waitMs: Number.MAX_SAFE_INTEGER }, /waitMs: at most 600000 ms/],
      [{ taskId: '1', waitMs: 1e308 }, /waitMs: at most 600000 ms/],
      [{ taskId: '1', waitMs: -1 }, /waitMs: expected milliseconds from 0 to 600000/],
      [{ taskId: '1', waitMs: 1.5 }, /waitMs: expected whole milliseconds/],
      [{ taskId: '1', waitMs: '10' }, /waitMs: expected milliseconds/],
      [{ taskId: '1', cursor: -5 }, /cursor: expected a non-negative integer/],
      [{ taskId: '' }, /expected a task id/],
    ];
    for (const [args, reason] of cases) {
      const r = await s.call('axiom_output', args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
      expect(text(r), JSON.stringify(args)).toMatch(reason);
    }
    // The largest allowed wait on a session that is not working answers at once.
    const spawned = await s.call('axiom_spawn', { prompt: 'hello' });
    const id = tasksOf(spawned)[0]?.id as string;
    for (;;) {
      const o = await s.call('axiom_output', { taskId: id, waitMs: 600_000 });
      if (o.structuredContent?.done) break;
    }
  });

  it.each([
    ['closes its end of stdin', (s: Server) => s.proc.stdin.destroy()],
    ['stops reading stdout', (s: Server) => s.proc.stdout.destroy()],
    [
      'is killed (both pipes close)',
      (s: Server) => {
        s.proc.stdin.destroy();
        s.proc.stdout.destroy();
      },
    ],
  ])(
    'the client vanishing mid-follow (%s): the server kills every session and exits',
    async (_how, vanish) => {
      const s = await start();
      const spawned = await s.call('axiom_spawn', { prompt: 'busy', spawnCount: 2, parallel: true });
      const ids = tasksOf(spawned).map((t) => t.id);
      await running(s, ids[0] as string);
      expect(s.live().length).toBeGreaterThanOrEqual(3); // the server and two agents
      void s.call('axiom_output', { taskId: ids[0], follow: true, waitMs: 600_000 }, { progressToken: 'p1' });
      await until(
        () => s.notes.find((n) => n.method === 'notifications/progress'),
        'a progress notification',
      );
      vanish(s);
      await s.exited;
      await waitNoProcesses(TAG_VAR, s.tag, 8000);
    },
  );

  it("two clients' worth of sessions at the limit: each is refused past its own limit, nothing leaks", async () => {
    const [a, b] = await Promise.all([
      start(agent('input'), ['--max-sessions', '2']),
      start(agent('input'), ['--max-sessions', '2']),
    ]);
    for (const s of [a, b] as Server[]) {
      const r = await s.call('axiom_spawn', { prompt: 'busy', spawnCount: 2, parallel: true });
      expect(r.isError).toBeFalsy();
      const over = await s.call('axiom_spawn', { prompt: 'one more', parallel: true });
      expect(over.isError).toBe(true);
      expect(text(over)).toBe(
        'cannot start 1 more: 2 of at most 2 sessions are live (axiom_kill some first)',
      );
      const tooMany = await s.call('axiom_spawn', { prompt: 'x', spawnCount: 3 });
      expect(text(tooMany)).toMatch(/spawnCount: at most 2 \(the server's --max-sessions\)/);
      const st = await s.call('axiom_status', {});
      expect(tasksOf(st).length).toBe(2);
    }
    // Killing one frees a slot.
    await a?.call('axiom_kill', { taskId: '1' });
    expect((await a?.call('axiom_spawn', { prompt: 'again', parallel: true }))?.isError).toBeFalsy();
    // Each server and its two agents, nothing more (processes take a moment to come and go).
    for (const s of [a, b] as Server[])
      await until(() => (s.live().length === 3 ? true : undefined), 'three processes');
  });

  it('refuses a cwd outside its root and never lets the client choose what runs', async () => {
    const s = await start();
    const outside = tempDir('axiom-fault-outside-');
    try {
      symlinkSync(outside.path, join(s.root, 'escape'));
      for (const cwd of ['/', '..', '../..', outside.path, 'escape', 'escape/../..', '/etc']) {
        const r = await s.call('axiom_spawn', { prompt: 'x', cwd });
        expect(r.isError, cwd).toBe(true);
        expect(text(r), cwd).toMatch(/is outside the server root|does not exist/);
      }
      expect(text(await s.call('axiom_spawn', { prompt: 'x', cwd: 'nope' }))).toMatch(/cwd does not exist/);
      for (const key of ['agent', 'command', 'agentArgs', 'env', 'executable', 'args']) {
        const r = await s.call('axiom_spawn', {
          prompt: 'x',
          [key]: key === 'env' ? { PATH: '/tmp' } : '/bin/sh',
        });
        expect(r.isError, key).toBe(true);
        expect(text(r), key).toMatch(new RegExp(`Unrecognized key: "${key}"`));
      }
      const ok = await s.call('axiom_spawn', { prompt: 'x', cwd: 'sub' });
      expect(ok.structuredContent?.tasks).toMatchObject([{ cwd: join(s.root, 'sub') }]);
      expect((await s.call('axiom_status', {})).structuredContent?.tasks).toHaveLength(1);
    } finally {
      outside.remove();
    }
  });

  it('a task killed by a signal: axiom_status says exitCode null and the signal (it said exitCode 0)', async () => {
    const s = await start(agent('emit lines 10 sigkill'));
    const id = tasksOf(await s.call('axiom_spawn', { prompt: 'go' }))[0]?.id as string;
    let ended: Record<string, unknown> = {};
    for (const end = Date.now() + 10_000; ended.status !== 'FAILED' && Date.now() < end; ) {
      await new Promise((r) => setTimeout(r, 50));
      ended = tasksOf(await s.call('axiom_status', { taskId: id }))[0] as Record<string, unknown>;
    }
    expect(ended).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(ended.reason).toMatch(/^killed by signal 9 \(SIGKILL\)/);
  });

  it('a state dir inside /proc: one stderr line says transcripts are off and why; axiom_status shows it', async () => {
    // Node's recursive mkdir used to spin at 100% CPU here before the server even answered.
    const s = await start(agent('input'), ['--state-dir', '/proc/self/nope']);
    const spawned = await s.call('axiom_spawn', { prompt: 'hello' });
    const id = tasksOf(spawned)[0]?.id as string;
    await readUntil(s, id, (t) => t.includes('GOT 5'), 'the prompt');
    const st = (await s.call('axiom_status', { taskId: id })).structuredContent?.tasks as Array<{
      transcriptError?: string;
      transcriptPath?: string;
    }>;
    expect(st[0]?.transcriptPath).toBeUndefined();
    expect(st[0]?.transcriptError).toMatch(
      /^cannot create transcript directory: ENOENT: .*--no-transcripts$/,
    );
    const lines = s.stderr
      .join('')
      .split('\n')
      .filter((l) => l.includes('transcripts off'));
    expect(lines).toEqual([`axiom mcp: transcripts off: ${st[0]?.transcriptError}`]);
  });

  it('a 10 MB line is served in bounded pieces (truncated, pointing at the transcript)', async () => {
    const s = await start(agent('emit bigline 10000000 wait'));
    const spawned = await s.call('axiom_spawn', { prompt: 'go' });
    const id = tasksOf(spawned)[0]?.id as string;
    const out = await readUntil(s, id, (t) => t.includes('<<END>>'), 'the end of the line', 30_000);
    const got = out.structuredContent as { text: string; truncated?: boolean };
    expect(got.text).toContain('<<END>>');
    expect(got.truncated).toBe(true);
    expect(got.text.length).toBeLessThan(210_000);
    expect(got.text).toMatch(
      /^\[axiom: \d+ earlier characters omitted; the full transcript is in .*1\.raw\]/,
    );
  });
});
