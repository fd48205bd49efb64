/**
 * Input faults: 200 redirects in a row, interrupts racing from the UI path and MCP, a 1 MB
 * prompt, prompts with escape sequences, NUL bytes and `$(...)`. Text reaches the agent literally
 * (the fault agent prints the length and sha256 of every line it receives) or is refused with a
 * reason; no shell ever sees it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { genericProfile } from '../../src/agents/generic.js';
import { typeAndSubmit } from '../../src/agents/profile.js';
import { createMcpServer } from '../../src/mcp/index.js';
import {
  agent,
  FAULT_AGENT,
  type Rig,
  rig,
  tempDir,
  textOf,
  waitLog,
  waitReady,
  waitText,
} from './helpers.js';

/** What the fault agent prints for a received line. */
function got(text: string): string {
  const sha = createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
  return `GOT ${Buffer.byteLength(text)} ${sha} |${JSON.stringify(text.slice(0, 60))}|`;
}

/** Every GOT line the agent printed, in order. */
function gotLines(r: Rig, id: string): string[] {
  return r.m
    .output(id, 0)
    .text.split('\n')
    .filter((l) => l.startsWith('GOT '));
}

let r: Rig;
/** Claude's profile launching the fault agent: prompt as an argument, bracketed pastes, Esc. */
let rc: Rig;
let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir();
  // Idle after 250 ms of silence: a busy agent ticks every 10 ms, even on a loaded machine.
  r = rig({ profile: (a) => genericProfile(a, 250), timings: { interruptWaitMs: 2000 } });
  // The fault agent draws no claude screen: take it as ready soon, and wait for its ARGV line.
  // It draws no claude input box either: its prompts are typed unverified (input: undefined).
  rc = rig({
    profile: () => ({ ...claudeProfile(FAULT_AGENT), input: undefined }),
    timings: { startFallbackMs: 100 },
  });
});
afterAll(async () => {
  await r.close();
  await rc.close();
  dir.remove();
});

/** A generic fault agent in `input` mode, ready for a prompt. */
async function ready(): Promise<string> {
  const { id } = r.m.spawn({ agent: agent('input'), cwd: dir.path, cols: 250 });
  await waitReady(r.m, id);
  return id;
}

/** The fault agent in `input` mode behind Claude's profile, reading its terminal. */
async function readyClaude(prompt?: string): Promise<string> {
  const { id } = rc.m.spawn({
    agent: 'claude',
    prompt,
    cwd: dir.path,
    env: { FAULT_MODE: 'input' },
    cols: 250,
  });
  await waitText(rc.m, id, /ARGV .*\n/);
  return id;
}

describe('input', () => {
  it('200 redirects in a row to one session: serialized, in order, never interleaved', async () => {
    // Submit pauses of 2 ms instead of 50 (the soak runs the real timings); the engine's queue is
    // what is under test.
    const quick = rig({
      profile: (a) => ({ ...genericProfile(a, 20), submitSteps: (t) => typeAndSubmit(t, 2, false) }),
      timings: { interruptWaitMs: 60, batchMs: 4 },
    });
    try {
      const { id } = quick.m.spawn({ agent: agent('input') });
      await waitReady(quick.m, id);
      // Every other prompt starts a long turn, so the next one really interrupts and redirects it.
      const texts = Array.from(
        { length: 200 },
        (_, i) => `${i % 2 ? 'busy' : 'plain'} redirect ${String(i).padStart(3, '0')} ${'z'.repeat(i % 13)}`,
      );
      await Promise.all(texts.map((t) => quick.m.send(id, t)));
      // The committed text (what output() serves) has the last line once two flushes saw it.
      await waitLog(quick.m, id, /GOT [^\n]*redirect 199/, 20_000);
      expect(gotLines(quick, id)).toEqual(texts.map(got));
      const out = quick.m.output(id, 0).text;
      // Each long turn was cut by the next redirect (by its Ctrl+C, or, when the idle heuristic
      // had already called the turn over, by the new line itself); the last one still runs.
      expect(out.match(/\[interrupted: ctrl-c\]|\[busy ended by a new line\]/g)).toHaveLength(99);
      expect(quick.m.get(id)?.lastPrompt).toBe(texts[199]);
    } finally {
      await quick.close();
    }
  });

  it('interrupts racing from the UI path and MCP on one session: one interrupt reaches the agent', async () => {
    const id = await ready();
    await r.m.send(id, 'busy please');
    await waitText(r.m, id, /tick 3\b/);
    const server = createMcpServer(r.m, {
      root: dir.path,
      maxSessions: 4,
      version: '0.0.0',
      spawnDefaults: { agent: agent('input') },
      log: () => {},
    });
    const [a, b] = InMemoryTransport.createLinkedPair();
    await server.connect(b);
    const client = new Client({ name: 'race', version: '1.0.0' });
    await client.connect(a);
    try {
      const [ui1, mcp, ui2] = await Promise.all([
        r.m.interrupt(id),
        client.callTool({ name: 'axiom_interrupt', arguments: { taskId: id } }),
        r.m.interrupt(id),
      ]);
      expect(ui1).toBeUndefined();
      expect(ui2).toBeUndefined();
      expect(mcp.isError).toBeFalsy();
      expect(r.m.get(id)?.status).toBe('INTERRUPTED');
      // A redirect right after goes through, typed into the prompt (not into a menu).
      await r.m.send(id, 'new direction');
      await waitLog(r.m, id, /GOT 13 /);
      const out = r.m.output(id, 0).text;
      expect(out.match(/\[interrupted: ctrl-c\]/g)).toHaveLength(1);
      // No interrupt key reached the idle agent (claude reads Esc Esc at idle as "Rewind").
      expect(out).not.toContain('INT-IDLE');
      expect(gotLines(r, id).at(-1)).toBe(got('new direction'));
    } finally {
      await client.close();
    }
  });

  it('one interrupt of a busy generic agent is one Ctrl+C, however long its silence takes to tell', async () => {
    // Its idle time (600 ms) is longer than half the interrupt wait (500 ms): the engine must not
    // take the interrupt as ignored and press again (a second Ctrl+C at a prompt quits some agents).
    const slow = rig({ profile: (a) => genericProfile(a, 600), timings: { interruptWaitMs: 1000 } });
    try {
      const { id } = slow.m.spawn({ agent: agent('input'), cols: 250 });
      await waitReady(slow.m, id);
      await slow.m.send(id, 'busy please');
      await waitText(slow.m, id, /tick 3\b/);
      await slow.m.interrupt(id);
      expect(slow.m.get(id)?.status).toBe('INTERRUPTED');
      await slow.m.send(id, 'next');
      await waitLog(slow.m, id, /GOT 4 /);
      const out = slow.m.output(id, 0).text;
      expect(out.match(/\[interrupted: ctrl-c\]/g)).toHaveLength(1);
      expect(out).not.toContain('INT-IDLE');
    } finally {
      await slow.close();
    }
  });

  it('a 1 MB prompt reaches the agent whole (typed, and as a bracketed paste)', async () => {
    const big = `${'lorem ipsum '.repeat(87_381)}$(id) end`.slice(-1024 * 1024);
    expect(Buffer.byteLength(big)).toBe(1024 * 1024);
    const plain = await ready();
    await r.m.send(plain, big);
    await waitLog(r.m, plain, /GOT 1048576 /, 20_000);
    expect(gotLines(r, plain).at(-1)).toBe(got(big));

    const pasted = await readyClaude();
    await rc.m.send(pasted, big);
    await waitText(rc.m, pasted, /GOT 1048576 /, 20_000);
    expect(textOf(rc.m, pasted)).toContain(got(big));
  });

  it('escape sequences and NUL bytes are refused with a reason; nothing is typed', async () => {
    const id = await ready();
    await expect(r.m.send(id, 'red \x1b[31m text')).rejects.toThrow(
      /prompt contains control character 0x1b at offset 4; remove it \(only tab and newline are allowed\)/,
    );
    await expect(r.m.send(id, 'a\0b')).rejects.toThrow(/control character 0x00 at offset 1/);
    await expect(r.m.send(id, 'bell\x07')).rejects.toThrow(/control character 0x07/);
    await r.m.send(id, 'tab\tand\nnewline');
    await waitLog(r.m, id, /GOT 15 /);
    expect(gotLines(r, id)).toEqual([got('tab\tand\nnewline')]);
  });

  it('$(...), backticks and ; reach the agent literally, typed or as arguments; no shell runs them', async () => {
    const marker = join(dir.path, 'pwned');
    const nasty = `$(touch ${marker}) \`touch ${marker}\`; touch ${marker} && echo $HOME`;
    const typed = await ready();
    await r.m.send(typed, nasty);
    await waitLog(r.m, typed, /GOT \d+ /);
    expect(gotLines(r, typed)).toEqual([got(nasty)]);

    // Claude's initial prompt is an argument.
    const arg = await readyClaude(nasty);
    // After the conversation id axiom chose (--session-id), the prompt is one argument, as typed.
    const sid = rc.m.get(arg)?.agentSessionId as string;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(rc.m, arg)).toContain(`ARGV ${JSON.stringify(['--session-id', sid, nasty])}`);

    // The agent command line is split like a shell would split it, and nothing more.
    const cmd = r.m.spawn({
      agent: `${agent('input')} '$(touch ${marker})' "\`id\`"`,
      cwd: dir.path,
      cols: 250,
    });
    await waitText(r.m, cmd.id, /ARGV /);
    expect(textOf(r.m, cmd.id)).toContain(`ARGV ${JSON.stringify(['input', `$(touch ${marker})`, '`id`'])}`);
    expect(existsSync(marker)).toBe(false);
  });

  it('an initial prompt with control characters fails the session with the reason (never truncated)', async () => {
    // As an argument a NUL would silently cut the prompt short.
    const arg = rc.m.spawn({ agent: 'claude', prompt: 'before\0after', env: { FAULT_MODE: 'input' } });
    expect(arg.status).toBe('FAILED');
    expect(arg.reason).toBe(
      'initial prompt contains control character 0x00 at offset 6; remove it (only tab and newline are allowed)',
    );
    const typed = r.m.spawn({ agent: agent('input'), prompt: 'esc \x1b[2J' });
    expect(typed.status).toBe('FAILED');
    expect(typed.reason).toMatch(/^initial prompt contains control character 0x1b at offset 4/);
  });
});
