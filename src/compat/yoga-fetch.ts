/**
 * yoga-layout internal (Ink's layout engine; yoga-layout 3.2 under the pinned ink 6.8.0): its
 * Emscripten loader reads its WebAssembly, embedded as a data: URL, through the global fetch()
 * when there is one, and decodes the same bytes itself otherwise. On Node, the first fetch()
 * loads Node's HTTP client (undici) just for that: ~40-100 ms of the UI's start on this machine
 * (BENCHMARKS.md, start). The UI's modules are imported with the global fetch hidden, then it is
 * put back as it was. test/compat/pinned.test.tsx fails when yoga-layout's loader no longer has
 * the fallback.
 */

/** Run `load` (an import) with globalThis.fetch absent; restored however `load` ends. */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!fetch?.configurable) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetch);
  }
}
