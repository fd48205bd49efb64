import v8 from 'node:v8';
import vm from 'node:vm';
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
/** A LiveText inside a turn: its prompt's record came (an answer's rows go out live only then). */
function inTurn(): LiveText {
  const t = new LiveText(1000, claudeScreenRow);
  t.fromRecords([{ lines: ['❯ go'], turn: 'start' }]);
  return t;
}
const wordsOf = (text: string) => text.split(/\s+/).filter((w) => /^w\d+$/.test(w));

describe('LiveText: the log plus the live screen rows, each word once', () => {
  it('restAfter cuts after k letters and digits and the punctuation closing them', () => {
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
    const t = inTurn();
    const r = rows(WORDS.slice(0, 30), 40);
    let text = t.fromScreen(r.slice(0, 4));
    text += t.fromRecords([answer(WORDS.slice(0, 30)), { lines: ['  ⎿  Interrupted'], turn: 'end' }]);
    expect(wordsOf(text)).toEqual(WORDS.slice(0, 30));
    expect(text.endsWith('  ⎿  Interrupted\n')).toBe(true);
  });

  it('tool rows, results and prompts on the screen are never passed on (the log has them)', () => {
    const t = inTurn();
    expect(
      t.fromScreen(['❯ do it', '● Write(hello.py)', '  ⎿  Wrote 5 lines to hello.py', '      1 import time']),
    ).toBe('');
  });

  it('a redraw that starts in the middle of the open block (claude after a resize, or an answer taller than the screen) repeats nothing', () => {
    const t = inTurn();
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
    const t = inTurn();
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
    const t = inTurn();
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

  it('claude laying a row out again after it went out (a long URL moved to the next row) repeats nothing', () => {
    const t = inTurn();
    let text = t.fromScreen(['● See https://github.com/example-org/example-repos']);
    // Laid out again: "See" alone, the URL from the next row on (captured from claude 2.1.332).
    text += t.fromScreen([
      '  https://github.com/example-org/example-repositor',
      '  y/blob/main/src/engine/live-text.ts#L120-L180',
      '  for details, and more words here',
      '  https://github.com/example-org/example-repos',
    ]);
    text += t.fromRecords([
      {
        lines: [
          'See https://github.com/example-org/example-repository/blob/main/src/engine/live-text.ts#L120-L180 for details, and more words here',
          'https://github.com/example-org/example-repos',
        ],
        answer: true,
      },
    ]);
    expect(text.match(/example-org/g)).toHaveLength(2);
    expect(alnum(text)).toBe(
      alnum(
        'See https://github.com/example-org/example-repository/blob/main/src/engine/live-text.ts#L120-L180 for details, and more words here https://github.com/example-org/example-repos',
      ),
    );
  });

  it('a redraw that links up again goes on live', () => {
    const t = inTurn();
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
    const t = inTurn();
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

  // Before: rows without a letter or digit were never passed on live, and the record added only
  // what followed the last row shown, so emoji-only lines, rules and punctuation lines were lost.
  it('rows of emoji, rules or punctuation only among an answer go out once, in their place', () => {
    const lines = [
      'First line alpha beta.',
      '🎉🎉🎉',
      'Second gamma delta.',
      '✅ ✅ ✅',
      '—',
      '',
      'Third epsilon.',
      '👨‍👩‍👧‍👦🇯🇵',
    ];
    const r = lines.map((l, i) => (i === 0 ? `● ${l}` : l === '' ? '' : `  ${l}`));
    const t = inTurn();
    let text = t.fromScreen(r.slice(0, 7));
    text += t.fromRecords([{ lines, answer: true }]);
    text += t.fromScreen([...r.slice(7), '', '✻ Baked for 1s']);
    expect(text).toBe(`${lines.join('\n')}\n`);
    // The record first: the same text.
    const t2 = inTurn();
    expect(t2.fromRecords([{ lines, answer: true }]) + t2.fromScreen(r)).toBe(`${lines.join('\n')}\n`);
  });

  it('a block that starts without a letter is brought whole by its record, not glued to the block before', () => {
    const t = inTurn();
    let text = t.fromScreen(['● Before words here.', '', '● 🎉', '  After words there.']);
    text += t.fromRecords([{ lines: ['Before words here.'], answer: true }]);
    text += t.fromRecords([{ lines: ['🎉', 'After words there.'], answer: true }]);
    expect(text).toBe('Before words here.\n🎉\nAfter words there.\n');
  });

  // Before: the emoji-only last row of a block came after the next block's first row (the next
  // block went out live; the row waited for its block's record).
  it("a block's last rows without a letter stay before the next block when it starts at once", () => {
    const t = inTurn();
    let text = t.fromScreen([
      '● Before words here, and more.',
      '  🎉🎉🎉',
      '',
      '● After words there, and more.',
    ]);
    text += t.fromScreen(['  The next block goes on here.']);
    text += t.fromRecords([{ lines: ['Before words here, and more.', '🎉🎉🎉'], answer: true }]);
    text += t.fromRecords([
      { lines: ['After words there, and more.', 'The next block goes on here.'], answer: true },
    ]);
    expect(text).toBe(
      'Before words here, and more.\n🎉🎉🎉\nAfter words there, and more.\nThe next block goes on here.\n',
    );
    // A block after one that ended in blank rows only goes out live as before.
    const u = inTurn();
    const live = u.fromScreen(['● Before words here, and more.', '', '● After words there, and more.']);
    expect(live).toBe('Before words here, and more.\nAfter words there, and more.\n');
  });

  // Before: the record's rest began at the end of the word the last row shown ended in, so the
  // rest of a word cut by the row's end was lost (a 200-letter word, CJK without spaces).
  it.each([
    ['a long word', `A very long word: Super_${'a'.repeat(200)} end of word.`, 40],
    ['CJK without spaces', `${'漢字'.repeat(46)}終わり。次の文、全角句読点！（括弧）「引用」？`, 40],
    ['a hyphenated word', `${WORDS.slice(0, 5).join(' ')} well-known-and-long-compound words after`, 30],
  ])('a word cut at the end of a row goes on from there (%s)', (_w, line, width) => {
    const cells = (s: string) =>
      [...s].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
    // Claude's hard wrap: as many characters as fit in each row, continuation rows indented by two.
    const r: string[] = [];
    let cur = '';
    for (const c of line) {
      if (cells(cur + c) > width - 2) {
        r.push(cur);
        cur = '';
      }
      cur += c;
    }
    r.push(cur);
    const screen = r.map((x, i) => (i === 0 ? `● ${x}` : `  ${x.trimStart()}`));
    const t = inTurn();
    let text = t.fromScreen(screen.slice(0, 1));
    text += t.fromRecords([{ lines: [line], answer: true }]);
    text += t.fromScreen(screen.slice(1));
    expect(alnum(text)).toBe(alnum(line));
    expect(text.replace(/\n/g, '')).toBe(line);
  });

  // Before: a row repeating one the block had shown was taken for claude redrawing the block and
  // dropped, and the record added only what followed the last row shown: the repeat was lost.
  it('a row that repeats an earlier row of the answer (no resize, no chrome between) goes out again', () => {
    const lines = [
      'Step one: run the whole test suite again',
      'Step two: check the results carefully',
      'Step one: run the whole test suite again',
      'Step three: done and dusted for today',
    ];
    const r = lines.map((l, i) => (i === 0 ? `● ${l}` : `  ${l}`));
    const t = inTurn();
    let text = t.fromScreen(r.slice(0, 2));
    text += t.fromScreen(r.slice(2));
    text += t.fromRecords([{ lines, answer: true }]);
    expect(text).toBe(`${lines.join('\n')}\n`);
  });

  // Before: a row repeating the last row shown was taken for claude laying that row out again
  // and dropped; the record then added only what followed the last row shown: repeats were lost.
  it('rows that repeat the row just before go out as often as the answer says them', () => {
    const lines = [
      'Say it three times, on three rows:',
      'hello world, once again and again',
      'hello world, once again and again',
      'hello world, once again and again',
      'That was three times in a row.',
    ];
    const r = lines.map((l, i) => (i === 0 ? `● ${l}` : `  ${l}`));
    const t = inTurn();
    let text = t.fromScreen(r.slice(0, 2));
    // What came before the repeat went out live.
    expect(text).toBe(`${lines.slice(0, 2).join('\n')}\n`);
    text += t.fromScreen(r.slice(2, 4));
    text += t.fromScreen(r.slice(4));
    text += t.fromRecords([{ lines, answer: true }]);
    expect(text).toBe(`${lines.join('\n')}\n`);
  });

  it('claude laying its last row out again, the same, repeats nothing: the record brings what follows', () => {
    const lines = [
      'The first row of the answer is here,',
      'the second row of it comes here,',
      'and the last row.',
    ];
    const r = lines.map((l, i) => (i === 0 ? `● ${l}` : `  ${l}`));
    const t = inTurn();
    let text = t.fromScreen(r.slice(0, 2));
    text += t.fromScreen([r[1] as string, r[2] as string]);
    text += t.fromRecords([{ lines, answer: true }]);
    expect(text).toBe(`${lines.join('\n')}\n`);
  });

  // Before: claude can draw an answer's first rows before it writes the prompt's record (seen
  // once under load: the text did not start with the prompt); they went out ahead of the prompt.
  it("an answer's rows drawn before the log opened the turn wait for its record: the prompt comes first", () => {
    const t = new LiveText(1000, claudeScreenRow);
    const r = rows(WORDS.slice(0, 20), 40);
    let text = t.fromScreen(r.slice(0, 2));
    expect(text).toBe('');
    text += t.fromRecords([{ lines: ['❯ go'], turn: 'start' }]);
    text += t.fromScreen(r.slice(2));
    text += t.fromRecords([answer(WORDS.slice(0, 20)), { lines: [], turn: 'end' }]);
    expect(text).toBe(`❯ go\n${WORDS.slice(0, 20).join(' ')}\n`);
    // The next turn's answer goes out live again once its prompt is in the log.
    text += t.fromRecords([{ lines: ['❯ more'], turn: 'start' }]);
    const live = t.fromScreen(rows(WORDS.slice(20, 30), 40));
    expect(wordsOf(live)).toEqual(WORDS.slice(20, 30));
  });

  it('shownEnd finds where the rows end in the record, nearest their length after a difference', () => {
    expect(shownEnd('abcdef', 'abcdefgh')).toBe(6);
    const all = 'seethedocshttpsexamplecomdocsthenw11w12w13w14w15w16';
    const shown = 'seethedocsthenw11w12w13w14';
    expect(all.slice(shownEnd(shown, all))).toBe('w15w16');
    expect(shownEnd('completelydifferent', 'nothingalikeatallhere')).toBe(19);
  });
});

describe('LiveText memory', () => {
  // Seen in a long session (3000-line answers): the remembered start of each answer was a slice of
  // the whole answer's letters, and a slice keeps its whole parent string alive in V8, so the last
  // 32 answers were held whole (1.3 MB each here) instead of their first 64 Ki characters.
  it('remembers only the start of each of its last answers, not the whole answer behind a slice', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const t = new LiveText(1, claudeScreenRow);
    const line = (b: number, i: number) => `b${b} line ${i} 漢字 ${'x'.repeat(150)}`;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let b = 0; b < 32; b++)
      t.fromRecords([{ lines: Array.from({ length: 4000 }, (_, i) => line(b, i)), answer: true }]);
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // 32 x 64 Ki two-byte characters is 4 MiB; the whole answers are 41 MiB.
    expect(grown / 2 ** 20).toBeLessThan(12);
  });
});
