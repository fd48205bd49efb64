/**
 * The plain-text log that `output(cursor)` serves: finished lines, each with an absolute index
 * (the cursor). Only the last `limit` lines stay in memory; readers asking for older ones are
 * told how many were dropped (the `.txt` transcript on disk has them all).
 */
export class TextLog {
  /** lines[i] has absolute index start + i. */
  private lines: string[] = [];
  private start = 0;

  constructor(private readonly limit: number) {}

  append(lines: readonly string[]): void {
    if (lines.length === 0) return;
    for (const l of lines) this.lines.push(l);
    const over = this.lines.length - this.limit;
    if (over > 0) {
      this.lines.splice(0, over);
      this.start += over;
    }
  }

  /** Total lines appended so far (the cursor after the last line). */
  get end(): number {
    return this.start + this.lines.length;
  }

  /** Lines from `cursor` on. Lines that fell out of memory are reported as dropped. */
  read(cursor: number): { lines: string[]; dropped: number; cursor: number } {
    const from = Math.max(0, cursor);
    const dropped = from < this.start ? this.start - from : 0;
    const i = Math.max(0, from - this.start);
    return { lines: this.lines.slice(i), dropped, cursor: this.end };
  }
}
