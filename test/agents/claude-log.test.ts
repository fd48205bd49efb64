import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeProfile, claudeSessionArgs } from '../../src/agents/claude.js';
import { claudeConfigDir, claudeTextSource, parseClaudeRecord } from '../../src/agents/claude-log.js';
import { repoRoot } from '../helpers/claude-env.js';

/** A conversation logged by claude 2.1.332 against the fake API (bulky context records left out). */
const FIXTURE = readFileSync(join(repoRoot(), 'test', 'fixtures', 'claude-2.1.332-session.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean);

const UUID = '0b7f6a3e-4c1d-4e5f-9a8b-7c6d5e4f3a2b';

describe("claude's conversation log as text", () => {
  it('turns a real 2.1.332 log into prompts, answers, tool lines and the interrupt, each once, with turn bounds', () => {
    const lines: string[] = [];
    const turns: string[] = [];
    for (const rec of FIXTURE) {
      const r = parseClaudeRecord(rec);
      lines.push(...r.lines);
      if (r.turn) turns.push(r.turn);
    }
    const sorting = Array.from({ length: 21 }, (_, i) => i + 1);
    expect(lines.slice(0, 7)).toEqual([
      '❯ hello number 1 please',
      'OK: hello number 1 please',
      '❯ Write hello.py now',
      "I'll create hello.py that counts to 10.",
      '● Write(hello.py)',
      expect.stringMatching(/^ {2}⎿ {2}File created successfully at: \/tmp\/\S+\/hello\.py/),
      'Done: wrote hello.py.',
    ]);
    expect(lines[7]).toBe('❯ Analyze sorting algorithms');
    // The interrupted answer: everything streamed before the interrupt, in order.
    expect(lines.slice(8, 8 + sorting.length).map((l) => /line (\d+):/.exec(l)?.[1])).toEqual(
      sorting.map(String),
    );
    expect(lines.slice(8 + sorting.length)).toEqual(['  ⎿  Interrupted']);
    // Stop hook summary and turn duration both close a turn; the interrupt closes the last one.
    expect(turns).toEqual(['start', 'end', 'end', 'start', 'end', 'end', 'start', 'end']);
  });

  it('ignores context the harness injects, sub-agents, thinking, and bad JSON', () => {
    const rec = (o: unknown) => parseClaudeRecord(JSON.stringify(o));
    expect(rec({ type: 'user', isMeta: true, message: { content: 'Caveat: ...' } }).lines).toEqual([]);
    expect(
      rec({ type: 'assistant', isSidechain: true, message: { content: [{ type: 'text', text: 'x' }] } })
        .lines,
    ).toEqual([]);
    expect(
      rec({ type: 'assistant', message: { content: [{ type: 'thinking', thinking: 'hmm' }] } }).lines,
    ).toEqual([]);
    expect(rec({ type: 'attachment', attachment: { type: 'date' } }).lines).toEqual([]);
    expect(parseClaudeRecord('{"type":"user","mess').lines).toEqual([]);
    expect(parseClaudeRecord('[1,2]').lines).toEqual([]);
  });

  it('renders multi-line prompts, slash commands, text with blank lines and CRLF, tool errors', () => {
    const rec = (o: unknown) => parseClaudeRecord(JSON.stringify(o));
    expect(rec({ type: 'user', message: { content: 'first\nsecond' } }).lines).toEqual([
      '❯ first',
      '  second',
    ]);
    expect(
      rec({
        type: 'user',
        message: { content: '<command-name>/model</command-name>\n<command-args>opus</command-args>' },
      }).lines,
    ).toEqual(['❯ /model opus']);
    expect(
      rec({ type: 'user', message: { content: '<local-command-stdout>x</local-command-stdout>' } }).lines,
    ).toEqual([]);
    expect(
      rec({
        type: 'assistant',
        message: { content: [{ type: 'text', text: '\n\nPara 1\r\n\r\nPara 2  \n' }] },
      }).lines,
    ).toEqual(['Para 1', '', 'Para 2']);
    expect(
      rec({
        type: 'user',
        message: {
          content: [
            { type: 'tool_result', is_error: true, content: [{ type: 'text', text: 'boom\nat x\nat y' }] },
          ],
        },
      }).lines,
    ).toEqual(['  ⎿  Error: boom (+2 lines)']);
    expect(
      rec({
        type: 'assistant',
        cwd: '/w',
        message: { content: [{ type: 'tool_use', name: 'Bash', input: { command: 'ls -la\n  /tmp' } }] },
      }).lines,
    ).toEqual(['● Bash(ls -la /tmp)']);
    expect(rec({ type: 'user', uuid: 'u1', message: { content: 'hi' } })).toEqual({
      lines: ['❯ hi'],
      turn: 'start',
      id: 'u1',
    });
  });

  it('finds the log by the session id under CLAUDE_CONFIG_DIR or HOME, the cwd slug first', () => {
    expect(claudeConfigDir({ HOME: '/h' })).toBe('/h/.claude');
    expect(claudeConfigDir({ HOME: '/h', CLAUDE_CONFIG_DIR: '/c' })).toBe('/c');
    const spec = claudeTextSource({ agentSessionId: UUID, env: { HOME: '/h' }, cwd: '/tmp/my_work.dir' });
    expect(spec.root).toBe('/h/.claude/projects');
    expect(spec.fileName).toBe(`${UUID}.jsonl`);
    expect(spec.likelyDir).toBe('-tmp-my-work-dir');
  });
});

describe('claude conversation id', () => {
  it("passes axiom's id as --session-id and reports it", () => {
    const spec = claudeProfile('claude').launch({
      prompt: 'hi',
      agentArgs: ['--model', 'x'],
      agentSessionId: UUID,
    });
    expect(spec.args.slice(0, 4)).toEqual(['--session-id', UUID, '--model', 'x']);
    expect(spec.args[spec.args.length - 1]).toBe('hi');
    expect(spec.agentSessionId).toBe(UUID);
  });

  it("keeps the user's own --session-id, a resumed id, and knows no id for --continue", () => {
    const other = '11111111-2222-4333-8444-555555555555';
    expect(claudeSessionArgs(['--session-id', other], UUID)).toEqual({ args: [], id: other });
    expect(claudeSessionArgs([`--session-id=${other}`], UUID)).toEqual({ args: [], id: other });
    expect(claudeSessionArgs(['--resume', other], UUID)).toEqual({ args: [], id: other });
    expect(claudeSessionArgs(['-r', other], UUID)).toEqual({ args: [], id: other });
    expect(claudeSessionArgs(['--continue'], UUID)).toEqual({ args: [] });
    expect(claudeSessionArgs(['--resume'], UUID)).toEqual({ args: [] });
    // A fork gets a new id: axiom's.
    expect(claudeSessionArgs(['--resume', other, '--fork-session'], UUID)).toEqual({
      args: ['--session-id', UUID],
      id: UUID,
    });
    // Past `--` everything is the prompt.
    expect(claudeSessionArgs(['--', '--resume'], UUID)).toEqual({ args: ['--session-id', UUID], id: UUID });
  });
});
