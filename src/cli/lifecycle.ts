/**
 * Process-level safety net shared by every front end: on SIGINT/SIGTERM/SIGHUP, an uncaught
 * exception or an unhandled rejection, restore the terminal, kill every session and exit.
 */

export interface LifecycleHooks {
  /** Kill sessions, flush transcripts. */
  shutdown: () => Promise<void>;
  /** Undo terminal changes (alt screen, raw mode); must be synchronous and idempotent. */
  restoreTerminal?: () => void;
}

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export function installLifecycle(hooks: LifecycleHooks): () => void {
  let ending = false;
  const end = (code: number, message?: string, signal?: NodeJS.Signals): void => {
    hooks.restoreTerminal?.();
    if (message) process.stderr.write(`${message}\n`);
    if (ending) return;
    ending = true;
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
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  process.on('exit', onExit);
  return () => {
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(s, onSignal);
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
    process.off('exit', onExit);
  };
}
