#!/usr/bin/env node
/**
 * Where axiom allocates: runs bin/axiom.js (or AXIOM_ALLOC_BIN) in this process under V8's
 * sampling heap profiler, counting objects the young and old collections already freed too
 * (includeObjectsCollectedByMinorGC/MajorGC: without them a sampling profile shows only what is
 * still alive, not the garbage that costs GC time). A cpuprofile does not attribute GC time; this does
 * attribute the bytes that cause it.
 *
 *   AXIOM_ALLOC_PROF=DIR           where the .heapprofile goes (required)
 *   AXIOM_ALLOC_AFTER_MS=8000      start sampling this long after launch (default 0)
 *   AXIOM_ALLOC_FOR_MS=20000       stop and write after this long (default: at exit)
 *   AXIOM_ALLOC_INTERVAL=32768     mean bytes between samples
 *
 * As a realwork subject: AXIOM_BENCH_BINS=alloc=bench/lib/alloc-prof.mjs AXIOM_ALLOC_PROF=/tmp/x
 * node bench/run.mjs --runs 1 --only 4 --no-doc realwork; read it with
 * node bench/lib/alloc-top.mjs /tmp/x/*.heapprofile.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.AXIOM_ALLOC_PROF;
if (!dir) throw new Error('alloc-prof: set AXIOM_ALLOC_PROF=DIR (where the profile goes)');
const after = Number(process.env.AXIOM_ALLOC_AFTER_MS ?? 0);
const forMs = Number(process.env.AXIOM_ALLOC_FOR_MS ?? 0);
const interval = Number(process.env.AXIOM_ALLOC_INTERVAL ?? 32768);
const bin = process.env.AXIOM_ALLOC_BIN ?? new URL('../../bin/axiom.js', import.meta.url).href;

const session = new Session();
session.connect();
let state = 'idle';
// The in-process session answers synchronously: usable from an 'exit' handler.
const post = (method, params) => {
  let out;
  session.post(method, params, (err, res) => {
    if (err) throw err;
    out = res;
  });
  return out;
};
function start() {
  post('HeapProfiler.enable');
  post('HeapProfiler.startSampling', {
    samplingInterval: interval,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  state = 'sampling';
  if (forMs > 0) setTimeout(stop, forMs).unref();
}
function stop() {
  if (state !== 'sampling') return;
  state = 'done';
  const { profile } = post('HeapProfiler.stopSampling');
  writeFileSync(join(dir, `alloc-${process.pid}-${Date.now()}.heapprofile`), JSON.stringify(profile));
}
process.on('exit', stop);
if (after > 0) setTimeout(start, after).unref();
else start();
await import(bin);
