#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, node_modules included) into
 * dist/bundle/, which bin/axiom.js runs. Part of `npm run build`, after tsc (dist/ keeps the
 * per-module build that the benchmarks and scripts import).
 *
 * Why (BENCHMARKS.md, start): resolving and loading ~300 separate modules was most of the start-up.
 * Code splitting keeps the lazy imports lazy: the UI (React, Ink) and the MCP server (its SDK,
 * zod) are separate chunks, each loaded only by the command that needs it.
 *
 * - node-pty stays outside (a native addon; src/engine/pty.ts requires it at run time).
 * - react-devtools-core stays outside: Ink imports it only when DEV=true, which then fails with
 *   Ink's own message, as it does unbundled without the package installed.
 * - src/compat/ink-output.ts is swapped for a static import of ink/build/output.js, the file the
 *   bundled Ink itself uses, so src/compat/ink-caches.ts patches the bundle's copy of Ink (run
 *   from dist/ it finds the file in node_modules). The build fails if the swap did not happen.
 * - The entry chunk sits two levels below the package root, like dist/cli/main.js, so main.ts
 *   finds ../../package.json from either.
 */
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist', 'bundle');
const INK_OUTPUT = join(dirname(createRequire(import.meta.url).resolve('ink')), 'output.js');

let swapped = 0;
const inkOutput = {
  name: 'ink-output',
  setup(b) {
    b.onResolve({ filter: /\/ink-output\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'compat', 'ink-caches.ts'))
        ? { path: 'ink-output', namespace: 'axiom-ink-output' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'axiom-ink-output' }, () => {
      swapped++;
      return {
        contents: `export async function loadInkOutput() { return import(${JSON.stringify(INK_OUTPUT)}); }`,
        resolveDir: ROOT,
        loader: 'js',
      };
    });
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { main: join(ROOT, 'src', 'cli', 'main.ts') },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: OUT,
  chunkNames: '[name]-[hash]',
  external: ['node-pty', 'react-devtools-core'],
  // Some dependencies are CommonJS and call require() on Node's modules.
  banner: {
    js: "import { createRequire as __axiomRequire } from 'node:module'; const require = __axiomRequire(import.meta.url);",
  },
  plugins: [inkOutput],
  logLevel: 'warning',
  legalComments: 'none',
});
if (swapped === 0) {
  console.error(
    'bundle: src/compat/ink-output.ts was not swapped for Ink’s own output.js (see scripts/bundle.mjs)',
  );
  process.exit(1);
}
