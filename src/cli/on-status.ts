/**
 * `--on-status CMD`: run CMD on every status change of every session, for people who route
 * notifications elsewhere (a phone, a chat, a status bar). CMD is split once, at start, with
 * splitCommandLine (quotes and backslashes, nothing else) and run with execFile: no shell ever
 * sees it, and what a session says reaches CMD only as environment values:
 *
 *   AXIOM_SESSION   the session number (2 for #2)
 *   AXIOM_STATUS    RUNNING, WAITING, COMPLETED, INTERRUPTED, EXITED or FAILED
 *   AXIOM_PREVIOUS  the status before
 *   AXIOM_REASON    the engine's reason, if any ("permission needed for Write fib.go: answer the dialog")
 *   AXIOM_MESSAGE   what a notification would say ("#2 waits for permission: Write fib.go"), or ''
 *   AXIOM_CWD       the session's working directory
 *
 * Runs are serialized (the hook sees changes in order) and each is killed after `timeoutMs`.
 */
import { execFile } from 'node:child_process';
import { splitCommandLine } from '../agents/profile.js';
import type { Engine } from '../engine/engine.js';
import type { SessionSnapshot, SessionStatus } from '../engine/types.js';
import { attentionText } from '../ui/notify.js';

/** Changes waiting beyond this are dropped (with one warning): a hook slower than the sessions. */
const MAX_QUEUE = 100;

/** Split `--on-status` into argv, or throw an Error whose message names the fix. */
export function parseStatusCommand(line: string): string[] {
  let argv: string[];
  try {
    argv = splitCommandLine(line);
  } catch {
    throw new Error(`--on-status: unterminated quote in ${JSON.stringify(line)}; close the quote`);
  }
  if (argv.length === 0) throw new Error('--on-status: the command is empty; give a program to run');
  return argv;
}

/** The environment CMD sees for one change. */
export function statusEnv(s: SessionSnapshot, previous: SessionStatus): Record<string, string> {
  const why = attentionText(s, previous);
  return {
    AXIOM_SESSION: String(s.n),
    AXIOM_STATUS: s.status,
    AXIOM_PREVIOUS: previous,
    AXIOM_REASON: s.reason ?? '',
    AXIOM_MESSAGE: why ? `#${s.n} ${why}` : '',
    AXIOM_CWD: s.cwd,
  };
}

export type Runner = (
  file: string,
  args: string[],
  opts: { env: NodeJS.ProcessEnv; timeout: number },
  done: (error: Error | null) => void,
) => void;

const execRunner: Runner = (file, args, opts, done) => {
  execFile(file, args, { ...opts, killSignal: 'SIGKILL', windowsHide: true }, (error) => done(error));
};

export interface StatusHookOptions {
  argv: string[];
  /** Told once per distinct failure ("--on-status: notify.sh failed: …"). */
  onError: (message: string) => void;
  /** Base environment (default process.env). */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** How to run it (default execFile); tests pass a fake. */
  run?: Runner;
}

/** Subscribe to `engine`'s status changes; returns the unsubscribe. */
export function installStatusHook(engine: Engine, opts: StatusHookOptions): () => void {
  const [file, ...args] = opts.argv;
  if (!file) throw new Error('--on-status: the command is empty; give a program to run');
  const run = opts.run ?? execRunner;
  const reported = new Set<string>();
  const report = (message: string) => {
    if (reported.has(message)) return;
    reported.add(message);
    opts.onError(message);
  };
  const queue: Record<string, string>[] = [];
  let busy = false;
  let stopped = false;
  const next = () => {
    const env = queue.shift();
    if (!env || stopped) {
      busy = false;
      return;
    }
    busy = true;
    run(
      file,
      args,
      { env: { ...(opts.env ?? process.env), ...env }, timeout: opts.timeoutMs ?? 10_000 },
      (error) => {
        if (error) report(`--on-status: ${file} failed: ${error.message.split('\n')[0]}`);
        next();
      },
    );
  };
  const onStatus = (s: SessionSnapshot, previous: SessionStatus) => {
    if (s.status === previous || s.status === 'STARTING') return;
    if (queue.length >= MAX_QUEUE) {
      report(`--on-status: ${file} is slower than the sessions; some changes were not passed to it`);
      return;
    }
    queue.push(statusEnv(s, previous));
    if (!busy) next();
  };
  engine.on('status', onStatus);
  return () => {
    stopped = true;
    queue.length = 0;
    engine.off('status', onStatus);
  };
}
