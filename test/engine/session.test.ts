import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeHookEvents, isClaudeChrome } from '../../src/agents/claude.js';
import type { AgentProfile, ScreenState } from '../../src/agents/profile.js';
import { typeAndSubmit } from '../../src/agents/profile.js';
import { CONFIRM_MS } from '../../src/engine/output-pump.js';
import { type ManagerOptions, SessionManager } from '../../src/engine/session-manager.js';
import type { SessionSnapshot, SessionStatus } from '../../src/engine/types.js';
import { fakeManager } from '../helpers/fake-manager.js';
import { type FakePty, fakePtyFactory } from '../helpers/fake-pty.js';
import { until } from '../helpers/until.js';

/** A profile with obvious screen markers, hooks on (claude's). */
function testProfile(overrides: Partial<AgentProfile> = {}): AgentProfile {
  return {
    name: 'test',
    usesHooks: true,
    hookEvents: claudeHookEvents,
    idleMs: 1000,
    launch: (ctx) => ({
      file: '/bin/sh',
      args: ctx.prompt ? [ctx.prompt] : [],
      env: {},
      promptInArgs: !!ctx.prompt,
    }),
    submitSteps: (text) => typeAndSubmit(text, 200, true),
    interruptSequence: () => '\x1b',
    detect(lines): ScreenState {
      const t = lines.join('\n');
      if (t.includes('PERMISSION?')) return 'permission';
      if (t.includes('BUSY')) return 'busy';
      if (t.includes('INTERRUPTED')) return 'interrupted';
      if (t.includes('READY>')) return 'idle';
      return 'starting';
    },
    stableRows: (_lines, cursorRow) => cursorRow,
    ...overrides,
  };
}

const CLEAR = '\x1b[2J\x1b[H';

describe('Session over a fake PTY', () => {
  let ptys: FakePty[];
  let manager: SessionManager;
  let signals: Array<[number, string]>;
  const statuses: Array<[string, SessionStatus]> = [];

  function make(profile = testProfile(), extra: Partial<ManagerOptions> = {}) {
    signals = [];
    const rig = fakeManager(profile, {
      signal: (pid, sig) => {
        signals.push([pid, sig]);
        return [];
      },
      ...extra,
    });
    manager = rig.manager;
    ptys = rig.ptys;
    manager.on('status', (s: SessionSnapshot) => statuses.push([s.id, s.status]));
    return manager;
  }

  /** Let xterm parse and the batch timer fire. */
  async function settle(ms = 50): Promise<void> {
    await vi.advanceTimersByTimeAsync(ms);
  }
  /** Committed text: rows are committed at the second look (stable-gate.ts), CONFIRM_MS at most. */
  const TEXT_MS = CONFIRM_MS + 50;

  beforeEach(() => {
    vi.useFakeTimers();
    statuses.length = 0;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts RUNNING when the prompt is on the command line and the agent draws', async () => {
    make();
    const s = manager.spawn({ prompt: 'do it' });
    expect(s.status).toBe('STARTING');
    const pty = ptys[0]!;
    expect(pty.opts.args).toEqual(['do it']);
    pty.emit(`${CLEAR}BUSY working`);
    await settle();
    expect(manager.get(s.id)?.status).toBe('RUNNING');
  });

  it('types short text, pauses, then sends Enter on its own', async () => {
    make();
    const s = manager.spawn({});
    const pty = ptys[0]!;
    pty.emit('READY>');
    await settle();
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
    const p = manager.send(s.id, 'hello there');
    await settle(10);
    expect(pty.written).toEqual(['hello there']);
    await settle(250);
    await p;
    expect(pty.written).toEqual(['hello there', '\r']);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
  });

  it('sends long or multi-line text as a bracketed paste', async () => {
    make();
    const s = manager.spawn({});
    ptys[0]!.emit('READY>');
    await settle();
    const p = manager.send(s.id, 'line one\nline two');
    await settle(300);
    await p;
    expect(ptys[0]!.written).toEqual(['\x1b[200~line one\nline two\x1b[201~', '\r']);
  });

  it('rejects control characters and empty prompts with a reason, sending nothing', async () => {
    make();
    const s = manager.spawn({});
    ptys[0]!.emit('READY>');
    await settle();
    await expect(manager.send(s.id, 'a\x1b[31mred')).rejects.toThrow(/control character 0x1b/);
    await expect(manager.send(s.id, 'nul\x00')).rejects.toThrow(/0x00/);
    await expect(manager.send(s.id, '   ')).rejects.toThrow(/empty/);
    expect(ptys[0]!.written).toEqual([]);
  });

  it('redirect: interrupts a RUNNING session, waits for it to stop, then submits', async () => {
    make();
    const s = manager.spawn({ prompt: 'long job' });
    const pty = ptys[0]!;
    pty.emit(`${CLEAR}BUSY streaming`);
    await settle();
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    const p = manager.send(s.id, 'new direction');
    await settle(5);
    expect(pty.written).toEqual(['\x1b']);
    // Not stopped yet: nothing typed.
    await settle(300);
    expect(pty.written).toEqual(['\x1b']);
    pty.emit(`${CLEAR}INTERRUPTED\r\nREADY>`);
    await settle(50);
    expect(manager.get(s.id)?.status).toBe('INTERRUPTED');
    await settle(300);
    await p;
    expect(pty.written).toEqual(['\x1b', 'new direction', '\r']);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    expect(manager.get(s.id)?.lastPrompt).toBe('new direction');
  });

  it('redirect: a stuck agent gets a second Esc, then the text after the bounded wait', async () => {
    make();
    const s = manager.spawn({ prompt: 'long job' });
    const pty = ptys[0]!;
    pty.emit(`${CLEAR}BUSY`);
    await settle();
    const p = manager.send(s.id, 'go');
    await settle(1000);
    expect(pty.written).toEqual(['\x1b', '\x1b']);
    await settle(1300);
    await p;
    expect(pty.written).toEqual(['\x1b', '\x1b', 'go', '\r']);
  });

  it('serializes racing commands: two redirects never interleave their bytes', async () => {
    make();
    const s = manager.spawn({});
    const pty = ptys[0]!;
    pty.emit('READY>');
    await settle();
    const a = manager.send(s.id, 'first', { interrupt: false });
    const b = manager.send(s.id, 'second', { interrupt: false });
    const c = manager.interrupt(s.id);
    await settle(3000);
    await Promise.all([a, b, c]);
    expect(pty.written.slice(0, 4)).toEqual(['first', '\r', 'second', '\r']);
    expect(pty.written[4]).toBe('\x1b');
  });

  it('hooks drive RUNNING → WAITING → RUNNING → COMPLETED and record files and timing', async () => {
    make();
    const s = manager.spawn({ prompt: 'make files', cwd: '/tmp' });
    const sess = manager.session(s.id)!;
    const files: string[] = [];
    manager.on('file-written', (_id, ev) => files.push(ev.path));
    ptys[0]!.emit('READY>');
    await settle();
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'make files' });
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    sess.onHook({ hook_event_name: 'PermissionRequest', tool_name: 'Write' });
    expect(manager.get(s.id)?.status).toBe('WAITING');
    expect(manager.get(s.id)?.reason).toMatch(/permission needed for Write/);
    sess.onHook({
      hook_event_name: 'PermissionRequest',
      tool_name: 'Write',
      tool_input: { file_path: '/tmp/src/fib.go' },
      cwd: '/tmp',
    });
    // The reason names what is asked (notifications say "#1 waits for permission: Write src/fib.go").
    expect(manager.get(s.id)?.reason).toBe('permission needed for Write src/fib.go: answer the dialog');
    sess.onHook({
      hook_event_name: 'PostToolUse',
      tool_name: 'Write',
      tool_input: { file_path: 'a.py' },
      cwd: '/w',
    });
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    expect(files).toEqual(['/w/a.py']);
    sess.onHook({ hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } });
    expect(files).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1500);
    sess.onHook({ hook_event_name: 'Stop' });
    await settle(400);
    const done = manager.get(s.id)!;
    expect(done.status).toBe('COMPLETED');
    expect(done.turnDurations).toHaveLength(1);
    expect(done.turnDurations[0]).toBeGreaterThanOrEqual(1500);
    expect(done.filesWritten.map((f) => f.path)).toEqual(['/w/a.py']);
  });

  it('on Stop, the last lines are in output() before COMPLETED is reported', async () => {
    make();
    const s = manager.spawn({ prompt: 'p' });
    const sess = manager.session(s.id)!;
    const pty = ptys[0]!;
    pty.emit(`${CLEAR}BUSY\r\n`);
    await settle();
    sess.onHook({ hook_event_name: 'UserPromptSubmit', prompt: 'p' });
    let textAtCompletion = '';
    manager.on('status', (snap: SessionSnapshot) => {
      if (snap.status === 'COMPLETED') textAtCompletion = manager.output(s.id, 0).text;
    });
    sess.onHook({ hook_event_name: 'Stop' });
    await settle(100);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    pty.emit(`${CLEAR}answer line\r\nfinal words\r\nREADY>`);
    await settle(50);
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
    expect(textAtCompletion).toContain('final words');
  });

  it('with hooks expected but none arriving, an idle screen completes the turn only after idleMs', async () => {
    make();
    const s = manager.spawn({ prompt: 'p' });
    ptys[0]!.emit(`${CLEAR}BUSY`);
    await settle();
    ptys[0]!.emit(`${CLEAR}READY>`);
    await settle(500);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    await settle(600);
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
  });

  it('a screen that still shows the last turn right after a submit does not flip the status back', async () => {
    make();
    const s = manager.spawn({});
    const pty = ptys[0]!;
    pty.emit(`${CLEAR}INTERRUPTED\r\nREADY>`);
    await settle();
    const p = manager.send(s.id, 'again', { interrupt: false });
    await settle(250);
    await p;
    pty.emit(' '); // a redraw before the agent shows the new turn
    await settle();
    expect(manager.get(s.id)?.status).toBe('RUNNING');
  });

  it('generic agents complete a turn after output goes quiet', async () => {
    make(
      testProfile({
        usesHooks: false,
        idleMs: 1000,
        detect: (l) => (l.join('').trim() ? 'idle' : 'starting'),
      }),
    );
    const s = manager.spawn({ prompt: 'x' });
    ptys[0]!.emit('$ ');
    await settle();
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    ptys[0]!.emit('out 1\r\n');
    await settle(600);
    ptys[0]!.emit('out 2\r\n');
    await settle(600);
    expect(manager.get(s.id)?.status).toBe('RUNNING');
    await settle(500);
    expect(manager.get(s.id)?.status).toBe('COMPLETED');
  });

  it('an agent that exits at once with a non-zero code is FAILED with its last words', async () => {
    make();
    const s = manager.spawn({ prompt: 'x' });
    ptys[0]!.emit('fatal: no API key\r\n');
    ptys[0]!.exit(1);
    await settle();
    const snap = manager.get(s.id)!;
    expect(snap.status).toBe('FAILED');
    expect(snap.reason).toMatch(/exited at once with code 1: fatal: no API key/);
  });

  it('an ended session frees its screen emulator and keeps its last view, status and text log', async () => {
    make();
    const s = manager.spawn({ prompt: 'x' });
    ptys[0]!.emit('line one\r\nline two\r\nlast words\r\n');
    await settle();
    const screen = manager.session(s.id)!.screen;
    const dispose = vi.spyOn(screen.term, 'dispose');
    ptys[0]!.exit(0);
    await settle();
    expect(screen.released).toBe(true);
    expect(dispose).toHaveBeenCalledOnce();
    expect(manager.get(s.id)).toMatchObject({ status: 'EXITED', lastLine: 'last words', cols: 80, rows: 24 });
    expect(manager.output(s.id).text).toContain('line one\nline two\nlast words\n');
    expect(manager.screen(s.id).map((l) => l.map((x) => x.text).join(''))).toContain('last words');
    expect(manager.scrollbackLength(s.id)).toBe(0);
    manager.resize(s.id, 40, 10); // ignored, no throw
    // The UI keeps ended screens (a pane can still be scrolled).
    make(testProfile(), { releaseEndedScreens: false });
    const kept = manager.spawn({ prompt: 'x' });
    ptys[0]!.exit(0);
    await settle();
    expect(manager.session(kept.id)!.screen.released).toBe(false);
  });

  it("a dying claude's reason quotes its last output, not its footer or input box", async () => {
    make(testProfile({ isChrome: isClaudeChrome }));
    const s = manager.spawn({ prompt: 'x' });
    const rule = '─'.repeat(60);
    ptys[0]!.emit(
      [
        '● Error: ANTHROPIC_API_KEY was rejected (401); run claude /login',
        '',
        '✻ Prestidigitating… (3s · esc to interrupt)',
        rule,
        '❯ ',
        rule,
        '  ⏵⏵ accept edits on (shift+tab to cycle) · esc to interrupt · ← for agents',
      ].join('\r\n'),
    );
    await settle();
    ptys[0]!.exit(1);
    await settle();
    expect(manager.get(s.id)?.reason).toBe(
      'exited at once with code 1: ● Error: ANTHROPIC_API_KEY was rejected (401); run claude /login',
    );
  });

  it('a missing binary or cwd fails that session only, with the fix named', async () => {
    make(
      testProfile({ launch: () => ({ file: 'no-such-agent-xyz', args: [], env: {}, promptInArgs: false }) }),
    );
    const a = manager.spawn({});
    await settle();
    expect(manager.get(a.id)?.status).toBe('FAILED');
    expect(manager.get(a.id)?.reason).toMatch(
      /command not found on PATH: no-such-agent-xyz; check the --agent/,
    );
    make();
    const b = manager.spawn({ cwd: '/definitely/not/here' });
    const c = manager.spawn({});
    await settle();
    expect(manager.get(b.id)?.reason).toMatch(/working directory does not exist/);
    expect(manager.get(c.id)?.status).toBe('STARTING');
    expect(ptys).toHaveLength(1);
  });

  it('kill sends SIGHUP+SIGTERM to the group, SIGKILL after the grace period, and resolves on exit', async () => {
    make();
    const s = manager.spawn({});
    const pty = ptys[0]!;
    const killed = manager.kill(s.id);
    await settle(10);
    expect(signals.map((x) => x[1])).toEqual(['SIGHUP', 'SIGTERM']);
    expect(signals[0]![0]).toBe(pty.pid);
    await settle(1000);
    expect(signals.map((x) => x[1])).toContain('SIGKILL');
    pty.exit(0, 9);
    await settle();
    await killed;
    expect(manager.get(s.id)?.status).toBe('EXITED');
    expect(manager.get(s.id)?.reason).toBe('killed (SIGKILL: it ignored SIGTERM for 1.0 s)');
  });

  it('shutdown kills every session and refuses new ones', async () => {
    make();
    manager.spawn({});
    manager.spawn({});
    const done = manager.shutdown();
    await settle(10);
    for (const p of ptys) p.exit(0, 15);
    await settle();
    await done;
    expect(manager.list().every((s) => s.status === 'EXITED')).toBe(true);
    expect(() => manager.spawn({})).toThrow(/shutting down/);
  });

  it('resize clamps to at least 1x1 and resizes PTY and screen together', async () => {
    make();
    const s = manager.spawn({});
    manager.resize(s.id, 0, -5);
    expect(ptys[0]!.resizes.at(-1)).toEqual([1, 1]);
    manager.resize(s.id, 100, 30);
    expect(ptys[0]!.resizes.at(-1)).toEqual([100, 30]);
    expect(manager.get(s.id)).toMatchObject({ cols: 100, rows: 30 });
    ptys[0]!.exit(0);
    await settle();
    expect(() => manager.resize(s.id, 50, 10)).not.toThrow();
  });

  it('answers terminal queries from the screen back into the PTY', async () => {
    make();
    manager.spawn({});
    ptys[0]!.emit('\x1b[6n');
    await settle();
    expect(ptys[0]!.input).toContain('\x1b[1;1R');
  });

  it('output(cursor) serves stable lines once, in order, with no duplicates', async () => {
    make();
    const s = manager.spawn({});
    const pty = ptys[0]!;
    pty.emit('READY>\r\nline 1\r\nline 2\r\n');
    await settle(TEXT_MS);
    const a = manager.output(s.id, 0);
    expect(a.text).toBe('READY>\nline 1\nline 2\n');
    pty.emit('line 3\r\npartial');
    await settle(TEXT_MS);
    const b = manager.output(s.id, a.cursor);
    expect(b.text).toBe('line 3\n');
    expect(manager.output(s.id, b.cursor).text).toBe('');
    pty.exit(0);
    await settle(TEXT_MS);
    expect(manager.output(s.id, b.cursor).text).toBe('partial\n');
  });

  it('output keeps lines that scrolled far past the screen, and the styled screen keeps colors', async () => {
    make();
    const s = manager.spawn({ rows: 5, cols: 40 });
    const pty = ptys[0]!;
    let data = '';
    for (let i = 0; i < 100; i++) data += `row ${i}\r\n`;
    pty.emit(`${data}\x1b[31mred\x1b[0m plain`);
    await settle(TEXT_MS);
    const out = manager.output(s.id, 0).text.split('\n');
    expect(out.slice(0, 3)).toEqual(['row 0', 'row 1', 'row 2']);
    expect(out).toContain('row 99');
    const screen = manager.screen(s.id);
    expect(screen).toHaveLength(5);
    expect(screen[4]).toEqual([{ text: 'red', fg: 1 }, { text: ' plain' }]);
    expect(manager.scrollbackLength(s.id)).toBe(96);
    expect(manager.screen(s.id, 96)[0]).toEqual([{ text: 'row 0' }]);
  });
});

describe('transcripts', () => {
  /** A manager over fake PTYs writing transcripts to a new temp dir (run id r1). */
  function withTranscripts(timings?: ManagerOptions['timings']) {
    const dir = mkdtempSync(join(tmpdir(), 'axiom-tr-'));
    const f = fakePtyFactory();
    const manager = new SessionManager({
      ptyFactory: f.factory,
      stateDir: dir,
      runId: 'r1',
      hooks: false,
      profileFor: () => testProfile(),
      signal: () => [],
      timings,
    });
    return { dir, f, manager };
  }

  it('keep every byte, invalid UTF-8 included, in 0600 files under a 0700 run dir', async () => {
    const { dir, f, manager } = withTranscripts();
    const s = manager.spawn({});
    const bytes = Buffer.concat([
      Buffer.from('ok \xff\xfe bad utf8\r\n', 'latin1'),
      Buffer.alloc(70000, 0x41),
    ]);
    f.ptys[0]!.emit(bytes);
    f.ptys[0]!.exit(0);
    await manager.session(s.id)!.ended;
    const snap = manager.get(s.id)!;
    expect(snap.transcriptPath).toBe(join(dir, 'runs', 'r1', '1.raw'));
    const raw = readFileSync(snap.transcriptPath!);
    expect(raw.equals(bytes)).toBe(true);
    expect(statSync(join(dir, 'runs', 'r1')).mode & 0o777).toBe(0o700);
    expect(statSync(snap.transcriptPath!).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'runs', 'r1', '1.txt'), 'utf8')).toMatch(/^ok .* bad utf8\n/);
  });

  it('a wrapped line drawn over several flushes is one line in output() and in the .txt, each character once', async () => {
    const { dir, f, manager } = withTranscripts({ batchMs: 5 });
    const s = manager.spawn({ cols: 20, rows: 4 });
    const pty = f.ptys[0]!;
    const text = () => manager.output(s.id, 0).text;
    // Its first rows scroll into scrollback (committed with "before", the line still open), a
    // space sits on the wrap edge, and the rest comes after a pause.
    const line = `${'a'.repeat(19)} ${'b'.repeat(100)}`;
    pty.emit(`before\r\n${line.slice(0, 90)}`);
    await until(manager, () => text() === 'before\n', 'the first line');
    expect(manager.scrollbackLength(s.id)).toBe(2);
    pty.emit(`${line.slice(90)}\r\nafter\r\n`);
    await until(manager, () => text() !== 'before\n', 'the rest');
    expect(text()).toBe(`before\n${line}\nafter\n`);
    pty.exit(0);
    await manager.session(s.id)!.ended;
    expect(readFileSync(join(dir, 'runs', 'r1', '1.txt'), 'utf8')).toBe(`before\n${line}\nafter\n`);
  });

  it('output the terminal emulator throws on: one warning naming the session, every byte in the .raw, later output shown, the other session untouched', async () => {
    const { dir, f, manager } = withTranscripts({ batchMs: 5 });
    const warnings: string[] = [];
    manager.on('warning', (m: string) => warnings.push(m));
    const a = manager.spawn({ cols: 20, rows: 4 });
    const b = manager.spawn({ cols: 20, rows: 4 });
    const [pa, pb] = [f.ptys[0]!, f.ptys[1]!];
    const lines = (id: string) => manager.session(id)!.screen.plainLines();
    // Erase-above with the cursor in the last cell and no scrollback: @xterm/headless 6.0.0
    // throws (see test/compat/xterm-guard.test.ts). Twice, in two chunks.
    const ed1 = '\x1b[4;20H\x1b[1J';
    const chunks = [`one\r\n${ed1}`, `\x1b[Htwo${ed1}`, '\x1b[Hthree\r\n'];
    pa.emit(chunks[0]!);
    pb.emit('other\r\n');
    pa.emit(chunks[1]!);
    pa.emit(chunks[2]!);
    await until(manager, () => lines(a.id)[0] === 'three', 'output after the throws');
    expect(manager.session(a.id)!.screen.parseErrors).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^#1: the terminal emulator failed on this session's output \(TypeError: .*isWrapped.*\.raw transcript keeps every byte$/,
    );
    expect(lines(b.id)[0]).toBe('other');
    expect(manager.get(b.id)?.status).toBe(manager.get(a.id)?.status);
    pa.exit(0);
    pb.exit(0);
    await Promise.all([manager.session(a.id)!.ended, manager.session(b.id)!.ended]);
    expect(readFileSync(join(dir, 'runs', 'r1', '1.raw'), 'utf8')).toBe(chunks.join(''));
  });

  it('an unwritable state dir turns transcripts off with a reason; the session still runs', () => {
    // A regular file where a directory should be: fails even for root.
    const blocker = join(mkdtempSync(join(tmpdir(), 'axiom-tr-')), 'file');
    writeFileSync(blocker, '');
    const f = fakePtyFactory();
    const manager = new SessionManager({
      ptyFactory: f.factory,
      stateDir: blocker,
      hooks: false,
      profileFor: () => testProfile(),
      signal: () => [],
    });
    expect(manager.transcriptError).toMatch(/cannot create transcript directory/);
    const s = manager.spawn({});
    expect(manager.get(s.id)?.transcriptError).toMatch(/cannot create/);
    expect(manager.get(s.id)?.status).toBe('STARTING');
    expect(f.ptys).toHaveLength(1);
  });
});
