/**
 * The UI's attach socket: while the UI runs it serves its engine to `axiom mcp --attach` clients
 * on a Unix socket in the state dir (directory 0700, socket 0600; no TCP). Each connection is a
 * Link (link.ts). Frames that are not JSON, not calls, or too long are answered with an error and
 * never reach the engine; a client that keeps sending them, or stops reading, is disconnected.
 */
import { writeFileSync } from 'node:fs';
import { chmod, rm, stat } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Engine } from '../engine.js';
import { UnknownSessionError } from '../engine.js';
import type { SpawnOptions } from '../types.js';
import { CallError, Link } from './link.js';
import { ensureAttachDir, infoPathOf, MAX_SOCKET_PATH, socketPathOf } from './paths.js';
import { encode, LineSplitter, MAX_CALL_BYTES, parseCall, type ReplyFrame } from './protocol.js';

export interface AttachServerOptions {
  engine: Engine;
  stateDir: string;
  runId: string;
  /** Sessions' working directories must be inside it (resolved). */
  root: string;
  spawnDefaults: SpawnOptions;
  /** The attached clients' labels changed. */
  onClients?: (labels: string[]) => void;
  /**
   * The uid of the process at the other end. Node cannot read SO_PEERCRED: by default this is
   * the socket file's owner (the 0700 directory is what keeps other users out); tests inject one.
   */
  peerUid?: (socket: Socket) => Promise<number | undefined>;
  log?: (line: string) => void;
  /** Bad frames a connection may send before it is closed. Default 20. */
  maxBadFrames?: number;
}

/** Output a slow client has not read yet, beyond which it is disconnected. */
const MAX_BACKLOG = 64 * 1024 * 1024;

export class AttachServer {
  private server: Server | undefined;
  private readonly links = new Map<Socket, Link>();
  readonly socketPath: string;
  private readonly infoPath: string;

  constructor(private readonly opts: AttachServerOptions) {
    this.socketPath = socketPathOf(opts.stateDir, opts.runId);
    this.infoPath = infoPathOf(opts.stateDir, opts.runId);
  }

  /** Listen. A socket left by a UI that crashed is removed first; a live one is an error. */
  async start(): Promise<string> {
    if (this.socketPath.length > MAX_SOCKET_PATH)
      throw new Error(`socket path too long (${this.socketPath}); pass a shorter --state-dir`);
    ensureAttachDir(this.opts.stateDir);
    if (await stat(this.socketPath).catch(() => undefined)) {
      if (await isLive(this.socketPath)) throw new Error(`another axiom UI serves ${this.socketPath}`);
      await rm(this.socketPath, { force: true });
    }
    const server = createServer((sock) => this.accept(sock));
    server.on('error', (e) => this.log(`socket: ${e.message}`));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    await chmod(this.socketPath, 0o600);
    const info = { runId: this.opts.runId, pid: process.pid, root: this.opts.root, startedAt: Date.now() };
    writeFileSync(this.infoPath, `${JSON.stringify(info)}\n`, { mode: 0o600 });
    return this.socketPath;
  }

  /** The attached clients' labels, oldest first. */
  labels(): string[] {
    return [...this.links.values()].map((l) => l.label);
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private async accept(sock: Socket): Promise<void> {
    sock.on('error', () => undefined); // a client that vanishes is handled by 'close'
    const reply = (f: ReplyFrame): void => {
      if (sock.writable) sock.write(encode(f));
    };
    // Read from the start (frames wait here while the uid is checked), so a client that leaves
    // at once (a liveness probe) is seen to go.
    const early: Buffer[] = [];
    let onData = (d: Buffer): void => void early.push(d);
    let onClose = (): void => {};
    let gone = false;
    sock.on('data', (d: Buffer) => onData(d));
    sock.on('close', () => {
      gone = true;
      onClose();
    });
    const mine = process.getuid?.();
    const peer = await (this.opts.peerUid ?? (() => this.socketOwner()))(sock).catch(() => undefined);
    if (gone) return;
    if (peer === undefined || peer !== mine) {
      reply({
        id: null,
        error: `refused: this axiom UI serves uid ${mine} only (the peer is uid ${peer ?? 'unknown'})`,
        code: 'refused',
      });
      onData = () => undefined;
      sock.end();
      this.log(`refused a connection from uid ${peer ?? 'unknown'}`);
      return;
    }
    const link = new Link(
      {
        engine: this.opts.engine,
        root: this.opts.root,
        runId: this.opts.runId,
        spawnDefaults: this.opts.spawnDefaults,
        label: (name, self) => this.uniqueLabel(name, self),
        labelsChanged: () => this.opts.onClients?.(this.labels()),
      },
      (frame) => {
        if (!sock.writable) return;
        if (sock.writableLength > MAX_BACKLOG) {
          this.log(`client ${link.label} stopped reading; disconnected`);
          sock.destroy();
          return;
        }
        sock.write(encode(frame));
      },
    );
    this.links.set(sock, link);
    this.opts.onClients?.(this.labels());
    let bad = 0;
    const maxBad = this.opts.maxBadFrames ?? 20;
    const badFrame = (id: number | null, why: string): void => {
      reply({ id, error: `malformed frame: ${why}`, code: 'malformed' });
      if (++bad >= maxBad) {
        reply({ id: null, error: `closing: ${bad} malformed frames`, code: 'malformed' });
        sock.end();
      }
    };
    const lines = new LineSplitter(
      MAX_CALL_BYTES,
      (line) => {
        const c = parseCall(line);
        if ('error' in c) {
          badFrame(c.id, c.error);
          return;
        }
        link.call(c.method, c.args).then(
          (result) => reply({ id: c.id, result }),
          (e: unknown) => {
            const code =
              e instanceof CallError
                ? e.code
                : e instanceof UnknownSessionError
                  ? 'unknown-session'
                  : undefined;
            reply({ id: c.id, error: e instanceof Error ? e.message : String(e), ...(code ? { code } : {}) });
          },
        );
      },
      () => badFrame(null, `frame over ${MAX_CALL_BYTES} bytes`),
    );
    onData = (d: Buffer) => {
      try {
        lines.push(d);
      } catch (e) {
        this.log(`client ${link.label}: ${(e as Error).message}`);
      }
    };
    onClose = () => {
      this.links.delete(sock);
      link.close();
      this.opts.onClients?.(this.labels());
    };
    for (const d of early.splice(0)) onData(d);
  }

  private async socketOwner(): Promise<number | undefined> {
    return (await stat(this.socketPath)).uid;
  }

  private uniqueLabel(name: string, self: Link): string {
    const taken = new Set([...this.links.values()].filter((l) => l !== self).map((l) => l.label));
    if (!taken.has(name)) return name;
    for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
  }

  /** Stop serving: disconnect every client (their sessions are handled as on any detach) and remove the files. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const sock of this.links.keys()) sock.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await rm(this.socketPath, { force: true });
    await rm(this.infoPath, { force: true });
  }
}

/** Whether something accepts connections on the socket (a crashed UI's socket refuses them). */
export function isLive(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (v: boolean): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}
