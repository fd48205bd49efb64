/**
 * The young generation's growth switched by allocation pressure (src/cli/young-gen.ts), over a
 * fake runtime: scavenges at a chosen rate, a fake clock.
 */
import { describe, expect, it } from 'vitest';
import { CALM, governYoungGen, PRESSURE, WINDOW_MS, type YoungGenRuntime } from '../../src/cli/young-gen.js';

function fakeRuntime(semi = 1024 * 1024) {
  let t = 0;
  let gc: (() => void) | undefined;
  const factors: number[] = [];
  const rt: YoungGenRuntime = {
    onMinorGc(cb) {
      gc = cb;
      return () => {
        gc = undefined;
      };
    },
    semiSpaceBytes: () => semi,
    setGrowthFactor: (f) => factors.push(f),
    now: () => t,
  };
  /** `n` scavenges spread evenly over `ms`. */
  const scavenge = (n: number, ms: number) => {
    for (let i = 0; i < n; i++) {
      t += ms / n;
      gc?.();
    }
  };
  return {
    rt,
    factors,
    scavenge,
    idle: (ms: number) => {
      t += ms;
    },
    setSemi: (b: number) => {
      semi = b;
    },
    watching: () => gc !== undefined,
  };
}

const MiB = 1024 * 1024;

describe('governYoungGen', () => {
  it('leaves the young generation small while a UI streams (a few MiB/s, typing included)', () => {
    const f = fakeRuntime();
    governYoungGen(f.rt);
    // 4 claude sessions: ~7 scavenges/s of 1 MiB; typing: ~24/s (bench/realwork.mjs, measured).
    f.scavenge(7 * 20, 20 * WINDOW_MS);
    f.scavenge(24 * 10, 10 * WINDOW_MS);
    expect(f.factors).toEqual([]);
  });

  it('lets it grow in a flood and stops the growth once allocation is calm again', () => {
    const f = fakeRuntime();
    governYoungGen(f.rt);
    expect(7 * MiB).toBeLessThan(PRESSURE);
    // A flood: ~200 scavenges/s of 1 MiB.
    f.scavenge(200, WINDOW_MS);
    f.scavenge(10, 50);
    expect(f.factors).toEqual([2]);
    // V8 grew new space (16 MiB semi-spaces): the same flood is fewer scavenges, same rate.
    f.setSemi(16 * MiB);
    f.scavenge(13 * 3, 3 * WINDOW_MS);
    expect(f.factors).toEqual([2]);
    // The flood ends: one scavenge after a quiet while measures a rate far below CALM.
    f.idle(10 * WINDOW_MS);
    f.scavenge(1, 1);
    expect((16 * MiB) / 10).toBeLessThan(CALM);
    expect(f.factors).toEqual([2, 1]);
    // A second flood grows it again.
    f.setSemi(MiB);
    f.scavenge(150, WINDOW_MS);
    f.scavenge(2, 10);
    expect(f.factors).toEqual([2, 1, 2]);
  });

  it('judges the rate over a whole window, not a burst of a few scavenges', () => {
    const f = fakeRuntime();
    governYoungGen(f.rt);
    // 40 scavenges in 50 ms (start-up, a paste), then quiet: 40 MiB over a second is no flood.
    f.scavenge(40, 50);
    f.idle(WINDOW_MS);
    f.scavenge(1, 1);
    expect(f.factors).toEqual([]);
  });

  it('stops watching when asked', () => {
    const f = fakeRuntime();
    const stop = governYoungGen(f.rt);
    expect(f.watching()).toBe(true);
    stop();
    expect(f.watching()).toBe(false);
  });
});
