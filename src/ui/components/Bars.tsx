import { Box, Text } from 'ink';
import { memo, type ReactNode } from 'react';
import type { VisualLine } from '../editor.js';
import { clockTime } from '../format.js';
import { getCommand, HINT_ORDER, keyLabel, type Mode, primaryKey } from '../keymap.js';
import type { EventLevel, UiEvent } from '../use-engine.js';
import { clusterAt, sliceToWidth, stringWidth, truncate } from '../width.js';
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

export interface PromptBoxProps {
  width: number;
  rows: number;
  label: string;
  labelColor: string;
  lines: VisualLine[];
  cursorRow: number;
  cursorCol: number;
  empty: boolean;
  placeholder: string;
  /** Draw the cursor (not while keys go elsewhere). */
  active: boolean;
}

/** The multi-line prompt box: `#2❯ text`, wrapped, scrolled to keep the cursor visible. */
export function PromptBox(props: PromptBoxProps) {
  const { width, rows, label, labelColor, lines, cursorRow, cursorCol, empty, placeholder, active } = props;
  const prefix = `${label}❯ `;
  const prefixW = stringWidth(prefix);
  const textW = Math.max(1, width - prefixW);
  const top = Math.max(0, Math.min(cursorRow - rows + 1, lines.length - rows));
  const out = [];
  for (let r = 0; r < rows; r++) {
    const i = top + r;
    const line = lines[i];
    const pre = r === 0 && top === 0 ? prefix : ' '.repeat(prefixW);
    let body: ReactNode;
    if (empty && i === 0) {
      body = (
        <>
          {active ? <Text inverse> </Text> : null}
          <Text dimColor>{truncate(placeholder, textW - 1)}</Text>
        </>
      );
    } else if (line && active && i === cursorRow) {
      // The cursor covers the whole cluster it sits on (👨‍👩‍👧‍👦 is one character, 2 cells).
      const before = sliceToWidth(line.text, cursorCol).text;
      const rest = line.text.slice(before.length);
      const at = rest === '' ? ' ' : rest.slice(0, clusterAt(rest, 0).end);
      const after = rest.slice(at.length);
      body = (
        <>
          {before}
          <Text inverse>{at}</Text>
          {after}
        </>
      );
    } else {
      body = line ? line.text || ' ' : ' ';
    }
    out.push(
      <Text key={r} wrap="truncate-end">
        <Text color={labelColor} bold>
          {pre}
        </Text>
        {body}
      </Text>,
    );
  }
  return (
    <Box flexDirection="column" width={width} height={rows}>
      {out}
    </Box>
  );
}

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
