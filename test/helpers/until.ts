import type { Engine } from '../../src/engine/engine.js';

/**
 * Resolve when `pred` holds, re-checked on every engine event (output, status, exit; no sleeps);
 * reject after `ms`. A predicate that throws counts as not yet. `detail` adds context to the error.
 */
export function until(
  m: Engine,
  pred: () => boolean,
  what: string,
  ms = 10_000,
  detail?: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      let ok = false;
      try {
        ok = pred();
      } catch {
        ok = false;
      }
      if (ok) {
        done();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${ms} ms waiting for ${what}${detail ? `; ${detail()}` : ''}`));
    }, ms);
    const done = (): void => {
      clearTimeout(timer);
      m.off('output', check);
      m.off('status', check);
      m.off('exit', check);
    };
    m.on('output', check);
    m.on('status', check);
    m.on('exit', check);
    check();
  });
}
