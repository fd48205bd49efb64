/**
 * 2. Fan-in: 8 panes each receiving 10 MiB at once, total time against tmux with 8 panes;
 * and keystroke-to-screen latency while they stream: a letter typed (tmux send-keys) until the
 * frame that shows it in axiom's prompt box, against the same keystroke echoed by `cat` in a
 * 9th tmux pane while 8 others stream (the path through tmux and the PTY alone).
 * AXIOM_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" passes flags to axiom's node (profiles;
 * the streaming window is printed on the monotonic clock V8's profile uses).
 */

import { startAxiom, waitReady } from './lib/axiom-ui.mjs';
import { alternate, cpuMs, extraBuilds, mono, percentile, shAgent, shq, sleep, Tmux } from './lib/common.mjs';
import { dataFile } from './lib/gen.mjs';
import { echoLatencies, keyStats, paneKeys, promptLatencies, typeWhile } from './lib/keys.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { watchPane } from './lib/tmux-run.mjs';

export const name = 'fanin';
export const title = '2. Fan-in: 8 panes × 10 MiB at once, and keystroke latency while they stream';

const COLS = 160;
const ROWS = 50;
const PANES = 8;
// Each pane's marker carries the shell's pid: distinct per pane, never on the command line.
const ECHO_MARK = 'echo "END-$$-MARK"';
const MARK_RE = 'END-\\d+-MARK';
const NODE_ARGS = (process.env.AXIOM_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

async function viaAxiom(file, bin) {
  // The prompt line: "#N❯ " then (after style codes) the typed letters.
  const run = await startAxiom({
    bin,
    nodeArgs: NODE_ARGS,
    sessions: PANES,
    cols: COLS,
    rows: ROWS,
    watch: `${MARK_RE}|❯ (?:\\x1b\\[[\\d;]*m)*[a-z]+`,
    script: (t) => `echo READY; ${t} wait-for go; cat ${shq(file)}; ${ECHO_MARK}; exec sleep 600`,
  });
  try {
    await waitReady(run, PANES);
    const cpu0 = cpuMs(run.pid);
    const t0 = mono();
    await run.tmux.signal('go');
    const ends = () => run.marks().filter((m) => /^END-/.test(m.text) && m.t >= t0);
    const typing = typeWhile(run, () => ends().length >= PANES);
    const done = await run
      .waitMark(() => ends().length >= PANES, 'all 8 end markers')
      .then(() => Math.max(...ends().map((m) => m.t)));
    const sent = await typing;
    if (NODE_ARGS.length > 0)
      console.log(`  ${bin ?? 'axiom'}: window ${t0.toFixed(0)}–${done.toFixed(0)} ms (hrtime)`);
    await sleep(300);
    const lat = promptLatencies(
      sent.filter((k) => k.t < done),
      run.marks(),
    );
    if (NODE_ARGS.length > 0) {
      const late = sent
        .map((k, i) => ({ t: k.t, ms: lat[i] }))
        .filter((k) => k.t < done && !(k.ms < 60))
        .map((k) => `${k.t.toFixed(0)}+${k.ms.toFixed(0)}`);
      console.log(`  late keys (sent at + ms): ${late.join(' ')}`);
    }
    return { ms: done - t0, cpuMs: cpuMs(run.pid) - cpu0, ...keyStats(lat) };
  } finally {
    if (NODE_ARGS.length > 0) {
      // A clean exit writes the profile (Ctrl+C twice quits the UI).
      await run.key('C-c').catch(() => {});
      await sleep(200);
      await run.key('C-c').catch(() => {});
    }
    await run.stop(NODE_ARGS.length > 0 ? 20000 : undefined);
  }
}

async function viaTmux(file) {
  const tmux = new Tmux(`axiom-bench-fanin-${process.pid}-${Date.now()}`);
  const t = tmux.cmd;
  const pane = (i) =>
    shAgent(
      `${t} wait-for -S ready${i}; ${t} wait-for go; cat ${shq(file)}; ${t} wait-for -S done${i}; exec sleep 600`,
    );
  try {
    await tmux.newSession('bench', COLS, ROWS, pane(0));
    for (let i = 1; i < PANES; i++) {
      await tmux.run('split-window', '-t', 'bench', pane(i));
      await tmux.run('select-layout', '-t', 'bench', 'tiled');
    }
    // The 9th pane echoes keystrokes (cat on a tty in canonical mode echoes each key at once).
    await tmux.run('split-window', '-t', 'bench', 'exec cat');
    await tmux.run('select-layout', '-t', 'bench', 'tiled');
    const echo = await watchPane(tmux, 'bench.8', 'NEVER-MATCHES', '[a-z]');
    for (let i = 0; i < PANES; i++) await tmux.run('wait-for', `ready${i}`);
    await sleep(300);
    const server = await tmux.serverPid();
    const cpu0 = cpuMs(server);
    const t0 = mono();
    await tmux.signal('go');
    let finished = false;
    const typing = typeWhile(paneKeys(tmux, 'bench.8'), () => finished);
    let done = 0;
    for (let i = 0; i < PANES; i++) done = Math.max(done, await tmux.waitFor(`done${i}`));
    finished = true;
    const sent = await typing;
    await sleep(300);
    const lat = echoLatencies(sent, echo.counts());
    echo.dispose();
    const inStream = lat.filter((_, i) => sent[i].t < done);
    return { ms: done - t0, cpuMs: cpuMs(server) - cpu0, ...keyStats(inStream) };
  } finally {
    tmux.kill();
  }
}

export async function run({ runs, log }) {
  const file = dataFile(10);
  const subjects = { axiom: () => viaAxiom(file), tmux: () => viaTmux(file) };
  const labels = { axiom: 'axiom UI (8 panes, 160×50 terminal)' };
  for (const b of extraBuilds()) {
    subjects[b.label] = () => viaAxiom(file, b.bin);
    labels[b.label] = `axiom (${b.label}), 8 panes`;
  }
  const r = await alternate(subjects, runs, {
    log: (s) => log(s.replace(/"keys":\[[^\]]*\]/, '"keys":[…]')),
  });
  const ms = (k) => field(r[k], 'ms');
  const p95 = (k) => r[k].map((x) => percentile(x.keys, 95));
  const p50 = (k) => r[k].map((x) => percentile(x.keys, 50));
  const allKeys = (k) => r[k].flatMap((x) => x.keys);
  const rows = [
    ...Object.keys(labels).map((k) => [
      labels[k],
      mmm(ms(k), 2, 1 / 1000),
      ratio(ms(k), ms('tmux')),
      mmm(field(r[k], 'cpuMs'), 2, 1 / 1000),
      mmm(p50(k), 0),
      mmm(p95(k), 0),
      ratio(p95(k), p95('tmux')),
      `${allKeys(k).length} / ${r[k].reduce((a, x) => a + x.missed, 0)}`,
    ]),
    [
      'tmux (8 streaming panes + 1 echo pane, tiled)',
      mmm(ms('tmux'), 2, 1 / 1000),
      '1',
      mmm(field(r.tmux, 'cpuMs'), 2, 1 / 1000),
      mmm(p50('tmux'), 0),
      mmm(p95('tmux'), 0),
      '1',
      `${allKeys('tmux').length} / ${r.tmux.reduce((a, x) => a + x.missed, 0)}`,
    ],
  ];
  return {
    name,
    title,
    raw: r,
    text: [
      `8 × \`cat\` of a 10 MiB colored file started together at a barrier; time until the last pane shows its end marker. ` +
        `Meanwhile a letter is typed every 100–150 ms (tmux send-keys); latency = send → the frame showing it. ${runs} rounds, alternating.`,
      '',
      table(
        [
          'subject',
          'total s: median (min–max)',
          '× tmux',
          'CPU s (axiom process / tmux server)',
          'key p50 ms',
          'key p95 ms',
          'p95 × tmux',
          'keys measured / missed',
        ],
        rows,
      ),
      '',
      `Pooled over all rounds: axiom key p95 ${percentile(allKeys('axiom'), 95)?.toFixed(0)} ms, tmux echo p95 ${percentile(allKeys('tmux'), 95)?.toFixed(0)} ms (target: axiom < 50 ms).`,
    ].join('\n'),
  };
}
