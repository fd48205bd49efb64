/**
 * Settings from every source: flags and AXIOM_* variables, the project and user config files
 * (src/config), the defaults; plus the keymap with the files' bindings. `explainSettings` says
 * where each value came from (`axiom config`).
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { CONFIG_KEYS, type ConfigLayer, type LoadedConfig, loadConfig } from '../config/config.js';
import { COMMANDS, type Command, keysLabel } from '../ui/keymap.js';
import { applyKeyOverrides } from '../ui/keymap-overrides.js';
import { type Settings, type SettingsFlags, settingsFrom } from './settings.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface Loaded {
  settings: Settings;
  config: LoadedConfig;
  /** COMMANDS with the files' key bindings (give it to setKeymap). */
  keymap: Command[];
}

/** Throws ConfigError (a malformed file) or KeymapError (a refused binding), each naming the file, line and fix. */
export function loadSettings(flags: SettingsFlags, env: Env = process.env, home = homedir()): Loaded {
  const config = loadConfig({ cwd: resolve(flags.cwd ?? process.cwd()), env, home });
  const keymap = applyKeyOverrides(config.keys);
  return { settings: settingsFrom(flags, env, config.base), config, keymap };
}

/** Where a flag's value came from, as commander knows it ('cli', 'env', 'default', undefined). */
export type FlagSource = (flag: keyof SettingsFlags) => string | undefined;

export interface ExplainedRow {
  key: string;
  value: string;
  source: string;
}

const show = (v: unknown): string =>
  v === undefined ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);

/** One row per config key, with the value in effect and where it came from. */
export function explainSettings(
  loaded: Loaded,
  flags: SettingsFlags,
  flagSource: FlagSource,
  env: Env,
): ExplainedRow[] {
  const { settings, config } = loaded;
  const fromFile = (key: string): string | undefined => {
    const hit = (layer: ConfigLayer | undefined) =>
      layer && key in layer.lines ? `${layer.file}:${layer.lines[key]}` : undefined;
    return hit(config.project) ?? hit(config.user);
  };
  const flagged = (flag: keyof SettingsFlags, name: string, envName?: string): string | undefined => {
    if (flags[flag] === undefined) return undefined;
    return flagSource(flag) === 'env' && envName ? envName : name;
  };
  const source = (key: string, ...before: (string | undefined)[]): string =>
    before.find((b) => b !== undefined) ?? fromFile(key) ?? 'default';
  const stateFromFile =
    fromFile('transcripts') && settings.stateDir === false ? fromFile('transcripts') : fromFile('stateDir');
  const rows: ExplainedRow[] = [
    { key: 'agent', value: settings.agent, source: source('agent', flagged('agent', '--agent')) },
    {
      key: 'agentArgs',
      value: show(settings.agentArgs),
      source: source('agentArgs', flags.agentArgs !== undefined ? '-- (command line)' : undefined),
    },
    {
      key: 'scrollback',
      value: String(settings.scrollback),
      source: source('scrollback', flagged('scrollback', '--scrollback', 'AXIOM_SCROLLBACK')),
    },
    {
      key: 'stateDir',
      value: settings.stateDir === false ? 'false (no transcripts)' : settings.stateDir,
      source:
        (flags.transcripts === false ? '--no-transcripts' : undefined) ??
        flagged('stateDir', '--state-dir') ??
        (env.AXIOM_STATE_DIR ? 'AXIOM_STATE_DIR' : undefined) ??
        stateFromFile ??
        'default',
    },
    {
      key: 'worktree',
      value: show(settings.worktree),
      source: source(
        'worktree',
        flags.worktree === undefined ? undefined : flags.worktree ? '--worktree' : '--no-worktree',
      ),
    },
    { key: 'notify', value: settings.notify, source: source('notify', flagged('notify', '--notify')) },
    {
      key: 'onStatus',
      value: show(settings.onStatus),
      source: source('onStatus', flagged('onStatus', '--on-status')),
    },
    {
      key: 'claudeBin',
      value: settings.claudeBin,
      source: source('claudeBin', env.AXIOM_CLAUDE_BIN ? 'AXIOM_CLAUDE_BIN' : undefined),
    },
  ];
  return rows.filter((r) => r.key in CONFIG_KEYS);
}

/** One row per command: its main keys in effect and where they were set. */
export function explainKeys(loaded: Loaded): ExplainedRow[] {
  const where = new Map<string, string>();
  for (const o of loaded.config.keys) where.set(o.command, o.where);
  return loaded.keymap.map((c, i) => {
    const keys = c.bindings[0]?.keys ?? [];
    const changed = keys.join() !== (COMMANDS[i]?.bindings[0]?.keys ?? []).join();
    return {
      key: c.id,
      value: keysLabel(keys).join(' / '),
      source: changed || where.has(c.id) ? (where.get(c.id) ?? 'config') : 'default',
    };
  });
}

/** The text `axiom config` prints. */
export function renderExplained(
  loaded: Loaded,
  settingsRows: ExplainedRow[],
  keyRows: ExplainedRow[],
): string {
  const { config } = loaded;
  const table = (rows: ExplainedRow[]) => {
    const kw = Math.max(...rows.map((r) => r.key.length));
    const vw = Math.min(40, Math.max(...rows.map((r) => r.value.length)));
    return rows.map((r) => `  ${r.key.padEnd(kw)}  ${r.value.padEnd(vw)}  ${r.source}`).join('\n');
  };
  const file = (path: string | undefined, layer: ConfigLayer | undefined, none: string) =>
    path ? `${path}${layer ? '' : ' (not found)'}` : none;
  return [
    'Precedence: flags and AXIOM_* variables, then the project file, then the user file, then defaults.',
    `  user file:     ${file(config.userPath, config.user, '')}`,
    `  project file:  ${file(config.projectPath, config.project, '(none: no axiom.config.json here or above, up to the repository root)')}`,
    '',
    'Settings',
    table(settingsRows),
    '',
    'Keys (main binding of each command; F1 in the UI shows them all)',
    table(keyRows),
    '',
  ].join('\n');
}
