/**
 * 6. Scale: 16 and 32 concurrent sessions of a fast-writing agent (`cat` of a 1 MiB colored
 * file in a loop, as fast as the PTY takes it) for 10 s: redraws per second of the UI (frames
 * counted in its output stream: one synchronized-update start each), keystroke-to-screen
 * latency in the prompt box meanwhile, CPU, RSS, and that axiom is still alive. Reference: tmux
 * with the same 16/32 loops in tiled panes, keystroke echo in one more pane.
 */

import { FRAME_RE, startAxiom, waitReady } from './lib/axiom-ui.mjs';
import {
  alive,
  alternate,
  cpuMs,
  mono,
  percentile,
  rssMiB,
  shAgent,
  shq,
  sleep,
  Tmux,
} from './lib/common.mjs';
import { dataFile } from './lib/gen.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { watchPane } from './lib/tmux-run.mjs';

export const name = 'scale';
export const title = '6. Scale: 16 and 32 sessions writing as fast as they can';

const COLS = 200;
const ROWS = 60;
const WINDOW_MS = 10000;

async function viaAxiom(n, file) {
  const run = await startAxiom({
    sessions: n,
    cols: COLS,
    rows: ROWS,
    watch: '❯ (?:\\x1b\\[[\\d;]*m)*[a-z]+',
    count: FRAME_RE,
    script: (t) => `echo READY; ${t} wait-for go; while :; do cat ${shq(file)}; done`,
  });
  try {
    await waitReady(run, n);
    await run.tmux.signal('go');
    await sleep(2000); // let the flood build up
    const t0 = mono();
    const c0 = cpuMs(run.pid);
    let over = false;
    const typing = typeWhile(run, () => over || mono() - t0 > WINDOW_MS);
    await sleep(WINDOW_MS);
    over = true;
    const sent = await typing;
    const t1 = mono();
    const cpu = cpuMs(run.pid) - c0;
    await sleep(500);
    const frames = run
      .counts()
      .filter((c) => c.t >= t0 && c.t <= t1)
      .reduce((a, c) => a + c.n, 0);
    return {
      fps: frames / ((t1 - t0) / 1000),
      cpuPct: (cpu / (t1 - t0)) * 100,
      rss: rssMiB(run.pid),
      alive: alive(run.pid),
      ...keyStats(promptLatencies(sent, run.marks())),
    };
  } finally {
    await run.stop(30000);
  }
}

async function viaTmux(n, file) {
  const tmux = new Tmux(`axiom-bench-scale-${process.pid}-${Date.now()}`);
  const t = tmux.cmd;
  const pane = shAgent(`${t} wait-for go; while :; do cat ${shq(file)}; done`);
  try {
    await tmux.newSession('bench', COLS, ROWS, pane);
    for (let i = 1; i < n; i++) {
      await tmux.run('split-window', '-t', 'bench', pane);
      await tmux.run('select-layout', '-t', 'bench', 'tiled');
    }
    await tmux.run('split-window', '-t', 'bench', 'exec cat');
    await tmux.run('select-layout', '-t', 'bench', 'tiled');
    const echo = await watchPane(tmux, `bench.${n}`, 'NEVER-MATCHES', '[a-z]');
    const server = await tmux.serverPid();
    await sleep(300);
    await tmux.signal('go');
    await sleep(2000);
    const t0 = mono();
    const c0 = cpuMs(server);
    let over = false;
    const typing = typeWhile(paneKeys(tmux, `bench.${n}`), () => over || mono() - t0 > WINDOW_MS);
    await sleep(WINDOW_MS);
    over = true;
    const sent = await typing;
    const t1 = mono();
    const cpu = cpuMs(server) - c0;
    await sleep(500);
    const lat = echoLatencies(sent, echo.counts());
    echo.dispose();
    return {
      cpuPct: (cpu / (t1 - t0)) * 100,
      rss: rssMiB(server),
      alive: alive(server),
      ...keyStats(lat),
    };
  } finally {
    tmux.kill();
  }
}

export async function run({ runs, log }) {
  const file = dataFile(1);
  const r = await alternate(
    {
      axiom16: () => viaAxiom(16, file),
      tmux16: () => viaTmux(16, file),
      axiom32: () => viaAxiom(32, file),
      tmux32: () => viaTmux(32, file),
    },
    runs,
    { log: (s) => log(s.replace(/"keys":\[[^\]]*\]/, '"keys":[…]')) },
  );
  const p95 = (k) => r[k].map((x) => percentile(x.keys, 95));
  const p50 = (k) => r[k].map((x) => percentile(x.keys, 50));
  const row = (label, k, ref) => [
    label,
    k.startsWith('axiom') ? mmm(field(r[k], 'fps'), 1) : '',
    mmm(p50(k), 0),
    mmm(p95(k), 0),
    ref ? ratio(p95(k), p95(ref)) : '1',
    mmm(field(r[k], 'cpuPct'), 0),
    mmm(field(r[k], 'rss'), 0),
    `${r[k].filter((x) => x.alive).length}/${r[k].length}`,
    `${r[k].reduce((a, x) => a + x.keys.length, 0)} / ${r[k].reduce((a, x) => a + x.missed, 0)}`,
  ];
  return {
    name,
    title,
    raw: r,
    text: [
      `${COLS}×${ROWS} terminal; every session loops \`cat\` of a 1 MiB colored file; measured over ${WINDOW_MS / 1000} s after a 2 s ramp, ` +
        `while a letter is typed every 100–150 ms. ${runs} rounds, rotating order. Targets: ≤ 30 redraws/s, key p95 < 50 ms, nothing crashes.`,
      '',
      table(
        [
          'subject',
          'redraws/s',
          'key p50 ms',
          'key p95 ms',
          'p95 × tmux',
          'CPU % of one core',
          'RSS MiB',
          'alive at end',
          'keys measured / missed',
        ],
        [
          row('axiom UI, 16 sessions', 'axiom16', 'tmux16'),
          row('tmux, 16 panes (+1 echo pane)', 'tmux16'),
          row('axiom UI, 32 sessions', 'axiom32', 'tmux32'),
          row('tmux, 32 panes (+1 echo pane)', 'tmux32'),
        ],
      ),
    ].join('\n'),
  };
}
