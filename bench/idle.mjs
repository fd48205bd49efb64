/**
 * 3. Idle cost: CPU time of the axiom process over 10 s with 4 idle sessions (bash at its
 * prompt), from /proc/<pid>/stat, against the tmux server with 4 idle bash panes.
 */
import { startAxiom, waitScreen } from './lib/axiom-ui.mjs';
import { alternate, cpuMs, sleep, Tmux } from './lib/common.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { startInTmux } from './lib/tmux-run.mjs';

export const name = 'idle';
export const title = '3. Idle cost: 4 idle sessions, CPU over 10 s';

const COLS = 160;
const ROWS = 50;
const WINDOW_MS = 10000;

async function viaAxiom() {
  const run = await startAxiom({
    sessions: 4,
    cols: COLS,
    rows: ROWS,
    watch: 'NEVER-MATCHES',
    script: () => 'echo READY; exec bash --norc --noprofile',
  });
  try {
    // Each session ran the prompt ("bench": command not found) and went quiet: COMPLETED.
    await waitScreen(run, (s) => (s.match(/COMPLETED/g)?.length ?? 0) >= 4, '4 COMPLETED sessions', 60000);
    await sleep(2000);
    const c0 = cpuMs(run.pid);
    const s0 = cpuMs(run.serverPid);
    await sleep(WINDOW_MS);
    return {
      pct: ((cpuMs(run.pid) - c0) / WINDOW_MS) * 100,
      tmuxPct: ((cpuMs(run.serverPid) - s0) / WINDOW_MS) * 100,
    };
  } finally {
    await run.stop();
  }
}

async function viaTmux() {
  const run = await startInTmux({ cols: COLS, rows: ROWS, command: 'bash --norc --noprofile' });
  try {
    for (let i = 1; i < 4; i++) await run.tmux.run('split-window', '-t', 'bench', 'bash --norc --noprofile');
    await run.tmux.run('select-layout', '-t', 'bench', 'tiled');
    await sleep(2000);
    const s0 = cpuMs(run.serverPid);
    await sleep(WINDOW_MS);
    return { pct: ((cpuMs(run.serverPid) - s0) / WINDOW_MS) * 100 };
  } finally {
    await run.stop();
  }
}

export async function run({ runs, log }) {
  void Tmux;
  const r = await alternate({ axiom: viaAxiom, tmux: viaTmux }, runs, { log });
  const a = field(r.axiom, 'pct');
  const t = field(r.tmux, 'pct');
  return {
    name,
    title,
    raw: r,
    text: [
      `axiom \`spawn --parallel 4\` of \`bash\` (each ran its prompt and went quiet: COMPLETED), 2 s settle, then utime+stime of the ` +
        `axiom process over ${WINDOW_MS / 1000} s; tmux: the server with 4 idle bash panes. ${runs} rounds, alternating. ` +
        '/proc counts in clock ticks (10 ms), so 0.1% of a core over 10 s is one tick.',
      '',
      table(
        ['subject', '% of one core: median (min–max)', '× tmux', 'target'],
        [
          ['axiom UI process, 4 idle sessions', mmm(a, 2), ratio(a, t), '< 1%'],
          ['tmux server, 4 idle panes', mmm(t, 2), '1', ''],
          ['(tmux server while axiom idles inside it)', mmm(field(r.axiom, 'tmuxPct'), 2), '', ''],
        ],
      ),
    ].join('\n'),
  };
}
