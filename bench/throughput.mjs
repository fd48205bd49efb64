/**
 * 1. Throughput: 50 MiB of colored text (SGR colors, unicode box characters) through one
 * visible pane of the running UI, start to last byte on screen, against tmux, raw node-pty,
 * `script`, and axiom's engine without the UI.
 *
 * Every subject waits at a barrier first (the data starts when the bench says go), so process
 * and UI start-up are not counted; the end is the marker line after the data:
 *  - axiom UI: `axiom spawn --agent "sh -c '...; cat FILE; echo END'"` in a detached tmux
 *    session; the end is when axiom writes the frame that shows the marker (pipe-pane watcher);
 *  - tmux: the same file in a detached session of the same size, to `tmux wait-for`;
 *  - raw node-pty: a node process that only counts the bytes (bench/lib/raw-pty.mjs);
 *  - engine: SessionManager + headless xterm, no UI (bench/lib/engine-only.mjs);
 *  - script: `script -qfc "cat FILE" /dev/null > /dev/null` (the kernel PTY limit).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { paneSizes, startAxiom, waitReady } from './lib/axiom-ui.mjs';
import { alternate, cpuMs, extraBuilds, LIB, mono, nodeJson, shAgent, shq, sleep } from './lib/common.mjs';
import { dataFile } from './lib/gen.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { startInTmux } from './lib/tmux-run.mjs';

export const name = 'throughput';
export const title = '1. Throughput: 50 MiB of colored text through one pane';

const COLS = 120;
const ROWS = 40;
// The marker is computed by the shell so that the command line itself never contains it.
const MARK = 'END-42-MARK';
const ECHO_MARK = 'echo "END-$((40+2))-MARK"';

async function viaScript(file) {
  const devnull = openSync('/dev/null', 'w');
  const t0 = mono();
  await new Promise((res, rej) => {
    const c = spawn('script', ['-qfc', `cat ${shq(file)}`, '/dev/null'], {
      stdio: ['ignore', devnull, 'ignore'],
    });
    c.on('exit', (code) => (code === 0 ? res() : rej(new Error(`script exited ${code}`))));
  });
  closeSync(devnull);
  return { ms: mono() - t0 };
}

async function viaRawPty(file) {
  const r = await nodeJson([
    join(LIB, 'raw-pty.mjs'),
    String(COLS),
    String(ROWS),
    MARK,
    '--',
    'sh',
    '-c',
    `cat ${shq(file)}; ${ECHO_MARK}; exec sleep 600`,
  ]);
  return { ms: r.ms };
}

async function viaEngine(file) {
  const { cols, rows } = paneSizes(1, COLS, ROWS)[0];
  const r = await nodeJson([
    join(LIB, 'engine-only.mjs'),
    String(cols),
    String(rows),
    MARK,
    shAgent(`cat ${shq(file)}; ${ECHO_MARK}; exec sleep 600`),
  ]);
  return { ms: r.ms };
}

async function viaTmux(file) {
  const run = await startInTmux({
    cols: COLS,
    rows: ROWS,
    command: (t) =>
      shAgent(
        `${t} wait-for -S ready; ${t} wait-for go; cat ${shq(file)}; ${t} wait-for -S done; exec sleep 600`,
      ),
  });
  try {
    await run.tmux.run('wait-for', 'ready');
    await sleep(200);
    const cpu0 = cpuMs(run.serverPid);
    const t0 = mono();
    await run.tmux.signal('go');
    const t1 = await run.tmux.waitFor('done');
    return { ms: t1 - t0, cpuMs: cpuMs(run.serverPid) - cpu0 };
  } finally {
    await run.stop();
  }
}

async function viaAxiom(file, bin) {
  const run = await startAxiom({
    bin,
    sessions: 1,
    cols: COLS,
    rows: ROWS,
    watch: MARK,
    script: (t) => `echo READY; ${t} wait-for go; cat ${shq(file)}; ${ECHO_MARK}; exec sleep 600`,
  });
  try {
    await waitReady(run, 1);
    const cpu0 = cpuMs(run.pid);
    const srv0 = cpuMs(run.serverPid);
    const t0 = mono();
    await run.tmux.signal('go');
    const m = await run.waitMark((x) => x === MARK, 'the end marker on axiom’s screen');
    return { ms: m.t - t0, cpuMs: cpuMs(run.pid) - cpu0, tmuxCpuMs: cpuMs(run.serverPid) - srv0 };
  } finally {
    await run.stop();
  }
}

export async function run({ runs, log, only }) {
  const file = dataFile(50);
  const all = {
    axiom: () => viaAxiom(file),
    tmux: () => viaTmux(file),
    rawPty: () => viaRawPty(file),
    engine: () => viaEngine(file),
    script: () => viaScript(file),
  };
  const subjects = only ? Object.fromEntries(only.map((k) => [k, all[k]])) : all;
  const labels = {
    axiom: 'axiom UI in tmux (one pane, 118×35)',
    engine: 'axiom engine only (SessionManager + headless xterm, no UI)',
    tmux: 'tmux 3.3a (detached, 120×40)',
    rawPty: 'raw node-pty, no processing',
    script: '`script -qfc "cat FILE" /dev/null`',
  };
  for (const b of extraBuilds()) {
    subjects[b.label] = () => viaAxiom(file, b.bin);
    labels[b.label] = `axiom (${b.label}) UI in tmux`;
  }
  const r = await alternate(subjects, runs, { log });
  const ms = (k) => field(r[k] ?? [], 'ms');
  const s = (k) => ms(k).map((x) => x / 1000);
  const rowFor = (label, k) => [
    label,
    mmm(s(k), 2),
    r.tmux ? ratio(ms(k), ms('tmux')) : '',
    r.rawPty ? ratio(ms(k), ms('rawPty')) : '',
    r.script ? ratio(ms(k), ms('script')) : '',
    r[k]?.[0]?.cpuMs !== undefined
      ? mmm(
          field(r[k], 'cpuMs').map((x) => x / 1000),
          2,
        )
      : '',
  ];
  const rows = Object.keys(subjects).map((k) => rowFor(labels[k], k));
  return {
    name,
    title,
    raw: r,
    text: [
      `50 MiB file (${file.split('/').pop()}), every subject runs \`cat FILE\` in a PTY after a go barrier; ` +
        `the time is go → end marker shown. ${runs} rounds, subjects interleaved in rotating order.`,
      '',
      table(
        [
          'subject',
          'seconds: median (min–max)',
          '× tmux',
          '× raw node-pty',
          '× script',
          'CPU s of the process',
        ],
        rows,
      ),
      '',
      r.axiom
        ? `tmux server CPU while axiom ran inside it (parsing axiom’s frames): ${mmm(
            field(r.axiom, 'tmuxCpuMs').map((x) => x / 1000),
            2,
          )} s.`
        : '',
    ].join('\n'),
  };
}
