/**
 * The corpus of real claude 2.1.332 screens (test/fixtures/claude-screens, captured offline against
 * the fake Messages API): every dialog is read by name with its text and options, and the input
 * box is read exactly. Every fixture in the folder must have a case here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectClaude } from '../../src/agents/claude.js';
import { claudeDialog, claudeInputBox, claudeInputText } from '../../src/agents/claude-screen.js';
import { generalDialog, parseHints, parseOptions } from '../../src/agents/dialog.js';
import type { Waiting } from '../../src/engine/types.js';
import { repoRoot } from '../helpers/claude-env.js';

const DIR = join(repoRoot(), 'test', 'fixtures', 'claude-screens');
const screen = (name: string): string[] => readFileSync(join(DIR, name), 'utf8').split('\n');

interface Case {
  state: ReturnType<typeof detectClaude>;
  dialog?: Partial<Waiting> & { textHas?: RegExp; labels?: string[] };
  box?: string;
}

const CASES: Record<string, Case> = {
  'trust.txt': {
    state: 'permission',
    dialog: {
      name: 'trust',
      kind: 'permission',
      cancellable: false,
      textHas: /Quick safety check: Is this a project you created or one you trust\?/,
      labels: ['No, exit', 'Yes, I trust this folder'],
    },
  },
  // A pane 28 columns wide and 15 rows high (axiom spawn --parallel 2 in 60x20): the dialog wraps
  // past the top of claude's screen. Before: no title, so WAITING 'unknown' 2.5 s later.
  'trust-narrow.txt': {
    state: 'permission',
    dialog: {
      name: 'trust',
      kind: 'permission',
      cancellable: false,
      textHas: /^project, or work from your\n[\s\S]*this folder first\./,
      labels: ['No, exit', 'Yes, I trust this folder'],
    },
  },
  'permission.txt': {
    state: 'permission',
    dialog: {
      name: 'permission',
      kind: 'permission',
      cancellable: true,
      textHas: /^Do you want to create perm\.txt\?$/,
      labels: [
        'Yes',
        'Yes, and switch to accept edits (auto-approve file edits and common file commands) for this session (shift+tab)',
        'No',
      ],
    },
  },
  'auto-mode.txt': {
    state: 'permission',
    dialog: {
      name: 'auto-mode',
      kind: 'permission',
      textHas: /^Auto mode can't check actions in this session/,
      labels: ['stay in auto mode', 'leave for accept edits mode and stop', 'cancel'],
    },
  },
  'auto-mode-write.txt': {
    state: 'permission',
    dialog: { name: 'auto-mode', kind: 'permission', textHas: /safety check runs on the server/ },
  },
  'plan.txt': {
    state: 'permission',
    dialog: {
      name: 'plan',
      kind: 'permission',
      textHas: /Exit plan mode\?/,
      labels: ['Yes, and switch to default (ask each time) for this session', 'No'],
    },
  },
  'question.txt': {
    state: 'permission',
    dialog: {
      name: 'question',
      kind: 'question',
      textHas: /Which language should I use\?/,
      labels: ['Python Simple', 'Go Fast', 'Type something.', 'Chat about this'],
    },
  },
  'rate-limit.txt': {
    state: 'permission',
    dialog: {
      name: 'rate-limit',
      kind: 'question',
      cancellable: false,
      textHas: /API Error: Request rejected \(429\).*rate limit \(wait for the limit to reset/,
    },
    box: 'Resend your message to try again',
  },
  // Text in the box and no busy footer: the prompt claude put back after an early interrupt.
  'restored-prompt.txt': { state: 'interrupted', box: 'Analyze sorting slowly' },
  'box-multiline.txt': { state: 'interrupted', box: 'line one\nline two\nline three' },
  'busy-empty-box.txt': { state: 'idle', box: '' },
  'idle-after-answer.txt': { state: 'idle', box: '' },
};

describe('claude screen corpus', () => {
  it('every fixture has a case', () => {
    expect(readdirSync(DIR).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [file, c] of Object.entries(CASES)) {
    it(`${file}: ${c.dialog ? `dialog "${c.dialog.name}"` : 'no dialog'}, state ${c.state}`, () => {
      const lines = screen(file);
      expect(detectClaude(lines)).toBe(c.state);
      const d = claudeDialog(lines);
      if (!c.dialog) {
        expect(d).toBeUndefined();
      } else {
        expect(d).toBeDefined();
        const w = d as Waiting;
        const { textHas, labels, ...fields } = c.dialog;
        expect(w).toMatchObject(fields);
        if (textHas) expect(w.text).toMatch(textHas);
        if (labels) expect(w.options.map((o) => o.label)).toEqual(labels);
      }
      if (c.box !== undefined) expect(claudeInputText(lines)).toBe(c.box);
    });
  }

  it('the input box holds exactly the typed text, whitespace and wrapping aside', () => {
    const restored = screen('restored-prompt.txt');
    expect(claudeInputBox.holds(restored, 0, 'Analyze sorting slowly')).toBe(true);
    expect(claudeInputBox.holds(restored, 0, 'Analyze sorting slowlyJust do it')).toBe(false);
    expect(claudeInputBox.holds(restored, 0, '')).toBe(false);
    expect(claudeInputBox.holds(screen('busy-empty-box.txt'), 0, '')).toBe(true);
    // The hint claude shows in an empty box after an API error is not text.
    expect(claudeInputBox.holds(screen('rate-limit.txt'), 0, '')).toBe(true);
    expect(claudeInputBox.holds(screen('box-multiline.txt'), 0, 'line one\nline two\nline three')).toBe(true);
    // Claude's box shows e + U+0301 composed (é, captured from 2.1.332): the same text.
    const rule = '─'.repeat(90);
    const composed = ['✻ Brewed for 1s', '', rule, '❯\u00a0x \u00e9 comb ', rule, '  ⏵⏵ auto mode on'];
    expect(claudeInputBox.holds(composed, 0, 'x e\u0301 comb')).toBe(true);
    expect(claudeInputBox.holds(composed, 0, 'x e comb')).toBe(false);
    // No box while a dialog is up: nothing can be verified.
    expect(claudeInputBox.holds(screen('trust.txt'), 0, '')).toBeUndefined();
    expect(claudeInputBox.holds(screen('permission.txt'), 0, '')).toBeUndefined();
  });

  it('options: numbered, unnumbered around ❯, or key hints', () => {
    expect(parseOptions(['Continue?', ' ❯ 1. Yes', '   2. No'])).toEqual([
      { id: '1', label: 'Yes' },
      { id: '2', label: 'No' },
    ]);
    expect(parseHints('Enter to confirm · Esc to cancel')).toEqual([
      { id: 'Enter', label: 'confirm' },
      { id: 'Esc', label: 'cancel' },
    ]);
    expect(parseHints('Sorting analysis line 5: comparing')).toEqual([]);
  });
});

describe('the general rule for dialogs no profile knows', () => {
  it('catches choices, Enter/Esc hints and (y/n) at the bottom of the screen', () => {
    const menu = ['working...', '', 'Deploy to production?', '❯ 1. Deploy', '  2. Abort', ''];
    expect(generalDialog(menu)).toMatchObject({
      name: 'unknown',
      text: 'Deploy to production?',
      options: [
        { id: '1', label: 'Deploy' },
        { id: '2', label: 'Abort' },
      ],
    });
    expect(generalDialog(['Overwrite config.yml? (y/n)'])?.text).toBe('Overwrite config.yml? (y/n)');
    expect(generalDialog(['Token expired', 'Enter to log in · Esc to quit'])?.options).toEqual([
      { id: 'Enter', label: 'log in' },
      { id: 'Esc', label: 'quit' },
    ]);
  });

  it('ignores ordinary output and claude working screens', () => {
    expect(generalDialog(['line 1', 'line 2', '$ '])).toBeUndefined();
    expect(generalDialog(screen('restored-prompt.txt'))).toBeUndefined();
    expect(generalDialog(screen('busy-empty-box.txt'))).toBeUndefined();
  });
});

describe("the option a dialog's cursor is on (Waiting.selected)", () => {
  it.each([
    ['permission.txt', '1'],
    ['trust.txt', '1'],
    ['question.txt', '1'],
    ['plan.txt', '1'],
  ])('%s: %s', (name, id) => {
    expect(claudeDialog(screen(name))?.selected).toBe(id);
  });

  it('follows the cursor when it moves, numbered or not', () => {
    const moved = screen('permission.txt').map((l) =>
      l.replace(' ❯ 1. Yes', '   1. Yes').replace('   3. No', ' ❯ 3. No'),
    );
    expect(claudeDialog(moved)?.selected).toBe('3');
    const trust = screen('trust.txt').map((l) =>
      l.replace(' ❯ No, exit', '   No, exit').replace('   Yes, I trust', ' ❯ Yes, I trust'),
    );
    expect(claudeDialog(trust)).toMatchObject({ selected: '2', options: [{ id: '1' }, { id: '2' }] });
  });

  it('the general rule reads it too; hint-only dialogs have none', () => {
    expect(generalDialog(['Deploy?', '❯ 1. Deploy', '  2. Abort'])?.selected).toBe('1');
    expect(generalDialog(['Continue?', 'Enter to confirm · Esc to cancel'])?.selected).toBeUndefined();
  });
});

describe('a dialog read half drawn (its frame came in over two PTY reads)', () => {
  // Seen in CI (Node 24): WAITING with the trust dialog's title only, and the auto-mode dialog
  // without its options. Each screen is cut after its title and its first lines: not a dialog yet.
  for (const name of ['trust.txt', 'auto-mode.txt', 'permission.txt', 'question.txt']) {
    it(`${name}: nothing until its key hints are drawn, then the whole dialog`, () => {
      const lines = screen(name);
      const whole = claudeDialog(lines);
      expect(whole?.options.length).toBeGreaterThan(0);
      const hintsAt = lines.findIndex((l) => parseHints(l.trim()).length > 0);
      expect(hintsAt).toBeGreaterThan(0);
      // Everything up to (not including) the hints line, the rest of the screen blank.
      const half = lines.map((l, i) => (i < hintsAt ? l : ''));
      expect(claudeDialog(half)).toBeUndefined();
    });
  }
});
