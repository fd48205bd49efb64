import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram, splitAgentArgs } from '../../src/cli/main.js';
import { settingsFrom } from '../../src/cli/settings.js';

class Parsed extends Error {}

/** Parse like main() does, but stop before any action runs; return what the action would see. */
async function parse(
  args: string[],
): Promise<{ command: string; opts: Record<string, unknown>; args: string[] }> {
  const { own, agentArgs } = splitAgentArgs(args);
  const program = buildProgram(agentArgs);
  let seen: { command: string; opts: Record<string, unknown>; args: string[] } | undefined;
  const silence = (c: Command): void => {
    c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    for (const sub of c.commands) silence(sub);
  };
  silence(program);
  program.hook('preAction', (_root, action) => {
    seen = { command: action.name(), opts: action.optsWithGlobals(), args: action.args };
    throw new Parsed();
  });
  await expect(program.parseAsync(own, { from: 'user' })).rejects.toBeInstanceOf(Parsed);
  if (!seen) throw new Error('no action reached');
  return seen;
}

describe('the command line, imported without running', () => {
  it('importing the module runs nothing (bin/axiom.js calls main)', async () => {
    // This file imported it at the top: had it run main(), the worker's argv would have reached the
    // root action, which refuses to start the UI without a terminal and sets exit code 2.
    expect(process.exitCode).toBeUndefined();
    const mod = await import('../../src/cli/main.js');
    expect(typeof mod.main).toBe('function');
  });

  it('splits its own arguments from the agent’s at the first --', () => {
    expect(splitAgentArgs(['spawn', 'x', '--', '--model', 'y', '--'])).toEqual({
      own: ['spawn', 'x'],
      agentArgs: ['--model', 'y', '--'],
    });
    expect(splitAgentArgs(['mcp'])).toEqual({ own: ['mcp'], agentArgs: [] });
  });

  it('global options reach a subcommand whether given before or after it', async () => {
    const after = await parse(['spawn', '--agent', 'bash', '--cwd', '/tmp', '-p', '3', 'hi']);
    expect(after).toMatchObject({
      command: 'spawn',
      args: ['hi'],
      opts: { agent: 'bash', cwd: '/tmp', parallel: 3 },
    });
    const before = await parse(['--agent', 'bash', '--scrollback', '50', 'spawn', 'hi']);
    expect(before.opts).toMatchObject({ agent: 'bash', scrollback: 50, parallel: 1 });
    const mcp = await parse(['mcp', '--agent', 'bash', '--max-sessions', '2', '--no-transcripts']);
    expect(mcp).toMatchObject({
      command: 'mcp',
      opts: { agent: 'bash', maxSessions: 2, transcripts: false },
    });
  });

  it('the root command gets its defaults (through settingsFrom)', async () => {
    const root = await parse([]);
    expect(root.command).toBe('axiom');
    expect(root.opts).toMatchObject({ transcripts: true });
    expect(settingsFrom(root.opts, {})).toMatchObject({ agent: 'claude', scrollback: 2000 });
  });

  it('a bad value is refused with a message naming the fix', async () => {
    const program = buildProgram([]);
    let err = '';
    program.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (s) => (err += s) });
    for (const c of program.commands)
      c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (s) => (err += s) });
    await expect(program.parseAsync(['spawn', '-p', '0', 'hi'], { from: 'user' })).rejects.toThrow();
    expect(err).toMatch(/must be a whole number from 1 to 64/);
  });

  it('a usage error is one line that names the command and where its usage is', async () => {
    const lines = async (args: string[]): Promise<string[]> => {
      const program = buildProgram([]);
      let err = '';
      const quiet = (c: Command): void => {
        c.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (s) => (err += s) });
        for (const sub of c.commands) quiet(sub);
      };
      quiet(program);
      await expect(program.parseAsync(args, { from: 'user' })).rejects.toThrow();
      return err.split('\n').filter(Boolean);
    };
    expect(await lines(['spawn', '--bogus', 'x'])).toEqual([
      "axiom spawn: unknown option '--bogus' (see axiom spawn --help)",
    ]);
    expect(await lines(['runs', '--what'])).toEqual([
      "axiom runs: unknown option '--what' (see axiom runs --help)",
    ]);
    expect(await lines(['spawn'])).toEqual([
      "axiom spawn: missing required argument 'prompt' (see axiom spawn --help)",
    ]);
  });

  it('--notify takes bell, desktop, both or none (default both); --on-status a command line', async () => {
    expect(settingsFrom((await parse([])).opts, {})).toMatchObject({ notify: 'both' });
    const spawn = await parse(['spawn', '--notify', 'bell', '--on-status', 'notify-send axiom', 'hi']);
    expect(spawn.opts).toMatchObject({ notify: 'bell', onStatus: 'notify-send axiom' });
    const program = buildProgram([]);
    let err = '';
    program.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: (s) => (err += s) });
    await expect(program.parseAsync(['--notify', 'loud'], { from: 'user' })).rejects.toThrow();
    expect(err).toMatch(/Allowed choices are both, bell, desktop, none/);
  });

  it('subcommand help lists the global options once, under their own heading', () => {
    const spawn = buildProgram([]).commands.find((c) => c.name() === 'spawn');
    const help = spawn?.helpInformation() ?? '';
    expect(help).toMatch(/Global Options:[\s\S]*--agent <command>/);
    expect(help.match(/--agent/g)).toHaveLength(1);
  });
});
