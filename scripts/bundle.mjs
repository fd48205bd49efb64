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
 * - Ink's renderer imports widest-line through src/compat/ink-widest-line.ts (widths kept across
 *   renders); the build fails if Ink no longer imports it where expected.
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
const INK_BUILD = dirname(createRequire(import.meta.url).resolve('ink'));
const INK_OUTPUT = join(INK_BUILD, 'output.js');
const WIDEST_LINE = createRequire(join(INK_BUILD, 'index.js')).resolve('widest-line');
const LASTING = join(ROOT, 'src', 'compat', 'ink-widest-line.ts');

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

const widest = new Set();
const inkWidestLine = {
  name: 'ink-widest-line',
  setup(b) {
    b.onResolve({ filter: /^widest-line$/ }, (args) => {
      const file = args.importer.slice(INK_BUILD.length + 1);
      if (!args.importer.startsWith(INK_BUILD) || !WIDEST_LINE_USERS.includes(file)) return undefined;
      widest.add(file);
      return { path: 'widest-line', namespace: 'axiom-widest-line' };
    });
    b.onLoad({ filter: /.*/, namespace: 'axiom-widest-line' }, () => ({
      contents:
        `import widestLine from ${JSON.stringify(WIDEST_LINE)};\n` +
        `import { lastingWidestLine } from ${JSON.stringify(LASTING)};\n` +
        'export default lastingWidestLine(widestLine);\n',
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};
const WIDEST_LINE_USERS = ['render-node-to-output.js', 'measure-text.js'];

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
  plugins: [inkOutput, inkWidestLine],
  logLevel: 'warning',
  legalComments: 'none',
});
if (swapped === 0) {
  console.error(
    'bundle: src/compat/ink-output.ts was not swapped for Ink’s own output.js (see scripts/bundle.mjs)',
  );
  process.exit(1);
}
if (widest.size !== WIDEST_LINE_USERS.length) {
  console.error(
    `bundle: Ink's ${WIDEST_LINE_USERS.filter((f) => !widest.has(f)).join(', ')} no longer import widest-line (see src/compat/ink-widest-line.ts)`,
  );
  process.exit(1);
}
