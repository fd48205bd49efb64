#!/usr/bin/env node
// Regenerates the README's generated blocks from their single sources:
//   keys        ← src/ui/keymap.ts (renderKeyTable, via dist/)
//   config      ← src/config/config.ts (renderConfigTable, via dist/)
//   mcp         ← docs/mcp.md
//   reliability ← docs/reliability.md
// Usage: npm run readme (after npm run build). test/readme.test.ts checks they are in sync.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${root}README.md`;

export function replaceBlock(text, name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`README has no ${name} block`);
  return `${text.slice(0, a + start.length)}\n${body.trim()}\n${text.slice(b)}`;
}

/** docs/*.md minus its top-level heading (the README has its own). */
function doc(name) {
  const p = `${root}docs/${name}.md`;
  if (!existsSync(p)) return undefined;
  return readFileSync(p, 'utf8').replace(/^## [^\n]*\n+/, '');
}

const { renderKeyTable } = await import(`${root}dist/ui/keymap.js`);
const { renderConfigTable } = await import(`${root}dist/config/config.js`);
let text = readFileSync(readmePath, 'utf8');
text = replaceBlock(text, 'keys', renderKeyTable());
text = replaceBlock(text, 'config', renderConfigTable());
for (const name of ['mcp', 'reliability']) {
  const body = doc(name);
  if (body) text = replaceBlock(text, name, body);
}
writeFileSync(readmePath, text);
console.log('README.md blocks regenerated');
