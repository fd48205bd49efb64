/**
 * The offline rig for the REAL claude CLI (node_modules/.bin/claude, 2.1.332), driven directly in
 * node-pty with an @xterm/headless screen; no axiom code. The model is test/fixtures/fake-anthropic.ts,
 * hooks go to test/fixtures/hook-recorder.ts. Each case runs under both renderers.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FakeAnthropic, startFakeAnthropic } from '../fixtures/fake-anthropic.js';
import { hookSettings, startHookRecorder } from '../fixtures/hook-recorder.js';
import { type ClaudeTui, makeClaudeEnv } from '../helpers/claude-env.js';
import { type ClaudePty, spawnClaude } from '../helpers/claude-pty.js';

const TEST_TIMEOUT = 60_000;
/** The input box is drawn: a line starting with the prompt glyph between two rules. */
const READY = /─{20,}\n❯/;
const BUSY = /esc to interrupt/;

interface Rig {
  fake: FakeAnthropic;
  workDir: string;
  claude: ClaudePty;
}

async function withClaude(
  tui: ClaudeTui,
  args: string[],
  body: (rig: Rig) => Promise<void>,
  extra: { settings?: unknown } = {},
): Promise<void> {
  const fake = await startFakeAnthropic();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'axiom-rig-work-'));
  const env = await makeClaudeEnv({ workDir, baseUrl: fake.url, tui });
  const fullArgs = extra.settings ? ['--settings', JSON.stringify(extra.settings), ...args] : args;
  const claude = spawnClaude({ args: fullArgs, cwd: workDir, env: env.env, cols: 80, rows: 24 });
  try {
    await body({ fake, workDir, claude });
  } finally {
    claude.killGroup();
    await Promise.race([claude.exited, new Promise((r) => setTimeout(r, 2000))]);
    await fake.close();
    await env.cleanup();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function waitForFile(file: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file)) {
      const text = await readFile(file, 'utf8');
      if (text.length > 0) return text;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`file never appeared: ${file}`);
}

describe.each<ClaudeTui>(['classic', 'fullscreen'])(
  'real claude against the fake API (%s renderer)',
  (tui) => {
    it(
      'runs the positional prompt and writes hello.py with acceptEdits',
      async () => {
        await withClaude(
          tui,
          ['--permission-mode', 'acceptEdits', 'create hello.py'],
          async ({ fake, workDir, claude }) => {
            // The positional prompt is submitted by itself once the UI is up.
            const first = await fake.waitForRequest(
              (r) => r.kind === 'main' && r.lastUserText === 'create hello.py',
              20_000,
            );
            expect(first.cwd).toBe(workDir);
            const text = await waitForFile(path.join(workDir, 'hello.py'), 20_000);
            expect(text).toContain('time.sleep(0.5)');
            expect(text).toContain('range(1, 11)');
            // The tool result goes back, the final text is shown and the turn ends.
            await fake.waitForRequest((r) => r.kind === 'main' && r.isToolResult, 10_000);
            const screen = await claude.waitForScreen(/Done: wrote hello\.py\./, 10_000);
            await claude.waitForScreen(/accept edits on/, 5_000);
            expect(screen).toMatch(READY);
            expect(fake.requests.every((r) => r.kind === 'main')).toBe(true);
          },
        );
      },
      TEST_TIMEOUT,
    );

    it(
      'delivers http hooks (UserPromptSubmit, PermissionRequest, PostToolUse, Stop, SessionEnd)',
      async () => {
        const hooks = await startHookRecorder();
        try {
          const settings = hookSettings(hooks.url, [
            'SessionStart',
            'UserPromptSubmit',
            'Stop',
            'PermissionRequest',
            'PostToolUse',
            'SessionEnd',
          ]);
          await withClaude(
            tui,
            ['--permission-mode', 'default'],
            async ({ workDir, claude }) => {
              // SessionStart is a command hook (http is not run for it); it fires as the UI comes up.
              const start = await hooks.waitForEvent('SessionStart', 20_000);
              expect(start.body.source).toBe('startup');
              await claude.waitForScreen(READY, 20_000);
              await claude.submit('please write perm.txt');

              const submit = await hooks.waitForEvent('UserPromptSubmit', 10_000);
              expect(submit.body.prompt).toBe('please write perm.txt');
              const sessionId = submit.body.session_id;
              expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
              expect(submit.body.cwd).toBe(workDir);

              const perm = await hooks.waitForEvent('PermissionRequest', 10_000);
              expect(perm.body.tool_name).toBe('Write');
              expect(perm.body.tool_input?.file_path).toBe(path.join(workDir, 'perm.txt'));
              // The hook fires before the dialog is drawn; wait for the dialog, then accept (Enter = Yes).
              const dialog = /Do you want to create perm\.txt\?/;
              await claude.waitForScreen(dialog, 10_000);
              expect(existsSync(path.join(workDir, 'perm.txt'))).toBe(false);
              await claude.answerDialog(dialog, '\r');

              const post = await hooks.waitForEvent('PostToolUse', 10_000);
              expect(post.body.tool_name).toBe('Write');
              expect(post.body.tool_input?.file_path).toBe(path.join(workDir, 'perm.txt'));
              const stop = await hooks.waitForEvent('Stop', 10_000);
              expect(stop.body.last_assistant_message).toBe('Done: wrote perm.txt.');
              await claude.waitForScreen(/Done: wrote perm\.txt\./, 5_000);

              // SIGTERM: claude runs SessionEnd hooks and exits (143) promptly.
              process.kill(claude.pid, 'SIGTERM');
              const end = await hooks.waitForEvent('SessionEnd', 10_000);
              const exit = await claude.exited;
              expect(exit.exitCode).toBe(143);

              for (const e of [start, submit, perm, post, stop, end]) {
                expect(e.body.session_id).toBe(sessionId);
                expect(e.path).toBe(`/hook/${e.body.hook_event_name}`);
              }
              const order = hooks.events.map((e) => e.body.hook_event_name);
              expect(order).toEqual([
                'SessionStart',
                'UserPromptSubmit',
                'PermissionRequest',
                'PostToolUse',
                'Stop',
                'SessionEnd',
              ]);
            },
            { settings },
          );
        } finally {
          await hooks.close();
        }
      },
      TEST_TIMEOUT,
    );

    it(
      'Esc interrupts a long stream (the fake sees the client close) and a new direction is followed',
      async () => {
        await withClaude(tui, ['--permission-mode', 'acceptEdits'], async ({ fake, workDir, claude }) => {
          await claude.waitForScreen(READY, 20_000);
          // classic draws on the normal screen (history scrolls into scrollback); fullscreen on the alternate one.
          expect(claude.term.buffer.active.type).toBe(tui === 'fullscreen' ? 'alternate' : 'normal');
          await claude.submit('Analyze all possible sorting algorithms in detail');
          const long = await fake.waitForRequest(
            (r) => r.kind === 'main' && /sorting algorithms/.test(r.lastUserText),
            10_000,
          );
          await claude.waitForScreen(/Sorting analysis line 5:/, 10_000);
          expect(await claude.screen()).toMatch(BUSY);

          // Esc must be written on its own: Esc followed at once by text is read as Alt+<key>.
          claude.write('\x1b');
          const closed = await fake.waitForClose((r) => r.id === long.id, 5_000);
          expect(closed.closedByClient).toBe(true);
          const after = await claude.waitForScreen(/Interrupted · What should Claude do instead\?/, 5_000);
          expect(after).not.toMatch(BUSY);

          await claude.submit('Stop analyzing! Just implement quicksort.py');
          const redirect = await fake.waitForRequest(
            (r) => r.kind === 'main' && r.id > long.id && !r.isToolResult,
            10_000,
          );
          expect(redirect.lastUserText).toBe('Stop analyzing! Just implement quicksort.py');
          // The interrupted partial answer and the interrupt marker are part of the history.
          expect(JSON.stringify(redirect.body?.messages)).toContain('[Request interrupted by user]');
          const code = await waitForFile(path.join(workDir, 'quicksort.py'), 15_000);
          expect(code).toContain('def quicksort');
          await claude.waitForScreen(/Done: wrote quicksort\.py\./, 10_000);
        });
      },
      TEST_TIMEOUT,
    );
  },
);
