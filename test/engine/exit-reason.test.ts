import { describe, expect, it } from 'vitest';
import { isClaudeChrome } from '../../src/agents/claude.js';
import { classifyExit, type ExitFacts, lastOutputLine, signalName } from '../../src/engine/exit-reason.js';

const base: ExitFacts = {
  exitCode: 0,
  signal: undefined,
  ranMs: 10_000,
  earlyExitMs: 2000,
  killing: false,
  closedTerminal: false,
  lastLine: '',
};

describe('exit classification', () => {
  it('a clean exit after a while is EXITED with code 0', () => {
    expect(classifyExit(base)).toEqual({ status: 'EXITED', reason: 'exited with code 0' });
  });

  it('a clean exit at once says to check the command, quoting the last line', () => {
    expect(classifyExit({ ...base, ranMs: 100, lastLine: 'usage: agent [opts]' })).toEqual({
      status: 'EXITED',
      reason: 'exited at once with code 0: usage: agent [opts]; check the agent command and its arguments',
    });
  });

  it('a non-zero code is FAILED, early or not, with the last line cut at 160 characters', () => {
    expect(classifyExit({ ...base, exitCode: 3 }).reason).toBe('exited with code 3');
    const long = 'x'.repeat(300);
    const r = classifyExit({ ...base, exitCode: 1, ranMs: 5, lastLine: long });
    expect(r).toEqual({ status: 'FAILED', reason: `exited at once with code 1: ${'x'.repeat(160)}` });
  });

  it('a signal is FAILED and named, whatever exit code node-pty reported', () => {
    expect(classifyExit({ ...base, signal: 9, lastLine: 'boom' })).toEqual({
      status: 'FAILED',
      reason: `killed by signal ${signalName(9)}: boom`,
    });
    expect(signalName(9)).toBe('9 (SIGKILL)');
    expect(signalName(12345)).toBe('12345');
  });

  it('stopped by axiom is EXITED "killed", saying how long SIGTERM was ignored', () => {
    expect(classifyExit({ ...base, killing: true, signal: 15 })).toEqual({
      status: 'EXITED',
      reason: 'killed',
    });
    expect(classifyExit({ ...base, killing: true, signal: 9, ignoredTermMs: 2000 }).reason).toBe(
      'killed (SIGKILL: it ignored SIGTERM for 2.0 s)',
    );
  });

  it('an agent that closed its terminal and was stopped is FAILED, before the kill counts', () => {
    expect(classifyExit({ ...base, closedTerminal: true, killing: true, lastLine: 'bye' })).toEqual({
      status: 'FAILED',
      reason: 'closed its terminal but kept running; axiom stopped it: bye',
    });
  });

  it('the last output line skips blank rows and the profile chrome', () => {
    const lines = ['Error: no API key', '', '───────────', '❯ ', '───────────', '  ? for shortcuts', ''];
    expect(lastOutputLine(lines, isClaudeChrome)).toBe('Error: no API key');
    expect(lastOutputLine(lines)).toBe('? for shortcuts');
    expect(lastOutputLine(['', '  '])).toBe('');
  });
});
