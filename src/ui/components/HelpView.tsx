import { Text } from 'ink';
import { memo } from 'react';
import { helpLines } from '../help.js';
import { truncate } from '../width.js';
import { OverlayFrame } from './OverlayFrame.js';

export const HelpView = memo(function HelpView({
  width,
  height,
  scroll,
}: {
  width: number;
  height: number;
  scroll: number;
}) {
  const inner = Math.max(1, width - 4);
  const all = helpLines(inner);
  const rows = Math.max(1, height - 2);
  const maxScroll = Math.max(0, all.length - rows);
  const top = Math.min(Math.max(0, scroll), maxScroll);
  const shown = all.slice(top, top + rows);
  return (
    <OverlayFrame width={width} height={height}>
      {shown.map((l, i) => {
        const key = top + i;
        if (l.kind === 'title')
          return (
            <Text key={key} bold color="cyanBright" wrap="truncate-end">
              {truncate(`${l.text}${maxScroll > 0 ? '   (↑↓ to scroll)' : ''}`, inner)}
            </Text>
          );
        if (l.kind === 'group')
          return (
            <Text key={key} bold underline wrap="truncate-end">
              {truncate(l.text, inner)}
            </Text>
          );
        if (l.kind === 'blank') return <Text key={key}> </Text>;
        return (
          <Text key={key} wrap="truncate-end">
            <Text color="yellow" bold>
              {l.keys}
            </Text>
            {'  '}
            {l.text}
          </Text>
        );
      })}
    </OverlayFrame>
  );
});
