/**
 * xterm's synchronous parse, reached through an internal: `Terminal._core.writeSync` (pinned
 * @xterm/headless 6.0.0; marked deprecated upstream). The public write() parses on a
 * setTimeout(0), at least 1 ms in Node, after every hand-over from an idle parser: with the parse
 * pump handing over a bounded slice at a time, a flooding session's main thread sat idle between
 * slices (BENCHMARKS.md, "What the profiles showed", item 11). The pump already bounds each hand-over, so parsing
 * it at once is safe; writeSync's caveat (async parser handlers) does not apply: none are
 * registered.
 *
 * If a future xterm drops it this returns undefined and callers use write(); test/compat checks
 * that the pinned version still takes it, so the loss is loud in the test run, silent for users.
 */
import type xtermHeadless from '@xterm/headless';

type Term = InstanceType<typeof xtermHeadless.Terminal>;
export type SyncParse = (data: Uint8Array | string) => void;

/** A function that parses `data` into `term` before it returns, or undefined if xterm has none. */
export function xtermWriteSync(term: Term): SyncParse | undefined {
  const core = (term as unknown as { _core?: { writeSync?: SyncParse } })._core;
  const writeSync = core?.writeSync;
  return typeof writeSync === 'function' ? (d) => writeSync.call(core, d) : undefined;
}
