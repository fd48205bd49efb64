/**
 * 8. Real work: 4 and 8 real claude sessions streaming a long answer through the fake Messages
 * API, shown by axiom against a tmux server plus a tmux client showing the same sessions.
 *
 * Both run inside an outer terminal, a private tmux server whose pane output stream is watched
 * (pipe-pane): axiom `spawn --parallel N PROMPT`, or `tmux attach` to an inner tmux server with
 * N panes running `claude PROMPT` (tiled) plus a pane running `cat` (the echo reference for keys).
 * Same terminal size, same claude (2.1.332, classic renderer), same fake API (first token after
 * 1.5 s, then one line per 150 ms: each stream lasts ~63 s). Once every session's request is in
 * and streaming (3 s after the last one arrived), a 20 s window measures:
 *  - CPU (utime+stime from /proc) of the axiom process, or of the inner tmux server + its client;
 *  - RSS at the end of the window (axiom; tmux server + client);
 *  - bytes written to the outer terminal and write bursts per second (chunks of the output stream
 *    separated by ≥ 5 ms: what a person's terminal redraws); axiom's frames (synchronized
 *    updates, ESC[?2026h) too;
 *  - then, for KEYS_MS more, keys: a letter typed every 100–150 ms, send → seen (and the CPU over
 *    that second window). axiom: the frame showing it in the prompt
 *    box (the outer stream). tmux: the echo of `cat` in the inner pane's own stream (pipe-pane on
 *    the inner server: the path through tmux and the PTY, without the client's redraw, as in the
 *    fan-in benchmark).
 * AXIOM_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" passes flags to axiom's node (profiles).
 */
import { FRAME_RE } from './lib/axiom-ui.mjs';
import { claudeSetup } from './lib/claude-rig.mjs';
import {
  AXIOM,
  alternate,
  cpuMs,
  extraBuilds,
  mono,
  percentile,
  rssMiB,
  shq,
  sleep,
  Tmux,
  until,
} from './lib/common.mjs';
import { echoLatencies, keyStats, paneKeys, promptLatencies, typeWhile } from './lib/keys.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { startInTmux, watchPane } from './lib/tmux-run.mjs';

export const name = 'realwork';
export const title = '8. Real work: 4 and 8 real claude sessions streaming, axiom against tmux';

const SIZES = { 4: { cols: 200, rows: 50 }, 8: { cols: 240, rows: 60 } };
const WINDOW_MS = 20000;
const KEYS_MS = 10000;
const SETTLE_MS = 3000;
const BURST_GAP_MS = 5;
const PROMPT = 'Analyze all possible sorting algorithms in detail';
const NODE_ARGS = (process.env.AXIOM_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const startClaude = () => claudeSetup({ firstTokenDelayMs: 1500 }, 'axiom-bench-real-');

/** Wait until `n` main requests arrived, then SETTLE_MS (the first token comes after 1.5 s). */
async function streaming(api, n) {
  await until(() => api.mainRequests().length >= n, `${n} claude requests`, 120000, 50);
  await sleep(SETTLE_MS);
}

/** Bytes and write bursts of a watched stream between t0 and t1 (counts() of a pattern every write holds). */
function streamStats(counts, t0, t1) {
  let b0 = 0;
  let b1 = 0;
  let bursts = 0;
  let frames = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of counts) {
    if (c.t <= t0) b0 = c.bytes;
    if (c.t <= t1) b1 = c.bytes;
    if (c.t > t0 && c.t <= t1) {
      if (c.t - last >= BURST_GAP_MS) bursts++;
      last = c.t;
      frames += c.n;
    }
  }
  const s = (t1 - t0) / 1000;
  return { bytes: b1 - b0, burstsPerS: bursts / s, frames: frames / s };
}

/** Type during the window; returns { keys, missed } given when each typed word was seen. */
async function typeDuring(target, t1) {
  const sent = await typeWhile(target, () => mono() >= t1);
  await sleep(300);
  return sent;
}

async function viaAxiom(n, bin = AXIOM, label = '') {
  const { cols, rows } = SIZES[n];
  // AXIOM_BENCH_NODE_ARGS_<label>: node flags for one extra build only (e.g. a young-generation size).
  const nodeArgs = [
    ...NODE_ARGS,
    ...(process.env[`AXIOM_BENCH_NODE_ARGS_${label}`] ?? '').split(' ').filter(Boolean),
  ];
  const rig = await startClaude();
  const run = await startInTmux({
    cols,
    rows,
    env: rig.env,
    cwd: rig.work,
    watch: '❯ (?:\\x1b\\[[\\d;]*m)*[a-z]+',
    count: FRAME_RE,
    command: `node ${nodeArgs.map(shq).join(' ')} ${shq(bin)} spawn --parallel ${n} ${shq(PROMPT)}`,
  });
  try {
    await streaming(rig.api, n);
    const c0 = cpuMs(run.pid);
    const t0 = mono();
    const t1 = t0 + WINDOW_MS;
    // With a profile, where the window is on the monotonic clock V8's profile uses (µs / 1000).
    if (NODE_ARGS.length > 0) console.log(`  ${bin}: window ${t0.toFixed(0)}–${t1.toFixed(0)} ms (hrtime)`);
    await sleep(WINDOW_MS);
    const cpu = cpuMs(run.pid) - c0;
    const wall = mono() - t0;
    const rss = rssMiB(run.pid);
    const k0 = cpuMs(run.pid);
    const sent = await typeDuring(run, mono() + KEYS_MS);
    const keyCpuS = (cpuMs(run.pid) - k0) / 1000;
    return {
      cpuPct: (cpu / wall) * 100,
      cpuS: (cpu / wall) * (WINDOW_MS / 1000),
      rss,
      ...streamStats(run.counts(), t0, t1),
      keyCpuS,
      ...keyStats(promptLatencies(sent, run.marks())),
    };
  } finally {
    // A clean exit writes the profile when AXIOM_BENCH_NODE_ARGS asks for one.
    await run.key('C-c').catch(() => {});
    await sleep(200);
    await run.key('C-c').catch(() => {});
    await run.stop(20000);
    await rig.cleanup();
  }
}

async function viaTmux(n) {
  const { cols, rows } = SIZES[n];
  const rig = await startClaude();
  const inner = new Tmux(`axiom-bench-real-${process.pid}-${Date.now()}`);
  const env = Object.entries(rig.env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const claude = `exec ${shq(rig.claudeBin)} ${shq(PROMPT)}`;
  let outer;
  try {
    await inner.newSession('bench', cols, rows, claude, rig.env, rig.work);
    for (let i = 1; i < n; i++) {
      await inner.run('split-window', '-t', 'bench', '-c', rig.work, ...env, claude);
      await inner.run('select-layout', '-t', 'bench', 'tiled');
    }
    await inner.run('split-window', '-t', 'bench', 'exec cat');
    await inner.run('select-layout', '-t', 'bench', 'tiled');
    const echo = await watchPane(inner, `bench.${n}`, 'NEVER-MATCHES', '[a-z]');
    outer = await startInTmux({
      cols,
      rows,
      watch: 'NEVER-MATCHES',
      count: '\\x1b',
      command: `${inner.cmd} attach -t bench`,
    });
    const server = await inner.serverPid();
    await streaming(rig.api, n);
    const s0 = cpuMs(server);
    const c0 = cpuMs(outer.pid);
    const t0 = mono();
    const t1 = t0 + WINDOW_MS;
    await sleep(WINDOW_MS);
    const wall = mono() - t0;
    const serverCpu = cpuMs(server) - s0;
    const clientCpu = cpuMs(outer.pid) - c0;
    const rss = rssMiB(server) + rssMiB(outer.pid);
    const k0 = cpuMs(server) + cpuMs(outer.pid);
    const sent = await typeDuring(paneKeys(inner, `bench.${n}`), mono() + KEYS_MS);
    const keyCpuS = (cpuMs(server) + cpuMs(outer.pid) - k0) / 1000;
    const lat = echoLatencies(sent, echo.counts());
    echo.dispose();
    const stats = streamStats(outer.counts(), t0, t1);
    return {
      cpuPct: ((serverCpu + clientCpu) / wall) * 100,
      cpuS: ((serverCpu + clientCpu) / wall) * (WINDOW_MS / 1000),
      serverCpuS: (serverCpu / wall) * (WINDOW_MS / 1000),
      clientCpuS: (clientCpu / wall) * (WINDOW_MS / 1000),
      rss,
      bytes: stats.bytes,
      burstsPerS: stats.burstsPerS,
      keyCpuS,
      ...keyStats(lat),
    };
  } finally {
    if (outer) await outer.stop(2000);
    inner.kill();
    await rig.cleanup();
  }
}

const RELAY = new URL('./lib/pty-relay.mjs', import.meta.url).pathname;

/**
 * References (AXIOM_BENCH_REALWORK_REFS=1), to tell what a Node program pays at least from what
 * axiom adds: `relay`, the same claude sessions in PTYs whose bytes a node process writes straight
 * to the terminal (bench/lib/pty-relay.mjs); `headless`, axiom's engine without the UI (`axiom
 * spawn --headless`: screens, text stream, transcripts, claude's state). CPU, RSS and bytes over
 * the same window; nothing is typed.
 */
async function viaReference(n, kind) {
  const { cols, rows } = SIZES[n];
  const rig = await startClaude();
  const command =
    kind === 'headless'
      ? `node ${shq(AXIOM)} spawn --headless --parallel ${n} ${shq(PROMPT)}`
      : `node ${shq(RELAY)} ${n} ${Math.floor(cols / 2)} ${Math.floor(rows / 2)} -- ${shq(rig.claudeBin)} ${shq(PROMPT)}`;
  const run = await startInTmux({
    cols,
    rows,
    env: rig.env,
    cwd: rig.work,
    watch: 'NEVER-MATCHES',
    count: '\\x1b',
    command,
  });
  try {
    await streaming(rig.api, n);
    const c0 = cpuMs(run.pid);
    const t0 = mono();
    await sleep(WINDOW_MS);
    const cpu = cpuMs(run.pid) - c0;
    const wall = mono() - t0;
    return {
      cpuS: (cpu / wall) * (WINDOW_MS / 1000),
      rss: rssMiB(run.pid),
      ...streamStats(run.counts(), t0, t0 + WINDOW_MS),
    };
  } finally {
    await run.key('C-c').catch(() => {});
    await run.stop(20000);
    await rig.cleanup();
  }
}

const REFS = process.env.AXIOM_BENCH_REALWORK_REFS === '1' ? ['relay', 'headless'] : [];
const isRef = (k) => k.startsWith('ref:');

export async function run({ runs, log, only }) {
  const counts = (only ?? ['4', '8']).map(Number);
  const raw = {};
  for (const n of counts) {
    log(`${n} sessions`);
    const subjects = { axiom: () => viaAxiom(n), tmux: () => viaTmux(n) };
    // AXIOM_BENCH_REALWORK_BINS: this benchmark's older name for AXIOM_BENCH_BINS.
    for (const b of extraBuilds('AXIOM_BENCH_REALWORK_BINS'))
      subjects[b.label] = () => viaAxiom(n, b.bin, b.label);
    for (const kind of REFS) subjects[`ref:${kind}`] = () => viaReference(n, kind);
    raw[n] = await alternate(subjects, runs, {
      log: (s) => log(s.replace(/"keys":\[[^\]]*\]/, '"keys":[…]')),
      between: () => sleep(1000),
    });
  }
  return { name, title, raw, text: report(raw, { runs }) };
}

export function report(raw, { runs }) {
  const rows = [];
  for (const n of Object.keys(raw)) {
    const r = raw[n];
    const extra = Object.keys(r).filter((k) => k !== 'axiom' && k !== 'tmux' && !isRef(k));
    const refs = Object.keys(r).filter(isRef);
    const f = (k, key) => field(r[k], key);
    const p = (k, q) => r[k].map((x) => percentile(x.keys, q));
    const { cols, rows: h } = SIZES[n];
    rows.push(
      [
        `axiom UI, ${n} sessions (${cols}×${h})`,
        mmm(f('axiom', 'cpuS'), 2),
        ratio(f('axiom', 'cpuS'), f('tmux', 'cpuS')),
        mmm(f('axiom', 'rss'), 0),
        mmm(f('axiom', 'burstsPerS'), 1),
        mmm(f('axiom', 'frames'), 1),
        mmm(
          f('axiom', 'bytes').map((b) => b / 1024),
          0,
        ),
        ratio(f('axiom', 'bytes'), f('tmux', 'bytes')),
        mmm(p('axiom', 50), 0),
        mmm(p('axiom', 95), 0),
        ratio(p('axiom', 95), p('tmux', 95)),
        mmm(f('axiom', 'keyCpuS'), 2),
        `${r.axiom.reduce((a, x) => a + x.keys.length, 0)} / ${r.axiom.reduce((a, x) => a + x.missed, 0)}`,
      ],
      ...extra.map((k) => [
        `axiom (${k}), ${n} sessions`,
        mmm(f(k, 'cpuS'), 2),
        ratio(f(k, 'cpuS'), f('tmux', 'cpuS')),
        mmm(f(k, 'rss'), 0),
        mmm(f(k, 'burstsPerS'), 1),
        mmm(f(k, 'frames'), 1),
        mmm(
          f(k, 'bytes').map((b) => b / 1024),
          0,
        ),
        ratio(f(k, 'bytes'), f('tmux', 'bytes')),
        mmm(p(k, 50), 0),
        mmm(p(k, 95), 0),
        ratio(p(k, 95), p('tmux', 95)),
        mmm(f(k, 'keyCpuS'), 2),
        `${r[k].reduce((a, x) => a + x.keys.length, 0)} / ${r[k].reduce((a, x) => a + x.missed, 0)}`,
      ]),
      [
        `tmux server + client, ${n} panes + echo pane`,
        `${mmm(f('tmux', 'cpuS'), 2)} (server ${mmm(f('tmux', 'serverCpuS'), 2)}, client ${mmm(f('tmux', 'clientCpuS'), 2)})`,
        '1',
        mmm(f('tmux', 'rss'), 0),
        mmm(f('tmux', 'burstsPerS'), 1),
        '',
        mmm(
          f('tmux', 'bytes').map((b) => b / 1024),
          0,
        ),
        '1',
        mmm(p('tmux', 50), 0),
        mmm(p('tmux', 95), 0),
        '1',
        mmm(f('tmux', 'keyCpuS'), 2),
        `${r.tmux.reduce((a, x) => a + x.keys.length, 0)} / ${r.tmux.reduce((a, x) => a + x.missed, 0)}`,
      ],
      ...refs.map((k) => [
        k === 'ref:relay'
          ? `reference: node-pty relay (${n} PTYs → stdout, nothing parsed)`
          : `reference: axiom headless (engine, no UI), ${n} sessions`,
        mmm(f(k, 'cpuS'), 2),
        ratio(f(k, 'cpuS'), f('tmux', 'cpuS')),
        mmm(f(k, 'rss'), 0),
        mmm(f(k, 'burstsPerS'), 1),
        '',
        mmm(
          f(k, 'bytes').map((b) => b / 1024),
          0,
        ),
        ratio(f(k, 'bytes'), f('tmux', 'bytes')),
        '',
        '',
        '',
        '',
        '',
      ]),
    );
  }
  return [
    `claude 2.1.332 (classic renderer) answering one long prompt per session through the fake Messages API (first token ` +
      `after 1.5 s, then a line every 150 ms); both subjects inside an outer private tmux pane. Measured over a ${WINDOW_MS / 1000} s ` +
      `window once every session streams (nothing typed), then for ${KEYS_MS / 1000} s more a letter is typed every 100–150 ms ` +
      `(the key columns). CPU s = utime+stime over the 20 s window ` +
      `(axiom process; tmux server + client). Write bursts = chunks of the output stream ≥ ${BURST_GAP_MS} ms apart. ` +
      `Keys: axiom prompt box in the outer stream; tmux: \`cat\` echo in its pane's stream. ${runs} rounds, alternating.`,
    '',
    table(
      [
        'subject',
        'CPU s / 20 s: median (min–max)',
        'CPU × tmux',
        'RSS MiB',
        'write bursts/s',
        'frames/s (2026h)',
        'KiB written',
        'bytes × tmux',
        'key p50 ms',
        'key p95 ms',
        'p95 × tmux',
        `CPU s while typing (${KEYS_MS / 1000} s)`,
        'keys measured / missed',
      ],
      rows,
    ),
  ].join('\n');
}
