/**
 * A frame costs what changed on screen (frame-lines.ts, overlay.ts): the overlay keeps the rows
 * whose screen rows did not change, the frame writer keeps Ink's lines while Ink's frame is the
 * same and splices and measures again only lines whose rows changed. None of it may change one
 * byte of what goes to the terminal: random screens and edits (real Screens, so the rows come
 * from the engine's row cache) through the cached path give exactly the bytes of the uncached
 * path, which is the code before the caches (kept as the reference in test/helpers/frame-reference.ts:
 * every body row drawn again at every update, every line pinned, spliced by a scan, measured whole).
 */
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { Screen } from '../../src/engine/screen.js';
import { guardText } from '../../src/ui/cells.js';
import { FrameLines, visibleWidth } from '../../src/ui/frame-lines.js';
import { FrameWriter } from '../../src/ui/frame-writer.js';
import { BodyOverlay, type BodyRow, type BodySpec, type LiveLine } from '../../src/ui/overlay.js';
import { stringWidth } from '../../src/ui/width.js';
import { ReferenceOverlay, ReferenceWriter } from '../helpers/frame-reference.js';
import { rng } from '../helpers/rng.js';

class Term extends EventEmitter {
  columns = 60;
  rows = 20;
  writes: string[] = [];
  write(data: string): boolean {
    this.writes.push(data);
    return true;
  }
}

const TEXT = [
  'abc',
  'hello world ',
  'x',
  '漢字',
  '👍🏽',
  'e\u0301',
  '\u093e',
  '  ',
  'ok.',
  '─────',
  '⚠️',
  '1️⃣',
  '\t',
];
const OPS = [
  '\r\n',
  '\n',
  '\r',
  '\x1b[A',
  '\x1b[2B',
  '\x1b[3C',
  '\x1b[D',
  '\x1b[1;1H',
  '\x1b[4;2H',
  '\x1b[K',
  '\x1b[2K',
  '\x1b[J',
  '\x1b[31m',
  '\x1b[42m',
  '\x1b[38;2;10;200;30m',
  '\x1b[7m',
  '\x1b[1m',
  '\x1b[0m',
  '\x1b[S',
  '\x1b[L',
  '\x1b[M',
  '\x1b[2P',
  '\x1bM',
  '\x1b[2;4r',
  '\x1b[r',
  '\x1b[?1049h',
  '\x1b[?1049l',
  '\x1b[?25l',
  '\x1b[?25h',
];
const TITLES = ['#1 claude · 3s', '#2 👍🏽 done', '日本語 title', 'e\u0301 accent', '\u093e mark', ''];
const INK_TEXT = ['status: ok', '👍🏽 done 日本', ' e\u0301', '⚠️ warn', '\u093e', '❯ prompt'];

interface Pane {
  slot: number;
  id: string;
  x: number;
  w: number;
  y: number;
  h: number;
  spec: BodySpec;
}

describe('cached frames are byte-identical to uncached frames', () => {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random screens, edits, cursor, scroll, zoom and resizes (seed ${seed})`, async () => {
      const rand = rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
      const ids = ['a', 'b', 'c', 'd'];
      const byId = new Map<string, Screen>();
      for (const id of ids) {
        const s = new Screen({ cols: 20, rows: 6, scrollback: 30 });
        screens.push(s);
        byId.set(id, s);
      }
      const engine = {
        screen: (id: string, scroll = 0) => byId.get(id)?.styledLines(scroll) ?? [],
        cursor: (id: string) => byId.get(id)?.cursor(),
      } as unknown as Engine;
      const write = (s: Screen, d: string) => new Promise<void>((resolve) => s.write(d, resolve));

      const term = new Term();
      const overlay = new BodyOverlay();
      let updates = 0;
      const update = overlay.update.bind(overlay);
      overlay.update = () => {
        updates++;
        update();
      };
      // A frozen clock: every write is the one flush() makes, so both paths write the same frames.
      const writer = new FrameWriter(term, { now: () => 0, overlay });
      const ref = new ReferenceOverlay();
      const refWriter = new ReferenceWriter();

      let panes: Pane[] = [];
      const titles = new Map<string, LiveLine>();
      let inkNote = '';
      let trim = false;
      let unknownMarker = false;
      const colorLevel = pick([0, 1, 2, 3] as const);

      const liveLine = (text: string, width: number): LiveLine => ({
        width,
        draw: () => {
          const g = guardText(text);
          return { ansi: g, used: Math.min(width, stringWidth(text)) };
        },
      });
      /** Panes tiled in the terminal: zoomed (one), side by side, or 2×2; bodies shown. */
      const layout = (kind: number) => {
        for (const p of panes) {
          overlay.hide(p.slot, p.spec);
          ref.hide(p.slot, p.spec);
        }
        const cols = term.columns;
        const rows = term.rows - 1;
        const cells: [number, number, number, number][] = [];
        if (kind === 0) cells.push([0, cols, 0, rows]);
        else if (kind === 1) {
          const w = Math.floor(cols / 2);
          cells.push([0, w, 0, rows], [w, cols - w, 0, rows]);
        } else {
          const w = Math.floor(cols / 2);
          const h = Math.floor(rows / 2);
          cells.push([0, w, 0, h], [w, cols - w, 0, h], [0, w, h, rows - h], [w, cols - w, h, rows - h]);
        }
        panes = cells.map(([x, w, y, h], i) => {
          const id = ids[(i + kind) % ids.length] ?? 'a';
          // Now and then a body narrower than Ink's box (Ink's padding is consumed only up to it).
          const narrow = rand() < 0.15 ? 1 : 0;
          const spec: BodySpec = {
            engine,
            id,
            scroll: 0,
            cols: w - 2 - narrow,
            rows: h - 2,
            showCursor: rand() < 0.5,
            colorLevel,
          };
          return { slot: i, id, x, w, y, h, spec };
        });
        for (const p of panes) {
          const s = byId.get(p.id);
          if (s && rand() < 0.8) s.resize(p.spec.cols, p.spec.rows);
          overlay.show(p.slot, p.spec);
          ref.show(p.slot, p.spec);
          const title = liveLine(pick(TITLES), p.w);
          const marker = BodyOverlay.lineMarker(p.slot, 0);
          overlay.showLine(marker, title);
          ref.showLine(marker, title);
          titles.set(marker, title);
        }
      };
      /** Ink's frame: per pane a title marker, bordered body rows with markers, a bottom border. */
      const inkFrame = (): string => {
        const lines: string[] = [];
        for (let row = 0; row < term.rows - 1; row++) {
          let line = '';
          for (const p of [...panes].sort((a, b) => a.x - b.x)) {
            if (row < p.y || row >= p.y + p.h) continue;
            const r = row - p.y;
            if (r === 0) line += BodyOverlay.lineMarker(p.slot, 0) + ' '.repeat(p.w - 2);
            else if (r === p.h - 1) line += `╰${'─'.repeat(p.w - 2)}╯`;
            else {
              const m =
                unknownMarker && r === 1 ? BodyOverlay.marker(200, 0) : BodyOverlay.marker(p.slot, r - 1);
              line += `\x1b[36m│\x1b[39m${m}${' '.repeat(p.w - 4)}\x1b[36m│\x1b[39m`;
            }
          }
          lines.push(trim ? line.replace(/ +$/, '') : line);
        }
        lines.push(`${inkNote} ${BodyOverlay.lineMarker(0, 1)}`);
        return lines.join('\n');
      };

      let data = '';
      const step = (refresh: boolean, frame: boolean, resized = false) => {
        const before = term.writes.length;
        const updatesBefore = updates;
        if (frame) {
          data = inkFrame();
          writer.frame(data);
        } else writer.redraw(); // a live line changed (the controller's drawn())
        if (refresh) writer.refresh();
        writer.flush();
        if (resized) refWriter.full = true;
        // Bodies are re-read when the writer says so (a refresh), and then in both paths.
        if (refresh) ref.update();
        const want = refWriter.write(data, term.columns, term.rows, ref);
        const got = term.writes.slice(before).join('');
        expect(updates - updatesBefore).toBe(refresh ? 1 : 0);
        expect(got).toBe(want === '' ? '' : `\x1b[?2026h${want}\x1b[?2026l`);
      };

      layout(2);
      step(false, true);
      for (let n = 0; n < 250; n++) {
        const r = rand();
        if (r < 0.6) {
          // Output in one or two sessions.
          for (const id of rand() < 0.3 ? ids : [pick(ids)]) {
            const s = byId.get(id);
            if (!s) continue;
            let chunk = '';
            const k = 1 + Math.floor(rand() * 5);
            for (let i = 0; i < k; i++) chunk += rand() < 0.5 ? pick(TEXT) : pick(OPS);
            await write(s, chunk);
            overlay.changed(id);
            ref.changed(id);
          }
          // Mostly a refresh; sometimes an Ink frame goes out first with the bodies as last drawn.
          step(rand() < 0.8, rand() < 0.1);
        } else if (r < 0.68) {
          // A title changes (a live line shown again), with an emoji or a mark now and then.
          const p = pick(panes);
          const marker = BodyOverlay.lineMarker(p.slot, 0);
          const old = titles.get(marker);
          const title = liveLine(pick(TITLES), p.w);
          overlay.showLine(marker, title);
          ref.showLine(marker, title);
          if (old && rand() < 0.5) {
            overlay.hideLine(marker, old);
            ref.hideLine(marker, old);
          }
          titles.set(marker, title);
          step(false, false);
        } else if (r < 0.74) {
          // The prompt box's live line appears, changes or goes.
          const marker = BodyOverlay.lineMarker(0, 1);
          const old = titles.get(marker);
          if (old && rand() < 0.3) {
            overlay.hideLine(marker, old);
            ref.hideLine(marker, old);
            titles.delete(marker);
          } else {
            const line = liveLine(`> ${pick(TEXT)}${pick(TEXT)}`, 12);
            overlay.showLine(marker, line);
            ref.showLine(marker, line);
            titles.set(marker, line);
          }
          step(false, false);
        } else if (r < 0.8) {
          // Ink's own text changes (a status), is trimmed, or holds a marker nobody shows.
          inkNote = pick(INK_TEXT);
          trim = rand() < 0.4;
          unknownMarker = rand() < 0.2;
          step(rand() < 0.5, true);
        } else if (r < 0.86) {
          // Scrolled back, cursor shown or hidden, narrower: a new spec for one pane (a re-render).
          const p = pick(panes);
          const s = byId.get(p.id);
          const spec: BodySpec = {
            ...p.spec,
            scroll: rand() < 0.5 ? 0 : Math.floor(rand() * ((s?.scrollbackLength() ?? 0) + 2)),
            showCursor: rand() < 0.5,
            // Now and then narrower than the screen (which keeps its rows: the same objects).
            cols: rand() < 0.3 ? Math.max(2, p.w - 3 - Math.floor(rand() * 4)) : p.spec.cols,
          };
          // React's order: the new spec is shown, then the old one's cleanup hides it (a no-op).
          overlay.show(p.slot, spec);
          ref.show(p.slot, spec);
          overlay.hide(p.slot, p.spec);
          ref.hide(p.slot, p.spec);
          p.spec = spec;
          step(false, true);
        } else if (r < 0.9) {
          // The same spec shown again (a re-render for a new screen version).
          const p = pick(panes);
          overlay.show(p.slot, p.spec);
          ref.show(p.slot, p.spec);
          step(false, true);
        } else if (r < 0.96) {
          // Zoom in or out, or another tiling.
          layout(Math.floor(rand() * 3));
          step(rand() < 0.5, true);
        } else {
          // The terminal is resized: a full repaint with Ink's next frame.
          term.columns = 30 + Math.floor(rand() * 50);
          term.rows = 8 + Math.floor(rand() * 16);
          term.emit('resize');
          layout(Math.floor(rand() * 3));
          step(true, true, true);
        }
      }
      writer.dispose();
    });
  }
});

describe('the overlay keeps rows that did not change', () => {
  it('a changed screen row makes a new row object; the others stay the same objects', async () => {
    const s = new Screen({ cols: 20, rows: 4, scrollback: 10 });
    const engine = {
      screen: (_id: string, scroll = 0) => s.styledLines(scroll),
      cursor: () => s.cursor(),
    } as unknown as Engine;
    const write = (d: string) => new Promise<void>((resolve) => s.write(d, resolve));
    await write('one\r\ntwo\r\nthree\r\nfour');
    const overlay = new BodyOverlay();
    const spec: BodySpec = { engine, id: 'a', scroll: 0, cols: 20, rows: 4, showCursor: true, colorLevel: 2 };
    overlay.show(0, spec);
    const rowsNow = () =>
      [0, 1, 2, 3].map((y) => {
        const out = { row: undefined as BodyRow | undefined, width: 0 };
        overlay.resolve(BodyOverlay.marker(0, y), out);
        return out.row;
      });
    // A row is drawn again exactly when the screen gives a row object not drawn last time (xterm
    // changed that row: the row cache), or the cursor came, went or moved on it; any other row is
    // the drawing of last time, wherever the row is now (a scroll moves rows, it does not change them).
    const check = (before: (BodyRow | undefined)[], lines: unknown[], cursor: { x: number; y: number }) => {
      const after = rowsNow();
      const linesNow = s.styledLines();
      const cursorNow = s.cursor();
      const drawnBefore = new Map(
        lines.map((l, y) => [l, before[y]] as const).filter((_, y) => y !== cursor.y),
      );
      const old = new Set(before);
      for (let y = 0; y < 4; y++) {
        const line = linesNow[y];
        const kept =
          y === cursorNow.y
            ? line === lines[cursor.y] && cursor.x === cursorNow.x
              ? before[cursor.y]
              : undefined
            : drawnBefore.get(line);
        if (kept) expect(after[y], `row ${y}`).toBe(kept);
        else expect(old.has(after[y]), `row ${y} drawn anew`).toBe(false);
      }
      return { after, lines: linesNow, cursor: cursorNow };
    };
    let state = { after: rowsNow(), lines: s.styledLines() as unknown[], cursor: s.cursor() };
    await write('\x1b[2;1H\x1b[2KTWO\x1b[4;5H');
    overlay.changed('a');
    overlay.update();
    state = check(state.after, state.lines, state.cursor);
    expect(state.after[1]?.ansi).toBe('TWO');
    expect(state.after[0]?.ansi).toBe('one');
    // The cursor moves up a row: the rows it left and reached are drawn again.
    const kept = state.after[0];
    await write('\x1b[A');
    overlay.changed('a');
    overlay.update();
    state = check(state.after, state.lines, state.cursor);
    expect(state.after[0]).toBe(kept);
    // A repaint of one row by claude's way (up, rewrite, down) leaves row 0 alone.
    await write('\x1b[A\r\x1b[2K· thinking\x1b[B');
    overlay.changed('a');
    overlay.update();
    state = check(state.after, state.lines, state.cursor);
    expect(state.after[0]).toBe(kept);
    // New lines scroll the screen: the rows that moved up keep their drawing.
    const moved = state.after[1];
    await write('\x1b[4;1H\r\nfive');
    overlay.changed('a');
    overlay.update();
    state = check(state.after, state.lines, state.cursor);
    expect(state.after[0]).toBe(moved);
    expect(moved?.ansi).toContain('thinking');
    expect(state.after[3]?.ansi).toContain('five');
    s.dispose();
  });
});

describe('FrameLines', () => {
  it("measures a spliced line as the sum of its pieces, or whole where a seam could join (the writer's erase)", () => {
    const rows: Record<string, BodyRow> = {
      a: { ansi: 'abc', used: 3 },
      // A variation selector at the start of a row joins Ink's ⚠ before it into one wide cluster.
      b: { ansi: '\ufe0fbc', used: 3 },
      // A flag split at the seam: two cells joined, four apart.
      d: { ansi: '🇸b', used: 3 },
      c: { ansi: '\x1b[0;31m漢\x1b[0m', used: 2 },
    };
    let which = 'a';
    const splicer = {
      version: 0,
      update: () => {},
      resolve: (_m: string, out: { row: BodyRow | undefined; width: number }) => {
        out.row = rows[which];
        out.width = 6;
      },
    };
    const lines = new FrameLines(splicer);
    const frame = [
      `x${BodyOverlay.marker(0, 0)}    │`,
      `x⚠${BodyOverlay.marker(0, 1)}    │`,
      `🇺${BodyOverlay.marker(0, 2)}    │`,
    ].join('\n');
    for (const w of ['a', 'b', 'c', 'd']) {
      which = w;
      splicer.version++;
      for (const line of lines.get(frame, 5)) expect(line.width()).toBe(visibleWidth(line.text));
    }
    // The joins are real: measured apart, ⚠ + VS16 and the two halves of the flag are wider.
    expect(visibleWidth('x⚠') + visibleWidth('\ufe0fbc')).toBeLessThan(visibleWidth('x⚠\ufe0fbc'));
    expect(visibleWidth('🇺') + visibleWidth('🇸b')).toBeGreaterThan(visibleWidth('🇺🇸b'));
  });
});
