/**
 * Issue 10 §1/§2 end to end: the plain-text stream of the real claude (2.1.332, fake Messages API)
 * carries every word of an answer exactly once and in order, in all three places that serve it:
 * `axiom spawn --headless` lines, MCP `axiom_output`, and the `.txt` transcript. Also with a first
 * token 1.5 s late (like a real API), with 5 resizes while the answer streams, and for an
 * interrupted turn (the text up to the interrupt). Assertions are on the whole answer text.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../../src/engine/session-manager.js';
import {
  chunk,
  type FakeAnthropic,
  type Responder,
  startFakeAnthropic,
  textReply,
} from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv, repoRoot } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { until } from '../helpers/until.js';

const AXIOM = join(repoRoot(), 'bin', 'axiom.js');
const BUILT = existsSync(join(repoRoot(), 'dist', 'cli', 'main.js'));

/** 600 words in 6 paragraphs of sentences: t1 … t600. */
const LONG = Array.from({ length: 6 }, (_, p) =>
  Array.from({ length: 10 }, (_, s) => {
    const base = p * 100 + s * 10;
    return `${Array.from({ length: 10 }, (_, w) => `t${base + w + 1}`).join(' ')}.`;
  }).join(' '),
).join('\n\n');
const LONG_WORDS = LONG.split(/\s+/).map((w) => w.replace('.', ''));

/**
 * An answer in markdown the screen renders differently from its source: a link, a list numbered
 * `1.` throughout, a table, a heading, emphasis, code, emoji and other scripts. Words m1 … m40.
 */
const MARKDOWN = [
  'Intro m1 m2 m3 with **bold m4** and `code m5` and a [link m6 m7](https://example.com/docs/path) after m8 m9.',
  '',
  '1. item m10 m11',
  '1. item m12 m13',
  '1. item m14 m15',
  '',
  '| col m16 | col m17 |',
  '|---|---|',
  '| cell m18 | cell m19 |',
  '| cell m20 | cell m21 |',
  '',
  '## Heading m22',
  '',
  '- bullet m23 👍🏽 नमस्ते',
  '- bullet m24 漢字 and *italic m25*',
  '',
  `Outro ${Array.from({ length: 15 }, (_, i) => `m${26 + i}`).join(' ')} MD-COMPLETE`,
].join('\n');
const MD_WORDS = Array.from({ length: 40 }, (_, i) => `m${i + 1}`);

const script: Responder = (ctx) => {
  if (ctx.kind === 'aux') return textReply('ok');
  if (/markdown/.test(ctx.lastUserText)) return { blocks: [{ type: 'text', chunks: chunk(MARKDOWN, 12) }] };
  if (/one line/.test(ctx.lastUserText))
    return textReply(`You asked: ${ctx.lastUserText.slice(0, 60)}. ANSWER-COMPLETE`);
  // ~350 chunks, 25 ms apart: ~9 s of streaming.
  return { blocks: [{ type: 'text', chunks: chunk(LONG, 12), delay: 0.5 }] };
};

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const tokens = (s: string) => s.match(/\bt\d+\b/g) ?? [];

/** The whole long answer, once and in order (word by word, and as one text once blanks are collapsed). */
function expectWholeLong(text: string): void {
  expect(tokens(text)).toEqual(LONG_WORDS);
  expect(collapse(text)).toContain(collapse(LONG));
}

function expectOneLine(text: string, prompt: string): void {
  const answer = `You asked: ${prompt}. ANSWER-COMPLETE`;
  expect(text.split('\n')).toContain(answer);
  expect(text.split('ANSWER-COMPLETE')).toHaveLength(2);
  expect(text.split('\n')).toContain(`❯ ${prompt}`);
}

describe('the plain-text stream of real claude answers', () => {
  let fast: FakeAnthropic;
  let late: FakeAnthropic;
  let work: string;
  let cenv: ClaudeEnv | undefined;
  let manager: SessionManager | undefined;

  beforeAll(async () => {
    fast = await startFakeAnthropic({ chunkDelayMs: 50, script, firstTokenDelayMs: 0 });
    late = await startFakeAnthropic({ chunkDelayMs: 50, script, firstTokenDelayMs: 1500 });
  });
  afterAll(async () => {
    await fast.close();
    await late.close();
  });
  afterEach(async () => {
    await manager?.shutdown();
    manager = undefined;
    if (cenv) {
      await waitNoProcesses('HOME', cenv.home);
      await cenv.cleanup();
    }
    cenv = undefined;
  });

  async function setup(api: FakeAnthropic): Promise<Record<string, string>> {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-text-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    return { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, '.axiom-state') };
  }

  /** One engine session answering `prompt`; resolves with its output and its `.txt` after the turn. */
  async function engineTurn(
    api: FakeAnthropic,
    prompt: string,
    during?: (m: SessionManager, id: string) => Promise<void>,
  ): Promise<{ output: string; txt: string; m: SessionManager; id: string }> {
    const env = await setup(api);
    const m = new SessionManager({ env, stateDir: join(work, '.axiom-state') });
    manager = m;
    const s = m.spawn({ prompt, cwd: work, cols: 90, rows: 30 });
    if (during) await during(m, s.id);
    await until(
      m,
      () => m.get(s.id)?.status === 'COMPLETED',
      'the turn to complete',
      60000,
      () => JSON.stringify(m.get(s.id)),
    );
    const output = m.output(s.id, 0).text;
    const txtPath = (m.get(s.id)?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
    await m.shutdown();
    return { output, txt: readFileSync(txtPath, 'utf8'), m, id: s.id };
  }

  it('a one-line answer is in output() and the .txt, once (and the session has its claude id)', async () => {
    const prompt = 'hello number 1, one line please';
    const r = await engineTurn(fast, prompt);
    expectOneLine(r.output, prompt);
    expectOneLine(r.txt, prompt);
    expect(r.txt).toBe(r.output);
    expect(r.m.get(r.id)?.agentSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.output).not.toMatch(/Claude Code v|esc to interrupt|✻/);
  }, 90000);

  it('a 600-word streamed answer is whole and once in output() and the .txt', async () => {
    const r = await engineTurn(fast, 'write the long answer');
    expectWholeLong(r.output);
    expectWholeLong(r.txt);
  }, 90000);

  it('with the first token 1.5 s late: one line and 600 words, whole and once', async () => {
    const one = await engineTurn(late, 'late one line please');
    expectOneLine(one.output, 'late one line please');
    expectOneLine(one.txt, 'late one line please');
    await waitNoProcesses('HOME', cenv?.home ?? '');
    const long = await engineTurn(late, 'write the long answer late');
    expectWholeLong(long.output);
    expectWholeLong(long.txt);
  }, 120000);

  // Before: the record added everything after the first place where the screen's rendering and
  // the markdown differed, so the words after the link went out twice.
  it('an answer in markdown (link, list numbered anew, table, emoji, other scripts): every word once', async () => {
    const r = await engineTurn(late, 'answer in markdown');
    for (const text of [r.output, r.txt]) {
      // The whole text in the message: a word lost under load must say where (seen twice, m24/m25).
      expect(text.match(/\bm\d+\b/g), text).toEqual(MD_WORDS);
      expect(text.split('MD-COMPLETE')).toHaveLength(2);
      expect(text).toContain('👍🏽 नमस्ते');
      expect(text).toContain('漢字');
    }
  }, 90000);

  it('5 resizes while the answer streams: nothing twice, nothing lost', async () => {
    const sizes: Array<[number, number]> = [
      [70, 24],
      [120, 40],
      [60, 20],
      [100, 30],
      [80, 25],
    ];
    let live = '';
    const r = await engineTurn(fast, 'write the long answer while resizing', async (m, id) => {
      for (const [i, [cols, rows]] of sizes.entries()) {
        const mark = `t${(i + 1) * 80}`;
        await until(
          m,
          () => m.session(id)?.screen.plainLines().join(' ').includes(mark) ?? false,
          mark,
          30000,
        );
        m.resize(id, cols, rows);
      }
      live = m.output(id, 0).text;
    });
    // Words went out while it streamed (the live part), and the whole answer is once in the end.
    expect(tokens(live).length).toBeGreaterThan(0);
    expect(tokens(live)).toEqual(LONG_WORDS.slice(0, tokens(live).length));
    expectWholeLong(r.output);
    expectWholeLong(r.txt);
  }, 90000);

  it('an interrupted turn keeps every word streamed before the interrupt, once', async () => {
    const env = await setup(fast);
    const m = new SessionManager({ env, stateDir: join(work, '.axiom-state') });
    manager = m;
    const s = m.spawn({ prompt: 'write the long answer, to be cut', cwd: work, cols: 90, rows: 30 });
    await until(
      m,
      () => m.session(s.id)?.screen.plainLines().join(' ').includes('t200') ?? false,
      't200',
      30000,
    );
    const seen = Math.max(
      ...tokens(m.session(s.id)?.screen.plainLines().join(' ') ?? '').map((t) => Number(t.slice(1))),
    );
    await m.interrupt(s.id);
    expect(m.get(s.id)?.status).toBe('INTERRUPTED');
    await until(
      m,
      () => m.output(s.id, 0).text.includes('⎿  Interrupted'),
      'the interrupt in the text',
      10000,
    );
    const text = m.output(s.id, 0).text;
    const got = tokens(text);
    expect(got.length).toBeGreaterThanOrEqual(seen);
    expect(got.length).toBeLessThan(LONG_WORDS.length);
    expect(got).toEqual(LONG_WORDS.slice(0, got.length));
    const txtPath = (m.get(s.id)?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
    await m.shutdown();
    expect(tokens(readFileSync(txtPath, 'utf8'))).toEqual(got);
  }, 90000);

  it.runIf(BUILT)(
    'headless spawn prints a one-line answer and a 600-word answer whole, once',
    async () => {
      const run = async (api: FakeAnthropic, prompt: string) => {
        const env = await setup(api);
        const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
          execFile(
            process.execPath,
            [AXIOM, 'spawn', '--headless', prompt],
            { cwd: work, env, timeout: 60000 },
            (err, stdout) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
          );
        });
        expect(r.code).toBe(0);
        const text = r.stdout
          .split('\n')
          .filter((l) => l.startsWith('[1] '))
          .map((l) => l.slice(4))
          .join('\n');
        if (cenv) await waitNoProcesses('HOME', cenv.home);
        await cenv?.cleanup();
        cenv = undefined;
        return text;
      };
      expectOneLine(await run(late, 'hello number 1, one line please'), 'hello number 1, one line please');
      expectWholeLong(await run(late, 'write the long answer'));
    },
    150000,
  );

  it.runIf(BUILT)(
    'axiom_output over MCP: a one-line answer and a 600-word answer, whole and once',
    async () => {
      const env = await setup(late);
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [AXIOM, 'mcp', '--root', work],
        env,
        stderr: 'pipe',
        cwd: work,
      });
      const client = new Client({ name: 'axiom-text-e2e', version: '1.0.0' });
      await client.connect(transport);
      try {
        const read = async (taskId: string): Promise<string> => {
          let cursor = 0;
          let text = '';
          for (let i = 0; i < 30; i++) {
            const r = await client.callTool(
              { name: 'axiom_output', arguments: { taskId, cursor, follow: true, waitMs: 30000 } },
              { timeout: 60000 },
            );
            const o = r.structuredContent as { cursor: number; text: string; status: string; done: boolean };
            text += o.text;
            cursor = o.cursor;
            if (o.done && o.status === 'COMPLETED') return text;
          }
          throw new Error(`task ${taskId} did not complete; got ${text.slice(-500)}`);
        };
        const one = await client.callTool({
          name: 'axiom_spawn',
          arguments: { prompt: 'via mcp, one line please' },
        });
        const oneId = (one.structuredContent as { tasks: { id: string }[] }).tasks[0]?.id as string;
        expectOneLine(await read(oneId), 'via mcp, one line please');
        const long = await client.callTool({
          name: 'axiom_spawn',
          arguments: { prompt: 'write the long answer', parallel: true },
        });
        const longId = (long.structuredContent as { tasks: { id: string }[] }).tasks[0]?.id as string;
        expect(longId).not.toBe(oneId);
        expectWholeLong(await read(longId));
      } finally {
        await client.close();
      }
    },
    150000,
  );
});
