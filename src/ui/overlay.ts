/**
 * Pane bodies drawn around Ink instead of through it.
 *
 * Why: Ink turns every frame into a grid of per-character objects: it tokenizes each text node's
 * ANSI string character by character (ansi-tokenize), measures characters (string-width) and
 * re-serializes every row, whatever changed. A pane body is a whole screen of colored text, so
 * every frame paid for every character of every pane, a keystroke (which re-renders the whole
 * tree) paid for every pane on screen, and a flooding pane left the parser little time
 * (BENCHMARKS.md, "What the profiles showed", item 4, has the figures).
 *
 * So in the terminal UI:
 *  - Ink lays out a 2-cell marker per body row (private-use characters naming the pane's slot and
 *    the row); markers never change, so screen output does not re-render the React tree at all;
 *  - each body registers what it shows (show()); when a session's screen changes, the overlay
 *    marks it dirty and asks the frame writer for a frame (onChange);
 *  - the frame writer, right before it writes, calls update() (re-reads dirty screens, at most
 *    once per frame) and apply() on each line: marker + Ink's blank padding → the body row.
 * Live lines (LiveLine) go the same way for rows the UI draws itself that change without any
 * structural change: a pane's title (its elapsed time, redrawn by tick() once a second) and the
 * prompt box's rows as they are typed (redrawn by the controller, then drawn()), so neither a
 * clock tick nor the echo of a key renders the React tree or a full Ink frame.
 * Ink still does layout, borders, footers and bars. Without an overlay in context (tests with
 * ink-testing-library), panes render their rows through Ink as before.
 */
import { createContext } from 'react';
import type { Engine } from '../engine/engine.js';
import type { StyledLine } from '../engine/types.js';
import { type ColorLevel, clipLine, spansToAnsi, spansWidth } from './ansi.js';
import { type BodyRow, markersIn, type Resolved, type Splicer, spliceLine } from './frame-lines.js';

const SLOT_BASE = 0xe000; // 256 slots: U+E000–U+E0FF (frame-lines.ts MARKER)
const ROW_BASE = 0xe100; // rows: U+E100–U+F8FF
/** Row codes at the top of the range name single lines (titles, the prompt box), not body rows. */
const LINE_CODES = 8;
const MAX_ROWS = 0xf8ff - ROW_BASE + 1 - LINE_CODES;

/** What a pane body shows. */
export interface BodySpec {
  engine: Engine;
  id: string;
  scroll: number;
  cols: number;
  rows: number;
  showCursor: boolean;
  colorLevel: ColorLevel;
}

export type { BodyRow };

/** A body as drawn: its rows, each screen row's drawing (without the cursor), the cursor's row. */
interface BodyDraw {
  rows: BodyRow[];
  drawn: Map<StyledLine, BodyRow>;
  cursor: { line: StyledLine; x: number; row: BodyRow } | undefined;
}

/** A row the screen does not have (one object, so that it compares equal from frame to frame). */
const NO_ROW: StyledLine = [];

/**
 * Draw a body, keeping the drawing of each screen row that `prev` (drawn for the same spec) drew
 * from the same row object, wherever it is now: the screen's row cache (engine/row-cache.ts)
 * hands out the same object until xterm changes that row, and keeps it when the screen scrolls,
 * so a claude repaint or a new line of its answer draws the rows it touched, not the pane. The
 * cursor's row is kept only if the cursor is still on that row object, at the same column.
 * Scrolled back (scroll > 0) every read makes new rows: all are drawn again.
 */
function drawBody(spec: BodySpec, guarded: boolean, prev?: BodyDraw): BodyDraw {
  const { engine, id, scroll, cols, rows, showCursor, colorLevel } = spec;
  let screen: StyledLine[] = [];
  let cursor: { x: number; y: number } | undefined;
  try {
    screen = engine.screen(id, scroll);
    if (showCursor && scroll === 0) cursor = engine.cursor(id);
  } catch {
    screen = [];
  }
  const out: BodyDraw = { rows: new Array(rows), drawn: new Map(), cursor: undefined };
  const draw = (line: StyledLine, cx: number | undefined): BodyRow => {
    const spans = clipLine(line, cols, cx);
    return { ansi: spansToAnsi(spans, colorLevel, guarded), used: Math.min(spansWidth(spans), cols) };
  };
  for (let y = 0; y < rows; y++) {
    const line = screen[y] ?? NO_ROW;
    let row: BodyRow | undefined;
    if (cursor && cursor.y === y) {
      const x = cursor.x;
      const kept = prev?.cursor;
      row = kept && kept.line === line && kept.x === x ? kept.row : draw(line, x);
      out.cursor = { line, x, row };
    } else {
      row = out.drawn.get(line) ?? prev?.drawn.get(line) ?? draw(line, undefined);
      out.drawn.set(line, row);
    }
    out.rows[y] = row;
  }
  return out;
}

/**
 * The rows of a body: the session's screen clipped to the body, cursor drawn, as ANSI. Widths
 * are the screen's own cells (never re-measured), so a row is exactly as wide as the pane says;
 * `guarded` (the frame writer's path) also pins each cell whose width terminals disagree on to
 * its place (cells.ts), so no text can move a border.
 */
export function bodyRows(spec: BodySpec, guarded = false): BodyRow[] {
  return drawBody(spec, guarded).rows;
}

/**
 * A line the UI draws itself, outside React (a pane's title with its ticking clock, a row of
 * the prompt box as it is typed): what it shows is drawn by `draw()`, whose ANSI is already
 * pinned (cells.ts guardText) and exactly `width` cells once padded.
 */
export interface LiveLine {
  width: number;
  draw(): BodyRow;
  /** Drawn again on every clock tick (tick()). */
  clock?: boolean;
}

export interface BodyOverlayOptions {
  /** Called when a body's screen changed and a frame should be written. */
  onChange?: () => void;
  /** Called when a live line changed (a key's echo): a frame should be written soon. */
  onDraw?: () => void;
}

export class BodyOverlay implements Splicer {
  /** Slot → what the body there shows, and its rows as last drawn. */
  private readonly bodies = new Map<number, { spec: BodySpec; draw: BodyDraw }>();
  /** Session ids whose screen changed since their bodies were last drawn. */
  private readonly dirty = new Set<string>();
  /** Marker → a live line and its row as last drawn. */
  private readonly lines = new Map<string, { line: LiveLine; row: BodyRow }>();
  /**
   * Bumped whenever a marker may show something else (frame-lines.ts re-resolves markers only
   * then). A row that did not change keeps its object, so lines over it are not spliced again.
   */
  version = 0;

  constructor(private readonly opts: BodyOverlayOptions = {}) {}

  /** Whether a body of this size can be drawn this way (else: through Ink). */
  static fits(rows: number, cols: number): boolean {
    return rows <= MAX_ROWS && cols >= 2;
  }

  /** The marker Ink lays out in place of row `row` of the body in slot `slot` (2 cells). */
  static marker(slot: number, row: number): string {
    return String.fromCharCode(SLOT_BASE + (slot & 0xff), ROW_BASE + row);
  }

  /** The marker of live line `n` (0 … LINE_CODES - 1) of `slot`: never a body row's marker. */
  static lineMarker(slot: number, n: number): string {
    return BodyOverlay.marker(slot, MAX_ROWS + (n % LINE_CODES));
  }

  /** The line under `marker` shows `line` (drawn now). */
  showLine(marker: string, line: LiveLine): void {
    this.lines.set(marker, { line, row: line.draw() });
    this.version++;
  }

  /** Like hide(): only that exact line is removed (a re-render shows the next one first). */
  hideLine(marker: string, line: LiveLine): void {
    if (this.lines.get(marker)?.line !== line) return;
    this.lines.delete(marker);
    this.version++;
  }

  /** Live lines changed without a React render (a key's echo): write a frame soon. */
  drawn(): void {
    (this.opts.onDraw ?? this.opts.onChange)?.();
  }

  /** The clock ticked: clock lines are drawn again; a frame is asked for if one changed. */
  tick(): void {
    let changed = false;
    for (const entry of this.lines.values()) {
      if (!entry.line.clock) continue;
      const row = entry.line.draw();
      if (row.ansi === entry.row.ansi && row.used === entry.row.used) continue;
      changed = true;
      entry.row = row;
    }
    if (!changed) return;
    this.version++;
    this.opts.onChange?.();
  }

  /** The body in `slot` shows `spec` (drawn now); returns its markers, one per row. */
  show(slot: number, spec: BodySpec): string[] {
    // The same spec shown again (a re-render for a new screen version) keeps its unchanged rows.
    const prev = this.bodies.get(slot & 0xff);
    this.bodies.set(slot & 0xff, {
      spec,
      draw: drawBody(spec, true, prev?.spec === spec ? prev.draw : undefined),
    });
    this.version++;
    return Array.from({ length: spec.rows }, (_, y) => BodyOverlay.marker(slot, y));
  }

  /**
   * The body in `slot` no longer shows `spec`. Only that exact spec is removed: when a pane
   * re-renders with a new spec (a resize), React runs the old effect's cleanup after the new
   * render's show(), and removing by session id would blank the pane until its next re-render.
   */
  hide(slot: number, spec: BodySpec): void {
    if (this.bodies.get(slot & 0xff)?.spec !== spec) return;
    this.bodies.delete(slot & 0xff);
    this.version++;
  }

  /** Session `id`'s screen changed: its bodies are redrawn with the next frame. */
  changed(id: string): void {
    this.dirty.add(id);
    this.opts.onChange?.();
  }

  /** Re-read the screens that changed (the frame writer calls this once per frame). */
  update(): void {
    if (this.dirty.size === 0) return;
    for (const body of this.bodies.values()) {
      if (this.dirty.has(body.spec.id)) body.draw = drawBody(body.spec, true, body.draw);
    }
    this.dirty.clear();
    this.version++;
  }

  /** What `marker` shows now (a live line before a body row), into `out`. */
  resolve(marker: string, out: Resolved): void {
    const live = this.lines.get(marker);
    if (live) {
      out.row = live.row;
      out.width = live.line.width;
      return;
    }
    const body = this.bodies.get(marker.charCodeAt(0) - SLOT_BASE);
    if (!body) return;
    out.row = body.draw.rows[marker.charCodeAt(1) - ROW_BASE];
    out.width = body.spec.cols;
  }

  /** A frame line with every known marker (and the blank padding Ink put after it) replaced. */
  apply(line: string): string {
    const at = markersIn(line);
    if (at.length === 0) return line;
    const scratch: Resolved = { row: undefined, width: 0 };
    const rows: (BodyRow | undefined)[] = [];
    const widths: number[] = [];
    for (const index of at) {
      scratch.row = undefined;
      scratch.width = 0;
      this.resolve(line.slice(index, index + 2), scratch);
      rows.push(scratch.row);
      widths.push(scratch.width);
    }
    return spliceLine(line, at, rows, widths);
  }
}

export const BodyOverlayContext = createContext<BodyOverlay | undefined>(undefined);
