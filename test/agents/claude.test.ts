import { describe, expect, it } from 'vitest';
import {
  CLAUDE_HOOK_EVENTS,
  claudeHookEvents,
  claudeHookSettings,
  claudeProfile,
  claudeStableRows,
  detectClaude,
  isClaudeChrome,
  permissionSubject,
} from '../../src/agents/claude.js';
import { splitCommandLine, typeAndSubmit } from '../../src/agents/profile.js';

const RULE = '─'.repeat(80);
const screen = (s: string) => s.split('\n');

// Screens captured from claude 2.1.332 (classic mode, 80 columns).
const IDLE = screen(` ▐▛███▛█   Claude Code v2.1.332
▝▜██████▀  Opus 5.5 · API Usage Billing
 ▝▝   ▝▝   /tmp/axiom-work-dZkODn

${RULE}
❯
${RULE}
  ⏵⏵ accept edits on (shift+tab to cycle) · ← for agents    ◐ medium · /effort`);

const STREAMING = screen(`❯ Analyze all possible sorting algorithms in detail

● Sorting analysis line 1: comparing mergesort on input size 10.
  Sorting analysis line 2: comparing quicksort on input size 20.

✻ Prestidigitating… (3s · esc to interrupt)

${RULE}
❯
${RULE}
  ⏵⏵ accept edits on (shift+tab to cycle) · esc to interrupt · ← for agents
                                                            ◐ medium · /effort`);

const INTERRUPTED = screen(`❯ Analyze all possible sorting algorithms in detail
  Sorting analysis line 9: comparing heapsort on input size 90.
  ⎿  Interrupted · What should Claude do instead?

${RULE}
❯
${RULE}
  ⏵⏵ accept edits on (shift+tab to cycle) · ← for agents    ◐ medium · /effort`);

const PERMISSION = screen(`● Write(perm.txt)

${RULE}
 Create file
 perm.txt
${'╌'.repeat(80)}
  1 permission test
${'╌'.repeat(80)}
 Do you want to create perm.txt?
 ❯ 1. Yes
   2. Yes, and switch to accept edits (auto-approve file edits and common file
      commands) for this session (shift+tab)
   3. No

 Esc to cancel · Tab to amend`);

const DONE = screen(`❯ say hi

● OK: say hi

✻ Crunched for 0s · done 7:30 PM

${RULE}
❯
${RULE}
  ⏵⏵ accept edits on (shift+tab to cycle) · ← for agents    ◐ medium · /effort`);

const REDIRECTED = screen(`  ⎿  Interrupted · What should Claude do instead?

❯ Stop analyzing! Just implement quicksort.py

${RULE}
❯
${RULE}
  ⏵⏵ accept edits on (shift+tab to cycle) · ← for agents`);

/**
 * After a permission dialog is answered, seen with 2.1.332 in a 78-column pane: the turn goes on
 * under a spinner while the footer shows only the mode, and the rest of the pane is blank below
 * what claude drew (it draws inline from the top). This read as idle and ended the turn early.
 */
const AFTER_DIALOG = [
  ...screen(`❯ please write perm.txt

✶ Orchestrating… (8s · ↓ 27 tokens)

${RULE}
❯
${RULE}
  ⏸ manual mode on`),
  ...Array.from({ length: 24 }, () => ''),
];

/** Busy with a footer that says so, on a pane claude has not filled. */
const STREAMING_SHORT = [...STREAMING, ...Array.from({ length: 24 }, () => '')];

describe('claude screen states', () => {
  it.each([
    ['idle after startup', IDLE, 'idle'],
    ['streaming', STREAMING, 'busy'],
    ['interrupted', INTERRUPTED, 'interrupted'],
    ['permission dialog', PERMISSION, 'permission'],
    ['turn done', DONE, 'idle'],
    ['new prompt below an old interrupt', REDIRECTED, 'idle'],
    ['blank screen', ['', '', ''], 'starting'],
    ['spinner, footer showing only the mode, blank rows below', AFTER_DIALOG, 'busy'],
    ['streaming on a screen not yet filled', STREAMING_SHORT, 'busy'],
  ])('%s', (_name, lines, state) => {
    expect(detectClaude(lines)).toBe(state);
  });
});

describe('claude live region', () => {
  it('leaves the spinner, the input box and the footer out of the stable rows', () => {
    const n = claudeStableRows(STREAMING);
    expect(STREAMING.slice(0, n).join('\n')).toMatch(/line 2: comparing quicksort on input size 20\.$/);
  });
  it('treats a dialog as live from its opening rule', () => {
    const n = claudeStableRows(PERMISSION);
    expect(PERMISSION.slice(0, n)).toEqual(['● Write(perm.txt)']);
  });
  it('keeps the "done" line of a finished turn', () => {
    const n = claudeStableRows(DONE);
    expect(DONE[n - 1]).toMatch(/Crunched for 0s · done/);
  });
  it('has no stable rows while a frame is being drawn: the cursor is not parked in the input box', () => {
    const box = STREAMING.findIndex((l) => l.startsWith('❯') && l.trim() === '❯');
    const n = claudeStableRows(STREAMING, box);
    expect(n).toBeGreaterThan(0);
    // The cursor above the box (writing answer rows) or on/below its rules: not done.
    expect(claudeStableRows(STREAMING, 3)).toBe(0);
    expect(claudeStableRows(STREAMING, box - 1)).toBe(0);
    expect(claudeStableRows(STREAMING, box + 1)).toBe(0);
    // One rule drawn so far, with the prompt under it: neither a box nor a dialog yet.
    expect(claudeStableRows([...STREAMING.slice(0, box), '❯'], box)).toBe(0);
  });
  it('counts the spinner in its first frames (no ellipsis yet) as live, not as answer text', () => {
    for (const spinner of [
      '✢ Flibbertigibbeting',
      '✻ Flibbertigibbeting  (running UserPromptSubmit hook · 0s)',
    ]) {
      const lines = ['❯ a prompt', '', spinner, '', RULE, '❯', RULE];
      expect(claudeStableRows(lines, 5)).toBe(1);
    }
  });
  // Seen from the second turn on (2.1.332, first token 1.5 s late): the tip under the spinner
  // was committed as final, and the answer's first rows, drawn over it, were never committed.
  it('counts a tip or a task list under the spinner as live, wrapped or not', () => {
    const spinner = '✶ Cooking… (running UserPromptSubmit hook · 0s)';
    const under = [
      ['  ⎿  Tip: Start small, ask Claude for a plan, and check its edits'],
      ['  ⎿  Tip: Start small, ask Claude for a plan,', '     and check its edits'],
      ['  ⎿  ☐ Read the code', '     ☐ Write the tests', '     ☐ Run them'],
    ];
    for (const rows of under) {
      const lines = ['❯ lines 200 tag B', '', spinner, ...rows, '', RULE, '❯', RULE];
      expect(claudeStableRows(lines, lines.length - 2)).toBe(1);
    }
    // A tool's result is output, not the live region: it stays final.
    const done = ['● Write(a.txt)', '  ⎿  Wrote 1 lines to a.txt', '', RULE, '❯', RULE];
    expect(claudeStableRows(done, done.length - 2)).toBe(2);
  });
  // Before: "  A very long word:" was committed with the word's start on the row below; once the word
  // outgrew a row claude hard-wrapped it from the row above ("A very long word: Super_aaa…"), and
  // "Super_" and 64 letters were never in the text.
  it('while the turn runs its last row is not final, nor the row before a last row of one word', () => {
    const box = STREAMING.findIndex((l) => l.startsWith('❯') && l.trim() === '❯');
    const at = STREAMING.findIndex((l) => l.includes('line 2:'));
    for (const word of [
      `  Super_${'a'.repeat(40)}`,
      `  ${'漢字'.repeat(20)}`,
      '  https://example.com/a/b/c?d=e',
    ]) {
      const lines = [...STREAMING.slice(0, at + 1), word, ...STREAMING.slice(at + 1)];
      expect(claudeStableRows(lines, box + 1, true)).toBe(at);
      // Idle, or the last row holds more than one word: as before.
      expect(claudeStableRows(lines, box + 1, false)).toBe(at + 2);
    }
    // Its last row, while the turn runs: a word on it may still move to the next row.
    expect(claudeStableRows(STREAMING, box, true)).toBe(at);
    expect(claudeStableRows(STREAMING, box, false)).toBe(at + 1);
  });
  it('has no stable rows before anything is drawn', () => {
    expect(claudeStableRows(['', 'loading'])).toBe(0);
  });
});

describe('claude launch and input', () => {
  it('passes the prompt last, guards a leading dash, and injects hooks per session', () => {
    const p = claudeProfile('claude');
    const spec = p.launch({
      prompt: '-rf is not an option',
      agentArgs: ['--model', 'x'],
      hookUrl: 'http://127.0.0.1:1/hook/s/1',
    });
    expect(spec.args.slice(0, 2)).toEqual(['--model', 'x']);
    expect(spec.args.slice(-2)).toEqual(['--', '-rf is not an option']);
    const settings = JSON.parse(spec.args[spec.args.indexOf('--settings') + 1] as string);
    expect(Object.keys(settings.hooks).sort()).toEqual([...CLAUDE_HOOK_EVENTS].sort());
    expect(settings.hooks.Stop[0].hooks[0]).toEqual({
      type: 'http',
      url: 'http://127.0.0.1:1/hook/s/1',
      timeout: 5,
    });
    expect(spec.env.CLAUDECODE).toBeUndefined();
    expect('CLAUDECODE' in spec.env).toBe(true);
    expect(spec.promptInArgs).toBe(true);
    expect(JSON.parse(claudeHookSettings('u')).hooks.PostToolUse[0].matcher).toBe('*');
  });
  it('hands the hook settings over in a private file when it can: the secret stays out of argv', () => {
    const url = 'http://127.0.0.1:1/hook/5ecret/1';
    const files = new Map<string, string>();
    const spec = claudeProfile('claude').launch({
      prompt: '',
      agentArgs: [],
      hookUrl: url,
      privateFile: (name, content) => {
        files.set(`/private/${name}`, content);
        return `/private/${name}`;
      },
    });
    expect(spec.args).toEqual(['--settings', '/private/hooks.json']);
    expect(JSON.parse(files.get('/private/hooks.json') as string).hooks.Stop[0].hooks[0].url).toBe(url);
    // No private file: inline, still working (the session warns that the secret is visible).
    const inline = claudeProfile('claude').launch({
      prompt: '',
      agentArgs: [],
      hookUrl: url,
      privateFile: () => {
        throw new Error('EACCES');
      },
    });
    expect(inline.args[1]).toContain(url);
  });
  it('submits with a pause before Enter, pastes long text, interrupts with Esc alone', () => {
    const p = claudeProfile('claude');
    expect(p.submitSteps('hi')).toEqual([
      { data: 'hi', delayMs: 200 },
      { data: '\r', delayMs: 0 },
    ]);
    const long = 'x'.repeat(500);
    expect(p.submitSteps(long)[0]?.data).toBe(`\x1b[200~${long}\x1b[201~`);
    expect(p.submitSteps('a\r\nb')[0]?.data).toBe('\x1b[200~a\nb\x1b[201~');
    // A tab typed is a key claude drops ('tab\there' reached the model as 'tabhere'); pasted, it is text.
    expect(p.submitSteps('tab\there')[0]?.data).toBe('\x1b[200~tab\there\x1b[201~');
    expect(p.interruptSequence()).toBe('\x1b');
    expect(typeAndSubmit('a\nb', 10, false)[0]?.data).toBe('a\nb');
  });
});

describe('splitCommandLine', () => {
  it('splits like a shell for quotes and backslashes, expanding nothing', () => {
    expect(splitCommandLine(`aider --yes "a b" 'c $(d)' e\\ f`)).toEqual([
      'aider',
      '--yes',
      'a b',
      'c $(d)',
      'e f',
    ]);
    expect(splitCommandLine(`x ""`)).toEqual(['x', '']);
    expect(() => splitCommandLine(`x "open`)).toThrow(/unterminated/);
  });
});

describe('permissionSubject', () => {
  it('names the tool and what it touches, relative to the cwd', () => {
    expect(permissionSubject({ tool_name: 'Write', tool_input: { file_path: '/w/fib.go' } }, '/w')).toBe(
      'Write fib.go',
    );
    expect(permissionSubject({ tool_name: 'Edit', tool_input: { file_path: '/elsewhere/a.ts' } }, '/w')).toBe(
      'Edit /elsewhere/a.ts',
    );
    expect(permissionSubject({ tool_name: 'Bash', tool_input: { command: 'npm test\nrm x' } }, '/w')).toBe(
      'Bash npm test',
    );
    expect(permissionSubject({ tool_name: 'WebFetch', tool_input: { url: 'x' } }, '/w')).toBe('WebFetch');
    expect(permissionSubject({}, '/w')).toBe('a tool');
    const long = 'x'.repeat(100);
    expect(permissionSubject({ tool_name: 'Bash', tool_input: { command: long } }, '/w')).toHaveLength(65);
  });
});

describe('claude hooks as neutral agent events', () => {
  it('turn start with the prompt received, tools, the end of the turn', () => {
    expect(claudeHookEvents({ hook_event_name: 'UserPromptSubmit', prompt: 'fix it' }, '/w')).toEqual([
      { type: 'turn-started', prompt: 'fix it' },
    ]);
    expect(claudeHookEvents({ hook_event_name: 'UserPromptSubmit', prompt: '' }, '/w')).toEqual([
      { type: 'turn-started' },
    ]);
    expect(claudeHookEvents({ hook_event_name: 'PreToolUse', tool_name: 'Bash' }, '/w')).toEqual([
      { type: 'tool-started' },
    ]);
    expect(claudeHookEvents({ hook_event_name: 'Stop' }, '/w')).toEqual([{ type: 'turn-ended' }]);
  });

  it('a permission request waits, naming what it is about', () => {
    const [ev] = claudeHookEvents(
      {
        hook_event_name: 'PermissionRequest',
        cwd: '/w',
        tool_name: 'Write',
        tool_input: { file_path: '/w/fib.go' },
      },
      '/elsewhere',
    );
    expect(ev).toEqual({
      type: 'waiting',
      subject: 'Write fib.go',
      waiting: {
        kind: 'permission',
        name: 'permission',
        text: 'Write fib.go needs permission',
        options: [],
        cancellable: true,
        tool: 'Write',
        subject: 'Write fib.go',
      },
    });
  });

  it('files written by Write, Edit, MultiEdit and NotebookEdit, relative paths against the payload cwd', () => {
    const post = (tool: string, input: Record<string, unknown>, cwd?: string) =>
      claudeHookEvents(
        { hook_event_name: 'PostToolUse', tool_name: tool, tool_input: input, ...(cwd ? { cwd } : {}) },
        '/s',
      );
    expect(post('Write', { file_path: '/w/a.txt' })).toEqual([
      { type: 'tool-finished' },
      { type: 'file-written', path: '/w/a.txt', tool: 'Write' },
    ]);
    expect(post('Edit', { file_path: 'b.txt' }, '/w')[1]).toEqual({
      type: 'file-written',
      path: '/w/b.txt',
      tool: 'Edit',
    });
    expect(post('MultiEdit', { file_path: 'c.txt' })[1]).toEqual({
      type: 'file-written',
      path: '/s/c.txt',
      tool: 'MultiEdit',
    });
    expect(post('NotebookEdit', { notebook_path: '/w/n.ipynb' })[1]).toMatchObject({ path: '/w/n.ipynb' });
    expect(post('Bash', { command: 'touch x' })).toEqual([{ type: 'tool-finished' }]);
    expect(post('Write', {})).toEqual([{ type: 'tool-finished' }]);
  });

  it('payloads it does not know mean nothing', () => {
    expect(claudeHookEvents({ hook_event_name: 'SessionEnd' }, '/w')).toEqual([]);
    expect(claudeHookEvents({}, '/w')).toEqual([]);
    expect(claudeProfile().hookEvents).toBe(claudeHookEvents);
  });
});

describe('claude chrome (never quoted as the reason a session died)', () => {
  const output = (lines: string[]) => lines.filter((l) => !isClaudeChrome(l)).map((l) => l.trim());
  it('leaves only the output of each screen', () => {
    expect(output(STREAMING)).toEqual([
      '● Sorting analysis line 1: comparing mergesort on input size 10.',
      'Sorting analysis line 2: comparing quicksort on input size 20.',
    ]);
    expect(output(DONE)).toEqual(['● OK: say hi']);
    expect(output(IDLE).at(-1)).toBe('▝▝   ▝▝   /tmp/axiom-work-dZkODn');
    expect(output(INTERRUPTED).at(-1)).toBe('⎿  Interrupted · What should Claude do instead?');
  });
});
