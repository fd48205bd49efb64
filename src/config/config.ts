/**
 * Config files: one per user and one per project, JSON with comments (jsonc.ts).
 *
 *  - user:    $XDG_CONFIG_HOME/axiom/config.json, or ~/.config/axiom/config.json
 *  - project: axiom.config.json in the working directory or the nearest directory above it, up
 *             to the root of its git repository. A visible file at the repository root, meant to
 *             be committed and shared like tsconfig.json (the .axiom/ directory is kept out of git
 *             for worktrees, and ~/.axiom is the state dir).
 *
 * Precedence: flags (and AXIOM_* variables), then the project file, then the user file, then the
 * defaults (settingsFrom in src/cli/settings.ts does the merge; this module gives the base). A
 * malformed file is an error naming the file, the line and the fix: never a silent fallback.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { closest, type KeyOverride } from '../ui/keymap-overrides.js';
import { NOTIFY_MODES, type NotifyMode } from '../ui/notify.js';
import { JsoncError, type JsonNode, parseJsonc } from './jsonc.js';

export const PROJECT_CONFIG = 'axiom.config.json';

/** What a config file can set (the Settings fields it maps to; see CONFIG_KEYS). */
export interface ConfigValues {
  agent?: string;
  agentArgs?: string[];
  scrollback?: number;
  stateDir?: string | false;
  worktree?: boolean | 'auto';
  notify?: NotifyMode;
  onStatus?: string;
  claudeBin?: string;
}

export interface ConfigLayer {
  file: string;
  values: ConfigValues;
  /** Line of each config key the file sets (for `axiom config` and messages). */
  lines: Record<string, number>;
  keys: KeyOverride[];
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Parsed<T> = T | { error: string };
interface KeySpec {
  /** The flag (or variable) that sets the same thing. */
  flag: string;
  /** What it means, for the README and `axiom config`. */
  doc: string;
  /** Value in the file → values; an { error } names the fix. */
  apply: (node: JsonNode, values: ConfigValues, dir: string) => Parsed<true>;
}

const str = (node: JsonNode, what: string): Parsed<string> =>
  node.type === 'string' && node.value.trim() !== ''
    ? node.value
    : { error: `must be ${what} in double quotes` };

/** `~/x` is in the home directory; a relative path is relative to the file's directory. */
function path(p: string, dir: string): string {
  if (p === '~' || p.startsWith('~/')) return join(homedir(), p.slice(1));
  return isAbsolute(p) ? p : resolve(dir, p);
}

export const CONFIG_KEYS: Record<string, KeySpec> = {
  agent: {
    flag: '--agent',
    doc: 'the agent to run: "claude" or any command line, e.g. "aider --yes"',
    apply: (n, v) => {
      const s = str(n, 'a command line, e.g. "claude"');
      if (typeof s !== 'string') return s;
      v.agent = s;
      return true;
    },
  },
  agentArgs: {
    flag: '-- args',
    doc: 'arguments for every agent, e.g. ["--permission-mode", "acceptEdits"]',
    apply: (n, v) => {
      if (n.type !== 'array' || n.items.some((x) => x.type !== 'string'))
        return { error: 'must be a list of strings, e.g. ["--model", "sonnet"]' };
      v.agentArgs = n.items.map((x) => (x.type === 'string' ? x.value : ''));
      return true;
    },
  },
  scrollback: {
    flag: '--scrollback',
    doc: 'lines of scrollback each pane keeps in memory (default 2000)',
    apply: (n, v) => {
      if (n.type !== 'number' || !Number.isInteger(n.value) || n.value < 1 || n.value > 1_000_000)
        return { error: 'must be a whole number from 1 to 1000000, e.g. 5000' };
      v.scrollback = n.value;
      return true;
    },
  },
  stateDir: {
    flag: '--state-dir',
    doc: 'where transcripts go (default ~/.axiom); ~ and paths relative to the file work',
    apply: (n, v, dir) => {
      const s = str(n, 'a directory');
      if (typeof s !== 'string') return s;
      if (v.stateDir !== false) v.stateDir = path(s, dir);
      return true;
    },
  },
  transcripts: {
    flag: '--no-transcripts',
    doc: 'false: write no transcripts (default true)',
    apply: (n, v) => {
      if (n.type !== 'boolean') return { error: 'must be true or false' };
      if (!n.value) v.stateDir = false;
      return true;
    },
  },
  worktree: {
    flag: '--worktree / --no-worktree',
    doc: 'a git worktree per session: true, false or "auto" (default: on for --parallel > 1 in a repository)',
    apply: (n, v) => {
      if (n.type === 'boolean') v.worktree = n.value;
      else if (n.type === 'string' && n.value === 'auto') v.worktree = 'auto';
      else return { error: 'must be true, false or "auto"' };
      return true;
    },
  },
  notify: {
    flag: '--notify',
    doc: `how to tell you a session needs you: ${NOTIFY_MODES.map((m) => `"${m}"`).join(', ')} (default "both")`,
    apply: (n, v) => {
      if (n.type !== 'string' || !(NOTIFY_MODES as readonly string[]).includes(n.value))
        return { error: `must be one of ${NOTIFY_MODES.map((m) => `"${m}"`).join(', ')}` };
      v.notify = n.value as NotifyMode;
      return true;
    },
  },
  onStatus: {
    flag: '--on-status',
    doc: 'a command run on every status change (no shell; see Notifications)',
    apply: (n, v) => {
      const s = str(n, 'a command line');
      if (typeof s !== 'string') return s;
      v.onStatus = s;
      return true;
    },
  },
  claudeBin: {
    flag: 'AXIOM_CLAUDE_BIN',
    doc: 'the claude executable (default: claude on PATH)',
    apply: (n, v, dir) => {
      const s = str(n, 'a program name or path');
      if (typeof s !== 'string') return s;
      v.claudeBin = s.includes('/') ? path(s, dir) : s;
      return true;
    },
  },
};

/** Keys that are not settings of their own: "keys" (the keymap) and "$schema" (editors). */
const OTHER_KEYS = ['keys', '$schema'];

function nearest(word: string): string {
  const all = [...Object.keys(CONFIG_KEYS), ...OTHER_KEYS];
  const hit = closest(word, all);
  return hit ? `; did you mean "${hit}"?` : `; the settings are: ${all.join(', ')}`;
}

/** Parse one config file's text. Throws ConfigError: "FILE:LINE:COL: what is wrong; the fix". */
export function parseConfig(file: string, text: string): ConfigLayer {
  let root: JsonNode;
  try {
    root = parseJsonc(text);
  } catch (e) {
    if (e instanceof JsoncError) throw new ConfigError(`${file}:${e.line}:${e.col}: ${e.message}`);
    throw e;
  }
  const at = (n: { line: number; col: number }) => `${file}:${n.line}:${n.col}`;
  if (root.type !== 'object')
    throw new ConfigError(`${at(root)}: the settings must be an object: { "notify": "bell", ... }`);
  const layer: ConfigLayer = { file, values: {}, lines: {}, keys: [] };
  const dir = dirname(file);
  for (const { key, at: keyAt, value } of root.entries) {
    if (key === '$schema') continue;
    if (key === 'keys') {
      if (value.type !== 'object')
        throw new ConfigError(`${at(value)}: "keys" must be an object: { "spawn": "ctrl+t", ... }`);
      for (const e of value.entries) {
        const keys =
          e.value.type === 'string'
            ? [e.value.value]
            : e.value.type === 'array' && e.value.items.every((x) => x.type === 'string')
              ? e.value.items.map((x) => (x.type === 'string' ? x.value : ''))
              : undefined;
        if (!keys)
          throw new ConfigError(
            `${at(e.value)}: keys.${e.key} must be a key name or a list: "ctrl+t" or ["f2", "ctrl+t"]`,
          );
        layer.keys.push({ command: e.key, keys, where: `${file}:${e.at.line}` });
      }
      continue;
    }
    const spec = CONFIG_KEYS[key];
    if (!spec) throw new ConfigError(`${at(keyAt)}: unknown setting "${key}"${nearest(key)}`);
    const r = spec.apply(value, layer.values, dir);
    if (r !== true) throw new ConfigError(`${at(value)}: "${key}" ${r.error}`);
    layer.lines[key] = keyAt.line;
  }
  return layer;
}

/** The user file: $XDG_CONFIG_HOME/axiom/config.json (an absolute XDG_CONFIG_HOME only), or ~/.config/axiom/config.json. */
export function userConfigPath(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), 'axiom', 'config.json');
}

/** axiom.config.json in `start` or the nearest directory above it, up to the git repository's root. */
export function findProjectConfig(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG);
    if (existsSync(candidate)) return candidate;
    // Stop at the repository root (it has .git: a directory, or a file in a worktree).
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function readLayer(file: string): ConfigLayer | undefined {
  if (!existsSync(file)) return undefined;
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new Error('it is a directory');
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(
      `${file}: cannot read it (${(e as Error).message}); fix its permissions or remove it`,
    );
  }
  return parseConfig(file, text);
}

export interface LoadedConfig {
  userPath: string;
  user?: ConfigLayer;
  projectPath?: string;
  project?: ConfigLayer;
  /** Project values over user values: the `base` of settingsFrom. */
  base: ConfigValues;
  /** Key overrides, user first, then project (later wins). */
  keys: KeyOverride[];
}

/** Read both files. `cwd` is where sessions start (--cwd or the current directory). Throws ConfigError. */
export function loadConfig(opts: {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
}): LoadedConfig {
  const userPath = userConfigPath(opts.env, opts.home);
  const projectPath = findProjectConfig(opts.cwd);
  const user = readLayer(userPath);
  const project = projectPath && projectPath !== userPath ? readLayer(projectPath) : undefined;
  const base: ConfigValues = { ...user?.values, ...project?.values };
  return {
    userPath,
    user,
    projectPath,
    project,
    base,
    keys: [...(user?.keys ?? []), ...(project?.keys ?? [])],
  };
}

/** The README's table of config keys, generated from CONFIG_KEYS (npm run readme; a test keeps it in sync). */
export function renderConfigTable(): string {
  const esc = (x: string) => x.replace(/\|/g, '\\|');
  const lines = ['| key | same as | meaning |', '| --- | --- | --- |'];
  for (const [key, spec] of Object.entries(CONFIG_KEYS))
    lines.push(`| \`${key}\` | \`${esc(spec.flag)}\` | ${esc(spec.doc)} |`);
  lines.push(
    '| `keys` | — | rebind commands: `{ "spawn": "ctrl+t", "zoom": ["ctrl+o", "f2"] }` (command ids from `axiom config`; see below) |',
  );
  return `${lines.join('\n')}\n`;
}
