/**
 * Screen layout as a pure function: where each pane goes, and whether the terminal is big
 * enough. 1 pane = full, 2 = side by side, 3-4 = 2×2, 5-6 = 3×2, 7-9 = 3×3, more = a
 * near-square grid. A row with fewer panes than the grid has columns shares its width among
 * them. Below the panes: one event line, the prompt box (`promptRows` tall), one hint line.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PaneRect extends Rect {
  /** Index of the session in the list this pane shows. */
  index: number;
  /** Size of the area inside the border: what the agent's terminal is resized to. */
  innerCols: number;
  innerRows: number;
}

export interface LayoutInput {
  count: number;
  cols: number;
  rows: number;
  /** Height of the prompt box text area (>= 1). */
  promptRows: number;
  /** When set, only this pane is shown, over the whole pane area. */
  zoomIndex?: number;
}

export interface LayoutOk {
  ok: true;
  panes: PaneRect[];
  paneArea: Rect;
  eventLine: Rect;
  prompt: Rect;
  hintLine: Rect;
  grid: { columns: number; rows: number };
}

export interface LayoutTooSmall {
  ok: false;
  need: { cols: number; rows: number };
}

export type Layout = LayoutOk | LayoutTooSmall;

/** Smallest inside of a pane we accept: narrower than this, agents draw garbage. */
export const MIN_INNER_COLS = 20;
export const MIN_INNER_ROWS = 3;
/** Border is one cell on each side. */
export const BORDER = 2;
/** The bottom bars need at least this width to be readable. */
export const MIN_COLS = 30;
/** Event line + hint line (the prompt box adds its own rows). */
export const BOTTOM_FIXED_ROWS = 2;
export const MAX_PROMPT_ROWS = 5;

/** Grid shape (columns × rows) for n panes. */
export function gridShape(n: number): { columns: number; rows: number } {
  if (n <= 1) return { columns: 1, rows: 1 };
  if (n === 2) return { columns: 2, rows: 1 };
  if (n <= 4) return { columns: 2, rows: 2 };
  if (n <= 6) return { columns: 3, rows: 2 };
  if (n <= 9) return { columns: 3, rows: 3 };
  const columns = Math.ceil(Math.sqrt(n));
  return { columns, rows: Math.ceil(n / columns) };
}

/** Minimum terminal size for n visible panes and a prompt of `promptRows`. */
export function minimumSize(n: number, promptRows: number): { cols: number; rows: number } {
  const { columns, rows } = gridShape(Math.max(1, n));
  return {
    cols: Math.max(MIN_COLS, columns * (MIN_INNER_COLS + BORDER)),
    rows: rows * (MIN_INNER_ROWS + BORDER) + BOTTOM_FIXED_ROWS + promptRows,
  };
}

/** Split `total` into `parts` integer sizes that differ by at most one and sum to `total`. */
export function split(total: number, parts: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < parts; i++) {
    out.push(Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts));
  }
  return out;
}

export function computeLayout(input: LayoutInput): Layout {
  const cols = Math.max(0, Math.floor(input.cols));
  const rows = Math.max(0, Math.floor(input.rows));
  const promptRows = Math.max(1, Math.min(MAX_PROMPT_ROWS, Math.floor(input.promptRows)));
  const zoomed = input.zoomIndex !== undefined && input.count > 0;
  const visible = zoomed ? 1 : input.count;
  const need = minimumSize(visible, promptRows);
  if (cols < need.cols || rows < need.rows) return { ok: false, need };

  const paneHeight = rows - BOTTOM_FIXED_ROWS - promptRows;
  const paneArea: Rect = { x: 0, y: 0, width: cols, height: paneHeight };
  const eventLine: Rect = { x: 0, y: paneHeight, width: cols, height: 1 };
  const prompt: Rect = { x: 0, y: paneHeight + 1, width: cols, height: promptRows };
  const hintLine: Rect = { x: 0, y: paneHeight + 1 + promptRows, width: cols, height: 1 };
  const grid = gridShape(visible);

  const panes: PaneRect[] = [];
  if (zoomed) {
    panes.push(pane(input.zoomIndex ?? 0, 0, 0, cols, paneHeight));
  } else if (visible > 0) {
    const heights = split(paneHeight, grid.rows);
    let y = 0;
    let index = 0;
    for (let r = 0; r < grid.rows && index < visible; r++) {
      const inRow = Math.min(grid.columns, visible - index);
      const widths = split(cols, inRow);
      const h = heights[r] ?? 0;
      let x = 0;
      for (const w of widths) {
        panes.push(pane(index++, x, y, w, h));
        x += w;
      }
      y += h;
    }
  }
  return { ok: true, panes, paneArea, eventLine, prompt, hintLine, grid };
}

function pane(index: number, x: number, y: number, width: number, height: number): PaneRect {
  return {
    index,
    x,
    y,
    width,
    height,
    innerCols: Math.max(1, width - BORDER),
    innerRows: Math.max(1, height - BORDER),
  };
}

/** Group pane rects into visual rows (same y), left to right. */
export function paneRows(panes: readonly PaneRect[]): PaneRect[][] {
  const rows = new Map<number, PaneRect[]>();
  for (const p of panes) {
    const row = rows.get(p.y) ?? [];
    row.push(p);
    rows.set(p.y, row);
  }
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r.sort((a, b) => a.x - b.x));
}
