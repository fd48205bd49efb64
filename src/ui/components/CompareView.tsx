import { Box, Text } from 'ink';
import { memo } from 'react';
import { STATUS_STYLES } from '../format.js';
import { COMPARE_COLUMNS, type CompareRow } from '../review.js';
import { stringWidth, truncate } from '../width.js';
import { OverlayFrame } from './OverlayFrame.js';

/** Every session of the run side by side: status, time, files, +/−, last test, applied, branch. */
export const CompareView = memo(function CompareView({
  width,
  height,
  rows,
  selected,
  footer,
}: {
  width: number;
  height: number;
  rows: readonly CompareRow[];
  selected: number;
  footer: string;
}) {
  const inner = Math.max(1, width - 4);
  const cell = (r: CompareRow, key: (typeof COMPARE_COLUMNS)[number]['key']): string =>
    key === 'n' ? `#${r.n}` : String(r[key]);
  const widths = COMPARE_COLUMNS.map((c) =>
    Math.max(stringWidth(c.title), ...rows.map((r) => stringWidth(cell(r, c.key)))),
  );
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - stringWidth(s)));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ');
  const visible = Math.max(1, height - 5);
  const top = Math.max(0, Math.min(selected - visible + 1, rows.length - visible));
  return (
    <OverlayFrame width={width} height={height}>
      <Text bold color="cyanBright" wrap="truncate-end">
        {truncate(`compare: ${rows.length} session${rows.length === 1 ? '' : 's'} of this run`, inner)}
      </Text>
      <Text bold underline wrap="truncate-end">
        {truncate(line(COMPARE_COLUMNS.map((c) => c.title)), inner)}
      </Text>
      {rows.slice(top, top + visible).map((r, i) => {
        const at = top + i;
        const st = STATUS_STYLES[r.status];
        return (
          <Text key={r.id} inverse={at === selected} wrap="truncate-end">
            {COMPARE_COLUMNS.map((c, j) => {
              const t = `${pad(cell(r, c.key), widths[j] ?? 0)}${j < COMPARE_COLUMNS.length - 1 ? '  ' : ''}`;
              if (c.key === 'status')
                return (
                  <Text key={c.key} color={st.color} bold={st.bold}>
                    {t}
                  </Text>
                );
              if (c.key === 'check' && r.checkOk !== undefined)
                return (
                  <Text key={c.key} color={r.checkOk ? 'green' : 'red'}>
                    {t}
                  </Text>
                );
              return t;
            })}
          </Text>
        );
      })}
      <Box flexGrow={1} />
      <Text color="yellow" wrap="truncate-end">
        {truncate(footer, inner)}
      </Text>
    </OverlayFrame>
  );
});
