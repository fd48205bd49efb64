import { Box, Text } from 'ink';
import { memo } from 'react';
import type { DiffLine } from '../review.js';
import { truncate } from '../width.js';
import { OverlayFrame } from './OverlayFrame.js';

const STYLE: Record<DiffLine['kind'], { color?: string; bold?: boolean; dim?: boolean }> = {
  file: { color: 'cyanBright', bold: true },
  meta: { color: 'gray' },
  hunk: { color: 'cyan' },
  add: { color: 'green' },
  del: { color: 'red' },
  context: {},
};

/** A session's changes, full screen and scrollable: title, files changed, the colored patch. */
export const DiffView = memo(function DiffView({
  width,
  height,
  title,
  lines,
  scroll,
  footer,
}: {
  width: number;
  height: number;
  title: string;
  lines: readonly DiffLine[];
  scroll: number;
  /** A last line (keys, or the apply confirmation). */
  footer: string;
}) {
  const inner = Math.max(1, width - 4);
  const rows = Math.max(1, height - 4);
  const top = Math.min(Math.max(0, scroll), Math.max(0, lines.length - rows));
  const shown = lines.slice(top, top + rows);
  const pos = lines.length > rows ? `  ${top + 1}–${Math.min(lines.length, top + rows)}/${lines.length}` : '';
  return (
    <OverlayFrame width={width} height={height}>
      <Text bold color="cyanBright" wrap="truncate-end">
        {truncate(`${title}${pos}`, inner)}
      </Text>
      {shown.map((l, i) => {
        // Lines are positions in a fixed patch: the absolute line number is their identity.
        const line = top + i;
        return (
          <Text key={line} {...STYLE[l.kind]} wrap="truncate-end">
            {truncate(l.text, inner) || ' '}
          </Text>
        );
      })}
      {shown.length < rows ? <Box flexGrow={1} /> : null}
      <Text color="yellow" wrap="truncate-end">
        {truncate(footer, inner)}
      </Text>
    </OverlayFrame>
  );
});
