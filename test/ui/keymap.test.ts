import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/ui/help.js';
import {
  activeModes,
  COMMANDS,
  type Command,
  findConflicts,
  HINT_ORDER,
  keyLabel,
  keysLabel,
  type Mode,
  renderKeyTable,
  resolveCommand,
} from '../../src/ui/keymap.js';

describe('keymap', () => {
  it('binds no key twice in the same mode', () => {
    expect(findConflicts()).toEqual([]);
    for (const mode of ['normal', 'empty', 'waiting', 'passthrough', 'help'] as Mode[]) {
      const keys = COMMANDS.flatMap((c) => c.bindings.filter((b) => b.mode === mode).flatMap((b) => b.keys));
      expect(new Set(keys).size, mode).toBe(keys.length);
    }
  });

  it('detects a conflict', () => {
    const dup: Command[] = [
      { id: 'zoom', group: 'Panes', description: 'a', bindings: [{ mode: 'normal', keys: ['ctrl+o'] }] },
      { id: 'kill', group: 'Panes', description: 'b', bindings: [{ mode: 'normal', keys: ['ctrl+o'] }] },
    ];
    expect(findConflicts(dup)).toHaveLength(1);
  });

  it('has unique command ids, each with a description and at least one binding', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of COMMANDS) {
      expect(c.description.length, c.id).toBeGreaterThan(5);
      expect(c.bindings.flatMap((b) => b.keys).length, c.id).toBeGreaterThan(0);
    }
    for (const id of HINT_ORDER) expect(COMMANDS.find((c) => c.id === id)?.hint, id).toBeTruthy();
  });

  it('has the pinned bindings', () => {
    const normal = activeModes({
      help: false,
      passthrough: false,
      promptEmpty: false,
      focusedWaiting: false,
    });
    expect(resolveCommand('enter', normal)).toBe('submit');
    expect(resolveCommand('escape', normal)).toBe('interrupt');
    expect(resolveCommand('tab', normal)).toBe('focus-next');
    expect(resolveCommand('shift+tab', normal)).toBe('focus-prev');
    expect(resolveCommand('ctrl+c', normal)).toBe('clear-or-quit');
    expect(resolveCommand('ctrl+n', normal)).toBe('spawn');
    expect(resolveCommand('ctrl+x', normal)).toBe('kill');
    expect(resolveCommand('ctrl+o', normal)).toBe('zoom');
    expect(resolveCommand('pageup', normal)).toBe('scroll-page-up');
    expect(resolveCommand('shift+up', normal)).toBe('scroll-line-up');
    expect(resolveCommand('f1', normal)).toBe('help');
    expect(resolveCommand('alt+3', normal)).toBe('focus-number');
    expect(resolveCommand('ctrl+]', normal)).toBe('passthrough');
    expect(resolveCommand('?', normal)).toBeUndefined(); // '?' is text when the box has text
  });

  it('gives priority to waiting, then empty, then normal', () => {
    const waitingEmpty = activeModes({
      help: false,
      passthrough: false,
      promptEmpty: true,
      focusedWaiting: true,
    });
    expect(waitingEmpty).toEqual(['waiting', 'empty', 'normal']);
    expect(resolveCommand('1', waitingEmpty)).toBe('answer');
    expect(resolveCommand('enter', waitingEmpty)).toBe('answer');
    expect(resolveCommand('up', waitingEmpty)).toBe('answer');
    expect(resolveCommand('?', waitingEmpty)).toBe('help');
    expect(resolveCommand('escape', waitingEmpty)).toBe('interrupt');
    const empty = activeModes({ help: false, passthrough: false, promptEmpty: true, focusedWaiting: false });
    expect(resolveCommand('enter', empty)).toBe('submit');
    expect(resolveCommand('up', empty)).toBe('history-prev');
    expect(resolveCommand('home', empty)).toBe('scroll-top');
    expect(resolveCommand('?', empty)).toBe('help');
  });

  it('in passthrough only the toggle is bound; in help only help keys and quit', () => {
    const pt = activeModes({ help: false, passthrough: true, promptEmpty: true, focusedWaiting: true });
    expect(pt).toEqual(['passthrough']);
    expect(resolveCommand('ctrl+]', pt)).toBe('passthrough');
    for (const k of ['enter', 'escape', 'ctrl+c', 'tab', '1', 'up'])
      expect(resolveCommand(k, pt)).toBeUndefined();
    const help = activeModes({ help: true, passthrough: false, promptEmpty: true, focusedWaiting: false });
    expect(resolveCommand('escape', help)).toBe('help-close');
    expect(resolveCommand('ctrl+c', help)).toBe('clear-or-quit');
    expect(resolveCommand('enter', help)).toBe('help-close');
  });

  it('labels keys', () => {
    expect(keyLabel('ctrl+n')).toBe('Ctrl+N');
    expect(keyLabel('alt+enter')).toBe('Alt+Enter');
    expect(keyLabel('shift+tab')).toBe('Shift+Tab');
    expect(keyLabel('pageup')).toBe('PgUp');
    expect(keyLabel('escape')).toBe('Esc');
    expect(keyLabel('f1')).toBe('F1');
    expect(keyLabel('ctrl+]')).toBe('Ctrl+]');
    expect(keyLabel('?')).toBe('?');
    expect(keysLabel(['alt+1', 'alt+2', 'alt+3', 'alt+4'])).toEqual(['Alt+1…4']);
    expect(keysLabel(['1', '2', '3', 'enter'])).toEqual(['1…3', 'Enter']);
  });

  it('renders the README key table with every command and binding', () => {
    const table = renderKeyTable();
    const lines = table.trim().split('\n');
    expect(lines[0]).toBe('| Keys | Action | When |');
    const bindings = COMMANDS.reduce((a, c) => a + c.bindings.length, 0);
    expect(lines).toHaveLength(bindings + 2);
    for (const c of COMMANDS) expect(table).toContain(c.description.replace(/\|/g, '\\|'));
    expect(table).toContain('`Ctrl+N`');
    expect(table).toContain('`Alt+1…9`');
    for (const line of lines) expect(line.split(/(?<!\\)\|/).length).toBe(5);
  });

  it('help lists every command', () => {
    for (const width of [200, 100, 50]) {
      const lines = helpLines(width);
      // Descriptions wrap onto continuation rows; joined back they read as written.
      const text = lines.map((l) => l.text).join(' ');
      for (const c of COMMANDS) expect(text, `${c.id} at ${width}`).toContain(c.description);
      for (const l of lines) expect(l.text.length + (l.keys?.length ?? 0)).toBeLessThanOrEqual(width);
    }
  });
});
