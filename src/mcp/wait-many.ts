/**
 * Waiting on several sessions at once (axiom_wait): answers when any (or all) of them need the
 * orchestrator — a dialog waits for a person (WAITING), the turn is over (COMPLETED, INTERRUPTED)
 * or the process is gone (EXITED, FAILED) — judged on the state at each moment, not on changes,
 * so a session already there when the call starts counts at once and nothing that happened
 * between two calls is lost. Event driven like watch.ts: wakes on status, exit and removal (and on
 * this server's sends settling); no polling.
 */
import { listen } from '../engine/listen.js';
import { isEnded, type SessionSnapshot } from '../engine/types.js';
import { isBusy, mustGet, type ToolContext } from './context.js';
import type { RequestCtx } from './tool.js';

export type Until = 'any' | 'all';

export interface WaitRequest {
  /** Undefined: every session whose process is alive when the call starts. */
  taskIds?: string[];
  until: Until;
  waitMs: number;
}

export interface WaitResult {
  /** The sessions waited on, in the order asked, as they are when the answer is sent. */
  sessions: SessionSnapshot[];
  /** Ids of those that need the orchestrator (see `needsCaller`). */
  ready: string[];
  /** The condition held (false: waitMs ran out, or the request was cancelled). */
  met: boolean;
}

/** Not working: a dialog waits (WAITING), the turn is over, or the process is gone; no send of ours in flight. */
export function needsCaller(ctx: ToolContext, s: SessionSnapshot): boolean {
  return !isBusy(ctx, s);
}

/**
 * Wait until `until` of the sessions need the caller, or `waitMs` runs out. Unknown ids throw
 * ToolError at once. A session removed meanwhile counts as ended (its last snapshot is kept).
 * When the condition comes true during the wait the answer comes `ctx.settleMs` later (a status
 * can flap), unless it stopped holding by then. `onChange` hears every status change of a
 * session waited on (for progress notifications).
 */
export function waitMany(
  ctx: ToolContext,
  req: WaitRequest,
  rc: RequestCtx,
  onChange?: (r: WaitResult) => void,
): Promise<WaitResult> {
  const initial =
    req.taskIds === undefined
      ? ctx.engine.list().filter((s) => !isEnded(s.status))
      : [...new Set(req.taskIds)].map((id) => mustGet(ctx, id));
  const last = new Map(initial.map((s) => [s.id, s]));
  const ids = initial.map((s) => s.id);

  const result = (met: boolean): WaitResult => {
    const sessions = ids.map((id) => {
      const s = ctx.engine.get(id) ?? (last.get(id) as SessionSnapshot);
      last.set(id, s);
      return s;
    });
    const gone = (s: SessionSnapshot): boolean => !ctx.engine.get(s.id);
    const ready = sessions.filter((s) => gone(s) || needsCaller(ctx, s)).map((s) => s.id);
    return { sessions, ready, met };
  };
  const holds = (r: WaitResult): boolean =>
    req.until === 'any' ? r.ready.length > 0 || ids.length === 0 : r.ready.length === ids.length;

  const now = result(false);
  if (holds(now) || req.waitMs <= 0 || rc.signal.aborted) return Promise.resolve({ ...now, met: holds(now) });

  return new Promise<WaitResult>((resolve) => {
    let finished = false;
    let settle: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      off();
      clearTimeout(timer);
      clearTimeout(settle);
      rc.signal.removeEventListener('abort', finish);
      const r = result(false);
      resolve({ ...r, met: holds(r) });
    };
    const check = (): void => {
      if (finished) return;
      const r = result(false);
      if (!holds(r)) {
        clearTimeout(settle);
        settle = undefined;
      } else if (!settle) {
        settle = setTimeout(finish, ctx.settleMs);
      }
    };
    const mine = (id: string): boolean => last.has(id);
    const onStatus = (s: SessionSnapshot): void => {
      if (!mine(s.id)) return;
      check();
      if (!finished) onChange?.(result(false));
    };
    const onId = (id: string): void => {
      if (mine(id)) check();
    };
    const offs = [
      listen(ctx.engine, { status: onStatus, exit: onStatus, 'session-removed': onId }),
      listen(ctx.events, { settled: onId }),
    ];
    const off = (): void => {
      for (const o of offs) o();
    };
    rc.signal.addEventListener('abort', finish, { once: true });
    timer = setTimeout(finish, req.waitMs);
  });
}
