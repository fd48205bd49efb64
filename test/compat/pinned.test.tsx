/**
 * Each patch in src/compat/ reaches into a pinned library's internals and falls back silently
 * for users when a version changes them. These tests make that loud: each fails, naming the
 * library and the patch, when the installed version no longer takes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import xtermHeadless from '@xterm/headless';
import { Text, useStdin } from 'ink';
import { useEffect } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { installInkCaches } from '../../src/compat/ink-caches.js';
import { rawInputOf } from '../../src/compat/ink-input.js';
import { lastingWidestLine, setWidestLineCache } from '../../src/compat/ink-widest-line.js';
import { installDrain, quietWrites, readAhead } from '../../src/compat/node-pty.js';
import { xtermWriteSync } from '../../src/compat/xterm.js';
import { boundCounts, guardParse } from '../../src/compat/xterm-guard.js';
import { watchXtermRows } from '../../src/compat/xterm-rows.js';
import { withoutFetch } from '../../src/compat/yoga-fetch.js';
import { cleanup, render } from '../ui/helpers.js';

const require = createRequire(import.meta.url);
/** The installed version (found from the entry point: not every package exports package.json). */
function version(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || !dir.includes(name)) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}
const pinned = (name: string): string =>
  (require('../../package.json') as { dependencies: Record<string, string> }).dependencies[name] ?? '?';
const broke = (name: string, what: string): string =>
  `${name} ${version(name)} (package.json pins ${pinned(name)}) no longer takes ${what}: see src/compat/ and the README's "Library patches"`;

afterEach(() => cleanup());

function Probe({
  onFound,
  onInput,
}: {
  onFound: (found: boolean) => void;
  onInput: (chunk: string) => void;
}) {
  const input = rawInputOf(useStdin());
  useEffect(() => {
    onFound(input !== undefined);
    if (input?.isRawModeSupported) input.setRawMode(true);
    input?.events.on('input', onInput);
    return () => void input?.events.off('input', onInput);
  }, [input, onFound, onInput]);
  return <Text>probe</Text>;
}

describe('library patches still apply to the pinned versions', () => {
  it('ink: OutputCaches prototype (lasting line measurements)', async () => {
    expect(await installInkCaches(), broke('ink', 'the OutputCaches patch (ink-caches.ts)')).toBe(true);
  });

  it('ink: the renderer measures text through widest-line (routed to lasting widths in the bundle)', () => {
    const build = dirname(require.resolve('ink'));
    for (const file of ['render-node-to-output.js', 'measure-text.js']) {
      const src = readFileSync(join(build, file), 'utf8');
      expect(
        src.includes("import widestLine from 'widest-line'"),
        broke('ink', `the widest-line route of ${file} (ink-widest-line.ts)`),
      ).toBe(true);
    }
  });

  it('yoga-layout: its loader decodes its WebAssembly itself when there is no global fetch', () => {
    const dir = join(dirname(require.resolve('yoga-layout')), '..', 'binaries');
    const src = readFileSync(join(dir, 'yoga-wasm-base64-esm.js'), 'utf8');
    expect(
      src.includes('"function"!=typeof fetch?Promise.resolve()'),
      broke('yoga-layout', 'the fetch-less load (yoga-fetch.ts)'),
    ).toBe(true);
  });

  it('withoutFetch hides the global fetch for the load only', async () => {
    const before = globalThis.fetch;
    const seen = await withoutFetch(async () => typeof globalThis.fetch);
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
    await expect(withoutFetch(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(globalThis.fetch).toBe(before);
  });

  it('lasting widths: the same width as measured, measured once per text while on', () => {
    let calls = 0;
    const measure = (t: string) => {
      calls++;
      return t.length;
    };
    const lasting = lastingWidestLine(measure);
    setWidestLineCache(false);
    expect([lasting('──'), lasting('──')]).toEqual([2, 2]);
    expect(calls).toBe(2);
    setWidestLineCache(true);
    try {
      expect([lasting('│x'), lasting('│x'), lasting('a\nbcd')]).toEqual([2, 2, 5]);
      expect(calls).toBe(4);
    } finally {
      setWidestLineCache(false);
    }
  });

  it('ink: useStdin().internal_eventEmitter delivers each raw stdin chunk whole', async () => {
    const chunks: string[] = [];
    let found: boolean | undefined;
    const r = render(<Probe onFound={(f) => (found = f)} onInput={(c) => chunks.push(c)} />, 20, 3);
    await new Promise((res) => setTimeout(res, 10));
    expect(found, broke('ink', 'the raw input reader (ink-input.ts)')).toBe(true);
    r.stdin.write('ab\x1b[A\x1b[200~x\ry\x1b[201~');
    await new Promise((res) => setTimeout(res, 10));
    expect(chunks.join(''), broke('ink', 'the raw input reader (ink-input.ts)')).toBe(
      'ab\x1b[A\x1b[200~x\ry\x1b[201~',
    );
  });

  it('@xterm/headless: Terminal._core.writeSync parses before it returns', () => {
    const term = new xtermHeadless.Terminal({ cols: 10, rows: 2, allowProposedApi: true });
    const parse = xtermWriteSync(term);
    expect(parse, broke('@xterm/headless', '_core.writeSync (xterm.ts)')).toBeTypeOf('function');
    parse?.('sync\x1b[1mB');
    expect(
      term.buffer.active.getLine(0)?.translateToString(true),
      broke('@xterm/headless', 'writeSync'),
    ).toBe('syncB');
    term.dispose();
  });

  it('@xterm/headless: CSI counts cut and parser throws caught (xterm-guard.ts)', () => {
    const term = new xtermHeadless.Terminal({ cols: 10, rows: 3, allowProposedApi: true, logLevel: 'off' });
    expect(boundCounts(term), broke('@xterm/headless', '_core.registerCsiHandler (xterm-guard.ts)')).toBe(
      true,
    );
    const errors: unknown[] = [];
    expect(
      guardParse(term, (e) => errors.push(e)),
      broke('@xterm/headless', '_core._writeBuffer._action (xterm-guard.ts)'),
    ).toBe(true);
    term.parser.registerCsiHandler({ final: 'z' }, () => {
      throw new Error('boom');
    });
    const parse = xtermWriteSync(term);
    parse?.('\x1b[zlost');
    parse?.('\x1b[2147483647Lok');
    expect(errors, broke('@xterm/headless', 'the write buffer action (xterm-guard.ts)')).toHaveLength(1);
    expect(term.buffer.active.getLine(0)?.translateToString(true)).toBe('ok');
  });

  it('@xterm/headless: the parser dirty rows, scrolls apart, and buffer switches (xterm-rows.ts)', () => {
    const term = new xtermHeadless.Terminal({ cols: 10, rows: 3, scrollback: 10, allowProposedApi: true });
    const seen: string[] = [];
    const state = watchXtermRows(term, {
      marked: (y1, y2) => seen.push(`marked ${y1}-${y2}`),
      scrolled: () => seen.push('scrolled'),
      all: () => seen.push('all'),
    });
    const what = 'InputHandler._dirtyRowTracker, InputHandler.markRangeDirty, onRequestRefreshRows';
    expect(state, broke('@xterm/headless', `${what} (xterm-rows.ts)`)).toBeTypeOf('function');
    const parse = xtermWriteSync(term);
    parse?.('\x1b[2;1Hab');
    expect(seen, broke('@xterm/headless', 'dirty row marks (xterm-rows.ts)')).toContain('marked 1-1');
    seen.length = 0;
    parse?.('\r\n\r\n');
    expect(seen, broke('@xterm/headless', 'scrolls told apart from marks (xterm-rows.ts)')).toContain(
      'scrolled',
    );
    expect(seen, broke('@xterm/headless', 'scrolls told apart from marks (xterm-rows.ts)')).not.toContain(
      'marked 0-2',
    );
    expect(state?.().ybase, broke('@xterm/headless', 'buffer.ybase (xterm-rows.ts)')).toBe(1);
    seen.length = 0;
    parse?.('\x1b[?1049h');
    expect(
      seen,
      broke('@xterm/headless', 'onRequestRefreshRows on a buffer switch (xterm-rows.ts)'),
    ).toContain('all');
    term.dispose();
  });

  it('node-pty: _fd and _socket (read-ahead and the drain at exit)', async () => {
    const pty = require('node-pty') as typeof import('node-pty');
    const p = pty.spawn('/bin/sh', ['-c', 'printf ready; sleep 5'], { cols: 20, rows: 2, encoding: null });
    try {
      const got: Buffer[] = [];
      expect(
        readAhead(
          p,
          (d) => got.push(d),
          () => false,
        ),
        broke('node-pty', '_fd/_socket read-ahead (node-pty.ts)'),
      ).toBeTypeOf('function');
      expect(
        installDrain(p, (d) => got.push(d)),
        broke('node-pty', '_fd/_socket drain (node-pty.ts)'),
      ).toBe(true);
      expect(
        quietWrites(p, () => undefined),
        broke('node-pty', '_writeStream write queue (node-pty.ts quietWrites)'),
      ).toBe(true);
    } finally {
      p.kill('SIGKILL');
    }
  });
});
