/**
 * Ink internal: the prototype of the per-render `OutputCaches` in ink/build/output.js (pinned
 * ink 6.8.0). What it buys: BENCHMARKS.md, "What the profiles showed", item 12.
 * AXIOM_INK_CACHE=0 (src/cli/settings.ts) leaves Ink as it is; test/compat/pinned.test.ts fails
 * loudly when the pinned Ink no longer takes the patch.
 *
 * Ink measures and tokenizes every line of every frame again: its caches (styled characters and
 * widths per line) live in one Output object per render, so a keystroke pays for the whole
 * terminal's borders, titles and padding (a fan-in profile: ansi-tokenize + string-width ~9% of
 * the CPU, on the keystroke's path). This keeps those caches across renders: same input line,
 * same result (Ink itself shares the cached objects between writes of one render), bounded by
 * clearing when they grow past MAX_ENTRIES.
 *
 * Ink does not export Output; src/compat/ink-output.ts reaches its module (the same instance
 * Ink's renderer uses, in dist/ and in the bundle). If Ink's layout changes, nothing is patched
 * and Ink works as before: install() reports false.
 */
import { loadInkOutput } from './ink-output.js';
import { setWidestLineCache } from './ink-widest-line.js';

const MAX_ENTRIES = 20_000;

interface Caches {
  getStyledChars(line: string): unknown;
  getStringWidth(text: string): number;
  getWidestLine(text: string): number;
}

let installed: Promise<boolean> | undefined;

/** Patch Ink's per-render caches into lasting ones (once). Resolves whether it applied. */
export function installInkCaches(): Promise<boolean> {
  installed ??= (async () => {
    try {
      const mod = (await loadInkOutput()) as {
        default: new (o: { width: number; height: number }) => { caches?: Caches };
      };
      const proto = Object.getPrototypeOf(new mod.default({ width: 1, height: 1 }).caches ?? {}) as Caches;
      const { getStyledChars, getStringWidth, getWidestLine } = proto;
      if (typeof getStyledChars !== 'function' || typeof getStringWidth !== 'function') return false;
      if (typeof getWidestLine !== 'function') return false;
      const lasting = <V>(fn: (this: Caches, key: string) => V) => {
        const map = new Map<string, V>();
        return function (this: Caches, key: string): V {
          let v = map.get(key);
          if (v === undefined) {
            v = fn.call(this, key);
            if (map.size >= MAX_ENTRIES) map.clear();
            map.set(key, v);
          }
          return v;
        };
      };
      proto.getStyledChars = lasting(getStyledChars);
      proto.getStringWidth = lasting(getStringWidth);
      proto.getWidestLine = lasting(getWidestLine);
      // The renderer's own widestLine calls (bundled CLI only; see ink-widest-line.ts).
      setWidestLineCache(true);
      return true;
    } catch {
      return false;
    }
  })();
  return installed;
}
