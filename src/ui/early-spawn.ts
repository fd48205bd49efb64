/**
 * The sessions `axiom spawn` asks for, started before the UI's modules load (React, Ink and the
 * first render take a few hundred ms): the agents start meanwhile, in the panes' sizes as the
 * layout plans them for this terminal, so the first frame can already show their output and
 * claude's own start overlaps ours (BENCHMARKS.md, start). No React here: run.tsx calls it first.
 */
import type { Engine } from '../engine/engine.js';
import type { SpawnOptions } from '../engine/types.js';
import { computeLayout, type PaneRect } from './layout.js';

/** Sessions started before the UI, for the controller to adopt (sizes sent, first focused). */
export interface EarlySpawn {
  sessions: { id: string; cols: number | undefined; rows: number | undefined; rect?: PaneRect }[];
  /** One line per session that could not start (shown in the UI's event line). */
  errors: string[];
  /**
   * The engine's warnings from the first spawn until the UI listens (e.g. `transcripts off`, said
   * once, at the first spawn): the UI shows them. Call stopWarnings() once the UI listens.
   */
  warnings: string[];
  stopWarnings(): void;
}

export function spawnEarly(
  engine: Engine,
  initial: { prompt: string; parallel: number },
  defaults: SpawnOptions,
  terminal: { cols: number; rows: number },
): EarlySpawn {
  const count = Math.floor(initial.parallel);
  const existing = engine.list().length;
  // The prompt box starts empty: one row.
  const layout = computeLayout({
    count: existing + count,
    cols: terminal.cols,
    rows: terminal.rows,
    promptRows: 1,
  });
  const warnings: string[] = [];
  const onWarning = (m: string): void => void warnings.push(m);
  engine.on('warning', onWarning);
  const stopWarnings = (): void => void engine.off('warning', onWarning);
  const out: EarlySpawn = { sessions: [], errors: [], warnings, stopWarnings };
  for (let i = 0; i < count; i++) {
    const rect = layout.ok ? layout.panes.find((p) => p.index === existing + i) : undefined;
    const opts: SpawnOptions = { ...defaults, prompt: initial.prompt };
    if (rect) {
      opts.cols = rect.innerCols;
      opts.rows = rect.innerRows;
    }
    try {
      const s = engine.spawn(opts);
      out.sessions.push({ id: s.id, cols: opts.cols, rows: opts.rows, ...(rect ? { rect } : {}) });
    } catch (err) {
      out.errors.push(`could not start a session: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}
