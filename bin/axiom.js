#!/usr/bin/env node
// `axiom --version` alone answers from package.json and loads nothing else.
// Otherwise: V8 grows the heap by up to 4× the live set after a major GC when allocation is fast
// (a flood of output), and keeps it. A fixed 2× (BENCHMARKS.md, "What the profiles showed", item
// 8, has the figures) is set before anything else loads. It only changes how far the heap grows
// between collections. The young generation stays at its first size (1 MiB per semi-space on
// Node 20) instead of growing to 16 MiB per semi-space: V8 reads the growth factor each time it
// would grow, so unlike --max-semi-space-size it works when set here, without a re-exec. It
// kept 32 MiB committed for ~10 MiB of short-lived garbage: RSS with 4 streaming sessions
// 114 -> 88 MiB (BENCHMARKS.md, round two, RSS). A flood allocates 10x faster than that and paid
// for the small young generation in GC: governYoungGen (src/cli/young-gen.ts) lets it grow
// again while allocation is that fast, and keeps it at 2 MiB per semi-space at least (half the
// scavenges of a streaming UI at the same RSS). Then the CLI runs from its bundle (scripts/bundle.mjs, built by
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
  setFlagsFromString('--semi-space-growth-factor=1');
  module.enableCompileCache?.();
  const { main, governYoungGen } = await import('../dist/bundle/main.js');
  governYoungGen();
  await main();
}
