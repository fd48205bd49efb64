import { describe, expect, it } from 'vitest';
import { decodeEvent, escapeName, KeyDecoder, normalizePaste } from '../../src/ui/keys.js';

const names = (event: string) => decodeEvent(event).map((k) => k.name);

describe('decodeEvent', () => {
  it('names control characters', () => {
    expect(names('\r')).toEqual(['enter']);
    expect(names('\n')).toEqual(['ctrl+j']);
    expect(names('\t')).toEqual(['tab']);
    expect(names('\x7f')).toEqual(['backspace']);
    expect(names('\x08')).toEqual(['ctrl+h']);
    expect(names('\x03')).toEqual(['ctrl+c']);
    expect(names('\x0e')).toEqual(['ctrl+n']);
    expect(names('\x18')).toEqual(['ctrl+x']);
    expect(names('\x0f')).toEqual(['ctrl+o']);
    expect(names('\x1d')).toEqual(['ctrl+]']);
    expect(names(' ')).toEqual(['space']);
  });

  it('splits plain runs into one key per character, keeping text and raw bytes', () => {
    expect(decodeEvent('hé😀\r')).toEqual([
      { name: 'h', raw: 'h', text: 'h' },
      { name: 'é', raw: 'é', text: 'é' },
      { name: '😀', raw: '😀', text: '😀' },
      { name: 'enter', raw: '\r' },
    ]);
  });

  it('names escape sequences', () => {
    expect(escapeName('\x1b')).toBe('escape');
    expect(escapeName('\x1b[A')).toBe('up');
    expect(escapeName('\x1b[B')).toBe('down');
    expect(escapeName('\x1b[C')).toBe('right');
    expect(escapeName('\x1b[D')).toBe('left');
    expect(escapeName('\x1bOA')).toBe('up');
    expect(escapeName('\x1b[1;2A')).toBe('shift+up');
    expect(escapeName('\x1b[1;5D')).toBe('ctrl+left');
    expect(escapeName('\x1b[1;3C')).toBe('alt+right');
    expect(escapeName('\x1b[H')).toBe('home');
    expect(escapeName('\x1b[F')).toBe('end');
    expect(escapeName('\x1b[1~')).toBe('home');
    expect(escapeName('\x1b[4~')).toBe('end');
    expect(escapeName('\x1b[3~')).toBe('delete');
    expect(escapeName('\x1b[5~')).toBe('pageup');
    expect(escapeName('\x1b[6~')).toBe('pagedown');
    expect(escapeName('\x1b[1;5F')).toBe('ctrl+end');
    expect(escapeName('\x1b[Z')).toBe('shift+tab');
    expect(escapeName('\x1bOP')).toBe('f1');
    expect(escapeName('\x1b[11~')).toBe('f1');
    expect(escapeName('\x1b[[A')).toBe('f1');
    expect(escapeName('\x1b[24~')).toBe('f12');
    expect(escapeName('\x1b\r')).toBe('alt+enter');
    expect(escapeName('\x1b1')).toBe('alt+1');
    expect(escapeName('\x1bb')).toBe('alt+b');
    expect(escapeName('\x1b\x7f')).toBe('alt+backspace');
    expect(escapeName('\x1b\x1b[A')).toBe('alt+up');
    expect(escapeName('\x1b[I')).toBe('focus-in');
    expect(escapeName('\x1b[99x')).toBe('unknown');
    expect(escapeName('\x1b[13;2u')).toBe('shift+enter');
    expect(escapeName('\x1b[27;2;13~')).toBe('shift+enter');
    expect(escapeName('\x1b[97;5u')).toBe('ctrl+a');
    expect(escapeName('\x1b[27u')).toBe('escape');
  });

  it('keeps the exact bytes of escape sequences for passthrough', () => {
    expect(decodeEvent('\x1b[A')).toEqual([{ name: 'up', raw: '\x1b[A' }]);
    expect(decodeEvent('\x1bOB')).toEqual([{ name: 'down', raw: '\x1bOB' }]);
  });
});

describe('KeyDecoder', () => {
  it('turns a bracketed paste into one item, across events', () => {
    const d = new KeyDecoder();
    expect(d.feed('\x1b[200~')).toEqual([]);
    expect(d.inPaste).toBe(true);
    expect(d.feed('line one\r')).toEqual([]);
    expect(d.feed('line two')).toEqual([]);
    expect(d.feed('\x1b[201~')).toEqual([
      { kind: 'paste', text: 'line one\rline two', raw: '\x1b[200~line one\rline two\x1b[201~' },
    ]);
    expect(d.inPaste).toBe(false);
    expect(d.feed('x')).toEqual([{ kind: 'key', key: { name: 'x', raw: 'x', text: 'x' } }]);
  });

  it('normalizes pasted text', () => {
    expect(normalizePaste('a\r\nb\rc\td\x07')).toBe('a\nb\nc  d');
  });
});
