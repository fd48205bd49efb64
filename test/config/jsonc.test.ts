import { describe, expect, it } from 'vitest';
import { JsoncError, type JsonNode, parseJsonc } from '../../src/config/jsonc.js';

function error(text: string): { line: number; col: number; message: string } {
  try {
    parseJsonc(text);
  } catch (e) {
    if (e instanceof JsoncError) return { line: e.line, col: e.col, message: e.message };
    throw e;
  }
  throw new Error('parsed without error');
}

/** Back to plain values, for comparing with JSON.parse. */
function plain(n: JsonNode): unknown {
  switch (n.type) {
    case 'object':
      return Object.fromEntries(n.entries.map((e) => [e.key, plain(e.value)]));
    case 'array':
      return n.items.map(plain);
    case 'null':
      return null;
    default:
      return n.value;
  }
}

describe('parseJsonc', () => {
  it('reads JSON like JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\"y\\u00e9\\n"], "b": {"c": {}}, "d": []}';
    expect(plain(parseJsonc(text))).toEqual(JSON.parse(text));
  });

  it('takes comments, trailing commas and a BOM; keeps the line and column of keys and values', () => {
    const root = parseJsonc(
      '\ufeff{\n  // a comment\n  "notify": "bell", /* another\n spanning */\n  "keys": ["x",],\n}\n',
    );
    expect(plain(root)).toEqual({ notify: 'bell', keys: ['x'] });
    if (root.type !== 'object') throw new Error('object expected');
    expect(root.entries.map((e) => [e.key, e.at.line, e.at.col, e.value.line, e.value.col])).toEqual([
      ['notify', 3, 3, 3, 13],
      ['keys', 5, 3, 5, 11],
    ]);
  });

  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 2, 9, 'missing , after the value of "a"; add a comma between entries'],
    ['{\n  notify: "bell"\n}', 2, 3, 'keys need double quotes: "notify"'],
    ["{ 'a': 1 }", 1, 3, 'expected a key in double quotes or } but found "\'"'],
    ['{ "a": \'x\' }', 1, 8, 'strings need double quotes ("..."), not single quotes'],
    ['{ "a": bell }', 1, 8, 'unexpected word bell; text values need double quotes: "bell"'],
    ['{ "a": 1, "a": 2 }', 1, 11, '"a" is set twice in this object; keep one'],
    ['{ "a": "x\n" }', 1, 8, 'a string runs past the end of its line; close it with "'],
    ['{ "a": 1 ', 1, 1, 'an object is never closed; add }'],
    ['{ "a": [1 2] }', 1, 10, 'missing , or ] in a list before "2"; add a comma between items'],
    ['{ /* x ', 1, 3, 'a /* comment is never closed; add */'],
    ['', 1, 1, 'the file is empty; write {} for no settings'],
    ['{} x', 1, 4, 'unexpected "x" after the end of the settings; remove it'],
    ['{ "a" 1 }', 1, 7, 'expected : after "a" but found "1"'],
    ['{ "a": "\\q" }', 1, 9, 'unknown escape \\q in a string; write \\\\ for a backslash'],
  ])('%j → line %i col %i: %s', (text, line, col, message) => {
    expect(error(text)).toEqual({ line, col, message });
  });
});
