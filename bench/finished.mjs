#!/usr/bin/env node
/**
 * Memory kept by finished sessions: RSS of an engine (as `axiom mcp` runs it) after 120 sessions
 * have each printed 3,000 lines (past the 2,000-line scrollback) and exited, with the screens of
 * ended sessions released (the default) or kept (AXIOM_BENCH_KEEP=1, as before), and after
 * forgetting them all. Run: npm run build && node --expose-gc bench/finished.mjs
 */
import { fileURLToPath } from 'node:url';
import { genericProfile } from '../dist/agents/generic.js';
import { SessionManager } from '../dist/engine/session-manager.js';

const TASKS = Number(process.env.AXIOM_BENCH_TASKS ?? 120);
const AT_ONCE = 8;
const keep = process.env.AXIOM_BENCH_KEEP === '1';
const agent = `${process.execPath} ${fileURLToPath(new URL('../test/fixtures/fault-agent.mjs', import.meta.url))} emit lines 3000 exit0`;

const mib = async () => {
  // Array buffers (xterm's line storage) are freed after the collection that found them dead.
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  const u = process.memoryUsage();
  const f = (n) => (n / 1048576).toFixed(0);
  return `${f(u.rss)} (heap ${f(u.heapUsed)}, external ${f(u.external + u.arrayBuffers)})`;
};

const m = new SessionManager({
  stateDir: false,
  hooks: false,
  profileFor: (a) => genericProfile(a, 300),
  releaseEndedScreens: !keep,
});
const before = await mib();
const t0 = Date.now();
for (let done = 0; done < TASKS; done += AT_ONCE) {
  const batch = [];
  for (let i = 0; i < Math.min(AT_ONCE, TASKS - done); i++) batch.push(m.spawn({ agent, prompt: 'go' }).id);
  await Promise.all(batch.map((id) => m.session(id).ended));
}
const ended = await mib();
for (const s of m.list()) m.remove(s.id);
const forgotten = await mib();
await m.shutdown();
console.log(
  `${TASKS} finished sessions, screens ${keep ? 'kept' : 'released'}: RSS ${before} MiB at start, ${ended} MiB once all ended, ${forgotten} MiB after forgetting them (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
);
