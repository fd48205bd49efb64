/**
 * The `axiom` command line: wiring only. `axiom` (UI), `axiom spawn` (UI or headless lines),
 * `axiom mcp` (MCP stdio server). Everything after `--` goes to the agent. Importing this module
 * runs nothing: `bin/axiom.js` calls main(), tests call buildProgram() or main() themselves.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, type CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../config/config.js';
import { listen } from '../engine/listen.js';
import { DEFAULT_SCROLLBACK } from '../engine/session.js';
import { type ManagerOptions, SessionManager } from '../engine/session-manager.js';
import type { SpawnOptions } from '../engine/types.js';
import { setKeymap } from '../ui/keymap.js';
import { KeymapError } from '../ui/keymap-overrides.js';
import { NOTIFY_MODES } from '../ui/notify.js';
import { serveAttach } from './attach.js';
import { registerApply } from './commands/apply.js';
import { registerClean } from './commands/clean.js';
import { registerConfig } from './commands/config.js';
import { registerDiff } from './commands/diff.js';
import { type Resuming, registerResume } from './commands/resume.js';
import { registerRuns } from './commands/runs.js';
import { HEADLESS_EXIT_CODES, printWorktreeSummary, runHeadless } from './headless.js';
import { installLifecycle, type ProcessHost } from './lifecycle.js';
import { type Loaded, loadSettings } from './load-settings.js';
import { installStatusHook, parseStatusCommand } from './on-status.js';
import type { Settings, SettingsFlags } from './settings.js';
import { chooseWorktree } from './worktree-mode.js';

// bin/axiom.js starts this with the process (not main(): tests import main).
export { governYoungGen } from './young-gen.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Split argv at the first `--`: ours before, the agent's after. */
export function splitAgentArgs(argv: string[]): { own: string[]; agentArgs: string[] } {
  const i = argv.indexOf('--');
  return i < 0 ? { own: argv, agentArgs: [] } : { own: argv.slice(0, i), agentArgs: argv.slice(i + 1) };
}

function positiveInt(max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > max)
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };
}

/** The engine the settings describe. */
export function makeManager(s: Settings, ui = false, extra: ManagerOptions = {}): SessionManager {
  return new SessionManager({
    // An ended pane can be scrolled in the UI; elsewhere its screen is freed (MCP servers run long).
    releaseEndedScreens: !ui,
    stateDir: s.stateDir,
    cwd: s.cwd,
    scrollback: s.scrollback,
    syncParse: s.fallbacks.xtermSyncParse,
    rowCache: s.fallbacks.xtermRows,
    claude: { bin: s.claudeBin, fullscreen: s.claudeFullscreen },
    ...extra,
  });
}

/**
 * Engine warnings (transcripts off and why, a hook channel that failed) as one stderr line each,
 * for the front ends without a screen of their own (headless, MCP). Returns the undo.
 */
function warnOnStderr(manager: SessionManager, prefix: string): () => void {
  return listen(manager, { warning: (m: string) => void process.stderr.write(`${prefix}: ${m}\n`) });
}

function spawnDefaults(s: Settings): SpawnOptions {
  return { agent: s.agent, agentArgs: s.agentArgs, cwd: s.cwd };
}

/**
 * Flags, config files and defaults merged, and the keymap with the files' bindings installed; or
 * undefined after a one-line message naming the file, the line and the fix (exit code 2).
 */
function load(flags: SettingsFlags): Loaded | undefined {
  try {
    const loaded = loadSettings(flags);
    setKeymap(loaded.keymap);
    return loaded;
  } catch (e) {
    if (!(e instanceof ConfigError || e instanceof KeymapError)) throw e;
    process.stderr.write(`axiom: ${e.message}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

async function runUiOrHeadless(
  manager: SessionManager,
  settings: Settings,
  defaults: SpawnOptions,
  initial: { prompt: string; parallel: number } | undefined,
  headless: boolean,
  resuming?: Resuming,
): Promise<number> {
  let statusArgv: string[] | undefined;
  try {
    statusArgv = settings.onStatus === undefined ? undefined : parseStatusCommand(settings.onStatus);
  } catch (e) {
    process.stderr.write(`axiom: ${(e as Error).message}\n`);
    return 2;
  }
  // Resumed sessions go back to their own worktrees; new ones in that UI share the directory.
  const choice = resuming
    ? ({ ok: true, on: false } as const)
    : await chooseWorktree(settings.worktree, initial?.parallel ?? 1, settings.cwd);
  if (!choice.ok) {
    process.stderr.write(`axiom: ${choice.message}\n`);
    return 2;
  }
  defaults.worktree = choice.on;
  // The one owner of signals and fatal errors: the UI attaches to it; headless runs leave it the
  // default (shut down and exit). See lifecycle.ts.
  const life = installLifecycle({ shutdown: () => manager.shutdown() });
  const unhook = statusArgv
    ? installStatusHook(manager, {
        argv: statusArgv,
        onError: (m) => (headless ? process.stderr.write(`axiom: ${m}\n`) : manager.emit('warning', m)),
      })
    : () => {};
  let code: number;
  try {
    code = await runFrontEnd(manager, settings, defaults, initial, headless, life, resuming);
  } catch (e) {
    unhook();
    life.uninstall();
    throw e;
  }
  unhook();
  // After a signal this ends the process as the signal asked (130/143, or SIGHUP itself).
  life.finish(code);
  return code;
}

async function runFrontEnd(
  manager: SessionManager,
  settings: Settings,
  defaults: SpawnOptions,
  initial: { prompt: string; parallel: number } | undefined,
  headless: boolean,
  host: ProcessHost,
  resuming?: Resuming,
): Promise<number> {
  if (!headless) {
    // The UI module loads only when a terminal needs it (and sets up React's production build).
    const { runTui } = await import('../ui/run.js');
    // MCP clients attach to this UI's engine (`axiom mcp --attach`) while it runs.
    const stopServing = await serveAttach(manager, settings, defaults);
    try {
      return await runTui(manager, {
        spawnDefaults: defaults,
        initial,
        onStart: resuming ? () => void resuming.start(manager) : undefined,
        inkCaches: settings.fallbacks.inkCaches,
        notify: { mode: settings.notify, terminal: settings.terminal },
        host,
      });
    } finally {
      await stopServing();
    }
  }
  if (!initial && !resuming) {
    process.stderr.write('axiom: headless mode needs a prompt: axiom spawn --headless "prompt"\n');
    return 2;
  }
  const unwarn = warnOnStderr(manager, 'axiom');
  await manager.ready();
  const ids: string[] = resuming ? resuming.start(manager) : [];
  for (let i = 0; i < (initial?.parallel ?? 0); i++)
    ids.push(manager.spawn({ ...defaults, prompt: initial?.prompt }).id);
  const code = await runHeadless(manager, ids);
  await manager.shutdown();
  unwarn();
  printWorktreeSummary(manager, ids);
  if (manager.runDir) process.stderr.write(`axiom: transcripts in ${manager.runDir}\n`);
  return code;
}

/**
 * The command tree. `agentArgs` (what followed `--`) reaches every action through this closure.
 * Options declared on the program are global: commander accepts them before or after a
 * subcommand, and each action reads them with optsWithGlobals().
 */
export function buildProgram(agentArgs?: string[]): Command {
  const program = new Command();
  program
    .name('axiom')
    .description('Run several Claude Code sessions side by side: live panes, interrupt-and-redirect, MCP.')
    .version(pkg.version, '-v, --version')
    .usage('[options] [command] [-- agent args]')
    .option('--agent <command>', 'agent to run: "claude" (default) or any command line, e.g. "bash"')
    .option('--cwd <dir>', 'working directory for new sessions')
    .option('--state-dir <dir>', 'where transcripts go (default $AXIOM_STATE_DIR or ~/.axiom)')
    .option('--no-transcripts', 'do not write transcripts to disk')
    .option(
      '--worktree',
      'give each session its own git worktree (default when --parallel > 1 in a repository)',
    )
    .option('--no-worktree', 'run every session in the working directory itself')
    .addOption(
      new Option(
        '--scrollback <lines>',
        `lines of scrollback kept in memory per pane (the transcript keeps all; default ${DEFAULT_SCROLLBACK})`,
      )
        .env('AXIOM_SCROLLBACK')
        .argParser(positiveInt(1_000_000)),
    )
    .addOption(
      new Option(
        '--notify <how>',
        'when a session you are not looking at needs you: ring the bell, send a desktop notification, both, or none (default both)',
      ).choices(NOTIFY_MODES),
    )
    .option(
      '--on-status <command>',
      'run this command on every status change (AXIOM_SESSION, AXIOM_STATUS, AXIOM_REASON, AXIOM_CWD in its environment; no shell)',
    )
    .allowExcessArguments(true)
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Examples:
  axiom                                         open the UI with no sessions
  axiom spawn --parallel 3 "fix the tests"      three sessions on one prompt
  axiom spawn "create hello.py" -- --permission-mode acceptEdits
  claude mcp add axiom -- npx axiom mcp         drive axiom from Claude Code`,
    )
    .action(async (opts: SettingsFlags, cmd: Command) => {
      if (cmd.args.length > 0) {
        cmd.error(
          `axiom: unknown command '${cmd.args[0]}' (commands: spawn, mcp, config, runs, resume, diff, apply, clean; see axiom --help)`,
        );
      }
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        process.stderr.write(
          'axiom: the UI needs a terminal; use `axiom spawn --headless "prompt"` or `axiom mcp` without one\n',
        );
        process.exitCode = 2;
        return;
      }
      const settings = load({ ...opts, agentArgs })?.settings;
      if (!settings) return;
      process.exitCode = await runUiOrHeadless(
        makeManager(settings, true),
        settings,
        spawnDefaults(settings),
        undefined,
        false,
      );
    });

  program
    .command('spawn')
    .description('start N sessions on one prompt (the UI on a terminal, labeled lines otherwise)')
    .argument('<prompt>', 'the prompt for every session')
    .option('-p, --parallel <n>', 'how many sessions', positiveInt(64), 1)
    .option('--headless', 'print labeled lines instead of the UI, even on a terminal')
    .addHelpText('after', `\n${HEADLESS_EXIT_CODES}`)
    .action(async (prompt: string, _o: unknown, cmd: Command) => {
      const all = cmd.optsWithGlobals<SettingsFlags & { parallel: number; headless?: boolean }>();
      if (!prompt.trim()) cmd.error('axiom: the prompt is empty');
      const headless = Boolean(all.headless) || !process.stdout.isTTY || !process.stdin.isTTY;
      const settings = load({ ...all, agentArgs })?.settings;
      if (!settings) return;
      process.exitCode = await runUiOrHeadless(
        makeManager(settings, !headless),
        settings,
        spawnDefaults(settings),
        { prompt, parallel: all.parallel },
        headless,
      );
    });

  program
    .command('mcp')
    .description('serve the engine over MCP on stdio (for Claude Code, Claude Desktop, any MCP client)')
    .option('--root <dir>', 'sessions may only run inside this directory (default: the current directory)')
    .option('--max-sessions <n>', 'most sessions at once', positiveInt(256), 8)
    .option(
      '--attach [run]',
      "act on the axiom UI running in this directory (or run RUN): its sessions, shown as panes, instead of an engine of this server's own",
    )
    .action(async (_o: unknown, cmd: Command) => {
      const all = cmd.optsWithGlobals<
        SettingsFlags & { root?: string; maxSessions: number; attach?: string | boolean }
      >();
      if (all.attach !== undefined && all.attach !== false) {
        const settings = load({ ...all, agentArgs })?.settings;
        if (!settings) return;
        if (agentArgs !== undefined && agentArgs.length > 0) {
          process.stderr.write(
            'axiom mcp: --attach takes no agent arguments (the UI chooses the agent); drop what follows --\n',
          );
          process.exitCode = 2;
          return;
        }
        const { runMcpAttach } = await import('./attach.js');
        process.exitCode = await runMcpAttach({
          settings,
          run: typeof all.attach === 'string' ? all.attach : undefined,
          root: all.root,
          maxSessions: all.maxSessions,
          version: pkg.version,
        });
        return;
      }
      const { runMcpStdio, resolveRoot } = await import('../mcp/index.js');
      let root: string;
      try {
        root = resolveRoot(all.root ?? process.cwd());
      } catch (e) {
        process.stderr.write(`axiom mcp: ${(e as Error).message}\n`);
        process.exitCode = 2;
        return;
      }
      const settings = load({ ...all, agentArgs })?.settings;
      if (!settings) return;
      const manager = makeManager(settings);
      const life = installLifecycle({ shutdown: () => manager.shutdown() });
      const unwarn = warnOnStderr(manager, 'axiom mcp');
      try {
        await manager.ready();
        await runMcpStdio(manager, {
          root,
          maxSessions: all.maxSessions,
          version: pkg.version,
          spawnDefaults: {
            ...spawnDefaults(settings),
            cwd: root,
            worktree: settings.worktree === true,
          },
          host: life,
        });
      } catch (e) {
        await manager.shutdown();
        unwarn();
        life.uninstall();
        throw e;
      }
      await manager.shutdown();
      unwarn();
      life.finish(0);
    });

  registerConfig(program, agentArgs, load);
  registerRuns(program);
  registerResume(
    program,
    agentArgs,
    load,
    (settings, manager, resuming, headless) =>
      runUiOrHeadless(manager, settings, spawnDefaults(settings), undefined, headless, resuming),
    // The run's own directory, wherever the settings would put a new one.
    (settings, ui, run) =>
      makeManager(settings, ui, { resume: run.manifest, stateDir: dirname(dirname(run.dir)) }),
  );
  registerDiff(program);
  registerApply(program);
  registerClean(program);
  const everyCommand = (c: Command): Command[] => [c, ...c.commands.flatMap(everyCommand)];
  for (const c of everyCommand(program)) c.configureOutput({ outputError: oneLineError(c) });
  return program;
}

/**
 * Commander says `error: unknown option '--x'` and nothing on what to do; every usage error becomes
 * one line naming the command and where its usage is: `axiom spawn: unknown option '--x' (see
 * axiom spawn --help)`. Messages axiom wrote itself (they start with `axiom`) already say the fix.
 */
function oneLineError(c: Command): (message: string, write: (s: string) => void) => void {
  const path = (x: Command): string => (x.parent ? `${path(x.parent)} ${x.name()}` : 'axiom');
  const name = path(c);
  return (message, write) => {
    const text = message.replace(/^error: /, '').trim();
    write(text.startsWith('axiom') ? `${text}\n` : `${name}: ${text} (see ${name} --help)\n`);
  };
}

/** Parse `argv` (node, script, args…) and run the command it names. Called by bin/axiom.js. */
/**
 * A shell can sit in a directory that was deleted: every command reads the working directory
 * (config files, the repository, relative paths), and Node throws ENOENT from process.cwd().
 */
function deletedCwd(): boolean {
  try {
    process.cwd();
    return false;
  } catch {
    return true;
  }
}

export async function main(argv = process.argv): Promise<void> {
  const args = argv.slice(2);
  if (deletedCwd() && !args.some((a) => /^(-v|--version|-h|--help|help)$/.test(a))) {
    process.stderr.write(
      'axiom: the current directory no longer exists; cd to one that does and run axiom again\n',
    );
    process.exitCode = 2;
    return;
  }
  const { own, agentArgs } = splitAgentArgs(args);
  // No `--` at all leaves the agent's arguments to the config files; `--` alone means none.
  const program = buildProgram(args.includes('--') ? agentArgs : undefined);
  // Bad usage (an unknown option, a bad value, a missing prompt) exits 2, as documented; commander
  // says 1 for every error. Help and version stay 0. Each command exits through its own override.
  const exit = (err: CommanderError): never => process.exit(err.exitCode === 1 ? 2 : err.exitCode);
  for (const c of [program, ...program.commands]) c.exitOverride(exit);
  await program.parseAsync(own, { from: 'user' });
}
