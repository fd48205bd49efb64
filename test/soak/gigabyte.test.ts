/**
 * Soak: 1 GB streamed through one session over about a minute, next to a session that keeps
 * serving. Memory stays bounded (the screen keeps a bounded scrollback, the text log a bounded
 * number of lines; the PTY is paused while the parser is behind), and the raw transcript holds
 * every byte (sha256 computed slice by slice, never holding the stream).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agent, canary, ended, type Rig, rawTranscriptStats, rig, until } from '../faults/helpers.js';
import { END_MARKER, soakSha } from '../fixtures/fault-data.mjs';

const WIDTH = 100;
const COUNT = Number(process.env.AXIOM_SOAK_LINES ?? 10_737_418); // ≈ 1 GiB with its CRs
const SECONDS = Number(process.env.AXIOM_SOAK_SECONDS ?? 60);

let r: Rig;
beforeAll(() => {
  r = rig();
});
afterAll(async () => {
  await r.close();
});

it(`streams ${COUNT} lines of ${WIDTH} bytes (${((COUNT * WIDTH) / 2 ** 30).toFixed(2)} GiB) with bounded memory`, async () => {
  const c = canary(r.m);
  global.gc?.();
  const base = process.memoryUsage();
  let maxRss = 0;
  let maxHeap = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    maxRss = Math.max(maxRss, m.rss);
    maxHeap = Math.max(maxHeap, m.heapUsed);
  }, 250);
  const t0 = Date.now();
  const s = r.m.spawn({ agent: agent(`soak ${COUNT} ${WIDTH} ${SECONDS}`) });
  const want = COUNT * (WIDTH + 1) + END_MARKER.length + 2;
  try {
    await until(r.m, () => (r.m.get(s.id)?.bytesReceived ?? 0) >= want, 'the whole stream', 840_000);
    await c.stillServing();
  } finally {
    clearInterval(sampler);
  }
  const secs = (Date.now() - t0) / 1000;
  await r.m.kill(s.id);
  const done = await ended(r.m, s.id);
  const mb = (n: number) => Math.round(n / 2 ** 20);
  console.log(
    `soak: ${mb(want)} MiB in ${secs.toFixed(1)} s (${(want / 2 ** 20 / secs).toFixed(1)} MiB/s); ` +
      `rss ${mb(base.rss)} -> max ${mb(maxRss)} MiB, heap ${mb(base.heapUsed)} -> max ${mb(maxHeap)} MiB`,
  );
  expect(done.bytesReceived).toBe(want);
  const raw = rawTranscriptStats(r.m, done);
  expect(raw.bytes).toBe(want);
  expect(raw.sha256).toBe(soakSha(COUNT, WIDTH));
  expect(maxHeap - base.heapUsed).toBeLessThan(256 * 2 ** 20);
  expect(maxRss - base.rss).toBeLessThan(512 * 2 ** 20);
  // The text log is bounded too: the front ends read the tail and are told the rest is on disk.
  expect(r.m.output(s.id, 0).text).toMatch(
    /^\[axiom: \d+ earlier lines are only in the transcript on disk\]/,
  );
});
