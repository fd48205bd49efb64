/**
 * A real claude answer (2.1.332, the markdown one of text-stream.e2e, 90×30) replayed through a
 * Screen in chunks of every size from 1 to 97 bytes, with a flush after each chunk as if every
 * PTY read had been cut there (under load a flush falls between two reads of one frame). The
 * committed text must hold every answer line whole, once, in order: before, a row committed half
 * drawn ("3." of "3. item m14 m15") or stale (the last frame's rows below the one being written)
 * lost words in full-suite runs (m14/m15, m23, m24/m25).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { claudeStableRows } from '../../src/agents/claude.js';
import { Screen } from '../../src/engine/screen.js';
import { StableGate } from '../../src/engine/stable-gate.js';

const RAW = readFileSync(new URL('../fixtures/claude-raw/markdown-answer-90x30.raw', import.meta.url));
const WORDS = Array.from({ length: 40 }, (_, i) => `m${i + 1}`);

/** What the session's settle commits, flushing after each chunk of `size` bytes. */
async function replay(size: number): Promise<string> {
  const screen = new Screen({ cols: 90, rows: 30 });
  const gate = new StableGate();
  let text = '';
  for (let at = 0; at < RAW.length; at += size) {
    await new Promise<void>((parsed) => screen.write(RAW.subarray(at, at + size), parsed));
    const lines = screen.plainLines();
    const stable = gate.gate(lines, screen.scrollbackLength(), claudeStableRows(lines, screen.cursor().y));
    text += screen.commit(stable);
  }
  // The agent exits: the session's final settle commits down to the last row written.
  const lines = screen.plainLines();
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] as string).trim() === '') last--;
  text += screen.commit(last + 1, true);
  screen.dispose();
  return text;
}

describe('committing rows of frames cut anywhere', () => {
  it('every answer line whole and once, for cuts after every chunk of 1 to 97 bytes', async () => {
    const lost: string[] = [];
    for (let size = 1; size <= 97; size++) {
      const words = (await replay(size)).match(/\bm\d+\b/g) ?? [];
      if (words.join(' ') !== WORDS.join(' ')) lost.push(`${size}: ${words.join(' ')}`);
    }
    expect(lost).toEqual([]);
  });
});
