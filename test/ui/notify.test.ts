import { describe, expect, it } from 'vitest';
import type { SessionSnapshot, SessionStatus } from '../../src/engine/types.js';
import {
  attentionText,
  decide,
  desktopSequence,
  detectTerminal,
  type FocusState,
  notificationBytes,
  oscText,
  titleSequence,
  titleText,
  tmuxPassthrough,
  waitingSettled,
} from '../../src/ui/notify.js';

function snap(n: number, status: SessionStatus, extra: Partial<SessionSnapshot> = {}): SessionSnapshot {
  return {
    id: String(n),
    n,
    agent: 'claude',
    command: ['claude'],
    cwd: '/w',
    prompt: '',
    lastPrompt: '',
    status,
    startedAt: 0,
    turnDurations: [],
    filesWritten: [],
    lastLine: '',
    cols: 80,
    rows: 24,
    bytesReceived: 0,
    ...extra,
  };
}

const waitingWrite = snap(2, 'WAITING', { reason: 'permission needed for Write fib.go: answer the dialog' });

describe('notify: when to tell the person', () => {
  const looking = (focusedId: string | undefined, terminalFocused = true): FocusState => ({
    focusedId,
    terminalFocused,
  });

  it('says which session and why', () => {
    expect(decide(waitingWrite, 'RUNNING', looking('1'))).toEqual({
      sessionId: '2',
      text: '#2 waits for permission: Write fib.go',
    });
  });

  it('says nothing about the focused session while the terminal has focus', () => {
    expect(decide(waitingWrite, 'RUNNING', looking('2'))).toBeUndefined();
    expect(decide(snap(2, 'COMPLETED', { turnDurations: [4000] }), 'RUNNING', looking('2'))).toBeUndefined();
  });

  it('tells about the focused session too once the terminal has lost focus', () => {
    expect(decide(waitingWrite, 'RUNNING', looking('2', false))?.text).toBe(
      '#2 waits for permission: Write fib.go',
    );
    expect(
      decide(snap(2, 'COMPLETED', { turnDurations: [12_000] }), 'RUNNING', looking('2', false))?.text,
    ).toBe('#2 finished its turn in 12s');
  });

  it('turn ends, questions, exits and failures need the person; starting, running and interrupts do not', () => {
    expect(attentionText(snap(1, 'COMPLETED'), 'RUNNING')).toBe('finished its turn');
    expect(attentionText(snap(1, 'WAITING', { reason: 'a question' }), 'RUNNING')).toBe(
      'waits for you: a question',
    );
    expect(
      attentionText(snap(1, 'WAITING', { reason: 'permission needed: answer the dialog' }), 'RUNNING'),
    ).toBe('waits for permission');
    expect(attentionText(snap(1, 'WAITING'), 'RUNNING')).toBe('waits for you');
    expect(attentionText(snap(1, 'EXITED', { exitCode: 0 }), 'COMPLETED')).toBe('exited (code 0)');
    expect(attentionText(snap(1, 'EXITED', { signal: 9 }), 'RUNNING')).toBe('exited (signal 9)');
    expect(attentionText(snap(1, 'FAILED', { reason: 'no claude' }), 'STARTING')).toBe('failed: no claude');
    expect(attentionText(snap(1, 'RUNNING'), 'COMPLETED')).toBeUndefined();
    expect(attentionText(snap(1, 'STARTING'), 'STARTING')).toBeUndefined();
    expect(attentionText(snap(1, 'INTERRUPTED'), 'RUNNING')).toBeUndefined();
    // A reason change within WAITING is not a new event.
    expect(attentionText(waitingWrite, 'WAITING')).toBeUndefined();
  });
});

describe('notify: a WAITING reason that will say what for', () => {
  it('the screen-detected permission waits for the hook; questions and details do not', () => {
    expect(waitingSettled({ status: 'WAITING', reason: 'permission needed: answer the dialog' })).toBe(false);
    expect(waitingSettled(waitingWrite)).toBe(true);
    expect(waitingSettled({ status: 'WAITING', reason: 'a question' })).toBe(true);
    expect(waitingSettled({ status: 'WAITING' })).toBe(true);
    expect(waitingSettled({ status: 'COMPLETED' })).toBe(true);
  });
});

describe('notify: bytes', () => {
  const n = { sessionId: '2', text: '#2 waits for permission: Write fib.go' };
  const plain = { escape: 'osc9' as const, tmux: false };

  it('bell, desktop, both, none', () => {
    expect(notificationBytes(n, 'bell', plain)).toBe('\x07');
    expect(notificationBytes(n, 'desktop', plain)).toBe('\x1b]9;#2 waits for permission: Write fib.go\x07');
    expect(notificationBytes(n, 'both', plain)).toBe('\x07\x1b]9;#2 waits for permission: Write fib.go\x07');
    expect(notificationBytes(n, 'none', plain)).toBe('');
  });

  it('OSC 777 and kitty OSC 99', () => {
    expect(desktopSequence('osc777', 'hi')).toBe('\x1b]777;notify;axiom;hi\x07');
    expect(desktopSequence('osc99', 'hi')).toMatch(
      /^\x1b\]99;i=(axiom\d+):d=0;axiom\x1b\\\x1b\]99;i=\1:p=body;hi\x1b\\$/,
    );
  });

  it('inside tmux the desktop escape goes through passthrough with ESC doubled; the bell stays plain', () => {
    expect(tmuxPassthrough('\x1b]9;hi\x07')).toBe('\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\');
    expect(notificationBytes(n, 'both', { escape: 'osc9', tmux: true })).toBe(
      `\x07\x1bPtmux;\x1b\x1b]9;${n.text}\x07\x1b\\`,
    );
  });

  it('agent text cannot inject escapes', () => {
    expect(oscText('a\x1b]2;evil\x07b\nc')).toBe('a ]2;evil b c');
    expect(desktopSequence('osc9', 'x\x07\x1b\\y')).toBe('\x1b]9;x \\y\x07');
    expect(oscText('y'.repeat(300))).toHaveLength(200);
  });

  it('picks the escape from the environment', () => {
    expect(detectTerminal({ TERM: 'xterm-kitty' })).toEqual({ escape: 'osc99', tmux: false });
    expect(detectTerminal({ TERM: 'tmux-256color', TMUX: '/tmp/x,1,0', KITTY_WINDOW_ID: '3' })).toEqual({
      escape: 'osc99',
      tmux: true,
    });
    expect(detectTerminal({ TERM_PROGRAM: 'iTerm.app' }).escape).toBe('osc9');
    expect(detectTerminal({ TERM_PROGRAM: 'WezTerm' }).escape).toBe('osc9');
    expect(detectTerminal({ TERM: 'xterm-256color', WT_SESSION: 'x' }).escape).toBe('osc9');
    expect(detectTerminal({ TERM: 'foot' }).escape).toBe('osc777');
    expect(detectTerminal({ TERM: 'rxvt-unicode-256color' }).escape).toBe('osc777');
    expect(detectTerminal({ TERM: 'xterm-256color', VTE_VERSION: '7600' }).escape).toBe('osc777');
    expect(detectTerminal({ TERM: 'xterm-256color' })).toEqual({ escape: 'osc9', tmux: false });
  });
});

describe('notify: title', () => {
  it('counts sessions by state', () => {
    expect(titleText([])).toBe('axiom');
    expect(
      titleText([snap(1, 'RUNNING'), snap(2, 'STARTING'), snap(3, 'WAITING'), snap(4, 'COMPLETED')]),
    ).toBe('axiom · 2 running · 1 waiting · 1 done');
    expect(titleText([snap(1, 'INTERRUPTED'), snap(2, 'EXITED'), snap(3, 'FAILED')])).toBe(
      'axiom · 1 done · 2 ended',
    );
    expect(titleSequence('axiom · 1 waiting')).toBe('\x1b]2;axiom · 1 waiting\x07');
  });
});
