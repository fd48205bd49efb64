import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TextRecord, TextSourceSpec } from '../../src/agents/profile.js';
import { TextFeed } from '../../src/engine/text-feed.js';

/** The lines of a poll's records, as text. */
const text = (rs: TextRecord[]) => rs.flatMap((r) => r.lines.map((l) => `${l}\n`)).join('');

/** Records are `{"say":"a|b","turn":"start","id":"x"}`: lines split on '|'. */
function parse(rec: string): TextRecord {
  const o = JSON.parse(rec) as { say?: string; turn?: 'start' | 'end'; id?: string };
  return { lines: o.say ? o.say.split('|') : [], turn: o.turn, id: o.id };
}

const rec = (o: Record<string, string>) => `${JSON.stringify(o)}\n`;

describe('TextFeed (tailing an agent log)', () => {
  const feeds: TextFeed[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const f of feeds.splice(0)) f.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function setup(likelyDir?: string, maxRecord?: number) {
    const root = mkdtempSync(join(tmpdir(), 'axiom-feed-'));
    dirs.push(root);
    const spec: TextSourceSpec = { root, fileName: 'conv.jsonl', parse, ...(likelyDir ? { likelyDir } : {}) };
    const feed = new TextFeed(spec, { onChange: () => {}, maxRecord });
    feeds.push(feed);
    return { root, feed };
  }

  it('finds the file once it exists, in any subdirectory, and reads records as they are appended', () => {
    const { root, feed } = setup('likely');
    expect(text(feed.poll())).toBe('');
    expect(feed.file).toBeUndefined();
    mkdirSync(join(root, 'elsewhere'));
    const file = join(root, 'elsewhere', 'conv.jsonl');
    writeFileSync(file, rec({ say: 'a|b', turn: 'start' }));
    expect(text(feed.poll())).toBe('a\nb\n');
    expect(feed.file).toBe(file);
    expect(feed.turnOpen).toBe(true);
    appendFileSync(file, rec({ say: 'c', turn: 'end' }));
    expect(text(feed.poll())).toBe('c\n');
    expect(feed.turnOpen).toBe(false);
    expect(feed.turns).toBe(1);
  });

  it('a record split across writes is read once it is complete, multi-byte characters included', () => {
    const { root, feed } = setup('d');
    mkdirSync(join(root, 'd'));
    const file = join(root, 'd', 'conv.jsonl');
    const whole = Buffer.from(rec({ say: 'héllo wörld 漢字 👍🏽' }));
    // Cut inside a multi-byte character.
    const cut = whole.indexOf(Buffer.from('漢')) + 1;
    writeFileSync(file, whole.subarray(0, cut));
    expect(text(feed.poll())).toBe('');
    appendFileSync(file, whole.subarray(cut));
    expect(text(feed.poll())).toBe('héllo wörld 漢字 👍🏽\n');
  });

  it('a record seen twice (same id) adds nothing; malformed lines are skipped', () => {
    const { root, feed } = setup('d');
    mkdirSync(join(root, 'd'));
    const file = join(root, 'd', 'conv.jsonl');
    writeFileSync(
      file,
      `${rec({ say: 'once', id: 'r1' })}{not json\n${rec({ say: 'once', id: 'r1' })}${rec({ say: 'two' })}`,
    );
    expect(text(feed.poll())).toBe('once\ntwo\n');
  });

  it('skips a record longer than the limit with a note, in bounded memory, and reads on after it', () => {
    const { root, feed } = setup('d', 1000);
    mkdirSync(join(root, 'd'));
    const file = join(root, 'd', 'conv.jsonl');
    writeFileSync(file, rec({ say: 'before' }));
    appendFileSync(file, `{"say":"${'x'.repeat(600)}`);
    expect(text(feed.poll())).toBe('before\n');
    appendFileSync(file, `${'x'.repeat(600)}`); // over the limit while still open
    const note = text(feed.poll());
    expect(note).toMatch(
      /^\[axiom: a log record of more than 1000 bytes was skipped; see .*conv\.jsonl\]\n$/,
    );
    appendFileSync(file, `${'x'.repeat(5000)}"}\n${rec({ say: 'after' })}`);
    expect(text(feed.poll())).toBe('after\n');
  });
});
