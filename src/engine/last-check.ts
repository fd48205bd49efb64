/**
 * The last test or command a session ran and whether it passed, from the commands its agent's log
 * records (TextRecord.commands: a start with the command line, then its result). Agent-neutral:
 * which tool runs commands and what counts as a check is the profile's parser's business.
 */
import type { TextRecord } from '../agents/profile.js';
import type { LastCheck } from './types.js';

/** Starts without a result kept at most (a log whose results never come). */
const PENDING_MAX = 64;

export class LastCheckTracker {
  private readonly pending = new Map<string, { command: string; check: boolean }>();
  private current?: LastCheck;

  /** What the session's snapshot shows: the last finished check, else the last finished command. */
  get last(): LastCheck | undefined {
    return this.current ? { ...this.current } : undefined;
  }

  /** Take the commands of new log records; true when `last` changed. */
  take(records: readonly TextRecord[], now: number): boolean {
    let changed = false;
    for (const r of records) {
      for (const c of r.commands ?? []) {
        if (c.command !== undefined) {
          this.pending.set(c.callId, { command: c.command, check: c.check === true });
          if (this.pending.size > PENDING_MAX) {
            const oldest = this.pending.keys().next().value;
            if (oldest !== undefined) this.pending.delete(oldest);
          }
        }
        if (c.ok === undefined) continue;
        const started = this.pending.get(c.callId);
        if (!started) continue;
        this.pending.delete(c.callId);
        // A plain command (ls, cat) does not hide the result of the last test run.
        if (!started.check && this.current?.check) continue;
        this.current = { command: started.command, ok: c.ok, at: now, check: started.check };
        changed = true;
      }
    }
    return changed;
  }
}
