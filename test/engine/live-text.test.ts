import { describe, expect, it } from 'vitest';
import { claudeScreenRow } from '../../src/agents/claude-log.js';
import { alnum, LiveText, restAfter, shownEnd } from '../../src/engine/live-text.js';

const WORDS = Array.from({ length: 60 }, (_, i) => `w${i + 1}`);
/** Claude's rendering of an answer at `width`: "● " then rows indented by two, word-wrapped. */
function rows(words: string[], width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > width - 2) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out.map((r, i) => (i === 0 ? `● ${r}` : `  ${r}`));
}
const answer = (words: string[]) => ({ lines: [words.join(' ')], answer: true });
const wordsOf = (text: string) => text.split(/\s+/).filter((w) => /^w\d+$/.test(w));

describe('LiveText: the log plus the live screen rows, each word once', () => {
  it('restAfter cuts after k letters and digits, at the end of that word', () => {
    expect(alnum('● Hi, there! 42')).toBe('Hithere42');
    expect(restAfter('Hello, world. Next line\nmore', 5)).toBe('world. Next line\nmore');
    expect(restAfter('Hello, world. Next', 10)).toBe('Next');
    expect(restAfter('abc', 0)).toBe('abc');
    expect(restAfter('abc', 3)).toBe('');
  });

  it('rows go out live; the record adds only what they did not show', () => {
    const t = new LiveText(1000, claudeScreenRow);
    let text = t.fromRecords([{ lines: ['❯ go'], turn: 'start' }]);
    const r = rows(WORDS, 40);
    text += t.fromScreen(['', ...r.slice(0, 3)]);
    expect(wordsOf(text)).toEqual(WORDS.slice(0, wordsOf(r.slice(0, 3).join(' ')).length));
    text += t.fromRecords([answer(WORDS), { lines: [], turn: 'end' }]);
    // The screen's last rows come after the record: already out.
    text += t.fromScreen([...r.slice(3), '', '✻ Baked for 1s']);
    expect(wordsOf(text)).toEqual(WORDS);
    expect(text.startsWith('❯ go\n')).toBe(true);
    expect(t.log.read(0).lines.join('\n')).toBe(text.trimEnd());
  });

  it('a record before any row: the rows that follow are a redraw and are skipped', () => {
    const t = new LiveText(1000, claudeScreenRow);
    let text = t.fromRecords([answer(['OK:', 'hello', 'number', '1'])]);
    text += t.fromScreen(['● OK: hello number 1', '', '✻ Baked for 0s']);
    expect(text).toBe('OK: hello number 1\n');
  });

  it('a redraw of the whole conversation at another width (a resize) repeats nothing, mid-answer included', () => {
    const t = new LiveText(1000, claudeScreenRow);
    let text = t.fromRecords([{ lines: ['❯ first'], turn: 'start' }, answer(WORDS.slice(0, 10))]);
    text += t.fromRecords([{ lines: ['❯ second'], turn: 'start' }]);
    const rest = WORDS.slice(10);
    text += t.fromScreen(rows(rest, 30).slice(0, 4));
    // Resized: claude clears and reprints everything, wrapped at the new width, a bit further on.
    text += t.fromScreen([
      '❯ first',
      ...rows(WORDS.slice(0, 10), 50),
      '❯ second',
      ...rows(rest, 50).slice(0, 5),
    ]);
    text += t.fromScreen(rows(rest, 50).slice(5, 7));
    text += t.fromRecords([answer(rest), { lines: [], turn: 'end' }]);
    expect(wordsOf(text)).toEqual(WORDS);
  });

  it('an interrupted answer: the record holds what streamed, the live rows are not repeated', () => {
    const t = new LiveText(1000, claudeScreenRow);
    const r = rows(WORDS.slice(0, 30), 40);
    let text = t.fromScreen(r.slice(0, 4));
    text += t.fromRecords([answer(WORDS.slice(0, 30)), { lines: ['  ⎿  Interrupted'], turn: 'end' }]);
    expect(wordsOf(text)).toEqual(WORDS.slice(0, 30));
    expect(text.endsWith('  ⎿  Interrupted\n')).toBe(true);
  });

  it('tool rows, results and prompts on the screen are never passed on (the log has them)', () => {
    const t = new LiveText(1000, claudeScreenRow);
    expect(
      t.fromScreen(['❯ do it', '● Write(hello.py)', '  ⎿  Wrote 5 lines to hello.py', '      1 import time']),
    ).toBe('');
  });

  it('a redraw that starts in the middle of the open block (claude after a resize, or an answer taller than the screen) repeats nothing', () => {
    const t = new LiveText(1000, claudeScreenRow);
    const r90 = rows(WORDS, 40);
    let text = t.fromScreen(r90.slice(0, 5));
    const shownWords = wordsOf(text).length;
    // Cleared and reprinted at another width from some row on, going past what was shown.
    const r60 = rows(WORDS, 28);
    const from = r60.findIndex((row) => row.includes(`w${Math.floor(shownWords / 2)} `));
    text += t.fromScreen(['✻ Working…', ...r60.slice(from, from + 12)]);
    text += t.fromScreen(r60.slice(from + 12));
    text += t.fromRecords([answer(WORDS)]);
    expect(wordsOf(text)).toEqual(WORDS);
  });

  it("a new block can start on screen before the last block's record came", () => {
    const t = new LiveText(1000, claudeScreenRow);
    const a = WORDS.slice(0, 20);
    const b = WORDS.slice(20, 40);
    let text = t.fromScreen([...rows(a, 40), '', ...rows(b, 40).slice(0, 2)]);
    text += t.fromRecords([answer(a)]);
    text += t.fromScreen(rows(b, 40).slice(2));
    text += t.fromRecords([answer(b)]);
    expect(wordsOf(text)).toEqual(WORDS.slice(0, 40));
  });

  it('after chrome or a redraw, rows that do not link up with what was shown wait for the record: no gap, no repeat', () => {
    // As claude 2.1.332 did after a resize: the rows t88-t200 were never committed by the screen.
    const t = new LiveText(1000, claudeScreenRow);
    const r = rows(WORDS, 40);
    let text = t.fromScreen(r.slice(0, 3));
    const shown = wordsOf(text).length;
    text += t.fromScreen([
      '✢ Processing… (2s · ↓ 44 tokens)',
      '─'.repeat(40),
      '❯ ',
      '  ⏵⏵ auto mode on',
      ...r.slice(5, 7),
    ]);
    expect(wordsOf(text)).toHaveLength(shown);
    text += t.fromScreen(r.slice(7, 9), true);
    text += t.fromRecords([answer(WORDS)]);
    text += t.fromScreen(r.slice(9));
    expect(wordsOf(text)).toEqual(WORDS);
  });

  it('a redraw that links up again goes on live', () => {
    const t = new LiveText(1000, claudeScreenRow);
    const r = rows(WORDS, 40);
    let text = t.fromScreen(r.slice(0, 4));
    const r2 = rows(WORDS, 30);
    const from = r2.findIndex((row) => row.includes(' w20 ') || row.endsWith(' w20'));
    text += t.fromScreen(['✢ Processing…', ...r2.slice(from)], true);
    expect(wordsOf(text)).toEqual(WORDS);
  });

  // Before: the record added everything after the first difference between the rendered rows and
  // the markdown, so every word shown after a link or a renumbered list went out twice.
  it.each([
    [
      'a link shown without its address',
      'see [the docs](https://example.com/docs) then',
      'see the docs then',
    ],
    ['a list numbered anew', '1. one\n1. two\n1. three', '1. one\n  2. two\n  3. three'],
  ])('markup the screen renders differently (%s) repeats no word the rows showed', (_w, md, shownMd) => {
    const t = new LiveText(1000, claudeScreenRow);
    const before = WORDS.slice(0, 10);
    const after = WORDS.slice(10, 40);
    const lines = [before.join(' '), ...md.split('\n'), after.join(' ')];
    const r = [
      ...rows(before, 40),
      ...shownMd.split('\n').map((l) => `  ${l.trim()}`),
      ...rows(after, 40).map((l) => l.replace(/^● /, '  ')),
    ];
    let text = t.fromScreen(r.slice(0, -2));
    text += t.fromRecords([{ lines, answer: true }]);
    text += t.fromScreen(r.slice(-2));
    expect(wordsOf(text)).toEqual(WORDS.slice(0, 40));
    expect(text.match(/one|docs/g)).toHaveLength(1);
  });

  it('shownEnd finds where the rows end in the record, nearest their length after a difference', () => {
    expect(shownEnd('abcdef', 'abcdefgh')).toBe(6);
    const all = 'seethedocshttpsexamplecomdocsthenw11w12w13w14w15w16';
    const shown = 'seethedocsthenw11w12w13w14';
    expect(all.slice(shownEnd(shown, all))).toBe('w15w16');
    expect(shownEnd('completelydifferent', 'nothingalikeatallhere')).toBe(19);
  });
});
