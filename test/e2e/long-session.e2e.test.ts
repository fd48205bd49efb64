/**
 * A long session with the real claude (2.1.332) against the fake Messages API, its first token
 * 1.5 s late like a real API: ten turns in one session, some redirected mid-stream, one before its
 * first token, one interrupted. Every answer line reaches output() and the `.txt` transcript
 * once and in order (an interrupted answer up to the interrupt, at least what the screen showed),
 * live while it streams in every turn (not only the first), every prompt reaches the model alone,
 * and every turn is counted.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from '../../src/engine/session-manager.js';
import {
  type FakeAnthropic,
  type Responder,
  startFakeAnthropic,
  textReply,
} from '../fixtures/fake-anthropic.js';
import { type ClaudeEnv, claudeBin, makeClaudeEnv } from '../helpers/claude-env.js';
import { waitNoProcesses } from '../helpers/procs.js';
import { until } from '../helpers/until.js';

/** Line `l` of turn `t`'s answer: tagged, with emoji and other scripts. */
const answerLine = (t: number, l: number) => `T${t}L${l} ✅ 漢字 👍🏽 नमस्ते`;
const WHOLE_LINES = 12;
/** Long enough to be cut: 300 lines, 15 ms apart. */
const CUT_LINES = 300;

const script: Responder = (ctx) => {
  if (ctx.kind === 'aux') return textReply('ok');
  const m = /^turn (\d+) lines (\d+)$/.exec(ctx.lastUserText);
  if (!m) return textReply(`OK: ${ctx.lastUserText.slice(0, 40)}`);
  const t = Number(m[1]);
  const chunks = Array.from({ length: Number(m[2]) }, (_, i) => `${answerLine(t, i + 1)}\n`);
  chunks.push(`END T${t}`);
  return { blocks: [{ type: 'text', chunks, delay: 1 }] };
};

/** How each turn after the first ends: answered whole, redirected mid-stream or before its first token, interrupted. */
type Ending = 'whole' | 'mid' | 'early' | 'esc';
const PLAN: Ending[] = ['mid', 'whole', 'early', 'mid', 'esc', 'whole', 'mid', 'whole', 'whole'];

describe('a long session with the real claude (first token after 1.5 s)', () => {
  let api: FakeAnthropic;
  let work: string;
  let cenv: ClaudeEnv;
  let m: SessionManager | undefined;

  beforeAll(async () => {
    api = await startFakeAnthropic({ chunkDelayMs: 15, script, firstTokenDelayMs: 1500 });
  });
  afterAll(async () => {
    await api.close();
  });
  afterEach(async () => {
    await m?.shutdown();
    m = undefined;
    await waitNoProcesses('HOME', cenv.home);
    await cenv.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('ten turns, redirected, cut and whole: every line once and in order in output() and the .txt', async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-long-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
    const mm = new SessionManager({
      env: { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin() },
      stateDir: join(work, 'state'),
    });
    m = mm;
    const prompts = [`turn 1 lines ${WHOLE_LINES}`];
    const endings: Ending[] = ['whole', ...PLAN];
    const id = mm.spawn({ prompt: prompts[0] as string, cwd: work, cols: 100, rows: 30 }).id;
    const state = () =>
      `${JSON.stringify(mm.get(id))}\noutput:\n${mm.output(id, 0).text.slice(-2000)}\nrequests: ${JSON.stringify(api.mainRequests().map((r) => r.lastUserText))}`;
    const completed = (t: number) =>
      until(
        mm,
        () => mm.get(id)?.status === 'COMPLETED' && mm.output(id, 0).text.includes(`END T${t}\n`),
        `turn ${t} to complete`,
        60_000,
        state,
      );
    await completed(1);
    /** Per cut turn: the last answer line the screen showed before the cut. */
    const seen = new Map<number, number>();
    for (const [k, ending] of endings.entries()) {
      const t = k + 1;
      if (t > 1) {
        const prompt = `turn ${t} lines ${ending === 'whole' ? WHOLE_LINES : CUT_LINES}`;
        prompts.push(prompt);
        await mm.send(id, prompt);
      }
      if (ending === 'whole') {
        await completed(t);
      } else if (ending === 'early') {
        await api.waitForRequest((r) => r.kind === 'main' && r.lastUserText === prompts[t - 1], 30_000);
      } else {
        // Mid-stream: line 20 in output() while the answer still streams (the live text, read off
        // the screen: an answer reaches claude's log only once it ends).
        await until(
          mm,
          () => mm.output(id, 0).text.includes(`T${t}L20 `),
          `turn ${t} line 20 in output()`,
          60_000,
          state,
        );
        const request = api.mainRequests().find((r) => r.lastUserText === prompts[t - 1]);
        expect(request?.endedAt, `turn ${t}: line 20 came only after the answer ended`).toBeUndefined();
        const shown = (mm.session(id)?.screen.plainLines().join('\n') ?? '').match(
          new RegExp(`T${t}L\\d+`, 'g'),
        );
        seen.set(t, Math.max(...(shown ?? []).map((x) => Number(x.slice(`T${t}L`.length)))));
        if (ending === 'esc') {
          await mm.interrupt(id);
          expect(mm.get(id)?.status).toBe('INTERRUPTED');
        }
      }
    }

    // Every prompt reached the model alone, once, in order.
    expect(
      api
        .mainRequests()
        .filter((r) => !r.isToolResult)
        .map((r) => r.lastUserText),
    ).toEqual(prompts);
    const text = mm.output(id, 0).text;
    const lines = text.split('\n');
    // Each prompt once, in order; nothing glued to it.
    expect(
      lines.filter((l) => l.startsWith('❯ ')),
      text,
    ).toEqual(prompts.map((p) => `❯ ${p}`));
    // The tags in the order they came: turn by turn, each answer line once and in order.
    const tags = text.match(/❯ turn \d+|\bT\d+L\d+\b|END T\d+/g) ?? [];
    const want: string[] = [];
    for (const [k, ending] of endings.entries()) {
      const t = k + 1;
      const sent = api.mainRequests().find((r) => r.lastUserText === prompts[k]);
      const got = tags.filter((x) => x.startsWith(`T${t}L`)).length;
      if (ending === 'whole') expect(got, `turn ${t}`).toBe(WHOLE_LINES);
      else if (ending === 'early') expect(got, `turn ${t}`).toBe(0);
      else {
        // Cut: at least what the screen showed, at most what the model sent.
        expect(got, `turn ${t}: ${text}`).toBeGreaterThanOrEqual(seen.get(t) ?? Number.POSITIVE_INFINITY);
        expect(got, `turn ${t}`).toBeLessThanOrEqual((sent?.replyText.match(/\n/g) ?? []).length);
      }
      want.push(`❯ turn ${t}`, ...Array.from({ length: got }, (_, i) => `T${t}L${i + 1}`));
      if (ending === 'whole') want.push(`END T${t}`);
    }
    expect(tags, text).toEqual(want);
    for (const l of lines.filter((x) => /^T\d+L\d+\b/.test(x))) {
      const [, t, n] = /^T(\d+)L(\d+)/.exec(l) as RegExpExecArray;
      expect(l).toBe(answerLine(Number(t), Number(n)));
    }
    // Every turn counted, the session finished.
    const snap = mm.get(id);
    expect(snap?.status).toBe('COMPLETED');
    expect(snap?.turnDurations).toHaveLength(prompts.length);
    expect(snap?.lastPrompt).toBe(prompts.at(-1));
    // The transcript holds the same text.
    const txtPath = (snap?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
    await mm.shutdown();
    expect(readFileSync(txtPath, 'utf8')).toBe(text);
  }, 180_000);
});
