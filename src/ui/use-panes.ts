/**
 * Where things go on screen, for the controller: the terminal size, the prompt box's wrapped
 * text and height, the pane layout, and which agent terminals must be resized to their panes.
 */
import { useStdout } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isEnded, type SessionSnapshot } from '../engine/types.js';
import * as ed from './editor.js';
import { computeLayout, type Layout, MAX_PROMPT_ROWS } from './layout.js';
import type { Effect, UiState } from './ui-state.js';
import { stringWidth } from './width.js';

export function useTerminalSize(fixed?: { cols: number; rows: number }): { cols: number; rows: number } {
  const { stdout } = useStdout();
  const read = useCallback(() => ({ cols: stdout.columns || 80, rows: stdout.rows || 24 }), [stdout]);
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed, read]);
  return fixed ?? size;
}

export interface PaneLayout {
  /** The prompt box's label: '#N' of the focused session, or 'new'. */
  label: string;
  wrapped: ReturnType<typeof ed.wrapText>;
  promptRows: number;
  layout: Layout;
  /** The layout for another session count (spawn plans with it). */
  layoutFor: (count: number, zoomIndex: number | undefined) => Layout;
}

export function usePaneLayout(opts: {
  ui: UiState;
  count: number;
  focused: SessionSnapshot | undefined;
  focusIndex: number;
  cols: number;
  rows: number;
}): PaneLayout {
  const { ui, count, focused, focusIndex, cols, rows } = opts;
  const label = focused ? `#${focused.n}` : 'new';
  const prefixW = stringWidth(`${label}❯ `);
  const wrapped = useMemo(
    () => ed.wrapText(ui.editor.text, ui.editor.cursor, Math.max(1, cols - prefixW)),
    [ui.editor.text, ui.editor.cursor, cols, prefixW],
  );
  const promptRows = Math.max(1, Math.min(MAX_PROMPT_ROWS, wrapped.lines.length));
  const layoutFor = useCallback(
    (n: number, zoomIndex: number | undefined): Layout =>
      computeLayout({ count: n, cols, rows, promptRows, zoomIndex }),
    [cols, rows, promptRows],
  );
  const layout = layoutFor(count, ui.zoom && focusIndex >= 0 ? focusIndex : undefined);
  return { label, wrapped, promptRows, layout, layoutFor };
}

/**
 * Inner sizes of the panes `count` new sessions will get after the `existing` ones (zoomed:
 * a single new session gets the whole pane area).
 */
export function plannedSizes(
  layoutFor: PaneLayout['layoutFor'],
  existing: number,
  count: number,
  zoom: boolean,
): ({ cols: number; rows: number } | undefined)[] {
  const planned = layoutFor(existing + count, zoom && count === 1 ? existing : undefined);
  return Array.from({ length: count }, (_, i) => {
    const rect = planned.ok ? planned.panes.find((p) => p.index === existing + i) : undefined;
    return rect ? { cols: rect.innerCols, rows: rect.innerRows } : undefined;
  });
}

/** A key that changes exactly when some pane's session or inner size does. */
export function resizeKey(layout: Layout, sessions: readonly SessionSnapshot[]): string {
  return layout.ok
    ? layout.panes.map((p) => `${sessions[p.index]?.id}:${p.innerCols}x${p.innerRows}`).join(',')
    : '';
}

/** Resize effects for live sessions whose pane size differs from the size last sent (`sent`). */
export function paneResizes(
  layout: Layout,
  sessions: readonly SessionSnapshot[],
  sent: ReadonlyMap<string, string>,
): Effect[] {
  if (!layout.ok) return [];
  const out: Effect[] = [];
  for (const p of layout.panes) {
    const s = sessions[p.index];
    if (!s || isEnded(s.status)) continue;
    if (sent.get(s.id) === sizeKey(p.innerCols, p.innerRows)) continue;
    out.push({ kind: 'resize', id: s.id, cols: p.innerCols, rows: p.innerRows });
  }
  return out;
}

export const sizeKey = (cols: number, rows: number) => `${cols}x${rows}`;
