import { afterEach, describe, expect, it } from 'vitest';
import {
  COMMANDS,
  findConflicts,
  helpRows,
  primaryKey,
  renderKeyTable,
  resolveCommand,
  setKeymap,
} from '../../src/ui/keymap.js';
import { applyKeyOverrides, KeymapError, normalizeKey } from '../../src/ui/keymap-overrides.js';

afterEach(() => setKeymap(COMMANDS));

const at = 'cfg.json:3';
const refused = (command: string, keys: string[]): string => {
  try {
    applyKeyOverrides([{ command, keys, where: at }]);
  } catch (e) {
    if (e instanceof KeymapError) return e.message;
    throw e;
  }
  throw new Error('accepted');
};

describe('key names in a config file', () => {
  it.each([
    ['ctrl+t', 'ctrl+t'],
    ['Ctrl+T', 'ctrl+t'],
    ['shift+alt+Up', 'alt+shift+up'],
    ['Control+PgDn', 'ctrl+pagedown'],
    ['meta+b', 'alt+b'],
    ['esc', 'escape'],
    ['F2', 'f2'],
    ['ctrl+]', 'ctrl+]'],
    ['alt+1', 'alt+1'],
    ['?', '?'],
    ['Q', 'Q'],
  ])('%s → %s', (written, name) => {
    expect(normalizeKey(written)).toBe(name);
  });

  it.each([
    ['hyper+t', 'unknown modifier "hyper"; use ctrl+, alt+ or shift+'],
    ['ctrl+bogus', 'unknown key "bogus"'],
    ['ctrl+i', 'is the same byte as Tab; choose another key'],
    ['ctrl+m', 'is the same byte as Enter'],
    ['ctrl+1', 'terminals do not send Ctrl with "1"; use alt+1 or a Ctrl+letter'],
    ['shift+a', 'terminals do not report Shift with a character; use ctrl+ or alt+'],
    ['ctrl+', 'names no key'],
  ])('%s is refused: %s', (written, message) => {
    const r = normalizeKey(written);
    expect(typeof r === 'string' ? r : r.error).toContain(message);
  });
});

describe('applyKeyOverrides', () => {
  it('rebinds a command; the key handler, hints, help and README table follow the keymap in effect', () => {
    const keymap = applyKeyOverrides([
      { command: 'spawn', keys: ['Ctrl+T'], where: at },
      { command: 'zoom', keys: ['ctrl+o', 'f2'], where: at },
    ]);
    expect(findConflicts(keymap)).toEqual([]);
    setKeymap(keymap);
    expect(resolveCommand('ctrl+t', ['normal'])).toBe('spawn');
    expect(resolveCommand('ctrl+n', ['normal'])).toBeUndefined();
    expect(resolveCommand('f2', ['normal'])).toBe('zoom');
    expect(primaryKey('spawn')).toBe('Ctrl+T');
    const sessions = helpRows().find((g) => g.group === 'Sessions')?.rows ?? [];
    expect(sessions.find((r) => r.description.startsWith('Start a new session'))?.keys).toBe('Ctrl+T');
    expect(renderKeyTable()).toContain('| `Ctrl+T` | Start a new session');
    setKeymap(COMMANDS);
    expect(resolveCommand('ctrl+n', ['normal'])).toBe('spawn');
  });

  it('only the main binding changes: help keeps ? on an empty prompt box', () => {
    const keymap = applyKeyOverrides([{ command: 'help', keys: ['f2'], where: at }]);
    expect(keymap.find((c) => c.id === 'help')?.bindings).toEqual([
      { mode: 'normal', keys: ['f2'] },
      { mode: 'empty', keys: ['?'] },
    ]);
  });

  it('the later override of a command wins (project file after user file)', () => {
    const keymap = applyKeyOverrides([
      { command: 'spawn', keys: ['ctrl+t'], where: 'user:1' },
      { command: 'spawn', keys: ['ctrl+g'], where: 'project:1' },
    ]);
    expect(keymap.find((c) => c.id === 'spawn')?.bindings[0]?.keys).toEqual(['ctrl+g']);
  });

  it('refuses a conflict, naming both commands, the mode and the fix', () => {
    expect(refused('spawn', ['tab'])).toBe(
      'cfg.json:3: Tab is bound to both spawn and focus-next; rebind focus-next too, or choose another key',
    );
    expect(refused('help-close', ['up'])).toBe(
      'cfg.json:3: ↑ is bound to both help-close and help-scroll-up (help open); rebind help-scroll-up too, or choose another key',
    );
    // Swapping two commands' keys is fine when both are rebound.
    expect(() =>
      applyKeyOverrides([
        { command: 'spawn', keys: ['ctrl+x'], where: at },
        { command: 'kill', keys: ['ctrl+n'], where: at },
      ]),
    ).not.toThrow();
  });

  it('refuses unknown commands, bad keys, plain characters and empty lists', () => {
    expect(refused('spwan', ['ctrl+t'])).toMatch(
      /^cfg\.json:3: unknown command "spwan" \(did you mean "spawn"\?\); the commands are: submit, /,
    );
    expect(refused('spawn', ['ctrl+i'])).toBe(
      'cfg.json:3: keys.spawn: "ctrl+i" is the same byte as Tab; choose another key',
    );
    expect(refused('spawn', ['n'])).toBe(
      'cfg.json:3: keys.spawn: "n" alone would stop you typing it in the prompt box; add ctrl+ or alt+',
    );
    expect(refused('spawn', [])).toBe(
      'cfg.json:3: "spawn" needs at least one key (a name or a list of names)',
    );
    // A plain character is fine where no typing happens (the help overlay).
    expect(() =>
      applyKeyOverrides([{ command: 'help-close', keys: ['x', 'escape'], where: at }]),
    ).not.toThrow();
  });
});
