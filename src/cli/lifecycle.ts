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
  const end = (code: number, message?: string): void => {
    hooks.restoreTerminal?.();
    if (message) process.stderr.write(`${message}\n`);
    if (ending) return;
    ending = true;
    // Whatever happens, do not hang: a hard deadline after the graceful shutdown starts.
    const deadline = setTimeout(() => process.exit(code), 5000);
    deadline.unref();
    hooks.shutdown().then(
      () => process.exit(code),
      () => process.exit(code),
    );
  };
  const onSignal = (sig: NodeJS.Signals) => end(SIGNAL_CODES[sig] ?? 1);
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
