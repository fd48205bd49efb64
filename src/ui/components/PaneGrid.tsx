import { Box } from 'ink';
import type { Engine } from '../../engine/engine.js';
import type { SessionSnapshot } from '../../engine/types.js';
import type { ColorLevel } from '../ansi.js';
import { timingText } from '../format.js';
import { type LayoutOk, paneRows } from '../layout.js';
import { Pane } from './Pane.js';

/** Every session's pane, row by row, as the layout places them. */
export function PaneGrid({
  engine,
  layout,
  sessions,
  focusedId,
  passthrough,
  versions,
  scrolls,
  now,
  colorLevel,
}: {
  engine: Engine;
  layout: LayoutOk;
  sessions: readonly SessionSnapshot[];
  focusedId: string | undefined;
  passthrough: boolean;
  /** Per-session screen versions (see use-engine.ts). */
  versions: Readonly<Record<string, number>>;
  /** Lines scrolled up, per session. */
  scrolls: Readonly<Record<string, number>>;
  now: number;
  colorLevel: ColorLevel;
}) {
  const width = layout.paneArea.width;
  return paneRows(layout.panes).map((row) => (
    <Box
      key={`row-${row[0]?.y ?? 0}`}
      flexDirection="row"
      width={width}
      height={row[0]?.height ?? 0}
      flexShrink={0}
    >
      {row.map((p) => {
        const s = sessions[p.index];
        if (!s) return null;
        return (
          <Pane
            key={s.id}
            engine={engine}
            session={s}
            rect={p}
            focused={s.id === focusedId}
            passthrough={passthrough}
            version={versions[s.id] ?? 0}
            scroll={scrolls[s.id] ?? 0}
            timing={timingText(s, now)}
            colorLevel={colorLevel}
            slot={p.index}
          />
        );
      })}
    </Box>
  ));
}
