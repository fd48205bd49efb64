/**
 * Entry point of the interactive UI for the CLI: `runTui(engine, opts)`.
 *
 * This module has no static import of React or Ink on purpose. React picks its development or
 * production build from NODE_ENV when it is first loaded, and the development build is several
 * times slower per render (the UI renders up to 30 times a second). ESM loads every static
 * import (CommonJS ones included) before any module body runs, so the only way to choose is to
 * set NODE_ENV and then import the UI dynamically. NODE_ENV is restored right after, so agent
 * sessions do not inherit it (NODE_ENV=production changes what `npm install` does in them).
 * FORCE_COLOR=0 is set the same way when there is to be no color (NO_COLOR; see below).
 */
import { withoutFetch } from '../compat/yoga-fetch.js';
import type { Engine } from '../engine/engine.js';
import { detectColorLevel } from './ansi.js';
import { spawnEarly } from './early-spawn.js';
import { type FirstFrame, startFirstFrame } from './first-frame.js';
import type { RunTuiOptions } from './tui-options.js';

export { ENTER_SCREEN, LEAVE_SCREEN } from './screen-codes.js';

/** Load the UI after this long even when no early agent has shown anything (claude takes ~0.8 s). */
const FIRST_FRAME_WAIT_MS = 150;

export type { RunTuiOptions } from './tui-options.js';

/**
 * Run the interactive UI full screen until the user quits (Ctrl+C twice), a signal or a fatal
 * error; then shut the engine down and restore the terminal (main screen, cursor visible,
 * cooked mode). Resolves with the exit code: 0 on quit, 128 + signal number on SIGINT / SIGTERM
 * / SIGHUP, 1 on an error.
 */
export async function runTui(engine: Engine, opts: RunTuiOptions): Promise<number> {
  // The initial sessions start now, while the UI loads (early-spawn.ts); on the process's own
  // terminal their first output is drawn before the UI loads (first-frame.ts).
  let first: FirstFrame | undefined;
  if (opts.initial && opts.initial.parallel >= 1 && !opts.spawned) {
    const out = opts.stdout ?? process.stdout;
    const terminal = { cols: out.columns || 80, rows: out.rows || 24 };
    const spawned = spawnEarly(engine, opts.initial, opts.spawnDefaults, terminal);
    opts = { ...opts, spawned, initial: undefined };
    const panes = spawned.sessions.flatMap((s) => (s.rect ? [{ id: s.id, rect: s.rect }] : []));
    if (!opts.stdout && !opts.stdin && process.stdout.isTTY && panes.length > 0) {
      first = startFirstFrame({
        engine,
        panes,
        stdin: process.stdin,
        stdout: process.stdout,
        colorLevel: detectColorLevel(),
        host: opts.host,
        waitMs: FIRST_FRAME_WAIT_MS,
      });
      // Compiling the UI blocks the thread: the first frame goes out first.
      await first.shown;
    }
  }
  const hadNodeEnv = Object.hasOwn(process.env, 'NODE_ENV');
  if (!hadNodeEnv) process.env.NODE_ENV = 'production';
  // Ink colors through chalk, whose color support is read once, when it loads, from FORCE_COLOR
  // and TERM but not NO_COLOR: without this the UI's own borders and bars stayed colored.
  const noColor = detectColorLevel() === 0 && !Object.hasOwn(process.env, 'FORCE_COLOR');
  if (noColor) process.env.FORCE_COLOR = '0';
  let impl: typeof import('./tui.js');
  try {
    // Ink's layout engine loads its WebAssembly faster without fetch (src/compat/yoga-fetch.ts).
    impl = await withoutFetch(() => import('./tui.js'));
  } catch (e) {
    first?.stop(true);
    throw e;
  } finally {
    if (!hadNodeEnv) delete process.env.NODE_ENV;
    if (noColor) delete process.env.FORCE_COLOR;
  }
  return impl.runTuiNow(engine, first ? { ...opts, firstFrame: first } : opts);
}
