/**
 * A headless terminal per session (@xterm/headless): the faithful screen that panes and MCP read.
 * Also keeps a log of "stable" plain-text lines (lines that will not be redrawn any more),
 * which is what `output(cursor)` serves.
 */
import xtermHeadless from '@xterm/headless';
import type { StyledLine, StyledSpan } from './types.js';

const { Terminal } = xtermHeadless;
type XTerm = InstanceType<typeof Terminal>;
type XCell = NonNullable<
  ReturnType<NonNullable<ReturnType<XTerm['buffer']['active']['getLine']>>['getCell']>
>;
type XMarker = NonNullable<ReturnType<XTerm['registerMarker']>>;

export interface ScreenOptions {
  cols: number;
  rows: number;
  /** Lines of scrollback kept in memory (the transcript on disk keeps everything). */
  scrollback: number;
  /** Plain-text lines kept in memory for `output(cursor)`. */
  logLimit: number;
}

export const DEFAULT_SCREEN_OPTIONS: ScreenOptions = {
  cols: 80,
  rows: 24,
  scrollback: 5000,
  logLimit: 20000,
};

function colorOf(mode: 'fg' | 'bg', cell: XCell): number | string | undefined {
  if (mode === 'fg') {
    if (cell.isFgDefault()) return undefined;
    const c = cell.getFgColor();
    return cell.isFgRGB() ? `#${c.toString(16).padStart(6, '0')}` : c;
  }
  if (cell.isBgDefault()) return undefined;
  const c = cell.getBgColor();
  return cell.isBgRGB() ? `#${c.toString(16).padStart(6, '0')}` : c;
}

function sameStyle(a: StyledSpan, b: StyledSpan): boolean {
  return (
    a.fg === b.fg &&
    a.bg === b.bg &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.italic === b.italic &&
    a.underline === b.underline &&
    a.inverse === b.inverse &&
    a.strikethrough === b.strikethrough
  );
}

export class Screen {
  readonly term: XTerm;
  private readonly opts: ScreenOptions;
  private readonly cell: XCell;
  /** Stable plain-text lines: log[i] has absolute index logStart + i. */
  private log: string[] = [];
  private logStart = 0;
  /** Marks the next normal-buffer line not yet committed to the log. */
  private nextMarker: XMarker | undefined;
  /** Lines the terminal trimmed from scrollback before we could commit them. */
  lostLines = 0;
  title = '';

  constructor(opts: Partial<ScreenOptions> = {}) {
    this.opts = { ...DEFAULT_SCREEN_OPTIONS, ...opts };
    this.term = new Terminal({
      cols: Math.max(1, this.opts.cols),
      rows: Math.max(1, this.opts.rows),
      scrollback: this.opts.scrollback,
      allowProposedApi: true,
      convertEol: false,
    });
    this.term.onTitleChange((t) => {
      this.title = t;
    });
    const c = this.term.buffer.active.getNullCell();
    this.cell = c;
  }

  get cols(): number {
    return this.term.cols;
  }
  get rows(): number {
    return this.term.rows;
  }

  /** Feed PTY output. `done` runs once the data is parsed. */
  write(data: Uint8Array | string, done?: () => void): void {
    this.term.write(data, done);
  }

  /** Answers to terminal queries (DSR, DA...) that must go back to the PTY. */
  onReply(cb: (data: string) => void): void {
    this.term.onData(cb);
    this.term.onBinary(cb);
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(1, Math.floor(cols));
    const r = Math.max(1, Math.floor(rows));
    if (c === this.term.cols && r === this.term.rows) return;
    this.term.resize(c, r);
  }

  /** Lines of scrollback above the live view (normal buffer; 0 in the alternate screen). */
  scrollbackLength(): number {
    return this.term.buffer.active.baseY;
  }

  cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  get altScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  /** `rows` styled lines ending `scrollback` lines above the live bottom. */
  styledLines(scrollback = 0): StyledLine[] {
    const b = this.term.buffer.active;
    const off = Math.max(0, Math.min(scrollback, b.baseY));
    const top = b.baseY - off;
    const out: StyledLine[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(this.styledLine(top + y));
    return out;
  }

  private styledLine(abs: number): StyledLine {
    const line = this.term.buffer.active.getLine(abs);
    if (!line) return [];
    const spans: StyledSpan[] = [];
    let cur: StyledSpan | undefined;
    const cell = this.cell;
    // Trailing default-styled blanks are dropped; the pane pads.
    let last = line.length - 1;
    while (last >= 0) {
      const c = line.getCell(last, cell);
      if (!c) break;
      if ((c.getChars() !== '' && c.getChars() !== ' ') || !c.isAttributeDefault()) break;
      last--;
    }
    for (let x = 0; x <= last; x++) {
      const c = line.getCell(x, cell);
      if (!c) break;
      if (c.getWidth() === 0) continue; // second half of a wide char
      const ch = c.getChars() || ' ';
      const span: StyledSpan = { text: ch };
      const fg = colorOf('fg', c);
      const bg = colorOf('bg', c);
      if (fg !== undefined) span.fg = fg;
      if (bg !== undefined) span.bg = bg;
      if (c.isBold()) span.bold = true;
      if (c.isDim()) span.dim = true;
      if (c.isItalic()) span.italic = true;
      if (c.isUnderline()) span.underline = true;
      if (c.isInverse()) span.inverse = true;
      if (c.isStrikethrough()) span.strikethrough = true;
      if (cur && sameStyle(cur, span)) cur.text += ch;
      else {
        cur = span;
        spans.push(cur);
      }
    }
    return spans;
  }

  /** Plain text of the live screen, one string per row (right-trimmed). */
  plainLines(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.baseY + y)?.translateToString(true) ?? '');
    return out;
  }

  /** Last non-empty line of the live screen. */
  lastLine(): string {
    const lines = this.plainLines();
    for (let i = lines.length - 1; i >= 0; i--) {
      const l = lines[i]?.trim();
      if (l) return l;
    }
    return '';
  }

  // ---- stable plain-text log ----

  /** Absolute index (normal buffer) of the next line to commit. */
  private nextAbs(): number {
    if (!this.nextMarker) return 0;
    if (this.nextMarker.isDisposed) {
      // Trimmed out of scrollback before it was committed.
      this.nextMarker = undefined;
      return 0;
    }
    return this.nextMarker.line;
  }

  /**
   * Commit normal-buffer lines that can no longer change: every line in scrollback, plus live
   * rows above `stableRows` (rows of the live screen that the agent has finished drawing).
   * Returns the newly committed lines.
   */
  commit(stableRows: number): string[] {
    if (this.altScreen) return [];
    const b = this.term.buffer.normal;
    const start = this.nextAbs();
    const end = b.baseY + Math.max(0, Math.min(stableRows, this.term.rows));
    if (end <= start) return [];
    const added: string[] = [];
    for (let abs = start; abs < end; abs++) {
      const line = b.getLine(abs);
      if (!line) break;
      const text = line.translateToString(true).trimEnd();
      if (line.isWrapped && added.length > 0) added[added.length - 1] += text;
      else added.push(text);
    }
    this.appendLog(added);
    this.placeMarker(end);
    return added;
  }

  private placeMarker(abs: number): void {
    this.nextMarker?.dispose();
    const b = this.term.buffer.normal;
    const cursorAbs = b.baseY + b.cursorY;
    this.nextMarker = this.term.registerMarker(abs - cursorAbs);
  }

  private appendLog(lines: string[]): void {
    if (lines.length === 0) return;
    this.log.push(...lines);
    const over = this.log.length - this.opts.logLimit;
    if (over > 0) {
      this.log.splice(0, over);
      this.logStart += over;
    }
  }

  /** Total stable lines committed so far (the cursor after the last line). */
  get logEnd(): number {
    return this.logStart + this.log.length;
  }

  /** Stable lines from `cursor` on. Lines that fell out of memory are reported as dropped. */
  readLog(cursor: number): { lines: string[]; dropped: number; cursor: number } {
    const from = Math.max(0, cursor);
    const dropped = from < this.logStart ? this.logStart - from : 0;
    const i = Math.max(0, from - this.logStart);
    return { lines: this.log.slice(i), dropped, cursor: this.logEnd };
  }

  dispose(): void {
    this.nextMarker?.dispose();
    this.term.dispose();
  }
}
