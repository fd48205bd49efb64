/**
 * Styled runs of text on one terminal row (pane borders, the hint and event bars): their width in
 * cells, clipping to a width, and drawing them as one Ink line.
 */
import { Text } from 'ink';
import { sliceToWidth, stringWidth } from '../width.js';

/** A run of text in one style. */
export interface Segment {
  text: string;
  color?: string;
  backgroundColor?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

/** Total display width of segments. */
export const segmentsWidth = (segs: readonly Segment[]) => segs.reduce((a, s) => a + stringWidth(s.text), 0);

/** Cut segments so their total width is at most `width`. */
export function clipSegments(segs: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let room = width;
  for (const s of segs) {
    if (room <= 0) break;
    const w = stringWidth(s.text);
    if (w <= room) {
      out.push(s);
      room -= w;
    } else {
      out.push({ ...s, text: sliceToWidth(s.text, room).text });
      room = 0;
    }
  }
  return out;
}

/** Segments as one row, cut at the end if the row is too narrow. */
export function SegmentsLine({ segments }: { segments: Segment[] }) {
  return (
    <Text wrap="truncate-end">
      {segments.map((s, i) => (
        <Text
          // biome-ignore lint/suspicious/noArrayIndexKey: positional segments
          key={i}
          color={s.color}
          backgroundColor={s.backgroundColor}
          bold={s.bold}
          dimColor={s.dim}
          inverse={s.inverse}
        >
          {s.text}
        </Text>
      ))}
    </Text>
  );
}
