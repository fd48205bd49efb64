/**
 * Text that is not ASCII through the real claude (2.1.332, fake Messages API, first token 1.5 s
 * late): answers in other scripts reach output() and the `.txt` whole and once (compared with what
 * the API sent, blanks aside: the screen wraps rows), and prompts and redirects in other scripts
 * reach the model as typed. Claude's own rewrites are stated where they happen: its input box
 * composes e + U+0301 to é (NFC), and turns a pasted tab into 4 spaces.
 */
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const FAMILY = '👨\u200d👩\u200d👧\u200d👦';
/** 100 different CJK characters: a paragraph without spaces, 200 cells. */
const CJK = Array.from({ length: 100 }, (_, i) => String.fromCodePoint(0x4e00 + i * 37)).join('');
/** A 200-character token (base64 of a fixed byte pattern): longer than any row. */
const LONG_WORD = Buffer.from(Array.from({ length: 150 }, (_, i) => (i * 73 + 11) % 256)).toString('base64');
/** Answers, each streamed a few grapheme clusters per chunk (never half a surrogate pair). */
const ANSWERS: Record<string, string> = {
  emoji: [
    `Family ${FAMILY} skin 👍🏽 flags 🇯🇵🇫🇷 VS16 ⚠️ text ⚠︎ heart ❤️ rainbow 🏳️‍🌈 done.`,
    '🎉🎉🎉',
    'Between the rows of emoji only.',
    '✅ ✅ ✅',
    '—',
    `${FAMILY.repeat(30)} after the families.`,
  ].join('\n'),
  scripts: [
    'Arabic: مرحبا بالعالم، كيف حالك اليوم؟',
    'Hebrew: שלום עולם, מה שלומך היום?',
    'Devanagari: नमस्ते दुनिया क्षत्रिय; Thai: สวัสดีครับ ภาษาไทย; Tamil: வணக்கம் உலகம்',
    `${CJK}終わり。次の文、全角句読点！（括弧）「引用」？`,
  ].join('\n'),
  words: [
    'col1\tcol2\tcol3',
    `A very long word: ${LONG_WORD} end of word.`,
    'Refrain: the same row once more, and again',
    'Something else in between the refrains here',
    'Refrain: the same row once more, and again',
    'Twice in a row: these very same words.',
    'Twice in a row: these very same words.',
    'The last row of the answer.',
  ].join('\n'),
  // In a 50-column pane: URLs longer than a row.
  url: [
    'See https://github.com/example-org/example-repository/blob/main/src/engine/live-text.ts#L120-L180 for details,',
    'and https://example.com/search?q=%E6%BC%A2%E5%AD%97&lang=ja&page=2&sort=relevance too.',
  ].join('\n'),
};

const seg = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
function clusters(text: string, n = 5): string[] {
  const g = [...seg.segment(text)].map((s) => s.segment);
  return Array.from({ length: Math.ceil(g.length / n) }, (_, i) => g.slice(i * n, i * n + n).join(''));
}

const script: Responder = (ctx) => {
  if (ctx.kind === 'aux') return textReply('ok');
  const key = Object.keys(ANSWERS).find((k) => ctx.lastUserText.startsWith(`answer ${k}`));
  if (key) return { blocks: [{ type: 'text', chunks: clusters(ANSWERS[key] as string), delay: 0.5 }] };
  return textReply(`Got ${[...ctx.lastUserText].length} characters. REPLY-END`);
};

const noBlanks = (s: string) => s.replace(/\s+/g, '');

describe('other scripts through the real claude', () => {
  let api: FakeAnthropic;
  let cenv: ClaudeEnv;
  let work: string;
  let m: SessionManager;

  beforeAll(async () => {
    api = await startFakeAnthropic({ chunkDelayMs: 20, script, firstTokenDelayMs: 1500 });
    work = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-scripts-e2e-')));
    cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'auto' });
  });
  beforeEach(() => {
    const env = { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, 's') };
    m = new SessionManager({ env, stateDir: join(work, 's') });
  });
  afterEach(async () => {
    await m.shutdown();
  });
  afterAll(async () => {
    if (cenv) await waitNoProcesses('HOME', cenv.home);
    await cenv?.cleanup();
    await api?.close();
  });

  // Before: the emoji-only rows were missing, and the start of a word claude hard-wrapped from the
  // row above once it outgrew a row, and the rest of a word the record's rest skipped.
  it('answers with emoji, RTL, Indic, Thai, CJK, tabs, a 200-letter word and long URLs: whole and once', async () => {
    const ids = Object.keys(ANSWERS).map(
      (k) =>
        [k, m.spawn({ prompt: `answer ${k}`, cwd: work, cols: k === 'url' ? 50 : 90, rows: 30 }).id] as const,
    );
    for (const [, id] of ids)
      await until(
        m,
        () => m.get(id)?.status === 'COMPLETED',
        `${id} to complete`,
        90000,
        () => JSON.stringify(m.get(id)),
      );
    const texts = ids.map(([k, id]) => {
      const txt = (m.get(id)?.transcriptPath ?? '').replace(/\.raw$/, '.txt');
      return { k, text: m.output(id, 0).text, txt };
    });
    await m.shutdown(); // the .txt files are complete once the sessions are closed
    for (const { k, text, txt } of texts) {
      const head = `❯ answer ${k}\n`;
      expect(text.startsWith(head), text).toBe(true);
      expect(noBlanks(text.slice(head.length)), text).toBe(noBlanks(ANSWERS[k] as string));
      expect(readFileSync(txt, 'utf8')).toBe(text);
    }
  }, 150000);

  // Before: the decomposed é failed the send ("could not verify the agent's input box"), and the
  // tab reached the model as nothing ('tabhere').
  it('a first prompt and redirects in other scripts reach the model as typed', async () => {
    const first = `家族 ${FAMILY} 🇯🇵 👍🏽 ⚠️ नमस्ते สวัสดี مرحبا שלום（全角）！ tab\there e\u0301`;
    const s = m.spawn({ prompt: first, cwd: work, cols: 90, rows: 30 });
    await until(m, () => m.get(s.id)?.status === 'COMPLETED', 'the first turn', 60000);
    const redirects = [
      `redirect ${FAMILY}👍🏽🇫🇷 க்ஷ Привет мир ＡＢＣ 🎉`,
      'combining e\u0301te\u0301 and café',
      'tab\there and\ttwo',
      `multi\nline 漢字 ${FAMILY}\nمرحبا three`,
    ];
    for (const r of redirects) {
      const before = api.mainRequests().length;
      await m.send(s.id, r);
      await until(
        m,
        () => api.mainRequests().length > before && m.get(s.id)?.status === 'COMPLETED',
        `the turn of ${JSON.stringify(r)}`,
        60000,
        () => JSON.stringify(m.get(s.id)),
      );
    }
    const got = api
      .mainRequests()
      .map((r) => r.lastUserText)
      .filter((t) => !t.startsWith('answer '));
    expect(got[0]).toBe(first);
    expect(got.slice(1)).toEqual([
      redirects[0],
      (redirects[1] as string).normalize('NFC'),
      'tab    here and    two',
      (redirects[3] as string).normalize('NFC'),
    ]);
  }, 150000);
});
