/**
 * Ink's own `Output` module (ink/build/output.js, not exported by Ink), the same instance Ink's
 * renderer uses; src/compat/ink-caches.ts patches its prototype.
 *
 * Run from dist/ it is found next to Ink's entry point in node_modules. The bundled CLI
 * (scripts/bundle.mjs) replaces this module at build time with a static import of that same file,
 * so the patch reaches the copy of Ink inside the bundle; the build fails if the swap finds
 * nothing to replace.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function loadInkOutput(): Promise<unknown> {
  const entry = createRequire(import.meta.url).resolve('ink');
  return import(pathToFileURL(join(dirname(entry), 'output.js')).href);
}
