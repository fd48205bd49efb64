/**
 * Output faults: a 10 MB line, invalid UTF-8, raw binary, terminal query storms, the alternate
 * screen, scroll regions and title changes. The transcript must hold exactly the bytes the agent
 * wrote (sha256), the screen must stay usable, a canary session must keep streaming, nothing may
 * be printed on the console (it is the UI's terminal), and no process may be left.
 * The 1 GB stream with bounded memory is in test/soak.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  type MockInstance,
  vi,
} from 'vitest';
import { type EmitKind, END_MARKER, emitted, onlcr } from '../fixtures/fault-data.mjs';
import {
  agent,
  canary,
  ended,
  type Rig,
  rawTranscript,
  rig,
  sha256,
  textOf,
  until,
  waitText,
} from './helpers.js';

let r: Rig;
let c: ReturnType<typeof canary>;
beforeAll(() => {
  r = rig();
  c = canary(r.m);
});
afterAll(async () => {
  await r.close();
});

// Anything on the console would land in the middle of the UI (or of headless output).
const consoleSpies: MockInstance[] = [];
beforeEach(() => {
  for (const k of ['log', 'info', 'warn', 'error', 'debug'] as const)
    consoleSpies.push(vi.spyOn(console, k).mockImplementation(() => {}));
});
afterEach(() => {
  const calls = consoleSpies.flatMap((s) => s.mock.calls.map((a) => String(a[0]).slice(0, 80)));
  for (const s of consoleSpies.splice(0)) s.mockRestore();
  expect(calls, 'console output').toEqual([]);
});

/** Spawn `emit kind n wait`, wait until every byte arrived, kill it; returns the ended snapshot. */
async function emitAndKill(kind: EmitKind, n: number, ms = 20_000) {
  const want = onlcr(emitted(kind, n));
  // Wide enough that no line but the 10 MB one wraps.
  const s = r.m.spawn({ agent: agent(`emit ${kind} ${n} wait`), cols: 200 });
  await until(r.m, () => (r.m.get(s.id)?.bytesReceived ?? 0) >= want.length, `${kind} ${n} delivered`, ms);
  await c.stillServing();
  await r.m.kill(s.id);
  const done = await ended(r.m, s.id);
  expect(done.bytesReceived).toBe(want.length);
  expect(sha256(rawTranscript(r.m, done))).toBe(sha256(want));
  return done;
}

describe('notifications', () => {
  it('front ends hear about the end of a burst (an output event after the last chunk is parsed)', async () => {
    // Alone in its engine: no other session's events to mask a missing notification.
    const solo = rig();
    try {
      const s = solo.m.spawn({ agent: agent('emit lines 15000 wait') });
      await waitText(solo.m, s.id, new RegExp(END_MARKER), 15_000);
    } finally {
      await solo.close();
    }
  });
});

describe('hostile output', () => {
  it('10 MB in a single line: every byte kept, the screen shows the end, others keep serving', async () => {
    const done = await emitAndKill('bigline', 10_000_000, 30_000);
    expect(r.m.session(done.id)?.screen.plainLines().join('\n')).toContain(END_MARKER);
    // The line is readable by cursor (bounded per call by the front ends, see the MCP tests).
    expect(r.m.output(done.id, 0).text).toContain('xyz-_0123456789ABC');
  });

  it('invalid UTF-8: kept byte for byte on disk, the valid text around it intact on screen', async () => {
    const done = await emitAndKill('utf8', 200);
    // The screen drops what does not decode; the valid text around it is intact.
    const line =
      'lone continuation  bad start ( overlong  surrogate  too big  ff fe  truncated  valid ✓ é 😀';
    expect(
      r.m
        .output(done.id, 0)
        .text.split('\n')
        .filter((l) => l === line),
    ).toHaveLength(200);
    expect(done.status).toBe('EXITED');
  });

  it('raw binary (every byte value, stray escape sequences): kept byte for byte, nothing on the console', async () => {
    const done = await emitAndKill('binary', 1_000_000);
    expect(done.status).toBe('EXITED');
  });

  it('a terminal query storm (5,000 cursor-position and device-attribute queries) is answered in full', async () => {
    const s = r.m.spawn({ agent: agent('queries 5000') });
    // Generous: on a loaded 2-core machine 10,000 round trips through the PTY can take a while.
    await waitText(r.m, s.id, /REPLIES 5000/, 80_000);
    await c.stillServing();
    await r.m.kill(s.id);
    const done = await ended(r.m, s.id);
    const want = onlcr(Buffer.from(`${'\x1b[6n\x1b[c'.repeat(5000)}\nREPLIES 5000\n${END_MARKER}\n`));
    expect(sha256(rawTranscript(r.m, done))).toBe(sha256(want));
  }, 90_000);

  // Rows of a wrapped line are joined untrimmed (only the line's last row loses trailing blanks):
  // a space on the wrap boundary stays in the text log (axiom_output, headless lines, .txt).
  it('a space at a wrap boundary survives in the text log', async () => {
    const line = `${'a'.repeat(79)} b`;
    const s = r.m.spawn({ agent: `${process.execPath} -e "process.stdout.write('${line}\\n')"` });
    await ended(r.m, s.id);
    expect(r.m.output(s.id, 0).text).toContain(line);
  });

  // A wrapped line that goes on below the stable rows is held back (or, for its rows already in
  // scrollback, kept open) until it is finished: one line in the text log, not two.
  it('a line drawn in two steps across the wrap is still one line in the text log', async () => {
    const code =
      "process.stdout.write('a'.repeat(85)); setTimeout(() => process.stdout.write('b'.repeat(10) + '\\n'), 400)";
    const s = r.m.spawn({ agent: `${process.execPath} -e "${code}"` });
    await ended(r.m, s.id);
    expect(r.m.output(s.id, 0).text).toContain(`${'a'.repeat(85)}${'b'.repeat(10)}\n`);
  });

  it('alternate screen, scroll regions and title changes: the screen and the text log stay right', async () => {
    const s = r.m.spawn({ agent: agent('screens') });
    await waitText(r.m, s.id, new RegExp(END_MARKER));
    const session = r.m.session(s.id)!;
    expect(session.screen.altScreen).toBe(false);
    expect(session.screen.title).toBe('final title');
    const screen = session.screen.plainLines();
    // Rows 3-20 were a scroll region: 40 lines went through it, the last 18 are left; the final
    // two lines then scrolled the whole screen up by two.
    expect(screen.slice(0, 17)).toEqual(Array.from({ length: 17 }, (_, i) => `normal region ${23 + i}`));
    expect(screen.slice(21, 23)).toEqual(['after screens', END_MARKER]);
    await until(r.m, () => r.m.output(s.id, 0).text.includes(END_MARKER), 'log');
    const log = r.m.output(s.id, 0).text;
    expect(log).toContain('normal screen line 1\nnormal screen line 2\nnormal region 23\n');
    // Nothing of the alternate screen or of the title sequences reaches the text log.
    expect(log).not.toMatch(/ALT SCREEN|region line|title|\x1b/);
    await r.m.kill(s.id);
    const done = await ended(r.m, s.id);
    expect(rawTranscript(r.m, done).toString()).toContain('\x1b]0;final title\x07');
    expect(textOf(r.m, c.id)).toMatch(/fault \d{7}/);
  });
});
