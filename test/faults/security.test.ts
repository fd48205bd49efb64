/**
 * Security: transcripts and run directories are private to the user; the hook channel answers
 * only requests that carry the per-run secret, and that secret never appears on a command line
 * (every local user can read /proc/<pid>/cmdline). The MCP side (cwd outside the root, choosing
 * an executable) is in mcp.test.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeProfile } from '../../src/agents/claude.js';
import { HookServer } from '../../src/engine/hook-server.js';
import { agent, ended, FAULT_AGENT, type Rig, rig, waitStatus, waitText } from './helpers.js';

const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);

describe('files on disk', () => {
  let r: Rig;
  let umask: number;
  beforeAll(() => {
    // Even with a permissive umask, axiom's files stay private.
    umask = process.umask(0);
    r = rig();
  });
  afterAll(async () => {
    process.umask(umask);
    await r.close();
  });

  it('run directories are 0700, transcripts 0600', async () => {
    const s = r.m.spawn({ agent: agent('emit lines 5 exit0') });
    const done = await ended(r.m, s.id);
    const runDir = r.m.runDir!;
    expect(mode(join(r.stateDir, 'runs'))).toBe('700');
    expect(mode(runDir)).toBe('700');
    expect(mode(done.transcriptPath!)).toBe('600');
    expect(mode(join(runDir, `${done.n}.txt`))).toBe('600');
  });
});

describe('the hook channel', () => {
  let hooks: HookServer;
  const events: Array<{ sessionId: string; payload: Record<string, unknown> }> = [];
  beforeAll(async () => {
    hooks = new HookServer((ev) => events.push(ev));
    await hooks.start();
  });
  afterAll(async () => {
    await hooks.close();
  });

  const post = (url: string, body = '{"hook_event_name":"Stop"}', method = 'POST') =>
    fetch(url, {
      method,
      body: method === 'GET' ? undefined : body,
      headers: { 'content-type': 'application/json' },
    });

  it('rejects requests without the secret, with a wrong one, or with another method; never parses them', async () => {
    const good = hooks.urlFor('1');
    const base = good.slice(0, good.indexOf('/hook/'));
    const wrong = good.replace(hooks.secret, 'f'.repeat(hooks.secret.length));
    for (const url of [
      `${base}/hook/1`,
      `${base}/hook//1`,
      wrong,
      `${base}/hook/${hooks.secret.slice(1)}/1`,
    ]) {
      expect((await post(url)).status, url).toBe(403);
    }
    expect((await post(good, undefined, 'GET')).status).toBe(403);
    expect(events).toEqual([]);
    expect(hooks.rejected).toBe(5);
    const ok = await post(good);
    expect(ok.status).toBe(200);
    expect(events).toEqual([{ sessionId: '1', payload: { hook_event_name: 'Stop' } }]);
  });

  it('the secret is handed to claude in a private file, never on its command line', async () => {
    const r = rig({
      hooks: true,
      profile: () => claudeProfile(FAULT_AGENT),
      timings: { startFallbackMs: 100 },
    });
    try {
      await r.m.ready();
      const s = r.m.spawn({ agent: 'claude', env: { FAULT_MODE: 'input' }, cols: 400 });
      const argv = JSON.parse((await waitText(r.m, s.id, /ARGV (\[.*\])\n/))[1] as string) as string[];
      const pid = r.m.get(s.id)!.pid!;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      expect(cmdline).not.toMatch(/[0-9a-f]{48}/);
      const file = argv[argv.indexOf('--settings') + 1] as string;
      expect(mode(file)).toBe('600');
      expect(mode(join(file, '..'))).toBe('700');
      // The file routes every hook to this session on the channel, secret included: it works.
      const settings = JSON.parse(readFileSync(file, 'utf8')) as {
        hooks: Record<string, Array<{ hooks: Array<{ url: string }> }>>;
      };
      const url = settings.hooks.UserPromptSubmit?.[0]?.hooks[0]?.url as string;
      expect(url).toMatch(/\/hook\/[0-9a-f]{48}\/1$/);
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ hook_event_name: 'UserPromptSubmit', prompt: 'from a hook' }),
      });
      expect(res.status).toBe(200);
      await waitStatus(r.m, s.id, (x) => x.status === 'RUNNING' && x.lastPrompt === 'from a hook', 'hooked');
      // Removed with the session.
      await r.m.kill(s.id);
      expect(() => statSync(file)).toThrow(/ENOENT/);
    } finally {
      await r.close();
    }
  });
});
