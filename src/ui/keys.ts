/**
 * Keyboard decoding. Ink's input parser already splits stdin into events (one escape sequence,
 * or one run of plain characters); this module turns each event into named keys while keeping
 * the exact raw bytes, so passthrough can forward them to a PTY unchanged.
 *
 * Key names: printable characters are themselves ('a', 'A', '?', '1'); others are lower-case
 * names with modifiers in the fixed order ctrl+alt+shift: 'enter', 'escape', 'tab', 'shift+tab',
 * 'backspace', 'delete', 'up', 'shift+up', 'ctrl+left', 'alt+enter', 'alt+1', 'ctrl+n',
 * 'ctrl+]', 'pageup', 'home', 'f1', 'space'.
 */

export interface KeyPress {
  /** Normalized name (see module doc). 'unknown' for sequences we do not recognize. */
  name: string;
  /** Exact bytes received, for passthrough. */
  raw: string;
  /** Text to insert, for printable keys. */
  text?: string;
}

export type InputItem = { kind: 'key'; key: KeyPress } | { kind: 'paste'; text: string; raw: string };

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

const C0_NAMES: Record<number, string> = {
  0: 'ctrl+space',
  8: 'ctrl+h',
  9: 'tab',
  10: 'ctrl+j',
  13: 'enter',
  27: 'escape',
  28: 'ctrl+\\',
  29: 'ctrl+]',
  30: 'ctrl+^',
  31: 'ctrl+_',
  127: 'backspace',
};

/** Name of a single character typed without modifiers (or with Ctrl, for C0 controls). */
export function charName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  const named = C0_NAMES[cp];
  if (named) return named;
  if (cp >= 1 && cp <= 26) return `ctrl+${String.fromCharCode(cp + 96)}`;
  if (cp === 0x20) return 'space';
  return ch;
}

function withModifiers(base: string, mod: number): string {
  // xterm modifier parameter: 1 + (shift ? 1 : 0) + (alt ? 2 : 0) + (ctrl ? 4 : 0) + (meta ? 8 : 0)
  const bits = Math.max(0, mod - 1);
  let prefix = '';
  if (bits & 4) prefix += 'ctrl+';
  if (bits & 2 || bits & 8) prefix += 'alt+';
  if (bits & 1) prefix += 'shift+';
  return prefix + base;
}

const LETTER_KEYS: Record<string, string> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  E: 'begin',
  P: 'f1',
  Q: 'f2',
  R: 'f3',
  S: 'f4',
};

const TILDE_KEYS: Record<number, string> = {
  1: 'home',
  2: 'insert',
  3: 'delete',
  4: 'end',
  5: 'pageup',
  6: 'pagedown',
  7: 'home',
  8: 'end',
  11: 'f1',
  12: 'f2',
  13: 'f3',
  14: 'f4',
  15: 'f5',
  17: 'f6',
  18: 'f7',
  19: 'f8',
  20: 'f9',
  21: 'f10',
  23: 'f11',
  24: 'f12',
};

/** Name of one escape sequence (starting with ESC). */
export function escapeName(seq: string): string {
  if (seq === '\x1b') return 'escape';
  // Alt + escape sequence (ESC ESC [ A): alt+up
  if (seq.startsWith('\x1b\x1b') && seq.length > 2) {
    const inner = escapeName(seq.slice(1));
    if (inner === 'unknown') return inner;
    return inner.includes('alt+') ? inner : addAlt(inner);
  }
  // Linux console function keys: ESC [ [ A..E
  const linux = /^\x1b\[\[([A-E])$/.exec(seq);
  if (linux?.[1]) return `f${linux[1].charCodeAt(0) - 64}`;
  const csi = /^\x1b\[([\d;]*)([A-Za-z~])$/.exec(seq);
  if (csi) {
    const params = (csi[1] ?? '').split(';').map((p) => (p === '' ? 0 : Number(p)));
    const final = csi[2] ?? '';
    const mod = params[1] ?? 1;
    // CSI u (kitty / fixterms) and xterm modifyOtherKeys (CSI 27;mod;code~): a key code plus
    // modifiers, e.g. Shift+Enter = ESC[13;2u or ESC[27;2;13~.
    if (final === 'u' || (final === '~' && params[0] === 27 && params.length >= 3)) {
      const code = final === 'u' ? (params[0] ?? 0) : (params[2] ?? 0);
      const m = final === 'u' ? mod : (params[1] ?? 1);
      const base = charName(String.fromCodePoint(code));
      const plain = base.startsWith('ctrl+') ? base : base === ' ' ? 'space' : base;
      return withModifiers(plain.length === 1 ? plain.toLowerCase() : plain, m);
    }
    if (final === '~') {
      const base = TILDE_KEYS[params[0] ?? 0];
      if (params[0] === 200) return 'paste-start';
      if (params[0] === 201) return 'paste-end';
      return base ? withModifiers(base, mod) : 'unknown';
    }
    if (final === 'Z') return 'shift+tab';
    if (final === 'I') return 'focus-in';
    if (final === 'O' && params.length <= 1 && params[0] === 0) return 'focus-out';
    const base = LETTER_KEYS[final];
    if (base) return withModifiers(base, mod);
    return 'unknown';
  }
  const ss3 = /^\x1bO([A-Za-z])$/.exec(seq);
  if (ss3) return LETTER_KEYS[ss3[1] ?? ''] ?? 'unknown';
  // ESC + one character: Alt+character
  const rest = seq.slice(1);
  if ([...rest].length === 1) return addAlt(charName(rest));
  return 'unknown';
}

function addAlt(name: string): string {
  if (name.startsWith('ctrl+')) return `ctrl+alt+${name.slice(5)}`;
  return `alt+${name}`;
}

/** Decode one input event (as emitted by Ink's input parser) into keys. Plain runs become one key per character. */
export function decodeEvent(event: string): KeyPress[] {
  if (event.startsWith('\x1b')) return [{ name: escapeName(event), raw: event }];
  const keys: KeyPress[] = [];
  for (const ch of event) {
    const name = charName(ch);
    const cp = ch.codePointAt(0) ?? 0;
    const printable = cp >= 0x20 && cp !== 0x7f;
    keys.push(printable ? { name, raw: ch, text: ch } : { name, raw: ch });
  }
  return keys;
}

/**
 * Stateful decoder: handles bracketed paste (ESC[200~ … ESC[201~) across events, so a pasted
 * block arrives as one `paste` item (newlines kept, never submitted by accident).
 */
export class KeyDecoder {
  private pasting = false;
  private buffer = '';

  feed(event: string): InputItem[] {
    if (this.pasting) {
      const end = event.indexOf(PASTE_END);
      if (end === -1) {
        this.buffer += event;
        return [];
      }
      this.buffer += event.slice(0, end);
      const text = this.buffer;
      this.pasting = false;
      this.buffer = '';
      const after = event.slice(end + PASTE_END.length);
      return [
        { kind: 'paste', text, raw: PASTE_START + text + PASTE_END },
        ...(after ? this.feed(after) : []),
      ];
    }
    if (event.startsWith(PASTE_START)) {
      this.pasting = true;
      this.buffer = '';
      const after = event.slice(PASTE_START.length);
      return after ? this.feed(after) : [];
    }
    return decodeEvent(event).map((key) => ({ kind: 'key', key }));
  }

  /** True while inside a bracketed paste. */
  get inPaste(): boolean {
    return this.pasting;
  }
}

/** Normalize pasted text for the prompt box: CRLF / CR become LF, other controls (but tab) dropped. */
export function normalizePaste(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
