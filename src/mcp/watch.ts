/**
 * Reading a session's output by cursor, optionally waiting for more or following it with
 * progress notifications. Purely event driven: wakes on the engine's `output`, `status`, `exit`
 * and `session-removed` events (and on this server's redirects settling); no polling.
 */
import { listen } from '../engine/listen.js';
import type { Direction, OutputChunk, SessionSnapshot, SessionStatus } from '../engine/types.js';
import { isBusy, mustGet, type ToolContext, ToolError } from './context.js';
import { MAX_TEXT_CHARS, tail } from './format.js';
import type { RequestCtx } from './tool.js';

export interface ReadRequest {
  taskId: string;
  cursor: number;
  /** 0 = answer at once. */
  waitMs: number;
  follow: boolean;
}

export interface ReadResult {
  taskId: string;
  status: SessionStatus;
  cursor: number;
  text: string;
  done: boolean;
  truncated?: boolean;
  /** Set when the cursor given was past the end of the output (a cursor from another session, or a typo). */
  note?: string;
}

/**
 * Call `onChange` whenever something about session `id` may have changed. Returns the
 * unsubscribe function (idempotent).
 */
export function watchSession(ctx: ToolContext, id: string, onChange: () => void): () => void {
  const { engine } = ctx;
  const byId = (sid: string): void => {
    if (sid === id) onChange();
  };
  const bySnapshot = (s: SessionSnapshot): void => {
    if (s.id === id) onChange();
  };
  const unlisten = [
    listen(engine, { output: byId, status: bySnapshot, exit: bySnapshot, 'session-removed': byId }),
    listen(ctx.events, { settled: byId }),
  ];
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    for (const off of unlisten) off();
  };
}

/** How a direction someone else sent shows in this client's output. */
export function directionLine(d: Direction): string {
  return `» ${d.from}: ${d.text.replace(/\s*\n\s*/g, ' ')}`;
}

/**
 * The chunk's text with the directions others sent to the session since the last read (each
 * once) as marked lines, where they were sent among the lines (before the first line produced
 * after it; at the end when none was yet).
 */
function withDirections(ctx: ToolContext, taskId: string, chunk: OutputChunk): string {
  const ds = ctx.others.get(taskId);
  if (!ds?.length) return chunk.text;
  ctx.others.delete(taskId);
  const lines = chunk.text === '' ? [] : chunk.text.replace(/\n$/, '').split('\n');
  const first = chunk.cursor - lines.length; // absolute index of lines[0]
  // From the last to the first, so earlier insertions do not move later positions.
  for (const d of [...ds].reverse()) {
    const i = Math.min(lines.length, Math.max(0, d.at - first));
    lines.splice(i, 0, directionLine(d));
  }
  return `${lines.join('\n')}\n`;
}

function pastEnd(taskId: string, cursor: number, end: number): string {
  return `cursor ${cursor} is past the end of task ${taskId}'s output (${end}): pass cursor ${end} to read on, or 0 for everything`;
}

/** The answer for `[cursor, now)`. Throws ToolError when the session is gone. */
function snapshot(ctx: ToolContext, taskId: string, cursor: number): ReadResult {
  const s = mustGet(ctx, taskId);
  const chunk = ctx.engine.output(taskId, cursor);
  const where = s.transcriptPath ? `in ${s.transcriptPath}` : undefined;
  const t = tail(withDirections(ctx, taskId, chunk), MAX_TEXT_CHARS, where);
  return {
    taskId,
    status: s.status,
    cursor: chunk.cursor,
    text: t.text,
    done: !isBusy(ctx, s),
    ...(t.truncated ? { truncated: true } : {}),
    ...(cursor > chunk.cursor ? { note: pastEnd(taskId, cursor, chunk.cursor) } : {}),
  };
}

/**
 * Read output since `req.cursor`.
 * - `waitMs` 0: answer at once.
 * - not following: answer as soon as there is new text or the session is not busy, or when
 *   `waitMs` runs out.
 * - following: send each new chunk as a progress notification (when the request allows
 *   progress) until the session is not busy any more (its turn ended, it needs input, it
 *   exited) or `waitMs` runs out; the result then holds all text since `req.cursor`.
 * When the session stops working during the wait, the answer comes `ctx.settleMs` later (lines
 * still arriving are included; if it starts working again meanwhile, the wait goes on).
 * Resolves early (with the current state) when the request is aborted; the SDK drops that
 * answer, but every listener and timer is released.
 */
export function readOutput(ctx: ToolContext, req: ReadRequest, rc: RequestCtx): Promise<ReadResult> {
  const { taskId } = req;
  mustGet(ctx, taskId);
  if (req.waitMs <= 0 || rc.signal.aborted) return Promise.resolve(snapshot(ctx, taskId, req.cursor));

  return new Promise<ReadResult>((resolve, reject) => {
    let seen = req.cursor; // follow: end of what was already reported as progress
    let lastProgress = Number.NEGATIVE_INFINITY;
    let flushed: Promise<void> = Promise.resolve(); // progress notifications, in order
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    let settle: NodeJS.Timeout | undefined;

    /** Release every listener and timer; answer after the progress notifications queued so far. */
    const stop = (answer: () => ReadResult): void => {
      if (finished) return;
      finished = true;
      unsubscribe();
      clearTimeout(timer);
      clearTimeout(settle);
      rc.signal.removeEventListener('abort', finish);
      void flushed.then(() => {
        try {
          resolve(answer());
        } catch (err) {
          reject(err);
        }
      });
    };
    const finish = (): void => stop(() => snapshot(ctx, taskId, req.cursor));

    let first = true;
    const check = (): void => {
      if (finished) return;
      const s = ctx.engine.get(taskId);
      if (!s) {
        stop(() => {
          throw new ToolError(`task ${taskId} was removed`);
        });
        return;
      }
      const chunk = ctx.engine.output(taskId, seen);
      // A cursor past the end would wait for the output to pass it, then skip what came before
      // it: answer now (the answer says so).
      if (chunk.cursor < seen) {
        finish();
        return;
      }
      if (chunk.text !== '') {
        if (req.follow) {
          seen = chunk.cursor;
          const send = rc.progress;
          if (send && chunk.cursor > lastProgress) {
            lastProgress = chunk.cursor;
            const where = s.transcriptPath ? `in ${s.transcriptPath}` : undefined;
            const message = tail(chunk.text, MAX_TEXT_CHARS, where).text;
            const progress = chunk.cursor;
            flushed = flushed
              .then(() => send(progress, message))
              .catch((err: unknown) => {
                ctx.log(`progress for task ${taskId} not sent: ${err instanceof Error ? err.message : err}`);
              });
          }
        } else if (!settle) {
          finish();
          return;
        }
      }
      if (isBusy(ctx, s)) {
        // Busy again within the settle window: that was not the end of the turn.
        clearTimeout(settle);
        settle = undefined;
      } else if (first) {
        finish(); // not working when asked: nothing to wait for
      } else if (!settle) {
        // The turn just ended. The last lines can reach the screen a little after the status
        // change, and a status can flap (idle for a moment before the hook says RUNNING):
        // keep listening for settleMs before answering.
        settle = setTimeout(finish, ctx.settleMs);
      }
      first = false;
    };

    const unsubscribe = watchSession(ctx, taskId, check);
    rc.signal.addEventListener('abort', finish, { once: true });
    timer = setTimeout(finish, req.waitMs);
    check();
  });
}
