/**
 * The frame path before its caches (frame-lines.ts, overlay.ts drawBody), kept as the reference
 * the cached path must match byte for byte (test/ui/frame-cache.test.ts): every body row drawn
 * again at every update, every Ink line pinned, spliced by a scan and measured whole.
 */
import type { StyledLine } from '../../src/engine/types.js';
import { clipLine, spansToAnsi, spansWidth } from '../../src/ui/ansi.js';
import { guardText } from '../../src/ui/cells.js';
import { visibleWidth } from '../../src/ui/frame-lines.js';
import type { BodyRow, BodySpec, LiveLine } from '../../src/ui/overlay.js';

const SLOT = 0xe000;
const ROW = 0xe100;
const MARKER = /[\ue000-\ue0ff][\ue100-\uf8ff]/g;

/** A body's rows as the overlay drew them before its row cache: every row, every time. */
export function referenceRows(spec: BodySpec): BodyRow[] {
  const { engine, id, scroll, cols, rows, showCursor, colorLevel } = spec;
  let screen: StyledLine[] = [];
  let cursor: { x: number; y: number } | undefined;
  try {
    screen = engine.screen(id, scroll);
    if (showCursor && scroll === 0) cursor = engine.cursor(id);
  } catch {
    screen = [];
  }
  const out: BodyRow[] = [];
  for (let y = 0; y < rows; y++) {
    const spans = clipLine(screen[y] ?? [], cols, cursor && cursor.y === y ? cursor.x : undefined);
    out.push({ ansi: spansToAnsi(spans, colorLevel, true), used: Math.min(spansWidth(spans), cols) });
  }
  return out;
}

/** The overlay before its row cache (what BodyOverlay did until frame-lines.ts). */
export class ReferenceOverlay {
  private readonly bodies = new Map<number, { spec: BodySpec; rows: BodyRow[] }>();
  private readonly dirty = new Set<string>();
  private readonly lines = new Map<string, { line: LiveLine; row: BodyRow }>();

  show(slot: number, spec: BodySpec): void {
    this.bodies.set(slot, { spec, rows: referenceRows(spec) });
  }
  hide(slot: number, spec: BodySpec): void {
    if (this.bodies.get(slot)?.spec === spec) this.bodies.delete(slot);
  }
  showLine(marker: string, line: LiveLine): void {
    this.lines.set(marker, { line, row: line.draw() });
  }
  hideLine(marker: string, line: LiveLine): void {
    if (this.lines.get(marker)?.line === line) this.lines.delete(marker);
  }
  changed(id: string): void {
    this.dirty.add(id);
  }
  update(): void {
    if (this.dirty.size === 0) return;
    for (const body of this.bodies.values()) {
      if (this.dirty.has(body.spec.id)) body.rows = referenceRows(body.spec);
    }
    this.dirty.clear();
  }
  apply(line: string): string {
    MARKER.lastIndex = 0;
    if (!MARKER.test(line)) return line;
    MARKER.lastIndex = 0;
    let out = '';
    let from = 0;
    for (let m = MARKER.exec(line); m; m = MARKER.exec(line)) {
      const live = this.lines.get(m[0]);
      const body = live ? undefined : this.bodies.get(m[0].charCodeAt(0) - SLOT);
      const row = live ? live.row : body?.rows[m[0].charCodeAt(1) - ROW];
      const width = live ? live.line.width : body?.spec.cols;
      if (!row || width === undefined) continue;
      out += line.slice(from, m.index);
      let end = m.index + 2;
      const limit = end + width - 2;
      while (end < limit && line.charCodeAt(end) === 0x20) end++;
      out += row.ansi + ' '.repeat(Math.max(0, width - row.used));
      from = end;
      MARKER.lastIndex = end;
    }
    return out + line.slice(from);
  }
}

/** The frame writer's write() before its line cache: the bytes of one write. */
export class ReferenceWriter {
  private previous: string[] = [];
  full = true;
  write(data: string, cols: number, rows: number, overlay: ReferenceOverlay): string {
    const lines = data
      .split('\n')
      .slice(0, rows)
      .map((l) => overlay.apply(guardText(l)));
    let body = '';
    if (this.full) body += '\x1b[0m\x1b[2J';
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] ?? '';
      if (!this.full && line === this.previous[i]) continue;
      body += `\x1b[${i + 1};1H${line}\x1b[0m`;
      if (visibleWidth(line) < cols) body += '\x1b[K';
    }
    if (!this.full) {
      for (let i = lines.length; i < Math.min(this.previous.length, rows); i++)
        body += `\x1b[${i + 1};1H\x1b[K`;
    }
    this.previous = lines;
    this.full = false;
    return body;
  }
}
