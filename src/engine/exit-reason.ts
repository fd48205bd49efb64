/**
 * How a session ended, in words a person can act on: pure, from the facts the session gathered
 * when its process went away (exit code or signal, whether axiom stopped it, how soon it ended,
 * the last line of output it drew).
 */
import { constants as osConstants } from 'node:os';

export interface ExitFacts {
  /** The process's exit code (node-pty reports 0 for a process killed by a signal). */
  exitCode: number;
  /** The signal that ended it, if one did (0 or undefined: none). */
  signal: number | undefined;
  /** How long the agent ran, in ms. */
  ranMs: number;
  /** An exit within this long of the start counts as "exited at once". */
  earlyExitMs: number;
  /** axiom was stopping it (kill, quit). */
  killing: boolean;
  /** Set when the kill had to escalate to SIGKILL: how long SIGTERM was ignored. */
  ignoredTermMs?: number;
  /** The agent closed its terminal, kept running, and axiom stopped it. */
  closedTerminal: boolean;
  /** The agent's last line of output (not its chrome), '' when there is none. */
  lastLine: string;
}

export interface ExitOutcome {
  status: 'FAILED' | 'EXITED';
  reason: string;
}

/** "9 (SIGKILL)" for a signal number. */
export function signalName(n: number): string {
  const name = Object.entries(osConstants.signals).find(([, v]) => v === n)?.[0];
  return name ? `${n} (${name})` : String(n);
}

/** The session's final status and reason. */
export function classifyExit(f: ExitFacts): ExitOutcome {
  const early = f.ranMs < f.earlyExitMs;
  const tail = f.lastLine ? `: ${f.lastLine.slice(0, 160)}` : '';
  if (f.closedTerminal)
    return { status: 'FAILED', reason: `closed its terminal but kept running; axiom stopped it${tail}` };
  if (f.killing)
    return {
      status: 'EXITED',
      reason:
        f.ignoredTermMs === undefined
          ? 'killed'
          : `killed (SIGKILL: it ignored SIGTERM for ${(f.ignoredTermMs / 1000).toFixed(1)} s)`,
    };
  if (f.signal) return { status: 'FAILED', reason: `killed by signal ${signalName(f.signal)}${tail}` };
  if (f.exitCode !== 0)
    return {
      status: 'FAILED',
      reason: `${early ? 'exited at once' : 'exited'} with code ${f.exitCode}${tail}`,
    };
  if (early)
    return {
      status: 'EXITED',
      reason: `exited at once with code 0${tail}; check the agent command and its arguments`,
    };
  return { status: 'EXITED', reason: 'exited with code 0' };
}

/** The last line on screen that is output, not the agent's chrome (see AgentProfile.isChrome). */
export function lastOutputLine(lines: string[], isChrome?: (line: string) => boolean): string {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = (lines[i] ?? '').trim();
    if (l && !isChrome?.(lines[i] ?? '')) return l;
  }
  return '';
}
