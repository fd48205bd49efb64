#!/usr/bin/env node
// `axiom --version` alone answers from package.json and loads nothing else.
// Otherwise: V8 grows the heap by up to 4× the live set after a major GC when allocation is fast
// (a flood of output), and keeps it. A fixed 2× (BENCHMARKS.md, "What the profiles showed", item
// 8, has the figures) is set before anything else loads. It only changes how far the heap grows
// between collections. Then the CLI runs from its bundle (scripts/bundle.mjs, built by
// `npm run build`), through V8's compile cache where Node has one (22.1 and later; start-up
// figures in BENCHMARKS.md).
import { readFileSync } from 'node:fs';
import module from 'node:module';
import { setFlagsFromString } from 'node:v8';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else {
  setFlagsFromString('--heap-growing-percent=100');
  module.enableCompileCache?.();
  const { main } = await import('../dist/bundle/main.js');
  await main();
}
