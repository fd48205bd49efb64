import { describe, expect, it } from 'vitest';
import {
  BOTTOM_FIXED_ROWS,
  computeLayout,
  gridShape,
  type LayoutOk,
  MIN_INNER_COLS,
  MIN_INNER_ROWS,
  minimumSize,
  paneRows,
  split,
} from '../../src/ui/layout.js';

const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
  [120, 40],
  [160, 45],
  [200, 60],
  [61, 17],
  [40, 12],
  [30, 8],
  [20, 5],
];

function expectOk(l: ReturnType<typeof computeLayout>): asserts l is LayoutOk {
  expect(l.ok).toBe(true);
}

describe('gridShape', () => {
  it('1 = full, 2 = side by side, 3-4 = 2x2, more = grid', () => {
    expect(gridShape(1)).toEqual({ columns: 1, rows: 1 });
    expect(gridShape(2)).toEqual({ columns: 2, rows: 1 });
    expect(gridShape(3)).toEqual({ columns: 2, rows: 2 });
    expect(gridShape(4)).toEqual({ columns: 2, rows: 2 });
    expect(gridShape(5)).toEqual({ columns: 3, rows: 2 });
    expect(gridShape(6)).toEqual({ columns: 3, rows: 2 });
    expect(gridShape(7)).toEqual({ columns: 3, rows: 3 });
    expect(gridShape(9)).toEqual({ columns: 3, rows: 3 });
    expect(gridShape(10)).toEqual({ columns: 4, rows: 3 });
  });
});

describe('split', () => {
  it('sums to the total and differs by at most one', () => {
    for (const total of [0, 1, 7, 80, 101]) {
      for (const parts of [1, 2, 3, 4]) {
        const s = split(total, parts);
        expect(s.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('computeLayout', () => {
  for (let count = 1; count <= 9; count++) {
    for (const [cols, rows] of SIZES) {
      for (const promptRows of [1, 3]) {
        it(`${count} pane(s) in ${cols}x${rows}, prompt ${promptRows}: fits or says it is too small`, () => {
          const l = computeLayout({ count, cols, rows, promptRows });
          const need = minimumSize(count, promptRows);
          if (!l.ok) {
            expect(l.need).toEqual(need);
            expect(cols < need.cols || rows < need.rows).toBe(true);
            return;
          }
          expect(cols >= need.cols && rows >= need.rows).toBe(true);
          expect(l.panes).toHaveLength(count);
          // Never overflow, never overlap, inner sizes are the border-less sizes.
          const cells = new Set<string>();
          for (const p of l.panes) {
            expect(p.x).toBeGreaterThanOrEqual(0);
            expect(p.y).toBeGreaterThanOrEqual(0);
            expect(p.x + p.width).toBeLessThanOrEqual(cols);
            expect(p.y + p.height).toBeLessThanOrEqual(l.paneArea.height);
            expect(p.innerCols).toBe(p.width - 2);
            expect(p.innerRows).toBe(p.height - 2);
            expect(p.innerCols).toBeGreaterThanOrEqual(MIN_INNER_COLS);
            expect(p.innerRows).toBeGreaterThanOrEqual(MIN_INNER_ROWS);
            for (let y = p.y; y < p.y + p.height; y += Math.max(1, p.height - 1)) {
              for (let x = p.x; x < p.x + p.width; x += Math.max(1, p.width - 1)) {
                const k = `${x},${y}`;
                expect(cells.has(k)).toBe(false);
                cells.add(k);
              }
            }
          }
          // Each row of panes spans the full width; rows stack to the full pane area.
          const prs = paneRows(l.panes);
          expect(prs).toHaveLength(gridShape(count).rows);
          for (const r of prs) expect(r.reduce((a, p) => a + p.width, 0)).toBe(cols);
          expect(prs.reduce((a, r) => a + (r[0]?.height ?? 0), 0)).toBe(l.paneArea.height);
          // Bottom: event line, prompt, hint line, exactly filling the terminal.
          expect(l.paneArea.height + BOTTOM_FIXED_ROWS + promptRows).toBe(rows);
          expect(l.hintLine.y).toBe(rows - 1);
          expect(l.prompt.height).toBe(promptRows);
        });
      }
    }
  }

  it('1 pane is full width; 2 are side by side; 3 use 2x2 with the last row shared', () => {
    const one = computeLayout({ count: 1, cols: 120, rows: 40, promptRows: 1 });
    expectOk(one);
    expect(one.panes[0]).toMatchObject({ x: 0, y: 0, width: 120, height: 37 });
    const two = computeLayout({ count: 2, cols: 120, rows: 40, promptRows: 1 });
    expectOk(two);
    expect(two.panes.map((p) => [p.x, p.y, p.width, p.height])).toEqual([
      [0, 0, 60, 37],
      [60, 0, 60, 37],
    ]);
    const three = computeLayout({ count: 3, cols: 120, rows: 40, promptRows: 1 });
    expectOk(three);
    expect(three.panes.map((p) => [p.x, p.y, p.width])).toEqual([
      [0, 0, 60],
      [60, 0, 60],
      [0, 18, 120],
    ]);
    const four = computeLayout({ count: 4, cols: 120, rows: 40, promptRows: 1 });
    expectOk(four);
    expect(four.grid).toEqual({ columns: 2, rows: 2 });
  });

  it('zoom shows only the chosen pane over the whole area', () => {
    const l = computeLayout({ count: 9, cols: 100, rows: 30, promptRows: 1, zoomIndex: 4 });
    expectOk(l);
    expect(l.panes).toEqual([expect.objectContaining({ index: 4, x: 0, y: 0, width: 100, height: 27 })]);
  });

  it('zoom fits where the grid does not', () => {
    expect(computeLayout({ count: 9, cols: 50, rows: 14, promptRows: 1 }).ok).toBe(false);
    expect(computeLayout({ count: 9, cols: 50, rows: 14, promptRows: 1, zoomIndex: 0 }).ok).toBe(true);
  });

  it('no sessions: an empty pane area', () => {
    const l = computeLayout({ count: 0, cols: 80, rows: 24, promptRows: 1 });
    expectOk(l);
    expect(l.panes).toEqual([]);
    expect(l.paneArea.height).toBe(21);
  });

  it('reports the size it needs', () => {
    const l = computeLayout({ count: 9, cols: 40, rows: 10, promptRows: 1 });
    expect(l).toEqual({ ok: false, need: minimumSize(9, 1) });
    expect(minimumSize(9, 1)).toEqual({ cols: 66, rows: 18 });
  });
});
