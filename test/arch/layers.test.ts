/**
 * The layers of docs/architecture.md, checked on the source: imports only go down
 * (cli → config → ui, mcp → engine → agents, compat at the bottom) and no file reaches itself
 * again through its imports, type-only ones included. Read as text: every static `import`/`export … from`
 * and every `import('…')` with a literal path, resolved to a file under src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');

/** What each top folder of src/ may import besides itself. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  cli: ['config', 'ui', 'mcp', 'engine', 'agents', 'compat'],
  config: ['ui', 'engine', 'agents', 'compat'],
  ui: ['engine', 'agents', 'compat'],
  mcp: ['engine', 'agents', 'compat'],
  engine: ['agents', 'compat'],
  agents: [],
  compat: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The src/ files `file` imports (relative specifiers only; packages are not layers). */
function importsOf(file: string): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    const base = resolve(dirname(file), spec).replace(/\.js$/, '');
    const hit = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (hit) out.push(hit);
  }
  return out;
}

const top = (file: string): string => relative(SRC, file).split('/')[0] ?? '';
const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe('source layers', () => {
  it('reads the imports (the check is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get(join(SRC, 'engine/session.ts'))?.length).toBeGreaterThan(5);
  });

  it('imports only go down', () => {
    const upward: string[] = [];
    for (const [file, deps] of graph) {
      const from = top(file);
      const allowed = MAY_IMPORT[from];
      if (!allowed) continue; // a file directly under src/
      for (const dep of deps) {
        const to = top(dep);
        if (to !== from && !allowed.includes(to))
          upward.push(`${relative(SRC, file)} -> ${relative(SRC, dep)}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'open');
      path.push(f);
      for (const dep of graph.get(f) ?? []) {
        const s = state.get(dep);
        if (s === 'open')
          cycles.push([...path.slice(path.indexOf(dep)), dep].map((p) => relative(SRC, p)).join(' -> '));
        else if (s === undefined) visit(dep);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
