/**
 * Process-level safety net shared by every front end: on SIGINT/SIGTERM/SIGHUP, an uncaught
 * exception or an unhandled rejection, restore the terminal, kill every session and exit. When
 * stdout is closed under us (`axiom spawn --headless | head`), the same, with a one-line note.
 */

import { listen } from '../engine/listen.js';

export interface LifecycleHooks {
  /** Kill sessions, flush transcripts. */
  shutdown: () => Promise<void>;
  /** Undo terminal changes (alt screen, raw mode); must be synchronous and idempotent. */
  restoreTerminal?: () => void;
}

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
/** Exit code when stdout is closed under us: what dying of SIGPIPE gives in a shell. */
const EPIPE_CODE = 141;

/** Write to stderr without ever throwing (it may be a closed pipe too). */
function note(message: string): void {
  try {
    process.stderr.write(`${message}\n`);
  } catch {
    // Nowhere left to say it.
  }
}

export function installLifecycle(hooks: LifecycleHooks): () => void {
  let ending = false;
  const end = (code: number, message?: string, signal?: NodeJS.Signals): void => {
    hooks.restoreTerminal?.();
    if (ending) return;
    ending = true;
    if (message) note(message);
    // Whatever happens, do not hang: a hard deadline after the graceful shutdown starts.
    const deadline = setTimeout(() => process.exit(code), 5000);
    deadline.unref();
    const exit = (): void => {
      if (signal === 'SIGHUP') {
        // The terminal is gone: a normal exit would make Node reset the tty and abort on EIO.
        // Die of the signal itself, as shells expect, once nothing listens for it any more.
        process.removeAllListeners('SIGHUP');
        process.kill(process.pid, 'SIGHUP');
        return;
      }
      process.exit(code);
    };
    hooks.shutdown().then(exit, exit);
  };
  const onSignal = (sig: NodeJS.Signals) => end(SIGNAL_CODES[sig] ?? 1, undefined, sig);
  const onError = (e: unknown) =>
    end(1, `axiom: fatal: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  const onExit = () => hooks.restoreTerminal?.();
  const onStdoutError = (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') end(EPIPE_CODE, 'axiom: output closed (EPIPE); stopping every session');
    // Anything else is fatal only if nobody else handles it (the UI copes with a vanished tty).
    else if (process.stdout.listenerCount('error') === 1) onError(e);
  };
  const onStderrError = () => {
    // stderr closed: messages are lost, nothing else changes.
  };
  const unlisten = [
    listen(process, {
      SIGINT: onSignal,
      SIGTERM: onSignal,
      SIGHUP: onSignal,
      uncaughtException: onError,
      unhandledRejection: onError,
      exit: onExit,
    }),
    listen(process.stdout, { error: onStdoutError }),
    listen(process.stderr, { error: onStderrError }),
  ];
  return () => {
    for (const off of unlisten) off();
  };
}
