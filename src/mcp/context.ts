/**
 * State shared by the MCP tools of one `axiom mcp` server, and the small helpers they share.
 * Everything the tools do goes through the Engine; this module only keeps what the MCP front
 * end itself needs to remember (which sessions it spawned, which sends are still in flight).
 */
import { EventEmitter } from 'node:events';
import { realpathSync, statSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EngineLike } from '../engine/engine.js';
import {
  type Direction,
  isBusy as isBusyStatus,
  isEnded,
  type SessionSnapshot,
  type SpawnOptions,
} from '../engine/types.js';

export interface AxiomMcpOptions {
  /** Sessions' working directories must resolve inside this directory. */
  root: string;
  /** At most this many live sessions at once; also the upper bound of `spawnCount`. */
  maxSessions: number;
  /** Reported to clients as the server version. */
  version: string;
  /**
   * Fixed by whoever started the server (`axiom mcp -- agent args`): agent, agentArgs, env,
   * cols, rows. A client can never choose the executable or its arguments.
   */
  spawnDefaults: SpawnOptions;
  /** Where log lines go. Default: stderr (stdout belongs to JSON-RPC). */
  log?: (line: string) => void;
  /** See ToolContext.settleMs (default SETTLE_MS). */
  settleMs?: number;
  /** See ToolContext.identify. */
  identify?: (name: string) => void;
}

/** Everything a tool handler may use. One per server (shared by all its connections' instances). */
export interface ToolContext {
  /** The engine: this process's own, or the axiom UI's through its socket (`--attach`). */
  readonly engine: EngineLike;
  /** `root` after realpath resolution. */
  readonly root: string;
  readonly maxSessions: number;
  readonly spawnDefaults: SpawnOptions;
  readonly log: (line: string) => void;
  /** Ids of the sessions this server spawned, oldest first. */
  readonly spawned: string[];
  /**
   * Sends (redirects) fired by this server that have not settled yet, per session id. While one
   * is in flight the session counts as busy: an interrupt on the way to a redirect is not the end
   * of the turn the client is waiting for.
   */
  readonly pending: Map<string, number>;
  /** The last failure of a fire-and-forget send per session (cleared by the next success). */
  readonly sendErrors: Map<string, string>;
  /** Emits `settled(id)` when a tracked send settles. */
  readonly events: EventEmitter;
  /**
   * After a session stops working during a wait or follow, keep listening this long before
   * answering: trailing lines reach the screen a little after the status change.
   */
  settleMs: number;
  /** Clock (tests may replace it). */
  now: () => number;
  /**
   * Directions someone else (the person at the terminal, another client) sent to a session since
   * this server last read its output: the next axiom_output shows each once, as a marked line.
   */
  readonly others: Map<string, Direction[]>;
  /** The client's name from MCP initialize, once known (see `identify`). */
  client?: string;
  /** Called once the client's name is known (attach mode tells the UI). */
  identify?: (name: string) => void;
  /** Stop listening to the engine (the server is done). Idempotent. */
  dispose(): void;
}

/** Default `settleMs`. */
export const SETTLE_MS = 750;

export function defaultLog(line: string): void {
  process.stderr.write(`axiom mcp: ${line}\n`);
}

/**
 * `dir` resolved (symlinks too), or an Error whose message is one line naming the fix when it is
 * not an existing directory.
 */
export function resolveRoot(dir: string): string {
  const abs = path.resolve(dir);
  let root: string;
  try {
    root = realpathSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`;
    throw new Error(`--root ${abs} ${why}; create it or pass --root <an existing directory>`);
  }
  if (!statSync(root).isDirectory())
    throw new Error(`--root is not a directory: ${root}; pass --root <a directory> (sessions run inside it)`);
  return root;
}

/**
 * Build the tool context. Throws when `root` is not an existing directory. Directions sent to
 * this server's sessions by anyone but itself are kept for its next axiom_output (see `others`).
 */
export function createToolContext(engine: EngineLike, opts: AxiomMcpOptions): ToolContext {
  if (!Number.isInteger(opts.maxSessions) || opts.maxSessions < 1) {
    throw new Error(`maxSessions must be a positive integer (got ${opts.maxSessions})`);
  }
  const root = resolveRoot(opts.root);
  const ctx: ToolContext = {
    engine,
    root,
    maxSessions: opts.maxSessions,
    spawnDefaults: { ...opts.spawnDefaults },
    log: opts.log ?? defaultLog,
    spawned: [],
    pending: new Map(),
    sendErrors: new Map(),
    events: new EventEmitter(),
    settleMs: opts.settleMs ?? SETTLE_MS,
    now: () => Date.now(),
    others: new Map(),
    identify: opts.identify,
    dispose: () => engine.off('direction', onDirection),
  };
  const onDirection = (id: string, d: Direction): void => {
    if (!ctx.spawned.includes(id) && engine.get(id)?.owner === undefined) return;
    if (d.from === senderName(ctx)) return;
    const list = ctx.others.get(id) ?? [];
    list.push(d);
    ctx.others.set(id, list);
  };
  engine.on('direction', onDirection);
  return ctx;
}

/** Who this server's sends are from (SendOptions.from): the client's name, once known. */
export function senderName(ctx: ToolContext): string {
  return ctx.client ?? 'client';
}

/** A tool-level failure: becomes an `isError` result with this one-line message. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

/** The session, or a ToolError naming the unknown id. */
export function mustGet(ctx: ToolContext, taskId: string): SessionSnapshot {
  const s = ctx.engine.get(taskId);
  if (!s) throw new ToolError(`unknown taskId "${taskId}" (axiom_status lists the tasks)`);
  return s;
}

/**
 * Whether the session is working: STARTING or RUNNING, or a send fired by this server is still
 * on its way (e.g. a redirect between its interrupt and its submit). `done` = !isBusy.
 */
export function isBusy(ctx: ToolContext, s: SessionSnapshot): boolean {
  if (isEnded(s.status)) return false;
  return isBusyStatus(s.status) || (ctx.pending.get(s.id) ?? 0) > 0;
}

/** How a tracked send ended. */
export type SendOutcome = { ok: true } | { ok: false; error: string };

/**
 * Track a send fired by this server. Never rejects: a failure is logged and kept in
 * `sendErrors` (axiom_status shows it). While it is in flight the session counts as busy (see
 * `isBusy`). `start` is called synchronously, so a sync throw is tracked like a rejection.
 */
export function trackSend(ctx: ToolContext, id: string, start: () => Promise<void>): Promise<SendOutcome> {
  ctx.pending.set(id, (ctx.pending.get(id) ?? 0) + 1);
  let p: Promise<void>;
  try {
    p = start();
  } catch (err) {
    p = Promise.reject(err);
  }
  return p
    .then(
      (): SendOutcome => {
        ctx.sendErrors.delete(id);
        return { ok: true };
      },
      (err: unknown): SendOutcome => {
        const error = oneLine(err);
        ctx.sendErrors.set(id, error);
        ctx.log(`send to task ${id} failed: ${error}`);
        return { ok: false, error };
      },
    )
    .finally(() => {
      const n = (ctx.pending.get(id) ?? 1) - 1;
      if (n <= 0) ctx.pending.delete(id);
      else ctx.pending.set(id, n);
      ctx.events.emit('settled', id);
    });
}

/** First line of an error's message, trimmed. */
export function oneLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split('\n').find((l) => l.trim() !== '') ?? msg).trim() || 'unknown error';
}

/** Whether `p` is `root` or inside it (both already resolved). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!path.isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${path.sep}`));
}

/**
 * Resolve a client-supplied cwd: relative paths resolve against the root; symlinks are resolved;
 * the result must be an existing directory inside the root. Throws ToolError otherwise.
 */
export async function resolveCwd(ctx: ToolContext, cwd: string | undefined): Promise<string> {
  if (cwd === undefined || cwd === '') return ctx.root;
  const abs = path.resolve(ctx.root, cwd);
  let real: string;
  try {
    real = await realpath(abs);
  } catch {
    throw new ToolError(`cwd does not exist: ${abs}`);
  }
  if (!isInside(ctx.root, real)) {
    throw new ToolError(`cwd ${real} is outside the server root ${ctx.root}`);
  }
  if (!(await stat(real)).isDirectory()) throw new ToolError(`cwd is not a directory: ${real}`);
  return real;
}

/** Sessions whose process is not gone. */
export function liveCount(ctx: ToolContext): number {
  return ctx.engine.list().filter((s) => !isEnded(s.status)).length;
}

/** Resolve after `ms`, or earlier when `signal` aborts; `true` when the time ran out. */
export function raceTimeout<T>(
  p: Promise<T>,
  ms: number,
  signal?: AbortSignal,
): Promise<{ done: true; value: T } | { done: false }> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      finish();
      resolve({ done: false });
    };
    timer = setTimeout(onAbort, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    p.then(
      (value) => {
        finish();
        resolve({ done: true, value });
      },
      (err: unknown) => {
        finish();
        reject(err);
      },
    );
  });
}
