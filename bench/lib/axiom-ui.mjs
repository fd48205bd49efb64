/** axiom's real UI, driven in a private tmux server (see tmux-run.mjs). */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { computeLayout } from '../../dist/ui/layout.js';
import { AXIOM, benchTmp, shAgent, shq, sleep } from './common.mjs';
import { startInTmux } from './tmux-run.mjs';

/** One frame of the UI = one synchronized-update start (the frame writer wraps every write). */
export const FRAME_RE = '\\x1b\\[\\?2026h';

/** Inner pane sizes axiom gives `count` sessions on a cols×rows terminal. */
export function paneSizes(count, cols, rows) {
  const l = computeLayout({ count, cols, rows, promptRows: 1 });
  if (!l.ok) throw new Error('layout too small');
  return l.panes.map((p) => ({ cols: p.innerCols, rows: p.innerRows }));
}

/**
 * `axiom spawn --parallel N --agent "sh -c SCRIPT" bench` in a detached tmux session of
 * cols×rows; SCRIPT is built from the `tmux -L socket` prefix (for wait-for barriers).
 * Transcripts stay on (the default), in a temp state dir removed by stop(). `nodeArgs`: flags
 * for node itself (e.g. --cpu-prof, which NODE_OPTIONS does not allow).
 */
export async function startAxiom({
  sessions,
  script,
  watch,
  count,
  cols,
  rows,
  env = {},
  nodeArgs = [],
  bin = AXIOM,
}) {
  const state = mkdtempSync(join(benchTmp(), 'state-'));
  const run = await startInTmux({
    cols,
    rows,
    watch,
    count,
    env: { AXIOM_STATE_DIR: state, ...env },
    command: (t) =>
      `node ${nodeArgs.map(shq).join(' ')} ${shq(bin)} spawn --parallel ${sessions} --agent ${shq(shAgent(script(t)))} bench`,
  });
  const stop = run.stop.bind(run);
  run.stop = async (graceMs) => {
    await stop(graceMs);
    rmSync(state, { recursive: true, force: true });
  };
  return run;
}

/** Poll the screen (capture-pane) until `pred` holds. */
export async function waitScreen(run, pred, what, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    const s = await run.capture();
    if (pred(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    await sleep(50);
  }
}

/** Wait until `n` panes show READY (the agents wait at a barrier after printing it). */
export async function waitReady(run, n) {
  await waitScreen(run, (s) => (s.match(/READY/g)?.length ?? 0) >= n, `${n} panes to show READY`, 60000);
  // The prompt "bench" is typed into each agent ~50 ms after it is ready.
  await sleep(800);
}
