/**
 * Issue 15 §2: where the CPU of 4 streaming claude sessions goes besides the work itself. On a VM
 * an empty wake-up of a Node process costs 100-250 us of CPU, so a timer per agent repaint counts.
 * For each subject, 4 real claude sessions (fake API, first token 1.5 s late, one line per 150 ms)
 * run in a tmux pane of 200x50; once all 4 stream (3 s after the last request), over 20 s:
 *  - CPU per thread (utime+stime from /proc/PID/task/TID/stat): the main thread, and the rest
 *    (V8's GC helpers, libuv's pool);
 *  - the main thread's voluntary context switches per second: how often it blocked in epoll and
 *    was woken (the wake-ups);
 *  - read and write system calls per second (/proc/PID/io syscr, syscw: PTYs, log, transcripts,
 *    terminal) and bytes written to the terminal (pipe-pane of the tmux pane).
 * Subjects, alternating in each round: `relay` (bench/lib/pty-relay.mjs: the 4 PTYs written
 * straight to the terminal, nothing parsed: what any Node program showing them pays), `axiom`
 * (the UI: `axiom spawn --parallel 4`), and every extra build in AXIOM_BENCH_BINS (label=path
 * of its bin/axiom.js).
 *
 *   npm run build && node bench/wakeups.mjs [--runs N]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { claudeSetup } from './lib/claude-rig.mjs';
import { AXIOM, extraBuilds, mono, shq, sleep, until } from './lib/common.mjs';
import { startInTmux } from './lib/tmux-run.mjs';

const N = 4;
const COLS = 200;
const ROWS = 50;
const WINDOW_MS = 20000;
const SETTLE_MS = 3000;
const PROMPT = 'Analyze all possible sorting algorithms in detail';
const RELAY = new URL('./lib/pty-relay.mjs', import.meta.url).pathname;
const TCK = 100; // USER_HZ: /proc counts CPU in 10 ms ticks

/** CPU ms and voluntary context switches of the main thread and of all other threads. */
function threads(pid) {
  const out = { main: { cpu: 0, vol: 0 }, others: { cpu: 0, vol: 0 } };
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      const o = Number(t) === pid ? out.main : out.others;
      o.cpu += ((Number(f[11]) + Number(f[12])) * 1000) / TCK;
      o.vol += Number(/voluntary_ctxt_switches:\s*(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // a thread that ended meanwhile
    }
  }
  return out;
}

function io(pid) {
  const kv = readFileSync(`/proc/${pid}/io`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(': '));
  return Object.fromEntries(kv.map(([k, v]) => [k, Number(v)]));
}

async function measure(command) {
  const rig = await claudeSetup({ firstTokenDelayMs: 1500 }, 'axiom-bench-wake-');
  const run = await startInTmux({
    cols: COLS,
    rows: ROWS,
    env: rig.env,
    cwd: rig.work,
    watch: 'NEVER-MATCHES',
    count: '\\x1b',
    command: command(rig),
  });
  try {
    await until(() => rig.api.mainRequests().length >= N, `${N} claude requests`, 120000, 50);
    await sleep(SETTLE_MS);
    const bytes = () => run.counts().at(-1)?.bytes ?? 0;
    const [t0, io0, th0, b0] = [mono(), io(run.pid), threads(run.pid), bytes()];
    await sleep(WINDOW_MS);
    const [t1, io1, th1, b1] = [mono(), io(run.pid), threads(run.pid), bytes()];
    const s = (t1 - t0) / 1000;
    const per20 = (ms) => ((ms / s) * 20) / 1000;
    return {
      cpu: per20(th1.main.cpu - th0.main.cpu + th1.others.cpu - th0.others.cpu),
      main: per20(th1.main.cpu - th0.main.cpu),
      others: per20(th1.others.cpu - th0.others.cpu),
      wakeups: (th1.main.vol - th0.main.vol) / s,
      reads: (io1.syscr - io0.syscr) / s,
      writes: (io1.syscw - io0.syscw) / s,
      termKiB: (b1 - b0) / s / 1024,
    };
  } finally {
    await run.key('C-c').catch(() => {});
    await run.stop(20000);
    await rig.cleanup();
  }
}

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
const subjects = [
  [
    'relay',
    (rig) => `node ${shq(RELAY)} ${N} ${COLS / 2} ${ROWS / 2} -- ${shq(rig.claudeBin)} ${shq(PROMPT)}`,
  ],
  ['axiom', () => `node ${shq(AXIOM)} spawn --parallel ${N} ${shq(PROMPT)}`],
  ...extraBuilds().map(({ label, bin }) => [
    label,
    () => `node ${shq(bin)} spawn --parallel ${N} ${shq(PROMPT)}`,
  ]),
];
const results = new Map(subjects.map(([k]) => [k, []]));
for (let r = 0; r < runs; r++) {
  // Rotate the order each round, so that no subject always runs first (or last).
  const order = subjects.map((_, i) => subjects[(i + r) % subjects.length]);
  for (const [label, command] of order) {
    const m = await measure(command);
    results.get(label).push(m);
    console.error(
      `round ${r + 1} ${label}: ${JSON.stringify(m, (_, v) => (typeof v === 'number' ? +v.toFixed(2) : v))}`,
    );
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fields = ['cpu', 'main', 'others', 'wakeups', 'reads', 'writes', 'termKiB'];
console.log(`| subject | ${fields.join(' | ')} |\n| --- |${fields.map(() => ' --- |').join('')}`);
for (const [label, ms] of results)
  console.log(
    `| ${label} | ${fields.map((f) => median(ms.map((m) => m[f])).toFixed(['cpu', 'main', 'others'].includes(f) ? 2 : 0)).join(' | ')} |`,
  );
console.log(
  `\n${runs} rounds, medians; cpu/main/others: CPU s per 20 s (process, main thread, other threads); wakeups: main-thread voluntary context switches per s; reads/writes: syscalls per s; termKiB: KiB per s to the terminal.`,
);
