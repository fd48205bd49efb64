import { readdirSync, readFileSync } from 'node:fs';
import { isAlive } from '../../src/engine/proc.js';

/** Live processes whose environment holds `key=value` (e.g. the temp HOME of one test). */
export function processesWithEnv(key: string, value: string): number[] {
  const want = `${key}=${value}`;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
      if (env.includes(want) && isAlive(Number(name))) out.push(Number(name));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return out;
}

/** Resolve once no process carries `key=value` any more (checked on an interval), or fail. */
export async function waitNoProcesses(key: string, value: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const left = processesWithEnv(key, value);
    if (left.length === 0) return;
    if (Date.now() > end) {
      const cmds = left.map((p) => {
        try {
          return `${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
        } catch {
          return String(p);
        }
      });
      throw new Error(`processes left behind:\n${cmds.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
