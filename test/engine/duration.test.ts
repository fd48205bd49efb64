import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/engine/duration.js';
import { duration } from '../../src/mcp/format.js';
import { formatDuration as uiFormat } from '../../src/ui/format.js';

describe('formatDuration: the one duration formatter', () => {
  it('whole seconds by default, tenths on request, then minutes and hours', () => {
    expect(formatDuration(-5)).toBe('0s');
    expect(formatDuration(12_900)).toBe('12s');
    expect(formatDuration(12_345, { tenths: true })).toBe('12.3s');
    expect(formatDuration(63_900)).toBe('1m03s');
    expect(formatDuration(63_900, { tenths: true })).toBe('1m03s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
  it('the UI and MCP use it', () => {
    expect(uiFormat).toBe(formatDuration);
    expect(duration(4_210)).toBe('4.2s');
    expect(duration(245_000)).toBe('4m05s');
  });
});
