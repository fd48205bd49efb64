/**
 * Rebinding commands from a config file: `"keys": { "spawn": "ctrl+t", "zoom": ["ctrl+o", "f2"] }`.
 * Pure: the default keymap and the overrides in, the keymap in effect out, or an error naming the
 * binding, where it was set and the fix. Checked at start; a keymap with a conflict, an unknown
 * command or a key no terminal sends is refused, never half applied.
 */
import { COMMANDS, type Command, type CommandId, keyLabel, MODE_DESCRIPTIONS } from './keymap.js';

export interface KeyOverride {
  /** The command's id, e.g. 'spawn'. */
  command: string;
  /** Key names as written, e.g. ['Ctrl+T']. */
  keys: readonly string[];
  /** Where it was set, for messages: 'file:line'. */
  where: string;
}

export class KeymapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeymapError';
  }
}

const NAMED = new Set([
  'enter',
  'escape',
  'tab',
  'backspace',
  'delete',
  'insert',
  'up',
  'down',
  'left',
  'right',
  'home',
  'end',
  'pageup',
  'pagedown',
  'space',
  ...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
]);
const ALIASES: Record<string, string> = {
  esc: 'escape',
  return: 'enter',
  del: 'delete',
  pgup: 'pageup',
  pgdn: 'pagedown',
  ins: 'insert',
};
/** Ctrl+character combinations a terminal sends as one distinct byte. */
const CTRL_CHARS = /^[a-z\]\\^_]$/;
/** Ctrl+letters that are the same byte as another key. */
const SAME_BYTE: Record<string, string> = { i: 'tab', m: 'enter', '[': 'escape' };

/**
 * The key name the decoder (keys.ts) produces for what the user wrote ('Ctrl+T' → 'ctrl+t',
 * 'alt+shift+up' → 'alt+shift+up'), or an Error message naming the fix.
 */
export function normalizeKey(written: string): string | { error: string } {
  const parts = written.trim().split('+');
  // 'ctrl++' or '+': the key is the plus sign.
  if (parts.length > 1 && parts[parts.length - 1] === '' && parts[parts.length - 2] === '')
    parts.splice(-2, 2, '+');
  const rawBase = parts.pop() ?? '';
  const mods = new Set<string>();
  for (const m of parts) {
    const mod = m.toLowerCase();
    const norm = mod === 'control' ? 'ctrl' : mod === 'meta' || mod === 'option' ? 'alt' : mod;
    if (norm !== 'ctrl' && norm !== 'alt' && norm !== 'shift')
      return { error: `"${written}": unknown modifier "${m}"; use ctrl+, alt+ or shift+` };
    mods.add(norm);
  }
  if (rawBase === '') return { error: `"${written}" names no key` };
  const lower = rawBase.toLowerCase();
  let base: string;
  if (NAMED.has(lower) || ALIASES[lower]) base = ALIASES[lower] ?? lower;
  else if ([...rawBase].length === 1) base = mods.size > 0 ? lower : rawBase;
  else
    return {
      error: `"${written}": unknown key "${rawBase}"; use a single character or one of ${[...NAMED].join(', ')}`,
    };
  const single = base.length === 1;
  if (single && mods.has('shift'))
    return { error: `"${written}": terminals do not report Shift with a character; use ctrl+ or alt+` };
  if (single && mods.has('ctrl')) {
    if (SAME_BYTE[base])
      return {
        error: `"${written}" is the same byte as ${keyLabel(SAME_BYTE[base] as string)}; choose another key`,
      };
    if (!CTRL_CHARS.test(base))
      return {
        error: `"${written}": terminals do not send Ctrl with "${base}"; use alt+${base} or a Ctrl+letter`,
      };
  }
  const ordered = ['ctrl', 'alt', 'shift'].filter((m) => mods.has(m));
  return [...ordered, base].join('+');
}

/** Edit distance with adjacent swaps (optimal string alignment), for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The option closest to `word` (case-insensitive), if it is a likely typo of it. */
export function closest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const o of options) {
    const dist = distance(word.toLowerCase(), o.toLowerCase());
    if (dist < bestD) {
      best = o;
      bestD = dist;
    }
  }
  return bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function suggest(word: string, options: readonly string[]): string {
  const near = closest(word, options);
  return near ? ` (did you mean "${near}"?)` : '';
}

/**
 * COMMANDS (or `base`) with each override replacing the keys of the command's first binding
 * (its main mode: 'normal' for most). Later overrides of the same command win (project over
 * user file). Throws KeymapError naming the binding, where it was set, and the fix.
 */
export function applyKeyOverrides(
  overrides: readonly KeyOverride[],
  base: readonly Command[] = COMMANDS,
): Command[] {
  const ids = base.map((c) => c.id);
  const byId = new Map<string, { keys: string[]; where: string }>();
  for (const o of overrides) {
    if (!ids.includes(o.command as CommandId))
      throw new KeymapError(
        `${o.where}: unknown command "${o.command}"${suggest(o.command, ids)}; the commands are: ${ids.join(', ')}`,
      );
    if (o.keys.length === 0)
      throw new KeymapError(`${o.where}: "${o.command}" needs at least one key (a name or a list of names)`);
    const keys: string[] = [];
    for (const k of o.keys) {
      const n = normalizeKey(k);
      if (typeof n !== 'string') throw new KeymapError(`${o.where}: keys.${o.command}: ${n.error}`);
      if (!keys.includes(n)) keys.push(n);
    }
    byId.set(o.command, { keys, where: o.where });
  }
  const out = base.map((c) => {
    const o = byId.get(c.id);
    if (!o) return c;
    const [first, ...rest] = c.bindings;
    if (!first) return c;
    const plain = o.keys.find((k) => [...k].length === 1);
    if (plain && (first.mode === 'normal' || first.mode === 'passthrough'))
      throw new KeymapError(
        `${o.where}: keys.${c.id}: "${plain}" alone would stop you typing it in the prompt box; add ctrl+ or alt+`,
      );
    return { ...c, bindings: [{ ...first, keys: o.keys }, ...rest] };
  });
  // Conflicts: one key bound to two commands in the same mode.
  const seen = new Map<string, Command>();
  for (const c of out) {
    for (const b of c.bindings) {
      for (const k of b.keys) {
        const slot = `${b.mode}:${k}`;
        const prev = seen.get(slot);
        if (!prev) {
          seen.set(slot, c);
          continue;
        }
        const mine = byId.get(c.id) ?? byId.get(prev.id);
        const other = byId.has(c.id) ? prev : c;
        const when = MODE_DESCRIPTIONS[b.mode] ? ` (${MODE_DESCRIPTIONS[b.mode]})` : '';
        throw new KeymapError(
          `${mine?.where ?? 'keys'}: ${keyLabel(k)} is bound to both ${prev.id} and ${c.id}${when}; rebind ${other.id} too, or choose another key`,
        );
      }
    }
  }
  return out;
}
