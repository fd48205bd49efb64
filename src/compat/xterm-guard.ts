/**
 * Hostile output must not stop axiom: two guards around the pinned @xterm/headless 6.0.0 parser,
 * through its internals (`Terminal._core`).
 *
 * 1. Counts. xterm runs some CSI sequences once per count, up to 2^31-1: `ESC[999999999M` (delete
 *    lines) took minutes, `a ESC[300000000b` (repeat the last character) 21 s, and every session
 *    and the UI waited behind it (the parse runs on the main thread). A count past what the screen
 *    can show changes nothing more on it, so it is cut to that: IL, DL, SU, SD (L M S T) to the
 *    rows, CHT and CBT (I Z) to the columns. REP (b) is cut to a count that leaves the same screen
 *    and cursor (a whole screen of the character, plus a remainder of the same period); only the
 *    scrollback holds fewer copies of that screen.
 * 2. Throws. `😀 ESC[2147483647b` makes xterm allocate a typed array of 2^33 cells: RangeError.
 *    Thrown out of writeSync, it left xterm's write buffer marked as still writing, so that
 *    screen queued every later byte and never showed another one; thrown from the asynchronous
 *    write(), it would end the process. The guard catches a throw where xterm calls its parser,
 *    tells the caller, and puts the parser back to ground state with CAN (a second throw in a row
 *    resets the terminal as RIS would): later output parses again.
 *
 * If a future xterm drops these internals the functions return false and nothing is installed;
 * test/compat/pinned.test.tsx fails loudly when the pinned version no longer takes them.
 */
import type xtermHeadless from '@xterm/headless';

type Term = InstanceType<typeof xtermHeadless.Terminal>;

/** xterm's parameter list as a CSI handler receives it (only what is read and clamped here). */
interface Params {
  params: Int32Array;
  length: number;
}
type ParseAction = (data: Uint8Array | string, promiseResult?: boolean) => unknown;
interface Core {
  registerCsiHandler?: (id: { final: string }, handler: (p: Params) => boolean) => unknown;
  _writeBuffer?: { _action?: ParseAction };
}

const coreOf = (term: Term): Core | undefined => (term as unknown as { _core?: Core })._core;

/**
 * The count REP may run with: `n` itself when small, else one that leaves the same screen and
 * cursor. Once the screen is full of the character, the state repeats every `period` characters:
 * a row holds `cols` narrow or ⌊cols/2⌋ wide ones (coprime periods when cols is odd).
 */
export function repeatCount(n: number, cols: number, rows: number): number {
  const half = Math.max(1, Math.floor(cols / 2));
  const period = cols % 2 === 0 ? cols : cols * half;
  const full = cols * (rows + 2);
  return n <= full + period ? n : full + ((n - full) % period);
}

/** Cut the counts of the sequences above in `term`. Returns false when this xterm lacks the hook. */
export function boundCounts(term: Term): boolean {
  const core = coreOf(term);
  if (typeof core?.registerCsiHandler !== 'function') return false;
  const register = core.registerCsiHandler.bind(core);
  const clamp = (final: string, limit: (n: number) => number): void => {
    // Registered after xterm's own handler, so it runs first; false passes on to xterm's.
    register({ final }, (p) => {
      const n = p.length > 0 ? (p.params[0] ?? 0) : 0;
      if (n > 1) p.params[0] = limit(n);
      return false;
    });
  };
  for (const f of ['L', 'M', 'S', 'T']) clamp(f, (n) => Math.min(n, term.rows));
  for (const f of ['I', 'Z']) clamp(f, (n) => Math.min(n, term.cols));
  clamp('b', (n) => repeatCount(n, term.cols, term.rows));
  return true;
}

/**
 * Catch a throw from `term`'s parser (both the synchronous and the asynchronous path go through
 * the write buffer's action): `failed` hears of each, and the parser is put back to ground state.
 * Returns false when this xterm lacks the hook.
 */
export function guardParse(term: Term, failed: (error: unknown) => void): boolean {
  const buffer = coreOf(term)?._writeBuffer;
  const action = buffer?._action;
  if (!buffer || typeof action !== 'function') return false;
  let failedLast = false;
  buffer._action = (data, promiseResult) => {
    try {
      const result = action(data, promiseResult);
      failedLast = false;
      return result;
    } catch (error) {
      const again = failedLast;
      failedLast = true;
      failed(error);
      try {
        // CAN ends any sequence in progress; RIS after a second throw in a row.
        action(again ? '\x18\x1bc' : '\x18');
      } catch {
        // An emulator that cannot even reset: later output may throw again, each caught here.
      }
      return undefined;
    }
  };
  return true;
}
