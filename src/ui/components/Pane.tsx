import { Box, Text } from 'ink';
import { memo, useContext, useEffect, useMemo } from 'react';
import type { Engine } from '../../engine/engine.js';
import { formatDiffSummary } from '../../engine/git/worktree.js';
import type { SessionSnapshot } from '../../engine/types.js';
import type { ColorLevel } from '../ansi.js';
import { filesText, promptSummary, STATUS_STYLES, timingText } from '../format.js';
import { primaryKey } from '../keymap.js';
import type { PaneRect } from '../layout.js';
import { BodyOverlay, BodyOverlayContext, bodyRows, type LiveLine } from '../overlay.js';
import { segmentsRow } from '../segments-ansi.js';
import { truncate } from '../width.js';
import { ScreenLine } from './ScreenLine.js';
import { clipSegments, type Segment, SegmentsLine, segmentsWidth } from './Segments.js';

export interface BorderChars {
  tl: string;
  tr: string;
  bl: string;
  br: string;
  h: string;
  v: string;
}

export const BORDERS = {
  focused: { tl: '┏', tr: '┓', bl: '┗', br: '┛', h: '━', v: '┃' },
  waiting: { tl: '╔', tr: '╗', bl: '╚', br: '╝', h: '═', v: '║' },
  normal: { tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '│' },
} as const satisfies Record<string, BorderChars>;

export interface PaneLook {
  border: BorderChars;
  color: string;
  bold: boolean;
}

export function paneLook(session: SessionSnapshot, focused: boolean, passthrough: boolean): PaneLook {
  const waiting = session.status === 'WAITING';
  const border = focused ? BORDERS.focused : waiting ? BORDERS.waiting : BORDERS.normal;
  let color = focused ? 'cyanBright' : 'gray';
  if (waiting) color = 'yellow';
  if (session.status === 'FAILED') color = 'red';
  if (focused && passthrough) color = 'magenta';
  return { border, color, bold: focused || waiting };
}

/**
 * The top border with the title: `#N`, status word, timing, first words of the prompt, and
 * the files-written count (or, in a worktree, its branch and diff summary such as `+12 −3, 2
 * files`), fitted to exactly `width` cells. When narrow, the prompt goes first, then the branch,
 * the files count or diff summary, then the timing; `#N` and the status stay.
 */
export function titleSegments(
  session: SessionSnapshot,
  timing: string,
  width: number,
  look: PaneLook,
): Segment[] {
  const { border, color, bold } = look;
  const line = (text: string): Segment => ({ text, color, bold });
  if (width < 2) return [line(border.tl.repeat(Math.max(0, width)))];
  const st = STATUS_STYLES[session.status];
  const numSeg: Segment = { text: ` #${session.n} `, color: 'whiteBright', bold: true };
  const statusSeg: Segment = {
    text: session.status === 'WAITING' ? ` ⚠ ${session.status} ` : ` ${session.status} `,
    color: st.color,
    backgroundColor: st.backgroundColor,
    bold: st.bold,
  };
  // Who steers it: the attached client's name (a client-spawned pane is named after it), held.
  const steer: Segment[] = [];
  if (session.owner !== undefined)
    steer.push({ text: ` ⇄ ${truncate(session.owner, 20)} `, color: 'magentaBright', bold: true });
  if (session.held) steer.push({ text: ' HELD ', color: 'black', backgroundColor: 'magenta', bold: true });
  const timeSeg: Segment | undefined = timing ? { text: ` ${timing} `, color: 'white' } : undefined;
  const summary = promptSummary(session.lastPrompt || session.prompt);

  // Right side, widest first: a worktree's branch and diff summary, or the files count.
  const rights: Segment[][] = [];
  const wt = session.worktree;
  if (wt) {
    const changed = (wt.diff?.files ?? 0) > 0;
    const diffSeg: Segment = {
      text: ` ${formatDiffSummary(wt.diff)}${wt.applied ? ' ✓' : ''} `,
      color: changed ? 'greenBright' : 'gray',
      bold: changed,
    };
    rights.push([{ text: ` ${wt.branch} `, color: 'cyan' }, diffSeg], [diffSeg]);
  } else {
    const n = session.filesWritten.length;
    rights.push([{ text: ` ${filesText(n)} `, color: n > 0 ? 'greenBright' : 'gray', bold: n > 0 }]);
  }
  const tiers: Array<[boolean, Segment[]]> = [
    ...rights.map((r): [boolean, Segment[]] => [true, r]),
    [true, []],
    [false, []],
  ];
  for (const [withTime, rightSegs] of tiers) {
    const left: Segment[] = [line(border.tl + border.h), numSeg, ...steer, statusSeg];
    if (withTime && timeSeg) left.push(timeSeg);
    const right: Segment[] = rightSegs.length ? [...rightSegs, line(border.h)] : [];
    const fixed = segmentsWidth(left) + segmentsWidth(right) + 2; // + min fill + corner
    if (fixed > width) continue;
    const room = width - fixed;
    if (summary && room >= 9) {
      const t = ` ${truncate(summary, room - 3)} `;
      left.push(line(border.h), { text: t, color: 'white', dim: !bold });
    }
    const fill = width - segmentsWidth(left) - segmentsWidth(right) - 1;
    return [...left, line(border.h.repeat(fill)), ...right, line(border.tr)];
  }
  const head = clipSegments([line(border.tl + border.h), numSeg, ...steer, statusSeg], width - 1);
  return [...head, line(border.h.repeat(width - 1 - segmentsWidth(head))), line(border.tr)];
}

/** The bottom border, with scroll position, passthrough notice or the session's reason. */
export function footerSegments(
  session: SessionSnapshot,
  width: number,
  look: PaneLook,
  info: { scroll: number; scrollback: number; passthrough: boolean },
): Segment[] {
  const { border, color, bold } = look;
  const line = (text: string): Segment => ({ text, color, bold });
  if (width < 2) return [line(border.bl.repeat(Math.max(0, width)))];
  let note: Segment | undefined;
  if (info.passthrough) {
    note = {
      text: ` PASSTHROUGH: keys go to #${session.n} · ${primaryKey('passthrough')} to stop `,
      color: 'black',
      backgroundColor: 'magenta',
      bold: true,
    };
  } else if (info.scroll > 0) {
    note = {
      text: ` ↑ ${info.scroll}/${info.scrollback} lines up · ${primaryKey('scroll-bottom')} or End: live `,
      color: 'black',
      backgroundColor: 'cyan',
    };
  } else if (session.status === 'WAITING') {
    note = { text: ` ${session.reason ?? 'needs you'} · keys: 1-9 ↑↓ Enter `, color: 'yellow', bold: true };
  } else if (session.status === 'FAILED' || session.status === 'EXITED') {
    const code =
      session.status === 'EXITED'
        ? session.signal
          ? `killed (signal ${session.signal})`
          : `exit code ${session.exitCode ?? '?'}`
        : 'failed';
    note = {
      text: ` ${session.reason ? `${code}: ${session.reason}` : code} `,
      color: session.status === 'FAILED' ? 'red' : 'gray',
    };
  }
  const segs: Segment[] = [line(border.bl + border.h)];
  const room = width - 4;
  if (note && room >= 4) segs.push({ ...note, text: truncate(note.text, room) });
  const used = segmentsWidth(segs) + 1;
  if (used > width) return [...clipSegments(segs, width - 1), line(border.br)];
  segs.push(line(border.h.repeat(width - used)), line(border.br));
  return segs;
}

interface BodyProps {
  engine: Engine;
  id: string;
  /** Bumped by the parent whenever the session's screen changed; the only reason to re-read it. */
  version: number;
  scroll: number;
  cols: number;
  rows: number;
  showCursor: boolean;
  colorLevel: ColorLevel;
  /** Position of the pane on screen (names its rows for the overlay). */
  slot: number;
}

/** The session's screen. Memoized: re-renders only when version, scroll, size or cursor flag change. */
export const PaneBody = memo(function PaneBody({
  engine,
  id,
  version,
  scroll,
  cols,
  rows,
  showCursor,
  colorLevel,
  slot,
}: BodyProps) {
  const overlay = useContext(BodyOverlayContext);
  const drawn = overlay !== undefined && BodyOverlay.fits(rows, cols);
  const spec = useMemo(
    () => ({ engine, id, scroll, cols, rows, showCursor, colorLevel }),
    [engine, id, scroll, cols, rows, showCursor, colorLevel],
  );
  // Drawn by the frame writer (see overlay.ts): Ink only lays out one marker per row, and
  // screen output reaches the terminal without re-rendering this tree.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version (e.g. after a resize) re-reads the screen
  const markers = useMemo(
    () => (drawn ? overlay.show(slot, spec) : undefined),
    [drawn, overlay, slot, spec, version],
  );
  useEffect(() => (drawn ? () => overlay.hide(slot, spec) : undefined), [drawn, overlay, slot, spec]);
  const lines = useMemo(() => {
    void version; // the version is the cache key: engine.screen() is re-read when it changes
    return drawn ? [] : bodyRows(spec);
  }, [drawn, spec, version]);
  if (markers) {
    return (
      <Box flexDirection="column" width={cols} height={rows} flexShrink={0}>
        <Text>{markers.join('\n')}</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={cols} height={rows} flexShrink={0}>
      {lines.map((line, y) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: screen rows are positional
        <ScreenLine key={y} line={line.ansi} />
      ))}
    </Box>
  );
});

export interface PaneProps {
  engine: Engine;
  session: SessionSnapshot;
  rect: PaneRect;
  focused: boolean;
  passthrough: boolean;
  version: number;
  scroll: number;
  /** Precomputed timing text (so a clock tick only re-renders the title when it changes). */
  timing: string;
  colorLevel: ColorLevel;
  /** Position of the pane on screen (0, 1, …); see overlay.ts. */
  slot?: number;
}

export const Pane = memo(function Pane({
  engine,
  session,
  rect,
  focused,
  passthrough,
  version,
  scroll,
  timing,
  colorLevel,
  slot = 0,
}: PaneProps) {
  const look = paneLook(session, focused, passthrough);
  const { innerCols, innerRows } = rect;
  let scrollback = 0;
  if (scroll > 0) {
    try {
      scrollback = engine.scrollbackLength(session.id);
    } catch {
      scrollback = 0;
    }
  }
  // With the overlay, the title is a live line (overlay.ts): the clock redraws it each second
  // without rendering this tree; Ink lays out only its marker.
  const overlay = useContext(BodyOverlayContext);
  const titleMarker = BodyOverlay.lineMarker(slot, 0);
  const titleLine = useMemo((): LiveLine | undefined => {
    if (!overlay || rect.width < 2) return undefined;
    void timing; // a render with another time shown (after a pause of the clock) draws it again
    const look = paneLook(session, focused, passthrough);
    const width = rect.width;
    return {
      width,
      clock: true,
      draw: () =>
        segmentsRow(titleSegments(session, timingText(session, Date.now()), width, look), width, colorLevel),
    };
  }, [overlay, session, focused, passthrough, rect.width, colorLevel, timing]);
  useMemo(() => {
    if (titleLine) overlay?.showLine(titleMarker, titleLine);
  }, [overlay, titleMarker, titleLine]);
  useEffect(
    () => (titleLine ? () => overlay?.hideLine(titleMarker, titleLine) : undefined),
    [overlay, titleMarker, titleLine],
  );
  const title = titleLine ? undefined : titleSegments(session, timing, rect.width, look);
  const footer = footerSegments(session, rect.width, look, {
    scroll,
    scrollback,
    passthrough: focused && passthrough,
  });
  const side = Array.from({ length: innerRows }, () => look.border.v).join('\n');
  return (
    <Box flexDirection="column" width={rect.width} height={rect.height} flexShrink={0}>
      {title ? <SegmentsLine segments={title} /> : <Text>{titleMarker}</Text>}
      <Box flexDirection="row" width={rect.width} height={innerRows} flexShrink={0}>
        <Text color={look.color} bold={look.bold}>
          {side}
        </Text>
        <PaneBody
          engine={engine}
          id={session.id}
          version={version}
          scroll={scroll}
          cols={innerCols}
          rows={innerRows}
          showCursor={focused}
          colorLevel={colorLevel}
          slot={slot}
        />
        <Text color={look.color} bold={look.bold}>
          {side}
        </Text>
      </Box>
      <SegmentsLine segments={footer} />
    </Box>
  );
});
