/**
 * The young generation's growth switched by allocation pressure (src/cli/young-gen.ts), over a
 * fake runtime: scavenges at a chosen rate, a fake clock.
 */
import { describe, expect, it } from 'vitest';
import {
  CALM,
  FLOOR,
  governYoungGen,
  PRESSURE,
  WINDOW_MS,
  type YoungGenRuntime,
} from '../../src/cli/young-gen.js';

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
  it('grows it to its floor, then leaves it there while a UI streams (a few MiB/s, typing included)', () => {
    // V8 starts it at 1 MiB per semi-space: below the floor it may grow (factor 2) ...
    const f = fakeRuntime(MiB);
    governYoungGen(f.rt);
    expect(f.factors).toEqual([2]);
    f.scavenge(3, 300);
    expect(f.factors).toEqual([2]);
    // ... until it is there (V8 grew it to twice its size).
    f.setSemi(FLOOR);
    f.scavenge(1, 100);
    expect(f.factors).toEqual([2, 1]);
    // 4 claude sessions: ~7 scavenges/s; typing: ~24/s (bench/realwork.mjs, measured at 1 MiB).
    f.scavenge(4 * 20, 20 * WINDOW_MS);
    f.scavenge(12 * 10, 10 * WINDOW_MS);
    expect(f.factors).toEqual([2, 1]);
  });

  it('starts at the floor without growing it; grows it back should it be smaller again', () => {
    const f = fakeRuntime(FLOOR);
    governYoungGen(f.rt);
    f.scavenge(7 * 5, 5 * WINDOW_MS);
    expect(f.factors).toEqual([]);
    f.setSemi(MiB);
    f.scavenge(1, 100);
    expect(f.factors).toEqual([2]);
    f.setSemi(FLOOR);
    f.scavenge(1, 100);
    expect(f.factors).toEqual([2, 1]);
  });

  it('lets it grow in a flood and stops the growth once allocation is calm again', () => {
    const f = fakeRuntime(FLOOR);
    governYoungGen(f.rt);
    expect(7 * MiB).toBeLessThan(PRESSURE);
    // A flood: ~200 scavenges/s of the floor's 2 MiB.
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
    f.setSemi(FLOOR);
    f.scavenge(150, WINDOW_MS);
    f.scavenge(2, 10);
    expect(f.factors).toEqual([2, 1, 2]);
  });

  it('judges the rate over a whole window, not a burst of a few scavenges', () => {
    const f = fakeRuntime(FLOOR);
    governYoungGen(f.rt);
    // 20 scavenges in 50 ms (start-up, a paste), then quiet: 40 MiB over a second is no flood.
    f.scavenge(20, 50);
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
