/**
 * Rows are committed as text only once two reads of the screen agree on them. An agent that
 * draws in place (claude rewrites the rows of the answer it streams, row by row, with cursor
 * moves) can be read half way through a frame: its output comes in over several PTY reads, and
 * under load a flush falls between two of them. The rows above the one being written are then
 * new, that row is half written, and the rows below still hold the last frame (its input box
 * too, so the profile's stableRows counts them as final). Committed then, a half-written row
 * or a stale one was final for good: the text stream lost a line ("- bullet m23 …") or the end
 * of one ("3." without "item m14 m15"), seen under full-suite load.
 *
 * So a row is committed only when the previous flush saw the same text at the same place in the
 * buffer and counted it stable too. A frame that was cut is seen whole by the next flush (the
 * rest of it is what triggers that flush), so the cost is one flush of delay.
 */
export class StableGate {
  private prev: { lines: readonly string[]; base: number; stable: number } | undefined;

  /**
   * How many top rows of `lines` may be committed: at most `stable`, and each seen with the same
   * text by the last call (`base`: the rows of scrollback above `lines`, so that a row is compared
   * with the same buffer row after a scroll).
   */
  gate(lines: readonly string[], base: number, stable: number): number {
    const prev = this.prev;
    this.prev = { lines, base, stable };
    if (!prev) return 0;
    const shift = base - prev.base;
    const n = Math.min(stable, prev.stable - shift, lines.length);
    for (let i = 0; i < n; i++) {
      const j = i + shift;
      if (j < 0 || j >= prev.lines.length || prev.lines[j] !== lines[i]) return i;
    }
    return Math.max(0, n);
  }

  /** Forget the last read (the screen was resized or reset: rows moved in ways `base` does not tell). */
  reset(): void {
    this.prev = undefined;
  }
}
