/**
 * One attached client on the UI's side: answers its calls on the engine (only the methods and
 * sessions it may use) and passes it the engine's events about its own sessions, each with the
 * session's fresh snapshot and the output lines it has not seen yet.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Engine } from '../engine.js';
import { UnknownSessionError } from '../engine.js';
import { listen } from '../listen.js';
import { type EngineEvents, isEnded, type SessionSnapshot, type SpawnOptions } from '../types.js';
import {
  ATTACH_PROTOCOL,
  type ErrorCode,
  type EventFrame,
  type HelloResult,
  type TextFrame,
} from './protocol.js';

/** Engine methods a client may call on one of its sessions (first argument: the session id). */
const SESSION_METHODS = new Set(['send', 'interrupt', 'kill', 'remove', 'diff', 'apply', 'answer']);
/** Of those, the ones that steer the session: refused while the person holds it. */
const STEERING = new Set(['send', 'interrupt', 'kill', 'answer']);
/** Engine events passed on to clients (about one session each). */
const SESSION_EVENTS = [
  'session-added',
  'output',
  'status',
  'file-written',
  'exit',
  'session-removed',
  'worktree',
  'control',
  'direction',
  'answered',
] as const satisfies readonly (keyof EngineEvents)[];

export const HELD_MESSAGE = 'held by the person at the terminal';

/** A call refused or failed, with the code the client acts on. */
export class CallError extends Error {
  constructor(
    message: string,
    readonly code?: ErrorCode,
  ) {
    super(message);
  }
}

export interface LinkHost {
  engine: Engine;
  /** Sessions' working directories must resolve inside it (already resolved). */
  root: string;
  runId: string;
  /** What the UI starts sessions with: a client never chooses the executable or its arguments. */
  spawnDefaults: SpawnOptions;
  /** A unique label for a client calling itself `name` (`name`, `name-2`...). */
  label(name: string, link: Link): string;
  labelsChanged(): void;
}

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith('../'));
}

export class Link {
  label = 'client';
  /** Sessions this client has been told about, and the output cursor it has seen up to. */
  private readonly known = new Map<string, number>();
  /** Sessions this client started (only these are killed when it goes away). */
  private readonly started = new Set<string>();
  private readonly unlisten: () => void;

  constructor(
    private readonly host: LinkHost,
    private readonly send: (frame: EventFrame) => void,
  ) {
    const handlers: Partial<Record<keyof EngineEvents, (...args: unknown[]) => void>> = {};
    for (const name of SESSION_EVENTS) handlers[name] = (...args: unknown[]) => this.onEvent(name, args);
    this.unlisten = listen(host.engine, handlers as Partial<EngineEvents>);
  }

  private visible(s: SessionSnapshot | undefined): s is SessionSnapshot {
    return s !== undefined && s.owner === this.label;
  }

  /** Output lines from `from` on, as a frame (the engine's note about dropped lines left out). */
  private textFrom(id: string, from: number): TextFrame {
    const chunk = this.host.engine.output(id, from);
    let lines = chunk.text === '' ? [] : chunk.text.replace(/\n$/, '').split('\n');
    const fresh = Math.max(0, chunk.cursor - from);
    if (lines.length > fresh) lines = lines.slice(lines.length - fresh);
    this.known.set(id, chunk.cursor);
    return { cursor: chunk.cursor, lines };
  }

  private onEvent(name: keyof EngineEvents, args: unknown[]): void {
    const first = args[0];
    const id = typeof first === 'string' ? first : (first as SessionSnapshot | undefined)?.id;
    if (id === undefined) return;
    if (name === 'session-removed') {
      if (this.known.delete(id)) this.send({ event: name, args });
      return;
    }
    const s = this.host.engine.get(id);
    if (!this.visible(s)) {
      // Handed to someone else: gone, as far as this client can tell.
      if (this.known.delete(id)) this.send({ event: 'session-removed', args: [id] });
      return;
    }
    const from = this.known.get(id);
    if (from === undefined) {
      this.send({ event: 'session-added', args: [s], snapshot: s, text: this.textFrom(id, 0) });
      if (name === 'session-added') return;
    }
    // Its own directions are no news to it.
    if (name === 'direction' && (args[1] as { from?: string } | undefined)?.from === this.label) return;
    const known = this.known.get(id) ?? 0;
    const text = this.textFrom(id, known);
    this.send({
      event: name,
      args,
      snapshot: s,
      ...(text.lines.length || text.cursor !== known ? { text } : {}),
    });
  }

  /** Answer one call. Throws CallError (or the engine's error) for an error reply. */
  async call(method: string, args: unknown[]): Promise<unknown> {
    const { engine } = this.host;
    if (method === 'hello') return this.hello();
    if (method === 'identify') {
      const name = typeof args[0] === 'string' ? args[0].trim().slice(0, 60) : '';
      if (name === '') throw new CallError('identify needs the client name', 'malformed');
      if (this.known.size === 0) {
        this.label = this.host.label(name, this);
        this.host.labelsChanged();
      }
      return { label: this.label };
    }
    if (method === 'spawn') return this.spawn(args[0]);
    if (
      !SESSION_METHODS.has(method) ||
      typeof (engine as unknown as Record<string, unknown>)[method] !== 'function'
    )
      throw new CallError(`${method} is not available to attached clients`, 'refused');
    const id = args[0];
    if (typeof id !== 'string') throw new CallError(`${method} needs a session id first`, 'malformed');
    const s = engine.get(id);
    if (!this.visible(s)) throw new CallError(new UnknownSessionError(id).message, 'unknown-session');
    if (STEERING.has(method) && s.held) throw new CallError(`task ${id} is ${HELD_MESSAGE}`, 'held');
    const a = [...args];
    if (method === 'send') {
      const o = typeof a[2] === 'object' && a[2] !== null ? (a[2] as Record<string, unknown>) : {};
      a[2] = { interrupt: o.interrupt !== false, from: this.label };
    }
    if (method === 'answer') a[2] = this.label; // who answered: this client, whatever it says
    if (method === 'apply') {
      const within = typeof a[1] === 'string' ? resolve(this.host.root, a[1]) : undefined;
      a[1] = within !== undefined && isInside(this.host.root, within) ? within : this.host.root;
    }
    // The method exists (checked above) and is one of SESSION_METHODS: call it with the JSON arguments.
    const fn = (engine as unknown as Record<string, (...x: unknown[]) => unknown>)[method] as (
      ...x: unknown[]
    ) => unknown;
    return await fn.apply(engine, a);
  }

  private hello(): HelloResult {
    const sessions = this.host.engine
      .list()
      .filter((s) => this.visible(s))
      .map((s) => ({ snapshot: s, text: this.textFrom(s.id, 0) }));
    return { protocol: ATTACH_PROTOCOL, root: this.host.root, runId: this.host.runId, sessions };
  }

  private spawn(arg: unknown): SessionSnapshot {
    const o = typeof arg === 'object' && arg !== null ? (arg as Record<string, unknown>) : {};
    const prompt = typeof o.prompt === 'string' ? o.prompt : undefined;
    let cwd = this.host.root;
    if (typeof o.cwd === 'string' && o.cwd !== '') {
      let real: string;
      try {
        real = realpathSync(resolve(this.host.root, o.cwd));
      } catch {
        throw new CallError(`cwd does not exist: ${o.cwd}`, 'refused');
      }
      if (!isInside(this.host.root, real) || !statSync(real).isDirectory())
        throw new CallError(
          `cwd ${real} is not a directory inside the UI's root ${this.host.root}`,
          'refused',
        );
      cwd = real;
    }
    const d = this.host.spawnDefaults;
    const worktree = typeof o.worktree === 'boolean' ? o.worktree : d.worktree;
    const s = this.host.engine.spawn({ ...d, prompt, cwd, worktree, owner: this.label });
    this.started.add(s.id);
    return s;
  }

  /**
   * The client went away: the sessions it started and still steers are killed; those the person
   * took over or holds, and those handed to it, go back to the person.
   */
  close(): void {
    this.unlisten();
    const { engine } = this.host;
    for (const s of engine.list()) {
      if (!this.visible(s) || isEnded(s.status)) continue;
      if (this.started.has(s.id) && !s.takenOver && !s.held) void engine.kill(s.id).catch(() => undefined);
      else engine.handTo(s.id, undefined);
    }
    this.known.clear();
  }
}
