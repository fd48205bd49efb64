/**
 * Headless front end for `axiom spawn` when stdout is not a terminal (or with --headless):
 * labeled plain-text lines, status changes and file events; exits when every session has
 * finished its turn or exited.
 */

import { formatDuration } from '../engine/duration.js';
import type { Engine } from '../engine/engine.js';
import { formatDiffSummary } from '../engine/git/worktree.js';
import { isEnded, isIdle, type SessionSnapshot, type SessionStatus } from '../engine/types.js';
import { checkText } from '../ui/review.js';

export interface HeadlessOptions {
  out?: (s: string) => void;
}

const finishedStatus = (s: SessionStatus): boolean => isIdle(s) || isEnded(s);

/** How to get past a dialog headless mode cannot answer. */
function headlessFix(name: string): string {
  if (name === 'trust') return 'run claude once in this folder and trust it, or run in a terminal';
  if (name === 'login') return 'log in again (claude /login) or check the API key';
  if (name === 'rate-limit') return 'wait for the limit to reset, or run in a terminal';
  return 'rerun with -- --permission-mode acceptEdits, or run in a terminal';
}

/**
 * What `axiom spawn --headless` exits with (also in its --help and the README). The usage and
 * signal codes are set by main.ts and lifecycle.ts.
 */
export const HEADLESS_EXIT_CODES = `Exit codes (headless):
  0    every session finished its turn, or exited by itself with code 0
  1    a session failed: could not start, exited with another code, was killed by a
       signal, was interrupted, or needed a permission headless mode cannot give
  2    bad usage (an unknown option, a bad value, no prompt)
  129  SIGHUP, 130 SIGINT, 143 SIGTERM: axiom was stopped; every session was killed
  141  the output was closed (e.g. | head); every session was killed`;

/**
 * Resolve with the exit code: 0 when every session completed its turn or exited by itself with
 * code 0 (an agent that does its work and exits, however fast), else 1.
 */
export function runHeadless(engine: Engine, ids: string[], opts: HeadlessOptions = {}): Promise<number> {
  const out = opts.out ?? ((s: string) => process.stdout.write(s));
  const cursors = new Map<string, number>(ids.map((id) => [id, 0]));
  const started = new Set<string>();
  const wanted = new Set(ids);

  const drain = (id: string): void => {
    const { cursor, text } = engine.output(id, cursors.get(id) ?? 0);
    cursors.set(id, cursor);
    if (!text) return;
    const s = engine.get(id);
    const label = `[${s?.n ?? id}] `;
    out(
      `${text
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => label + l)
        .join('\n')}\n`,
    );
  };

  const finished = (s: SessionSnapshot): boolean =>
    finishedStatus(s.status) && (started.has(s.id) || isEnded(s.status));

  // A clean exit is success whether or not a turn was seen to end first (an agent that answers
  // and exits never goes back to idle); a signal leaves exitCode null.
  const ok = (s: SessionSnapshot): boolean =>
    s.status === 'COMPLETED' || (s.status === 'EXITED' && s.exitCode === 0 && !s.signal);

  return new Promise((resolve) => {
    const check = (): void => {
      const all = ids.map((id) => engine.get(id)).filter((s): s is SessionSnapshot => s !== undefined);
      if (all.length === 0 || !all.every(finished)) return;
      engine.off('output', onOutput);
      engine.off('status', onStatus);
      engine.off('file-written', onFile);
      engine.off('worktree', onWorktree);
      for (const id of ids) drain(id);
      resolve(all.every(ok) ? 0 : 1);
    };
    const onOutput = (id: string): void => {
      if (wanted.has(id)) drain(id);
    };
    const onStatus = (s: SessionSnapshot, prev: SessionStatus): void => {
      if (!wanted.has(s.id)) return;
      drain(s.id);
      if (s.status === 'RUNNING' || s.status === 'WAITING') started.add(s.id);
      const timing =
        s.turnEndedAt !== undefined && s.turnStartedAt !== undefined
          ? ` in ${formatDuration(s.turnEndedAt - s.turnStartedAt, { tenths: true })}`
          : '';
      const reason = s.reason ? ` (${s.reason})` : '';
      out(`[${s.n}] ● ${prev} → ${s.status}${finishedStatus(s.status) ? timing : ''}${reason}\n`);
      if (s.status === 'WAITING' && s.waiting) {
        const w = s.waiting;
        const opts = w.options.map((o) => `${o.id}. ${o.label}`).join(' / ');
        const first = w.text.split('\n').find((l) => l.trim() !== '') ?? w.name;
        out(`[${s.n}] ! waits for a person (${w.name}): ${first.trim()}${opts ? ` [${opts}]` : ''}\n`);
        out(`[${s.n}] ! headless mode cannot answer it: ${headlessFix(w.name)}\n`);
        // A dialog Esc cancels is cancelled (the turn ends); one that must be answered ends the session.
        if (w.cancellable) void engine.interrupt(s.id).catch(() => undefined);
        else void engine.kill(s.id).catch(() => undefined);
      }
      check();
    };
    const onFile = (id: string, ev: { path: string; tool: string }): void => {
      if (!wanted.has(id)) return;
      out(`[${engine.get(id)?.n ?? id}] ✎ ${ev.tool} ${ev.path}\n`);
    };
    const placed = new Set<string>();
    const onWorktree = (s: SessionSnapshot): void => {
      if (!wanted.has(s.id) || s.worktree?.state !== 'ready' || placed.has(s.id)) return;
      placed.add(s.id);
      out(`[${s.n}] worktree ${s.worktree.path} (branch ${s.worktree.branch})\n`);
    };
    engine.on('output', onOutput);
    engine.on('status', onStatus);
    engine.on('file-written', onFile);
    engine.on('worktree', onWorktree);
    for (const id of ids) {
      const s = engine.get(id);
      if (s) {
        const why = s.reason ? ` (${s.reason})` : '';
        // A claude session's command line is known once its binary is found (after this line).
        const command = s.command.length > 0 ? s.command.join(' ') : s.agent;
        out(`[${s.n}] ● ${s.status} ${command.slice(0, 120)} (cwd ${s.cwd})${why}\n`);
      }
      if (s?.status === 'RUNNING') started.add(id);
    }
    check();
  });
}

/** After shutdown: each session's diff summary, its last test where known, and what became of its worktree. */
export function printWorktreeSummary(
  engine: Engine,
  ids: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
): void {
  for (const id of ids) {
    const s = engine.get(id);
    const wt = s?.worktree;
    if (!s || !wt) continue;
    const what =
      wt.state === 'kept'
        ? `kept in ${wt.path} (branch ${wt.branch}): axiom diff ${s.n}, axiom apply ${s.n}`
        : wt.state === 'removed'
          ? 'worktree removed'
          : `worktree ${wt.state}`;
    const check = s.lastCheck ? `, last test ${checkText(s.lastCheck)}` : '';
    out(`[${s.n}] ${formatDiffSummary(wt.diff)}${check}: ${what}\n`);
  }
}
