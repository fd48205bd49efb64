/**
 * The one owner of process signals and fatal errors, for every front end. Nothing else in axiom
 * calls process.on for SIGINT/SIGTERM/SIGHUP/SIGTSTP/SIGCONT, uncaught errors or 'exit', or stops
 * or exits the process: front ends (the UI, the MCP server) attach here and are told to stop.
 *
 * - With a front end attached, a signal or fatal error asks it to stop the way a quit does (the
 *   UI shuts the sessions down while it still shows, unmounts, restores the terminal); the CLI
 *   then calls finish(), which ends the process as the stop asked (130/143, or SIGHUP itself).
 * - Without one (headless, or before the UI is up): run the registered restores, shut the
 *   engine down and exit.
 * - Either way a hard deadline ends the process if the stop hangs, and the registered terminal
 *   restores run on 'exit' whoever calls it.
 * When stdout is closed under us (`axiom spawn --headless | head`): the same, with a one-line note.
 */
import type { EventEmitter } from 'node:events';
import { listen } from '../engine/listen.js';
import type { Ending, FrontEnd, ProcessHost } from '../engine/process-host.js';

export type { Ending, FrontEnd, ProcessHost };

export const SIGNAL_CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** Exit code when stdout is closed under us: what dying of SIGPIPE gives in a shell. */
const EPIPE_CODE = 141;
/** A stop with no front end must end within this long, whatever the shutdown does. */
const DEFAULT_GRACE_MS = 5000;

export interface LifecycleHooks {
  /** Kill sessions, flush transcripts (the path without a front end). */
  shutdown: () => Promise<void>;
}

/** The process, as far as the owner uses it (tests pass a fake). */
export interface ProcessPort extends EventEmitter {
  readonly pid: number;
  kill(pid: number, signal: NodeJS.Signals): unknown;
  exit(code?: number): void;
  exitCode?: number | string | undefined;
  readonly stdout: EventEmitter;
  readonly stderr: EventEmitter & { write(s: string): unknown };
}

export interface Lifecycle extends ProcessHost {
  /** The front end's run has ended with `code`: end the process the way the stop asked for. */
  finish(code: number): void;
  /** Remove every listener (tests; finish() does it too). */
  uninstall(): void;
}

export function installLifecycle(hooks: LifecycleHooks, proc: ProcessPort = process): Lifecycle {
  const restores = new Set<() => void>();
  let front: FrontEnd | undefined;
  let ending: Ending | undefined;
  let deadline: ReturnType<typeof setTimeout> | undefined;

  const runRestores = (): void => {
    for (const r of restores) {
      try {
        r();
      } catch {
        // Best effort: the terminal may be gone.
      }
    }
  };
  /** Write to stderr without ever throwing (it may be a closed pipe too). */
  const note = (message: string): void => {
    try {
      proc.stderr.write(`${message}\n`);
    } catch {
      // Nowhere left to say it.
    }
  };
  const exitAs = (e: Ending): void => {
    uninstall();
    if (e.signal === 'SIGHUP') {
      // The terminal is gone: a normal exit would make Node reset the tty and abort on EIO.
      // Die of the signal itself, as shells expect, once nothing listens for it any more.
      proc.removeAllListeners('SIGHUP');
      proc.kill(proc.pid, 'SIGHUP');
      return;
    }
    proc.exit(e.code);
  };

  const end = (e: Ending, message?: string): void => {
    if (ending) {
      // A second signal while stopping: the terminal at least goes back at once.
      if (!front) runRestores();
      return;
    }
    ending = e;
    if (message) note(message);
    if (e.error !== undefined && !front?.reportsErrors) note(`axiom: fatal: ${errorText(e.error)}`);
    // Whatever happens, do not hang: a hard deadline after the stop starts.
    deadline = setTimeout(() => {
      runRestores();
      exitAs(e);
    }, front?.graceMs ?? DEFAULT_GRACE_MS);
    deadline.unref();
    if (front) {
      front.stop(e);
      return;
    }
    runRestores();
    const exit = (): void => exitAs(e);
    hooks.shutdown().then(exit, exit);
  };

  const onSignal = (sig: NodeJS.Signals): void => end({ code: SIGNAL_CODES[sig] ?? 1, signal: sig });
  const onError = (error: unknown): void => end({ code: 1, error });
  const onStdoutError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') end({ code: EPIPE_CODE }, 'axiom: output closed (EPIPE); stopping every session');
    // Anything else is fatal only if nobody else handles it (the UI copes with a vanished tty).
    else if (proc.stdout.listenerCount('error') === 1) onError(e);
  };
  const onStderrError = (): void => {
    // stderr closed: messages are lost, nothing else changes.
  };

  let suspended = false;
  const suspend = (): void => {
    if (!front?.leaveTerminal || suspended || ending) return;
    suspended = true;
    front.leaveTerminal();
    // Stops here until SIGCONT (`fg`/`bg`). SIGSTOP, because a SIGTSTP handler is installed; the
    // shell sees the job stopped the same. Only this process stops: the agents run on in their
    // own sessions (their PTYs just fill up).
    proc.kill(proc.pid, 'SIGSTOP');
    suspended = false;
    if (!ending) front?.enterTerminal?.();
  };
  const onCont = (): void => {
    if (!suspended && !ending) front?.continued?.();
  };

  const unlisten = [
    listen(proc, {
      SIGINT: onSignal,
      SIGTERM: onSignal,
      SIGHUP: onSignal,
      uncaughtException: onError,
      unhandledRejection: onError,
      exit: runRestores,
    }),
    listen(proc.stdout, { error: onStdoutError }),
    listen(proc.stderr, { error: onStderrError }),
  ];
  let unlistenTerminal = (): void => {};
  const uninstall = (): void => {
    if (deadline) clearTimeout(deadline);
    for (const off of unlisten.splice(0)) off();
    unlistenTerminal();
  };

  return {
    attach(f) {
      front = f;
      unlistenTerminal = f.leaveTerminal ? listen(proc, { SIGTSTP: suspend, SIGCONT: onCont }) : () => {};
      return () => {
        if (front !== f) return;
        front = undefined;
        unlistenTerminal();
        unlistenTerminal = () => {};
      };
    },
    onRestore(restore) {
      restores.add(restore);
      return () => void restores.delete(restore);
    },
    suspend,
    finish(code) {
      if (ending) exitAs(ending);
      else {
        uninstall();
        proc.exitCode = code;
      }
    },
    uninstall,
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
