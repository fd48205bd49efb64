/**
 * How far V8's young generation may grow, switched by how fast axiom allocates.
 *
 * bin/axiom.js starts the process with `--semi-space-growth-factor=1`: the young generation stays
 * at its first size (1 MiB per semi-space on Node 20) instead of growing to 16 MiB per semi-space,
 * which keeps ~25 MiB of RSS off a UI streaming a few claude sessions (they allocate ~5-25 MiB/s).
 * A flood (`cat` of a big file: 100+ MiB/s of short-lived strings) pays for that small young
 * generation with a scavenge every few milliseconds: a quarter of its time in GC. So, from the
 * rate at which scavenges fill the young generation: under pressure (PRESSURE bytes/s) V8 may grow
 * it again as it would by default (growth factor 2), and once the rate falls below CALM it stops
 * growing. V8 never gives new space back on its own (checked on Node 20: not after idle, not
 * after a full GC), so after a flood RSS stays where it would have been without the flag.
 * Figures: BENCHMARKS.md, "Round three".
 *
 * V8 reads the growth factor each time it would grow new space, so setting it at run time takes
 * effect at the next scavenge.
 */
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Allocation above this (bytes per second, measured over ≥ WINDOW_MS) lets the young generation grow. */
export const PRESSURE = 64 * 1024 * 1024;
/** Below this it stops growing again. */
export const CALM = 16 * 1024 * 1024;
export const WINDOW_MS = 1000;
/**
 * The young generation is kept at least this big (bytes per semi-space): with 4 claude sessions
 * streaming, 2 MiB instead of 1 halves the scavenges, and a scavenge costs what survives it, not
 * what it frees (realwork, same rounds: 1.51 -> 1.30 s of CPU per 20 s, RSS 89 -> 89 MiB; 4 MiB:
 * 1.35 s, 93 MiB). V8 takes the first size only from a start-up flag, so the floor is reached
 * through the growth factor too: 2 while below it.
 */
export const FLOOR = 2 * 1024 * 1024;

/** What the governor needs from the runtime (fakes in tests). */
export interface YoungGenRuntime {
  /** Calls `cb` after each young-generation (minor) GC; returns a function that stops that. */
  onMinorGc(cb: () => void): () => void;
  /** Bytes one semi-space holds now (what is allocated between two scavenges). */
  semiSpaceBytes(): number;
  setGrowthFactor(factor: 1 | 2): void;
  now(): number;
}

/**
 * Switch the young generation's growth by allocation pressure, from now on (the process starts
 * with growth factor 1). Returns a function that stops watching.
 */
export function governYoungGen(rt: YoungGenRuntime = nodeRuntime()): () => void {
  let growing = false;
  let factor: 1 | 2 = 1;
  const set = (f: 1 | 2) => {
    if (f === factor) return;
    factor = f;
    rt.setGrowthFactor(f);
  };
  // Below the floor it may grow (to twice its size: V8 grows it by the factor); at it, it stays.
  const floor = () => {
    if (!growing) set(rt.semiSpaceBytes() < FLOOR ? 2 : 1);
  };
  floor();
  let windowStart = rt.now();
  let scavenges = 0;
  return rt.onMinorGc(() => {
    scavenges++;
    const now = rt.now();
    const elapsed = now - windowStart;
    if (elapsed >= WINDOW_MS) {
      const rate = (scavenges * rt.semiSpaceBytes() * 1000) / elapsed;
      windowStart = now;
      scavenges = 0;
      if (!growing && rate >= PRESSURE) {
        growing = true;
        set(2);
      } else if (growing && rate < CALM) growing = false;
    }
    floor();
  });
}

function nodeRuntime(): YoungGenRuntime {
  return {
    onMinorGc(cb) {
      const obs = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          // A gc entry's detail says which collection it was (Node's types leave detail out).
          const kind = (e as { detail?: { kind?: number } }).detail?.kind;
          if (kind === constants.NODE_PERFORMANCE_GC_MINOR) cb();
        }
      });
      obs.observe({ entryTypes: ['gc'] });
      return () => obs.disconnect();
    },
    semiSpaceBytes() {
      // new_space's size counts both semi-spaces.
      const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
      return (s?.space_size ?? 0) / 2;
    },
    setGrowthFactor(factor) {
      setFlagsFromString(`--semi-space-growth-factor=${factor}`);
    },
    now: () => performance.now(),
  };
}
