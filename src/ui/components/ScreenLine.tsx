import { Text } from 'ink';
import { memo } from 'react';

/** Engine color (palette index or '#rrggbb') → Ink color string. */
export function inkColor(c: number | string | undefined): string | undefined {
  if (c === undefined) return undefined;
  if (typeof c === 'number') return `ansi256(${Math.max(0, Math.min(255, Math.floor(c)))})`;
  return c;
}

/** One line of a session's screen, pre-styled as an ANSI string: exactly one terminal row tall. */
export const ScreenLine = memo(function ScreenLine({ line }: { line: string }) {
  return <Text wrap="truncate-end">{line === '' ? ' ' : line}</Text>;
});
