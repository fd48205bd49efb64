import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigTable } from '../src/config/config.js';
import { renderKeyTable } from '../src/ui/keymap.js';

const root = new URL('..', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

function block(name: string): string {
  const m = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(readme);
  if (!m) throw new Error(`README has no ${name} block`);
  return m[1] as string;
}

describe('README generated blocks are in sync with their sources (npm run readme)', () => {
  it('keys ← src/ui/keymap.ts', () => {
    expect(block('keys')).toBe(renderKeyTable().trim());
  });
  it('config ← src/config/config.ts', () => {
    expect(block('config')).toBe(renderConfigTable().trim());
  });
  it.each(['mcp', 'reliability'])('%s ← docs/%s.md', (name) => {
    const doc = readFileSync(new URL(`docs/${name}.md`, root), 'utf8').replace(/^## [^\n]*\n+/, '');
    expect(block(name)).toBe(doc.trim());
  });
});
