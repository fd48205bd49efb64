import type { Engine } from '../../src/engine/engine.js';
import { listen } from '../../src/engine/listen.js';

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
    const unlisten = listen(m, { output: check, status: check, exit: check, worktree: check });
    const done = (): void => {
      clearTimeout(timer);
      unlisten();
    };
    check();
  });
}
