import { Box, Text } from 'ink';
import { memo, type ReactNode, useContext, useEffect, useMemo } from 'react';
import { clockTime } from '../format.js';
import { getCommand, HINT_ORDER, keyLabel, type Mode, primaryKey } from '../keymap.js';
import { BodyOverlayContext } from '../overlay.js';
import { type PromptBoxProps, promptMarker, promptRowSegments, showPromptLines } from '../prompt-rows.js';
import type { EventLevel, UiEvent } from '../use-engine.js';
import { stringWidth, truncate } from '../width.js';
import { clipSegments, type Segment, SegmentsLine, segmentsWidth } from './Segments.js';

const LEVEL_COLORS: Record<EventLevel, string> = {
  info: 'white',
  file: 'greenBright',
  attention: 'yellow',
  error: 'redBright',
};

export interface Notice {
  text: string;
  level: EventLevel;
}

/** The rule between panes and prompt: a transient notice, else the most recent events. */
export const EventLine = memo(function EventLine({
  width,
  events,
  notice,
}: {
  width: number;
  events: readonly UiEvent[];
  notice?: Notice;
}) {
  const segs: Segment[] = [
    { text: '─', color: 'gray' },
    { text: ' ', color: 'gray' },
  ];
  if (notice) {
    segs.push({
      text: ` ${notice.text} `,
      color: 'black',
      backgroundColor: notice.level === 'error' ? 'red' : notice.level === 'attention' ? 'yellow' : 'cyan',
      bold: true,
    });
    segs.push({ text: ' ', color: 'gray' });
  }
  const recent = [...events].reverse();
  const newest = recent[0];
  if (newest && !notice) segs.push({ text: `${clockTime(newest.at)} `, color: 'gray' });
  for (const [i, ev] of recent.entries()) {
    const room = width - segmentsWidth(segs) - 2;
    if (room < 6) break;
    const sep = i > 0 ? ' · ' : '';
    const text = sep + ev.text;
    const fits = stringWidth(text) <= room;
    if (!fits && i > 0 && room < 24) break;
    segs.push({
      text: fits ? text : truncate(text, room),
      color: LEVEL_COLORS[ev.level],
      bold: ev.level === 'attention',
    });
  }
  const clipped = clipSegments(segs, width - 2);
  if (clipped.length > 2) clipped.push({ text: ' ', color: 'gray' });
  clipped.push({ text: '─'.repeat(Math.max(1, width - segmentsWidth(clipped))), color: 'gray' });
  return <SegmentsLine segments={clipSegments(clipped, width)} />;
});

export type { PromptBoxProps } from '../prompt-rows.js';

/**
 * The multi-line prompt box (prompt-rows.ts). With the overlay its rows are live lines: Ink lays
 * out one marker per row, and a key that keeps the box's shape is echoed without a render
 * (use-controller.ts); without it (tests), Ink draws the same segments.
 */
export const PromptBox = memo(function PromptBox(props: PromptBoxProps) {
  const overlay = useContext(BodyOverlayContext);
  const { width, rows } = props;
  const live = overlay !== undefined && width >= 2;
  // memo() hands a new props object only when a field changed: it is the one dependency.
  const shown = useMemo(() => (live ? showPromptLines(overlay, props) : undefined), [live, overlay, props]);
  useEffect(
    () =>
      shown && overlay
        ? () => {
            for (const [r, line] of shown.entries()) overlay.hideLine(promptMarker(r), line);
          }
        : undefined,
    [shown, overlay],
  );
  const out: ReactNode[] = [];
  if (live) {
    for (let r = 0; r < rows; r++) out.push(<Text key={r}>{promptMarker(r)}</Text>);
  } else {
    for (const [r, segs] of promptRowSegments(props).entries())
      out.push(<SegmentsLine key={r} segments={segs} />);
  }
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {out}
    </Box>
  );
});

/** A key hint, shortened for the bar: Ctrl+N → ^N. */
export function shortKey(label: string): string {
  return label.replace(/^Ctrl\+(.)$/, '^$1');
}

export function hintText(mode: Mode, ctx: { target?: string }): Segment[] {
  const key = (text: string): Segment => ({ text, color: 'cyanBright', bold: true });
  const label = (text: string): Segment => ({ text, color: 'gray' });
  const pt = shortKey(primaryKey('passthrough'));
  switch (mode) {
    case 'help':
      return [key('Esc'), label(' close help  '), key('↑↓ PgUp PgDn'), label(' scroll')];
    case 'review':
      return [
        key('Esc'),
        label(' close  '),
        key('↑↓ PgUp PgDn'),
        label(' scroll/select  '),
        key('Enter'),
        label(' open diff  '),
        key('a'),
        label(' apply  '),
        key('Tab'),
        label(' compare'),
      ];
    case 'passthrough':
      return [
        {
          text: ` PASSTHROUGH → ${ctx.target ?? ''} `,
          color: 'black',
          backgroundColor: 'magenta',
          bold: true,
        },
        label(' every key goes to the session (digits, arrows, Enter, Esc, ^C)  '),
        key(pt),
        label(' back to axiom'),
      ];
    case 'waiting':
      return [
        { text: ` ${ctx.target ?? ''} WAITING `, color: 'black', backgroundColor: 'yellow', bold: true },
        key(' 1-9 ↑↓←→ Enter'),
        label(' answer its dialog  '),
        key(keyLabel('escape')),
        label(' interrupt  '),
        key(pt),
        label(' passthrough  '),
        label('or type a prompt'),
      ];
    default: {
      const segs: Segment[] = [];
      for (const id of HINT_ORDER) {
        const c = getCommand(id);
        const k = id === 'clear-or-quit' ? '^C^C' : shortKey(primaryKey(id));
        segs.push(key(k), label(` ${c.hint} `), label(' '));
      }
      return segs;
    }
  }
}

export const HintBar = memo(function HintBar({
  width,
  mode,
  target,
  clients = [],
}: {
  width: number;
  mode: Mode;
  target?: string;
  /** Attached MCP clients: named first, so the person sees who else steers sessions. */
  clients?: readonly string[];
}) {
  const attached: Segment[] = clients.length
    ? [
        { text: ` ⇄ MCP: ${clients.join(', ')} `, color: 'black', backgroundColor: 'magenta', bold: true },
        { text: ' ', color: 'gray' },
      ]
    : [];
  return <SegmentsLine segments={clipSegments([...attached, ...hintText(mode, { target })], width)} />;
});

/** A centered message filling a box (welcome, too small, quitting). */
export function Message({
  width,
  height,
  lines,
  color,
}: {
  width: number;
  height: number;
  lines: string[];
  color?: string;
}) {
  const shown = lines.slice(0, Math.max(0, height));
  const padTop = Math.max(0, Math.floor((height - shown.length) / 2));
  return (
    <Box flexDirection="column" width={width} height={height} paddingTop={padTop} overflow="hidden">
      {shown.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static message lines
        <Box key={i} width={width} justifyContent="center">
          <Text color={color} wrap="truncate-end">
            {truncate(l, width) || ' '}
          </Text>
        </Box>
      ))}
    </Box>
  );
}
