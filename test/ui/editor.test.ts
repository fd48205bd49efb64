import { describe, expect, it } from 'vitest';
import * as ed from '../../src/ui/editor.js';

const at = (text: string, cursor = text.length, history: string[] = []): ed.EditorState => ({
  ...ed.emptyEditor(history),
  text,
  cursor,
});

describe('editor', () => {
  it('inserts, deletes and moves by character (surrogate pairs stay whole)', () => {
    let s = ed.insert(ed.emptyEditor(), 'ab😀');
    expect(s).toMatchObject({ text: 'ab😀', cursor: 4 });
    s = ed.left(s);
    expect(s.cursor).toBe(2);
    s = ed.backspace(s);
    expect(s).toMatchObject({ text: 'a😀', cursor: 1 });
    s = ed.del(s);
    expect(s).toMatchObject({ text: 'a', cursor: 1 });
    s = ed.home(ed.insert(s, 'bc'));
    expect(s.cursor).toBe(0);
    expect(ed.end(s).cursor).toBe(3);
    expect(ed.backspace(at('x', 0)).text).toBe('x');
    expect(ed.del(at('x')).text).toBe('x');
  });

  it('moves and deletes by word', () => {
    const s = at('hello big world');
    expect(ed.wordLeft(s).cursor).toBe(10);
    expect(ed.wordLeft(ed.wordLeft(s)).cursor).toBe(6);
    expect(ed.wordRight(at('hello big world', 0)).cursor).toBe(5);
    expect(ed.deleteWordBack(s)).toMatchObject({ text: 'hello big ', cursor: 10 });
    expect(ed.deleteWordBack(at('hello big  ')).text).toBe('hello ');
  });

  it('kills to end and start of line', () => {
    expect(ed.killToEnd(at('abc def', 3))).toMatchObject({ text: 'abc', cursor: 3 });
    expect(ed.killToStart(at('abc def', 4))).toMatchObject({ text: 'def', cursor: 0 });
    expect(ed.killToEnd(at('ab\ncd', 2)).text).toBe('abcd');
    expect(ed.killToStart(at('ab\ncd', 4))).toMatchObject({ text: 'ab\nd', cursor: 3 });
  });

  it('handles multi-line text: home/end per line, up/down between lines', () => {
    const s = at('first line\nsecond', 14);
    expect(ed.home(s).cursor).toBe(11);
    expect(ed.end(at('first line\nsecond', 3)).cursor).toBe(10);
    const up = ed.up(s);
    expect(up.cursor).toBe(3);
    expect(ed.down(up).cursor).toBe(14);
  });

  it('browses history with up/down and restores the draft', () => {
    let s = ed.commit(at('one'));
    s = ed.commit(ed.insert(s, 'two'));
    expect(s.history).toEqual(['one', 'two']);
    s = ed.insert(s, 'dra');
    s = ed.up(s);
    expect(s.text).toBe('two');
    s = ed.up(s);
    expect(s.text).toBe('one');
    expect(ed.up(s).text).toBe('one');
    s = ed.down(s);
    expect(s.text).toBe('two');
    s = ed.down(s);
    expect(s).toMatchObject({ text: 'dra', cursor: 3, historyIndex: undefined });
    expect(ed.down(s).text).toBe('dra');
  });

  it('does not record blanks or immediate repeats', () => {
    let s = ed.commit(at('   '));
    expect(s.history).toEqual([]);
    s = ed.commit(at('x', 1, ['x']));
    expect(s.history).toEqual(['x']);
  });

  it('wraps text to a width and locates the cursor', () => {
    const w = ed.wrapText('abcdefgh\nxy', 11, 5);
    expect(w.lines.map((l) => l.text)).toEqual(['abcd', 'efgh', 'xy']);
    expect(w.lines.map((l) => l.first)).toEqual([true, false, true]);
    expect([w.cursorRow, w.cursorCol]).toEqual([2, 2]);
    const w2 = ed.wrapText('abcdefgh', 4, 5);
    expect([w2.cursorRow, w2.cursorCol]).toEqual([1, 0]);
    expect(ed.wrapText('', 0, 10)).toMatchObject({
      lines: [{ text: '', start: 0, first: true }],
      cursorRow: 0,
    });
    expect(ed.maxLineWidth(ed.wrapText('中文中文中文', 0, 5).lines)).toBeLessThanOrEqual(4);
  });

  describe('grapheme clusters (what a person sees as one character)', () => {
    const FAMILY = '👨\u200d👩\u200d👧\u200d👦';
    const THUMB = '👍🏽';
    const FLAG = '🇯🇵';
    const E_ACUTE = 'e\u0301';
    it.each([
      ['a ZWJ family', FAMILY],
      ['a skin-toned emoji', THUMB],
      ['a flag', FLAG],
      ['e + combining accent', E_ACUTE],
      ['a Devanagari conjunct', 'क्षि'],
    ])('backspace and delete remove %s whole', (_, g) => {
      expect(ed.backspace(at(`x${g}`))).toMatchObject({ text: 'x', cursor: 1 });
      expect(ed.del(at(`${g}y`, 0))).toMatchObject({ text: 'y', cursor: 0 });
    });

    it('left and right step over a cluster at once; Ctrl+W takes the word with its accents', () => {
      const text = `a${FAMILY}${THUMB}${FLAG}${E_ACUTE}b`;
      const stops: number[] = [];
      let s = at(text, 0);
      for (let i = 0; i < 6; i++) {
        s = ed.right(s);
        stops.push(s.cursor);
      }
      const n = [1, FAMILY.length, THUMB.length, FLAG.length, E_ACUTE.length, 1];
      expect(stops).toEqual(n.map((_, i) => n.slice(0, i + 1).reduce((a, b) => a + b, 0)));
      const back: number[] = [];
      for (let i = 0; i < 6; i++) {
        s = ed.left(s);
        back.push(s.cursor);
      }
      expect(back).toEqual([...stops.slice(0, 5)].reverse().concat(0));
      expect(ed.deleteWordBack(at('say cafe\u0301'))).toMatchObject({ text: 'say ', cursor: 4 });
      expect(ed.wordLeft(at('नमस्ते दुनिया')).cursor).toBe(7);
    });

    it('up and down keep the cursor in the same cell column across wide clusters', () => {
      const text = `${FAMILY}${FAMILY}x\nabcdef`;
      // After two families (4 cells) on line 1: down lands after "abcd".
      const s = ed.down(at(text, FAMILY.length * 2));
      expect(s.cursor).toBe(text.indexOf('\n') + 1 + 4);
      expect(ed.up(s).cursor).toBe(FAMILY.length * 2);
    });

    it('wraps by cells and puts the cursor column where the cluster is drawn', () => {
      // Each family is 2 cells: 3 of them fill a 7-wide box (6 + 1 kept for the cursor).
      const w = ed.wrapText(FAMILY.repeat(4), FAMILY.length * 3, 7);
      expect(w.lines.map((l) => l.text)).toEqual([FAMILY.repeat(3), FAMILY]);
      expect([w.cursorRow, w.cursorCol]).toEqual([1, 0]);
      expect(ed.wrapText(`${THUMB}${E_ACUTE}x`, THUMB.length + E_ACUTE.length, 10).cursorCol).toBe(3);
    });
  });
});
