/**
 * 4. Memory: axiom's RSS after 8 sessions have each produced 20 MiB (and 5 MiB, to show it is
 * bounded: it must not grow with output size), against the tmux server's RSS after the same.
 */
import { startAxiom, waitReady } from './lib/axiom-ui.mjs';
import { alternate, hwmMiB, mono, rssMiB, shAgent, shq, sleep, Tmux } from './lib/common.mjs';
import { dataFile } from './lib/gen.mjs';
import { field, mmm, ratio, table } from './lib/report.mjs';

export const name = 'memory';
export const title = '4. Memory: RSS after 8 sessions × 20 MiB of output';

const COLS = 160;
const ROWS = 50;
const PANES = 8;

async function viaAxiom(file) {
  const run = await startAxiom({
    sessions: PANES,
    cols: COLS,
    rows: ROWS,
    watch: 'END-\\d+-MARK',
    script: (t) => `echo READY; ${t} wait-for go; cat ${shq(file)}; echo "END-$$-MARK"; exec sleep 600`,
  });
  try {
    await waitReady(run, PANES);
    const before = rssMiB(run.pid);
    const t0 = mono();
    await run.tmux.signal('go');
    await run.waitMark(() => run.marks().length >= PANES, 'all end markers', 600000);
    const ms = mono() - t0;
    await sleep(3000);
    return { rss: rssMiB(run.pid), hwm: hwmMiB(run.pid), before, ms };
  } finally {
    await run.stop(30000);
  }
}

async function viaTmux(file) {
  const tmux = new Tmux(`axiom-bench-mem-${process.pid}-${Date.now()}`);
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
    for (let i = 0; i < PANES; i++) await tmux.run('wait-for', `ready${i}`);
    const server = await tmux.serverPid();
    const before = rssMiB(server);
    await tmux.signal('go');
    for (let i = 0; i < PANES; i++) await tmux.run('wait-for', `done${i}`);
    await sleep(3000);
    return { rss: rssMiB(server), hwm: hwmMiB(server), before };
  } finally {
    tmux.kill();
  }
}

export async function run({ runs, log }) {
  const big = dataFile(20);
  const small = dataFile(5);
  const r = await alternate(
    {
      axiom20: () => viaAxiom(big),
      tmux20: () => viaTmux(big),
      axiom5: () => viaAxiom(small),
    },
    runs,
    { log },
  );
  const rss = (k) => field(r[k], 'rss');
  const hwm = (k) => field(r[k], 'hwm');
  const before = (k) => field(r[k], 'before');
  return {
    name,
    title,
    raw: r,
    text: [
      `8 sessions each \`cat\` a colored file (20 MiB, or 5 MiB) at once; RSS (VmRSS) of the axiom process 3 s after the last ` +
        `end marker is on screen, its peak (VmHWM), and the same for the tmux server with 8 panes. ${runs} rounds, rotating order. ` +
        'Scrollback: axiom 2000 lines per session, tmux history-limit 2000 (both defaults).',
      '',
      table(
        ['subject', 'RSS MiB after', 'peak RSS MiB', 'RSS MiB before the output', 'RSS × tmux', 'target'],
        [
          [
            'axiom UI, 8 × 20 MiB',
            mmm(rss('axiom20'), 0),
            mmm(hwm('axiom20'), 0),
            mmm(before('axiom20'), 0),
            ratio(rss('axiom20'), rss('tmux20')),
            '< 300 MiB',
          ],
          [
            'axiom UI, 8 × 5 MiB',
            mmm(rss('axiom5'), 0),
            mmm(hwm('axiom5'), 0),
            mmm(before('axiom5'), 0),
            ratio(rss('axiom5'), rss('tmux20')),
            'same as 20 MiB (bounded)',
          ],
          [
            'tmux server, 8 panes × 20 MiB',
            mmm(rss('tmux20'), 0),
            mmm(hwm('tmux20'), 0),
            mmm(before('tmux20'), 0),
            '1',
            '',
          ],
        ],
      ),
      '',
      `RSS growth from 8 × 5 MiB to 8 × 20 MiB: ${ratio(rss('axiom20'), rss('axiom5'))} (1.00× = bounded).`,
    ].join('\n'),
  };
}
