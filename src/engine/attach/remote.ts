/**
 * The engine of a running axiom UI, seen from `axiom mcp --attach`: an EngineLike over the UI's
 * socket. Reads (list, get, output) answer from a mirror the UI keeps current with its events;
 * every other Engine method is forwarded by name with its JSON arguments (a method added to the
 * Engine needs no code here, only the UI's permission for clients in link.ts).
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import type { EngineLike } from '../engine.js';
import { UnknownSessionError } from '../engine.js';
import type { OutputChunk, SessionSnapshot, StyledLine } from '../types.js';
import { isEnded } from '../types.js';
import {
  type CallFrame,
  type EventFrame,
  encode,
  type HelloResult,
  LineSplitter,
  MAX_EVENT_BYTES,
  type ReplyFrame,
  type TextFrame,
} from './protocol.js';

/** Output lines kept per session (older ones are in the UI's transcript). */
const MIRROR_LINES = 20_000;

interface Mirror {
  snapshot: SessionSnapshot;
  start: number;
  lines: string[];
}

/** The engine state the UI sent, and the calls on their way. */
class RemoteCore extends EventEmitter {
  private readonly mirrors = new Map<string, Mirror>();
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closedWith: string | undefined;
  root = '';
  runId = '';

  constructor(
    private readonly sock: Socket,
    where: string,
  ) {
    super();
    this.setMaxListeners(0);
    const lines = new LineSplitter(
      MAX_EVENT_BYTES,
      (l) => this.onLine(l),
      () => this.emit('warning', `a frame from the UI over ${MAX_EVENT_BYTES} bytes was dropped`),
    );
    sock.on('data', (d: Buffer) => lines.push(d));
    sock.on('error', () => undefined);
    sock.on('close', () =>
      this.closed(`the axiom UI at ${where} went away; start \`axiom\` again, then reconnect`),
    );
  }

  private closed(why: string): void {
    this.closedWith ??= why;
    for (const p of this.pending.values()) p.reject(new Error(this.closedWith));
    this.pending.clear();
    this.emit('detached', this.closedWith);
  }

  private onLine(line: string): void {
    let f: ReplyFrame & EventFrame;
    try {
      f = JSON.parse(line) as ReplyFrame & EventFrame;
    } catch {
      return;
    }
    if (typeof f.event === 'string') {
      this.onEvent(f);
      return;
    }
    const p = typeof f.id === 'number' ? this.pending.get(f.id) : undefined;
    if (f.id === null && f.code === 'refused') this.closedWith = f.error;
    if (!p) return;
    this.pending.delete(f.id as number);
    if (f.error === undefined) p.resolve(f.result);
    else if (f.code === 'unknown-session')
      p.reject(new UnknownSessionError(String(f.error).replace(/^unknown session: /, '')));
    else p.reject(new Error(f.error));
  }

  private onEvent(f: EventFrame): void {
    const s = f.snapshot;
    if (f.event === 'session-removed') {
      this.mirrors.delete(String(f.args[0]));
    } else if (s) {
      const m = this.mirrors.get(s.id) ?? { snapshot: s, start: 0, lines: [] };
      m.snapshot = s;
      this.mirrors.set(s.id, m);
      if (f.text) appendText(m, f.text);
    }
    this.emit(f.event, ...f.args);
  }

  call(method: string, args: unknown[]): Promise<unknown> {
    if (this.closedWith !== undefined) return Promise.reject(new Error(this.closedWith));
    const id = this.nextId++;
    const frame: CallFrame = { id, method, args };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.sock.write(encode(frame));
    });
  }

  async hello(): Promise<void> {
    const r = (await this.call('hello', [])) as HelloResult;
    this.root = r.root;
    this.runId = r.runId;
    for (const { snapshot, text } of r.sessions) {
      const m: Mirror = { snapshot, start: 0, lines: [] };
      appendText(m, text);
      this.mirrors.set(snapshot.id, m);
    }
  }

  // ---- the reads of Engine, from the mirror ----

  list(): SessionSnapshot[] {
    return [...this.mirrors.values()].map((m) => m.snapshot);
  }

  get(id: string): SessionSnapshot | undefined {
    return this.mirrors.get(id)?.snapshot;
  }

  private must(id: string): Mirror {
    const m = this.mirrors.get(id);
    if (!m) throw new UnknownSessionError(id);
    return m;
  }

  output(id: string, cursor = 0): OutputChunk {
    const m = this.must(id);
    const end = m.start + m.lines.length;
    const from = Math.max(0, cursor);
    const dropped = from < m.start ? m.start - from : 0;
    const head = dropped > 0 ? [`[axiom: ${dropped} earlier lines are only in the transcript on disk]`] : [];
    const all = [...head, ...m.lines.slice(Math.max(0, from - m.start))];
    return { cursor: end, text: all.length ? `${all.join('\n')}\n` : '' };
  }

  /** Panes are the UI's: an attached client has no screen of its own. */
  screen(id: string): StyledLine[] {
    this.must(id);
    return [];
  }

  scrollbackLength(id: string): number {
    this.must(id);
    return 0;
  }

  cursor(id: string): undefined {
    this.must(id);
    return undefined;
  }

  /** Forget an ended session (the UI forgets it too). */
  remove(id: string): void {
    const m = this.must(id);
    if (!isEnded(m.snapshot.status))
      throw new Error(`session #${m.snapshot.n} is still running; kill it first`);
    this.mirrors.delete(id);
    this.call('remove', [id]).catch(() => undefined);
  }

  write(): void {
    throw new Error('attached clients cannot type keys into a session; use axiom_send');
  }

  resize(): void {
    // Pane sizes are the UI's.
  }

  hold(): void {
    throw new Error('only the person at the terminal holds sessions');
  }

  handTo(): void {
    throw new Error('only the person at the terminal hands sessions over');
  }

  clients(): string[] {
    return [];
  }

  /** Detach (the UI and its sessions go on; those this client started are killed by the UI). */
  async shutdown(): Promise<void> {
    this.closedWith ??= 'detached from the axiom UI';
    if (this.sock.destroyed) return;
    await new Promise<void>((r) => {
      this.sock.once('close', () => r());
      this.sock.end();
    });
  }
}

function appendText(m: Mirror, t: TextFrame): void {
  const first = t.cursor - t.lines.length;
  const end = m.start + m.lines.length;
  if (m.lines.length === 0 || first > end) {
    m.start = first;
    m.lines = [...t.lines];
  } else {
    m.lines.push(...t.lines.slice(end - first));
  }
  const over = m.lines.length - MIRROR_LINES;
  if (over > 0) {
    m.lines.splice(0, over);
    m.start += over;
  }
}

export type RemoteEngine = EngineLike & {
  readonly root: string;
  readonly runId: string;
  /** Tell the UI the client's name (from MCP initialize): its sessions' panes are labeled with it. */
  identify(name: string): Promise<string>;
  /** Resolves when the connection ends, with why. */
  onDetached(listener: (why: string) => void): void;
};

/**
 * Connect to the UI's socket and say hello. Rejects with one line when nothing listens there,
 * or when the UI refuses the connection.
 */
export async function connectRemote(socketPath: string): Promise<RemoteEngine> {
  const sock = connect(socketPath);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', (e) => reject(new Error(`cannot connect to ${socketPath}: ${e.message}`)));
  });
  const core = new RemoteCore(sock, socketPath);
  try {
    await core.hello();
  } catch (e) {
    sock.destroy();
    throw e;
  }
  const extra = {
    identify: async (name: string) => ((await core.call('identify', [name])) as { label: string }).label,
    onDetached: (l: (why: string) => void) => void core.on('detached', l),
  };
  // Methods the core does not implement (spawn, send, interrupt, kill, diff, apply, and any added
  // to the Engine later) are calls by name. A Proxy is the one way to type that: the cast says the
  // forwarded methods have the Engine's signatures, which the UI's engine then checks at run time.
  return new Proxy(core, {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && prop in extra) return extra[prop as keyof typeof extra];
      // Not a thenable: `await connectRemote()` must not take it for a promise.
      if (prop === 'then') return undefined;
      if (prop in target || typeof prop !== 'string') return Reflect.get(target, prop, receiver);
      return (...args: unknown[]) => target.call(prop, args);
    },
  }) as unknown as RemoteEngine;
}
