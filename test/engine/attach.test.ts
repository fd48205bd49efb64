/**
 * The UI's attach socket (engine/attach): the JSON-lines protocol, who may call what, the
 * output mirror of the RemoteEngine, held sessions, detach, wrong uid, stale sockets.
 * A real SessionManager over fake PTYs; real sockets in a temp state dir.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { genericProfile } from '../../src/agents/generic.js';
import { LineSplitter, MAX_CALL_BYTES, parseCall } from '../../src/engine/attach/protocol.js';
import { connectRemote, type RemoteEngine } from '../../src/engine/attach/remote.js';
import { AttachServer, isLive } from '../../src/engine/attach/server.js';
import type { EngineLike } from '../../src/engine/engine.js';
import { SessionManager } from '../../src/engine/session-manager.js';
import type { Direction } from '../../src/engine/types.js';
import { type FakePty, fakePtyFactory } from '../helpers/fake-pty.js';

let dir: string;
let root: string;
let manager: SessionManager;
let ptys: FakePty[];
let signals: Array<[number, string]>;
let server: AttachServer;
const remotes: RemoteEngine[] = [];
let clientsSeen: string[][];

async function startServer(
  extra: Partial<ConstructorParameters<typeof AttachServer>[0]> = {},
): Promise<void> {
  server = new AttachServer({
    engine: manager,
    stateDir: join(dir, 'state'),
    runId: 'run1',
    root,
    spawnDefaults: { agent: 'cat -u', agentArgs: [] },
    onClients: (names) => {
      clientsSeen.push(names);
      manager.setClients(names);
    },
    ...extra,
  });
  await server.start();
}

async function attach(name = 'orchestrator'): Promise<RemoteEngine> {
  const r = await connectRemote(server.socketPath);
  remotes.push(r);
  await r.identify(name);
  return r;
}

/** Send raw lines on a fresh connection; collect the replies until `n` have come. */
async function raw(lines: (string | Buffer)[], n: number): Promise<Record<string, unknown>[]> {
  const sock: Socket = connect(server.socketPath);
  const got: Record<string, unknown>[] = [];
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${got.length} replies: ${JSON.stringify(got)}`)),
      5000,
    );
    const split = new LineSplitter(
      64 * 1024 * 1024,
      (l) => {
        got.push(JSON.parse(l) as Record<string, unknown>);
        if (got.length === n) {
          clearTimeout(timer);
          sock.destroy();
          resolve(got);
        }
      },
      () => undefined,
    );
    sock.on('data', (d: Buffer) => split.push(d));
    sock.on('connect', () => {
      for (const l of lines) sock.write(l);
    });
  });
}

/** Resolve when `pred` holds, re-checked on every event the engine (or mirror) emits; no sleeps. */
function when(e: Pick<EngineLike, 'on' | 'off'>, pred: () => boolean, what: string): Promise<void> {
  const events = [
    'session-added',
    'session-removed',
    'output',
    'status',
    'exit',
    'control',
    'direction',
    'clients',
  ] as const;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!pred()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${what}`));
    }, 5000);
    const done = (): void => {
      clearTimeout(timer);
      for (const ev of events) e.off(ev, check);
    };
    for (const ev of events) e.on(ev, check);
    check();
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'axiom-attach-'));
  root = realpathSync(mkdtempSync(join(dir, 'root-')));
  const f = fakePtyFactory();
  ptys = f.ptys;
  signals = [];
  clientsSeen = [];
  manager = new SessionManager({
    ptyFactory: f.factory,
    stateDir: false,
    hooks: false,
    profileFor: (agent) => genericProfile(agent),
    signal: (pid, sig) => {
      signals.push([pid, sig]);
      return [];
    },
    timings: { batchMs: 5, killGraceMs: 60_000 },
  });
});

afterEach(async () => {
  for (const r of remotes.splice(0)) await r.shutdown();
  await server?.close();
  for (const p of ptys) p.exit(0);
  await manager.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe('attach protocol frames', () => {
  it('parseCall: not JSON, not an object, no id, no method, args not an array', () => {
    expect(parseCall('{')).toMatchObject({ id: null, error: expect.stringMatching(/not JSON/) });
    expect(parseCall('[1]')).toMatchObject({ id: null, error: expect.stringMatching(/one JSON object/) });
    expect(parseCall('{"method":"x","args":[]}')).toMatchObject({
      id: null,
      error: expect.stringMatching(/id/),
    });
    expect(parseCall('{"id":1.5,"method":"x","args":[]}')).toMatchObject({ id: null });
    expect(parseCall('{"id":3,"args":[]}')).toMatchObject({ id: 3, error: expect.stringMatching(/method/) });
    expect(parseCall('{"id":3,"method":"send","args":{}}')).toMatchObject({
      id: 3,
      error: expect.stringMatching(/args/),
    });
    expect(parseCall('{"id":3,"method":"send","args":["1"]}')).toEqual({
      id: 3,
      method: 'send',
      args: ['1'],
    });
  });

  it('LineSplitter holds at most max bytes of a line and skips the rest of an oversize one', () => {
    const lines: string[] = [];
    let over = 0;
    const s = new LineSplitter(
      10,
      (l) => lines.push(l),
      () => over++,
    );
    s.push(Buffer.from('abc\n0123456789ABC'));
    s.push(Buffer.from('DEF\nok\n'));
    expect(lines).toEqual(['abc', 'ok']);
    expect(over).toBe(1);
  });
});

describe('AttachServer', () => {
  it('serves on a 0600 socket in a 0700 directory, with an info file naming the root', async () => {
    await startServer();
    const attachDir = join(dir, 'state', 'attach');
    expect(statSync(attachDir).mode & 0o777).toBe(0o700);
    expect(statSync(server.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(attachDir, 'run1.json')).mode & 0o777).toBe(0o600);
    await server.close();
    expect(() => statSync(server.socketPath)).toThrow();
  });

  it('answers malformed, oversize and forbidden frames with errors and keeps serving', async () => {
    await startServer();
    const replies = await raw(
      [
        'not json\n',
        '[]\n',
        '{"id":1,"method":"shutdown","args":[]}\n',
        '{"id":2,"method":"write","args":["1","rm -rf /\\r"]}\n',
        `{"id":3,"method":"send","args":["${'x'.repeat(MAX_CALL_BYTES)}"]}\n`,
        '{"id":4,"method":"send","args":["1","hi"]}\n',
        '{"id":5,"method":"hello","args":[]}\n',
      ],
      7,
    );
    expect(replies[0]).toMatchObject({ id: null, code: 'malformed' });
    expect(replies[1]).toMatchObject({ id: null, code: 'malformed' });
    expect(replies[2]).toMatchObject({
      id: 1,
      code: 'refused',
      error: 'shutdown is not available to attached clients',
    });
    expect(replies[3]).toMatchObject({ id: 2, code: 'refused' });
    expect(replies[4]).toMatchObject({
      id: null,
      code: 'malformed',
      error: expect.stringMatching(/over 1048576 bytes/),
    });
    expect(replies[5]).toMatchObject({ id: 4, code: 'unknown-session' });
    expect(replies[6]).toMatchObject({ id: 5, result: { protocol: 1, root, sessions: [] } });
    expect(manager.list()).toEqual([]);
  });

  it('closes a connection that keeps sending bad frames', async () => {
    await startServer({ maxBadFrames: 3 });
    const replies = await raw(['x\n', 'y\n', 'z\n'], 4);
    expect(replies[3]).toMatchObject({ error: 'closing: 3 malformed frames' });
    // The server still serves others.
    const r = await attach();
    expect(r.list()).toEqual([]);
  });

  it('refuses a connection from another uid (simulated: Node cannot read the peer uid)', async () => {
    await startServer({ peerUid: async () => (process.getuid?.() ?? 0) + 4242 });
    await expect(connectRemote(server.socketPath)).rejects.toThrow(/refused: this axiom UI serves uid/);
    expect(clientsSeen).toEqual([]);
  });

  it('removes a socket left by a UI that died, and refuses to take over a live one', async () => {
    const attachDir = join(dir, 'state', 'attach');
    mkdirSync(attachDir, { recursive: true, mode: 0o700 });
    const path = join(attachDir, 'run1.sock');
    // A process that listens on the socket and is SIGKILLed leaves the file behind.
    const child = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ]);
    await new Promise<void>((r) => child.stdout.once('data', () => r()));
    const other = new AttachServer({
      engine: manager,
      stateDir: join(dir, 'state'),
      runId: 'run1',
      root,
      spawnDefaults: {},
    });
    await expect(other.start()).rejects.toThrow(/another axiom UI serves/);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(statSync(path).isSocket()).toBe(true);
    await startServer();
    const r = await attach();
    expect(r.root).toBe(root);
  });

  it('a connection that leaves at once (the liveness probe of --attach) is not left listed as a client', async () => {
    await startServer();
    expect(await isLive(server.socketPath)).toBe(true);
    await attach('x');
    await when(
      manager,
      () => manager.clients().join(',') === 'x',
      `clients to be [x], not ${manager.clients()}`,
    );
  });

  it('a client spawns with the UI defaults only, inside the root, labeled with its name', async () => {
    await startServer();
    const r = await attach('orchestrator');
    expect(clientsSeen.at(-1)).toEqual(['orchestrator']);
    const s = await r.spawn({
      prompt: 'hello',
      agent: 'evil',
      agentArgs: ['--x'],
      env: { A: '1' },
      cwd: '.',
    });
    expect(s.owner).toBe('orchestrator');
    expect(s.command).toEqual(['cat', '-u']);
    expect(ptys[0]?.opts.env?.A).toBeUndefined();
    await expect(r.spawn({ cwd: '/' })).rejects.toThrow(/not a directory inside the UI's root/);
    await expect(r.spawn({ cwd: '../..' })).rejects.toThrow(/inside the UI's root/);
    expect(r.list().map((x) => x.id)).toEqual([s.id]);
  });

  it('each client sees only its own sessions, plus those the person hands it; output is mirrored', async () => {
    await startServer();
    const a = await attach('a');
    const b = await attach('a'); // same name: labeled a-2
    expect(clientsSeen.at(-1)).toEqual(['a', 'a-2']);
    const mine = manager.spawn({ prompt: 'the person' });
    const sa = await a.spawn({ prompt: 'for a' });
    expect(a.list().map((s) => s.id)).toEqual([sa.id]);
    expect(b.list()).toEqual([]);
    ptys[1]?.emit('line one\r\nline two\r\n');
    await when(a, () => a.output(sa.id).text.includes('line two'), 'mirrored output');
    expect(a.output(sa.id, 1).text).toContain('line two');
    expect(a.output(sa.id, 1).text).not.toContain('line one');
    manager.handTo(mine.id, 'a-2');
    await when(b, () => b.get(mine.id) !== undefined, 'handed session');
    await expect(a.send(mine.id, 'not yours')).rejects.toThrow(/unknown session/);
    manager.handTo(mine.id, undefined);
    await when(b, () => b.get(mine.id) === undefined, 'handed back');
  });

  it('a held session refuses the client: send, interrupt, kill answer "held by the person at the terminal"', async () => {
    await startServer();
    const r = await attach();
    const s = await r.spawn({ prompt: 'work' });
    manager.hold(s.id, true);
    await when(r, () => r.get(s.id)?.held === true, 'held');
    for (const call of [() => r.send(s.id, 'x'), () => r.interrupt(s.id), () => r.kill(s.id)])
      await expect(call()).rejects.toThrow(`task ${s.id} is held by the person at the terminal`);
    manager.hold(s.id, false);
    await r.interrupt(s.id);
  });

  it('directions carry who sent them; the person typing into a client session takes it over', async () => {
    await startServer();
    const r = await attach('orch');
    const seen: Direction[] = [];
    r.on('direction', (_id, d) => seen.push(d));
    const s = await r.spawn({ prompt: 'a' });
    void manager.send(s.id, 'from the person').catch(() => undefined);
    manager.write(s.id, 'typed\r');
    await when(r, () => seen.length === 2, 'directions');
    expect(seen.map((d) => [d.from, d.text])).toEqual([
      ['person', 'from the person'],
      ['person', 'typed'],
    ]);
    expect(manager.get(s.id)?.takenOver).toBe(true);
  });

  it('when a client goes away only the sessions it started and still steers are killed', async () => {
    await startServer();
    const r = await attach('orch');
    const a = await r.spawn({ prompt: 'a' });
    const b = await r.spawn({ prompt: 'b' });
    const c = await r.spawn({ prompt: 'c' });
    const person = manager.spawn({ prompt: 'mine' });
    const handed = manager.spawn({ prompt: 'handed' });
    manager.handTo(handed.id, 'orch');
    manager.write(b.id, 'x'); // the person typed into b: taken over
    manager.hold(c.id, true);
    await r.shutdown();
    await when(manager, () => manager.clients().length === 0, 'detached');
    const pidOf = (id: string) => manager.get(id)?.pid;
    const killed = new Set(signals.map(([pid]) => pid));
    expect(killed.has(pidOf(a.id) as number)).toBe(true);
    for (const id of [b.id, c.id, person.id, handed.id]) expect(killed.has(pidOf(id) as number)).toBe(false);
    for (const id of [b.id, c.id, handed.id]) expect(manager.get(id)?.owner).toBeUndefined();
  });
});

describe('attach files', () => {
  it('an existing attach directory is made owner-only', async () => {
    const attachDir = join(dir, 'state', 'attach');
    mkdirSync(attachDir, { recursive: true, mode: 0o755 });
    writeFileSync(join(attachDir, 'x'), '');
    await startServer();
    expect(statSync(attachDir).mode & 0o777).toBe(0o700);
  });
});
