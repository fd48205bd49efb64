/**
 * Ink internal (the bundled CLI only): Ink's renderer measures every <Text> node with
 * `widestLine(text)` (package widest-line, imported by ink/build/render-node-to-output.js and
 * measure-text.js) on every render, uncached outside measure-text. Lines that are not printable
 * ASCII (pane borders, the body markers of src/ui/overlay.ts, titles) go through string-width's
 * grapheme segmenter and emoji regex character by character, so the 1 Hz clock and each keystroke
 * re-measured the whole screen (BENCHMARKS.md, start and real work, has the figures).
 *
 * scripts/bundle.mjs routes those two imports of Ink to `lastingWidestLine(widestLine)`: same
 * input, same width (it is a pure function), kept across renders and bounded like
 * src/compat/ink-caches.ts. It measures through only once installInkCaches() ran (so
 * AXIOM_INK_CACHE=0 turns both off). Run from dist/ (tests), Ink imports widest-line itself and
 * nothing changes. test/compat/pinned.test.tsx fails when the pinned Ink stops importing it.
 */

const MAX_ENTRIES = 20_000;

let enabled = false;

/** Turn the lasting widths on or off (installInkCaches turns them on). */
export function setWidestLineCache(on: boolean): void {
  enabled = on;
}

/** `fn` with its results kept across calls while enabled. */
export function lastingWidestLine(fn: (text: string) => number): (text: string) => number {
  const map = new Map<string, number>();
  return (text: string): number => {
    if (!enabled) return fn(text);
    let v = map.get(text);
    if (v === undefined) {
      v = fn(text);
      if (map.size >= MAX_ENTRIES) map.clear();
      map.set(text, v);
    }
    return v;
  };
}
