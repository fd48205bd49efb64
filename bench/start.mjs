/**
 * 7. Start: launch → the agent's first output visible in an outer terminal, and `axiom --version`,
 * each against a bare `node -e` printing the same line, in the same rounds.
 *
 * (a) In a private tmux server (the outer terminal), the pane's program waits at a gate; the clock
 * starts when the bench opens the gate and stops when the pane's output stream (pipe-pane, the
 * same watcher as the other benchmarks) first holds the marker line. axiom runs
 * `spawn --agent "sh -c 'echo MARK; exec sleep 600'"`, so the marker is the agent's first output
 * drawn in its pane; the reference is `node -e` printing the marker and waiting.
 * (b) `axiom --version` and `node -e` printing the same version, as whole processes: spawn → exit,
 * wall time and CPU (utime+stime of the child), 10 of each per round, interleaved.
 *
 * AXIOM_BENCH_START_BINS="label=/path/to/bin.js,label2=..." adds more axiom builds as subjects of
 * both parts (the A/B of start-up levers in one run).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AXIOM, alternate, benchTmp, cpuMs, extraBuilds, median, mono, shAgent, shq } from './lib/common.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';
import { startInTmux } from './lib/tmux-run.mjs';

export const name = 'start';
export const title = '7. Start: launch to first agent output on screen, and `axiom --version`';

const COLS = 120;
const ROWS = 40;
const MARK = 'AXIOM-START-MARK';
const VERSION_RUNS = 10;

/** AXIOM_BENCH_START_BINS: this benchmark's older name for AXIOM_BENCH_BINS (bench/lib/common.mjs). */
function builds() {
  return [{ label: 'axiom', bin: AXIOM }, ...extraBuilds('AXIOM_BENCH_START_BINS')];
}

/** Gate → the marker in the pane's output stream, in ms. */
async function firstOutput(command, env = {}) {
  const run = await startInTmux({ cols: COLS, rows: ROWS, watch: MARK, command, env });
  try {
    // startInTmux opened the gate right after the watcher was in place; the gate is the start.
    const t0 = run.gateAt;
    const m = await run.waitMark((t) => t === MARK, 'the start marker', 30000);
    // CPU the process used up to then (the bench polls every 10 ms; both subjects idle after it).
    return { ms: m.t - t0, cpu: cpuMs(run.pid) };
  } finally {
    await run.stop(2000);
  }
}

function axiomFirstOutput(bin) {
  return async () => {
    const state = mkdtempSync(join(benchTmp(), 'state-'));
    try {
      const agent = shAgent(`echo ${MARK}; exec sleep 600`);
      return await firstOutput(`node ${shq(bin)} spawn --agent ${shq(agent)} bench`, {
        AXIOM_STATE_DIR: state,
      });
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  };
}

const bareFirstOutput = () =>
  firstOutput(`node -e ${shq(`console.log(${JSON.stringify(MARK)}); setInterval(() => {}, 1e6)`)}`);

/**
 * One process from spawn to exit under /usr/bin/time: { wall ms (spawn → exit seen here), cpu ms
 * (user + system as time(1) reports them, 10 ms resolution) }.
 */
function timeProcess(argv) {
  return new Promise((res, rej) => {
    const t0 = mono();
    const child = spawn('/usr/bin/time', ['-f', 'AXIOM-TIME %U %S', ...argv], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', rej);
    child.on('exit', (code) => {
      const wall = mono() - t0;
      const m = /AXIOM-TIME ([\d.]+) ([\d.]+)/.exec(err);
      if (code !== 0 || !m) rej(new Error(`${argv.join(' ')}: exit ${code} ${err.slice(-300)}`));
      else res({ wall, cpu: (Number(m[1]) + Number(m[2])) * 1000 });
    });
  });
}

/** Medians over VERSION_RUNS processes, interleaved with the others of the round by alternate(). */
function versionOf(argv) {
  return async () => {
    const w = [];
    const c = [];
    for (let i = 0; i < VERSION_RUNS; i++) {
      const r = await timeProcess(argv);
      w.push(r.wall);
      c.push(r.cpu);
    }
    return { ms: median(w), cpu: median(c) };
  };
}

export async function run({ runs, log }) {
  const bs = builds();
  const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
  const subjects = { bare: bareFirstOutput };
  for (const b of bs) subjects[b.label] = axiomFirstOutput(b.bin);
  const first = await alternate(subjects, runs, { log });
  const vSubjects = { bare: versionOf([process.execPath, '-e', `console.log(${JSON.stringify(version)})`]) };
  for (const b of bs) vSubjects[b.label] = versionOf([process.execPath, b.bin, '--version']);
  const ver = await alternate(vSubjects, runs, { log });
  return {
    name,
    title,
    raw: { first, ver, labels: bs.map((b) => b.label) },
    text: report({ first, ver, labels: bs.map((b) => b.label) }, { runs }),
  };
}

export function report(raw, { runs }) {
  const { first, ver, labels } = raw;
  const ms = (l) => field(first[l], 'ms');
  const cpu = (l) => field(first[l], 'cpu');
  const rowsA = [
    ...labels.map((l) => [
      `${l === 'axiom' ? 'axiom' : `axiom (${l})`} \`spawn --agent "sh -c 'echo MARK; …'"\``,
      mmm(ms(l), 0),
      ratio(ms(l), ms('bare')),
      '≤ 2.5×',
      mmm(cpu(l), 0),
      ratio(cpu(l), cpu('bare')),
    ]),
    ['bare `node -e` printing the same line', mmm(ms('bare'), 0), '1', '', mmm(cpu('bare'), 0), '1'],
  ];
  const vms = (l) => field(ver[l], 'ms');
  const vcpu = (l) => field(ver[l], 'cpu');
  const rowsB = [
    ...labels.map((l) => [
      `${l === 'axiom' ? 'axiom' : `axiom (${l})`} --version`,
      mmm(vms(l), 0),
      ratio(vms(l), vms('bare')),
      '≤ 1.5×',
      mmm(vcpu(l), 0),
      ratio(vcpu(l), vcpu('bare')),
    ]),
    ['bare `node -e` printing the version', mmm(vms('bare'), 0), '1', '', mmm(vcpu('bare'), 0), '1'],
  ];
  return [
    `(a) ${COLS}×${ROWS} pane of a private tmux server; gate → the marker line in the pane's output stream ` +
      `(pipe-pane, monotonic clock), and the CPU time (utime+stime, 10 ms ticks) the process had used by then. ` +
      `${runs} rounds, subjects in rotating order.`,
    '',
    table(
      ['subject', 'ms: median (min–max)', '× bare node', 'target', 'CPU ms until then', 'CPU × bare node'],
      rowsA,
    ),
    '',
    `(b) spawn → exit of the whole process under /usr/bin/time (wall ms; CPU = user + system), median of ${VERSION_RUNS} per round; ` +
      `the median (min–max) of ${runs} rounds, interleaved.`,
    '',
    table(['subject', 'ms: median (min–max)', '× bare node', 'target', 'CPU ms', 'CPU × bare node'], rowsB),
  ].join('\n');
}
