import { render } from 'ink';
import { installInkCaches } from '../compat/ink-caches.js';
import type { Engine } from '../engine/engine.js';
import { App } from './App.js';
import { FrameWriter, VirtualStdout } from './frame-writer.js';
import { TITLE_PREFIX } from './notify.js';
import { BodyOverlay, BodyOverlayContext } from './overlay.js';
import { ENTER_SCREEN, LEAVE_SCREEN } from './screen-codes.js';
import type { RunTuiOptions } from './tui-options.js';
import { FRAME_MS } from './use-engine.js';

/** Frames Ink renders (keys, status changes) go out at most this often; screen output at FRAME_MS. */
const INK_FRAME_MS = 8;

/** Restore the terminal anyway if engine.shutdown() takes longer than this. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

interface Outcome {
  code: number;
  error?: unknown;
  reason: 'quit' | 'signal' | 'error';
}

/** The implementation of `runTui` (see run.tsx, which loads this module lazily). */
export async function runTuiNow(engine: Engine, opts: RunTuiOptions): Promise<number> {
  if (opts.inkCaches ?? true) await installInkCaches();
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const host = opts.host;

  let restored = false;
  // Ink renders complete frames (debug mode) into a virtual stdout; the writer diffs them onto
  // the terminal (see frame-writer.ts for why Ink's own terminal writers are not used).
  // Pane bodies skip Ink's per-character output pipeline: the writer splices them in.
  const overlay = new BodyOverlay({ onChange: () => writer.refresh(), onDraw: () => writer.redraw() });
  const writer = new FrameWriter(stdout, { minIntervalMs: FRAME_MS, overlay, inkIntervalMs: INK_FRAME_MS });
  const onOutput = (id: string) => overlay.changed(id);
  engine.on('output', onOutput);
  const virtualOut = new VirtualStdout(stdout, writer);
  // The last title set (OSC 2), sent again when the UI takes the terminal back after a suspend:
  // the shell may have set its own title meanwhile (PROMPT_COMMAND), and ours changes only with a status.
  let title: string | undefined;
  const control = (bytes: string) => {
    if (bytes.startsWith(TITLE_PREFIX)) title = bytes;
    writer.control(bytes);
  };
  const notify = opts.notify && { ...opts.notify, write: control };

  const restore = () => {
    if (restored) return;
    restored = true;
    // Nothing may draw after we leave the alternate screen (Ink renders a last frame when it
    // unmounts, possibly from its own process-exit hook).
    writer.dispose();
    virtualOut.dispose();
    try {
      stdout.write(LEAVE_SCREEN);
    } catch {
      // The terminal may be gone (SIGHUP); nothing left to restore.
    }
    try {
      if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(false);
      stdin.pause();
    } catch {
      // Same: best effort.
    }
  };

  // Suspend (Ctrl+Z, or SIGTSTP from outside, both through the process host): give the terminal
  // back as a shell expects it (main screen, cursor shown, line discipline cooked); the host stops
  // the process and calls enterTerminal once it continues.
  let suspended = false;
  const setRaw = (on: boolean) => {
    try {
      if (stdin.isTTY && typeof stdin.setRawMode === 'function') stdin.setRawMode(on);
    } catch {
      // Not a terminal any more.
    }
  };
  const enterTerminal = () => {
    if (!suspended || restored) return;
    suspended = false;
    try {
      stdout.write(ENTER_SCREEN);
    } catch {
      // Terminal gone: the SIGHUP path cleans up.
    }
    setRaw(true);
    if (title) writer.control(title);
    writer.repaint();
  };
  const leaveTerminal = () => {
    if (suspended || restored) return;
    suspended = true;
    writer.flush();
    try {
      stdout.write(LEAVE_SCREEN);
    } catch {
      // Same.
    }
    setRaw(false);
  };
  // Only when a host owns the process (not when embedded, e.g. in tests).
  const suspend = () => host?.suspend();

  let finish: (o: Outcome) => void = () => {};
  const done = new Promise<Outcome>((resolve) => {
    let settled = false;
    finish = (o) => {
      if (settled) return;
      settled = true;
      resolve(o);
    };
  });

  // A write error on a vanished terminal (EIO/EPIPE after SIGHUP) must not crash the shutdown.
  const onStreamError = () => {};
  stdout.on('error', onStreamError);

  // Signals and fatal errors reach the UI through the process host (src/cli/lifecycle.ts): it
  // stops like a quit, and the terminal restore is registered there for any other way out.
  const detach =
    host?.attach({
      stop: ({ code, error, signal }) =>
        finish(
          error !== undefined
            ? { code, error, reason: 'error' }
            : { code, reason: signal ? 'signal' : 'quit' },
        ),
      reportsErrors: true,
      graceMs: (opts.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS) + 2000,
      leaveTerminal,
      enterTerminal,
      continued: () => {
        if (!suspended && !restored) writer.repaint();
      },
    }) ?? (() => {});
  const unregisterRestore = host?.onRestore(restore) ?? (() => {});
  // After a first frame (first-frame.ts) the terminal is in the alternate screen already: entering
  // it again would clear that frame (and push the title twice).
  if (opts.firstFrame) opts.firstFrame.stop();
  else stdout.write(ENTER_SCREEN);
  let instance: ReturnType<typeof render> | undefined;
  try {
    instance = render(
      <BodyOverlayContext.Provider value={overlay}>
        <App
          engine={engine}
          spawnDefaults={opts.spawnDefaults}
          initial={opts.initial}
          spawned={opts.spawned}
          onStart={opts.onStart}
          onRepaint={() => writer.repaint()}
          onSuspend={suspend}
          onQuit={() => finish({ code: 0, reason: 'quit' })}
          notify={notify}
        />
      </BodyOverlayContext.Provider>,
      {
        stdin,
        // biome-ignore lint/suspicious/noExplicitAny: Ink only needs write/columns/rows/resize from stdout
        stdout: virtualOut as any,
        stderr,
        debug: true,
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
    // A component error makes Ink unmount and reject this promise.
    instance.waitUntilExit().then(
      () => finish({ code: 0, reason: 'quit' }),
      (error: unknown) => finish({ code: 1, error, reason: 'error' }),
    );
  } catch (error) {
    finish({ code: 1, error, reason: 'error' });
  }

  const outcome = await done;

  const unmount = () => {
    try {
      instance?.unmount();
    } catch {
      // Already unmounted (component error).
    }
    writer.flush();
    writer.dispose();
    virtualOut.dispose();
  };

  const shutdown = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        engine.shutdown(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, opts.shutdownTimeoutMs ?? SHUTDOWN_TIMEOUT_MS);
        }),
      ]);
    } catch (err) {
      outcome.error ??= err;
      if (outcome.code === 0) outcome.code = 1;
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  if (outcome.reason === 'error') {
    // The UI may be broken: give the terminal back first, then stop the sessions.
    unmount();
    restore();
    try {
      stderr.write(`axiom: ${errorDetail(outcome.error)}\n`);
    } catch {
      // stderr gone too.
    }
    await shutdown();
  } else {
    // The UI stays up (showing "quitting…") while the sessions stop.
    await shutdown();
    unmount();
    restore();
    if (outcome.error !== undefined) {
      try {
        stderr.write(`axiom: shutdown failed: ${errorDetail(outcome.error)}\n`);
      } catch {
        // stderr gone.
      }
    }
  }

  detach();
  unregisterRestore();
  stdout.off('error', onStreamError);
  engine.off('output', onOutput);
  return outcome.code;
}

function errorDetail(err: unknown): string {
  if (err instanceof Error) return err.stack ?? err.message;
  return String(err);
}
