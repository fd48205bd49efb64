/** Styled runs of text on one row: width in cells, clipping, and the Ink line they draw. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { clipSegments, type Segment, SegmentsLine, segmentsWidth } from '../../src/ui/components/Segments.js';

const segs: Segment[] = [
  { text: '┏━', color: 'cyanBright' },
  { text: ' #2 ', color: 'whiteBright', bold: true },
  { text: '日本語', color: 'white' },
  { text: ' 👍🏽 ', dim: true },
];

describe('segments', () => {
  it('measure their width in terminal cells (wide characters and emoji count 2)', () => {
    expect(segmentsWidth([])).toBe(0);
    expect(segmentsWidth(segs)).toBe(2 + 4 + 6 + 4);
  });

  it('clip to a width, keeping each segment whole while it fits and its style when cut', () => {
    expect(clipSegments(segs, 100)).toEqual(segs);
    expect(clipSegments(segs, 6)).toEqual(segs.slice(0, 2));
    expect(clipSegments(segs, 9)).toEqual([...segs.slice(0, 2), { text: '日', color: 'white' }]);
    expect(clipSegments(segs, 0)).toEqual([]);
    expect(clipSegments(segs, -3)).toEqual([]);
  });

  it('never split a wide character: the cut falls before it, leaving the row a cell short', () => {
    const cut = clipSegments(segs, 7);
    expect(cut.at(-1)).toEqual({ text: '', color: 'white' });
    expect(segmentsWidth(cut)).toBe(6);
    for (let w = 0; w <= segmentsWidth(segs); w++)
      expect(segmentsWidth(clipSegments(segs, w))).toBeLessThanOrEqual(w);
  });

  it('draw as one line, the segments in order', () => {
    const { lastFrame } = render(<SegmentsLine segments={segs} />);
    const frame = lastFrame() ?? '';
    expect(frame.replace(/\x1b\[[0-9;]*m/g, '')).toBe('┏━ #2 日本語 👍🏽'); // the frame's trailing blank is trimmed
    expect(frame.split('\n')).toHaveLength(1);
  });
});
