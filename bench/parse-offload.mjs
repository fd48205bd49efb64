/**
 * Issue 15 §3: would moving parsing off the main thread help keys under the fan-in? The fan-in's
 * screen work in one process, without PTYs, tmux or a terminal: 8 screens (src's Screen: xterm
 * parse, line commit) each fed the fan-in's 10 MiB colored file in 64 KiB chunks with the
 * engine's flow control (at most 1 MiB unparsed per screen, 256 KiB read per event-loop turn),
 * a line commit every 16 ms per screen, and a frame at the flood's rate (every 100 ms) that
 * reads every screen's visible styled rows. Three ways:
 *  - main: as axiom does it today, all on the main thread (the shared parse pump);
 *  - workers=N: the screens live in N worker threads; the main thread sends them the chunks
 *    (transferred) and asks each for its visible rows at every frame (structured clone back):
 *    it only composes frames.
 * Reports per way: total time, process CPU (all threads), and the main thread's event-loop delay
 * (perf_hooks.monitorEventLoopDelay, 1 ms resolution): what a key read on the main thread waits.
 * Workers are started, and every isolate's JIT warmed on 2 MiB of the file, before the clock.
 *
 *   npm run build && node bench/parse-offload.mjs [--runs N]
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Screen } from '../dist/engine/screen.js';

const PANES = 8;
const CHUNK = 64 * 1024;
const HIGH_WATER = 1024 * 1024;
const READ_PER_TURN = 256 * 1024;
const COMMIT_MS = 16;
const FRAME_MS = 100;

/** A screen with the engine's periodic line commit (Session's flush commits stable lines). */
function screenOf(cols, rows) {
  const s = new Screen({ cols, rows });
  s.onCommitNeeded(() => s.commit(0));
  let timer;
  const commitSoon = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      s.commit(s.cursor().y);
    }, COMMIT_MS);
  };
  return { s, commitSoon, stop: () => clearTimeout(timer) };
}

/** Visible rows as a frame reads them. */
const snapshot = (s) => s.styledLines(0);

/** Parse the file's first 2 MiB in a throwaway screen: the JIT warm, as in a running axiom. */
async function warm(file) {
  const s = new Screen({ cols: 80, rows: 24 });
  await new Promise((r) => s.write(readFileSync(file).subarray(0, 2 * 1024 * 1024), r));
  s.dispose();
}

if (!isMainThread) {
  // A worker: owns the screens given to it; parses, commits, answers snapshots.
  const { sizes, file } = workerData;
  await warm(file);
  const screens = sizes.map(({ cols, rows }) => screenOf(cols, rows));
  parentPort.postMessage({ type: 'ready' });
  parentPort.on('message', (m) => {
    if (m.type === 'data') {
      const sc = screens[m.i];
      const n = m.buf.byteLength;
      sc.s.write(new Uint8Array(m.buf), () => {
        parentPort.postMessage({ type: 'parsed', i: m.i, n });
        sc.commitSoon();
      });
    } else if (m.type === 'snap') {
      parentPort.postMessage({ type: 'snap', rows: screens.map((sc) => snapshot(sc.s)) });
    } else if (m.type === 'end') {
      for (const sc of screens) sc.stop();
      process.exit(0);
    }
  });
} else {
  const { paneSizes } = await import('./lib/axiom-ui.mjs');
  const { dataFile } = await import('./lib/gen.mjs');
  const { percentile } = await import('./lib/common.mjs');
  const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
  const file = dataFile(10);
  const data = readFileSync(file);
  await warm(file);
  const sizes = paneSizes(PANES, 160, 50);

  /**
   * Feeds every pane the file in chunks: `send(i, chunk)` hands one over, `pending(i)` is what
   * pane i has not parsed yet. Reads at most READ_PER_TURN per turn (setImmediate), like the PTYs;
   * while every pane is full it waits (flow control: the PTYs are paused) until kick() is called
   * (a pane parsed some), so the main thread does not spin.
   */
  function produce(send, pending) {
    const pos = new Array(PANES).fill(0);
    let next = 0;
    let scheduled = false;
    const turn = () => {
      scheduled = false;
      let budget = READ_PER_TURN;
      let sent = false;
      for (let k = 0; k < PANES && budget > 0; k++) {
        const i = (next + k) % PANES;
        while (budget > 0 && pos[i] < data.length && pending(i) < HIGH_WATER) {
          const end = Math.min(data.length, pos[i] + Math.min(CHUNK, budget));
          // A copy, as the read-ahead makes one (and a transfer needs its own buffer).
          const chunk = Buffer.from(data.subarray(pos[i], end));
          budget -= chunk.length;
          pos[i] = end;
          sent = true;
          send(i, chunk);
        }
      }
      next = (next + 1) % PANES;
      if (sent) kick();
    };
    const kick = () => {
      if (scheduled || pos.every((p) => p >= data.length)) return;
      scheduled = true;
      setImmediate(turn);
    };
    kick();
    return kick;
  }

  async function viaMain(startClock) {
    startClock();
    const screens = sizes.map(({ cols, rows }) => screenOf(cols, rows));
    const pend = new Array(PANES).fill(0);
    let left = PANES * data.length;
    return new Promise((resolve) => {
      const frame = setInterval(() => {
        for (const sc of screens) snapshot(sc.s);
      }, FRAME_MS);
      const kick = produce(
        (i, chunk) => {
          pend[i] += chunk.length;
          screens[i].s.write(chunk, () => {
            pend[i] -= chunk.length;
            left -= chunk.length;
            kick();
            screens[i].commitSoon();
            if (left === 0) {
              clearInterval(frame);
              for (const sc of screens) {
                sc.stop();
                sc.s.dispose();
              }
              resolve();
            }
          });
        },
        (i) => pend[i],
      );
    });
  }

  async function viaWorkers(n, startClock) {
    const owner = (i) => i % n;
    const local = (i) => Math.floor(i / n);
    const workers = Array.from(
      { length: n },
      (_, w) =>
        new Worker(new URL(import.meta.url), {
          workerData: { file, sizes: sizes.filter((_, i) => owner(i) === w) },
        }),
    );
    // Started, modules loaded and JIT warm before the clock starts (a session's worker would be).
    await Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
    startClock();
    const pend = new Array(PANES).fill(0);
    let left = PANES * data.length;
    let frames = 0;
    let kick = () => undefined;
    return new Promise((resolve) => {
      workers.forEach((w, wi) => {
        w.on('message', (m) => {
          if (m.type === 'snap') {
            // Compose: touch what came back (the frame writer would splice these rows).
            frames += m.rows.length;
            return;
          }
          const i = m.i * n + wi;
          pend[i] -= m.n;
          left -= m.n;
          kick();
          if (left === 0) {
            clearInterval(frame);
            for (const x of workers) x.postMessage({ type: 'end' });
            resolve({ frames });
          }
        });
      });
      const frame = setInterval(() => {
        for (const w of workers) w.postMessage({ type: 'snap' });
      }, FRAME_MS);
      kick = produce(
        (i, chunk) => {
          pend[i] += chunk.length;
          const buf = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.length);
          workers[owner(i)].postMessage({ type: 'data', i: local(i), buf }, [buf]);
        },
        (i) => pend[i],
      );
    });
  }

  async function measure(how) {
    const h = monitorEventLoopDelay({ resolution: 1 });
    let c0;
    let t0;
    await how(() => {
      c0 = process.cpuUsage();
      t0 = performance.now();
      h.enable();
    });
    h.disable();
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const q = (p) => h.percentile(p) / 1e6;
    return {
      ms,
      cpuMs: (c.user + c.system) / 1000,
      p50: q(50),
      p95: q(95),
      p99: q(99),
      max: h.max / 1e6,
    };
  }

  const ways = {
    main: (go) => viaMain(go),
    'workers=8': (go) => viaWorkers(8, go),
    'workers=2': (go) => viaWorkers(2, go),
  };
  const res = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [k, how] of Object.entries(ways)) {
      const x = await measure(how);
      res[k].push(x);
      console.log(
        `run ${r + 1}/${runs} ${k}: ${JSON.stringify(x, (_, v) => (typeof v === 'number' ? +v.toFixed(1) : v))}`,
      );
    }
  }
  const med = (xs) => percentile(xs, 50);
  console.log('\n| way | total s | CPU s (all threads) | loop delay p50 / p95 / p99 / max ms |');
  console.log('| --- | --- | --- | --- |');
  for (const [k, xs] of Object.entries(res)) {
    const f = (key, d = 0) => med(xs.map((x) => x[key])).toFixed(d);
    console.log(
      `| ${k} | ${(med(xs.map((x) => x.ms)) / 1000).toFixed(2)} | ${(med(xs.map((x) => x.cpuMs)) / 1000).toFixed(2)} | ${f('p50')} / ${f('p95')} / ${f('p99')} / ${f('max')} |`,
    );
  }
}
