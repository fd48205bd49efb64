/**
 * claude's dialog and state reading keeps each line's dialog-title matches by its text (a repaint
 * changes a row or two; the others are looked up) and reads only the bottom drawn rows for the
 * busy footer. On the captured screens and on random screens made of their lines, moved,
 * mixed, cut and padded, and read again and again (the memo warm), it must say exactly what the
 * reading before it said (test/helpers/claude-detect-reference.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectClaude } from '../../src/agents/claude.js';
import { claudeDialog } from '../../src/agents/claude-screen.js';
import { referenceClaudeDialog, referenceDetectClaude } from '../helpers/claude-detect-reference.js';
import { repoRoot } from '../helpers/claude-env.js';
import { rng } from '../helpers/rng.js';

const DIR = join(repoRoot(), 'test', 'fixtures', 'claude-screens');
const SCREENS = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => readFileSync(join(DIR, f), 'utf8').split('\n'));
const EXTRA = [
  '✻ Prestidigitating… (3s · ↓ 27 tokens · esc to interrupt)',
  '  esc to interrupt',
  '· Thinking…',
  '⎿  Interrupted · What should Claude do instead?',
  '❯ fix the bug',
  '❯\u00a0',
  '─'.repeat(40),
  '   ',
  '\u00a0',
  '',
  'Do you want to proceed?',
  ' Bash command ',
  '☐ Pick one',
  'Esc to cancel · Enter to confirm',
  'API Error: 429 rate limited (429)',
].flatMap((l) => [l, l.slice(0, -1), `${l.slice(0, -1)}x`, l.slice(0, -3)]);

describe('claude dialog and state reading with the title memo', () => {
  it('reads every captured screen as before, cold and warm', () => {
    for (let pass = 0; pass < 2; pass++)
      for (const lines of SCREENS) {
        expect(claudeDialog(lines)).toEqual(referenceClaudeDialog(lines));
        expect(detectClaude(lines)).toBe(referenceDetectClaude(lines));
      }
  });

  for (const seed of [1, 2, 3, 4]) {
    it(`reads random screens made of captured lines as before (seed ${seed})`, () => {
      const rand = rng(seed);
      const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)] as T;
      // Each line also cut short or with its last character changed: a memo keyed by less than the
      // whole line would mix them up.
      const pool = SCREENS.flat().flatMap((l) => [l, l.slice(0, -1), `${l.slice(0, -1)}x`, l.slice(0, -3)]);
      const line = () => (rand() < 0.5 ? pick(EXTRA) : pick(pool));
      const seen = { dialogs: 0, busy: 0 };
      for (let step = 0; step < 1500; step++) {
        const lines = [...pick(SCREENS)];
        const edits = Math.floor(rand() * 6);
        for (let e = 0; e < edits; e++) {
          const r = rand();
          const at = Math.floor(rand() * (lines.length + 1));
          if (r < 0.4) lines.splice(at, 1, line());
          else if (r < 0.6) lines.splice(at, 0, line());
          else if (r < 0.75) lines.splice(at, 1);
          else if (r < 0.9) lines.unshift(...Array.from({ length: Math.floor(rand() * 30) }, () => line()));
          else lines.push(...Array.from({ length: Math.floor(rand() * 4) }, () => ''));
        }
        const want = referenceClaudeDialog(lines);
        expect(claudeDialog(lines), `dialog at step ${step}`).toEqual(want);
        const state = referenceDetectClaude(lines);
        expect(detectClaude(lines), `state at step ${step}`).toBe(state);
        if (want) seen.dialogs++;
        if (state === 'busy') seen.busy++;
      }
      // The random screens do reach dialogs and busy footers.
      expect(seen.dialogs).toBeGreaterThan(100);
      expect(seen.busy).toBeGreaterThan(25);
    });
  }
});
