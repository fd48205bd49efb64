/**
 * Issue 14 §1/§2 end to end, as the person and the orchestrator see it: the built axiom UI in
 * tmux, and the official SDK client over real stdio running `axiom mcp --attach` beside it.
 * - the client's sessions appear as panes named after it, the hint bar names it;
 * - the person types into one of them: the direction reaches the agent, and the client's next
 *   axiom_output shows it as a marked line;
 * - Ctrl+Y holds the focused session: the client's send is refused, Ctrl+Y again releases it;
 * - the client goes away: the session it still steered is killed, the one the person took over
 *   goes on, and the hint bar no longer names the client.
 * The agent is bash (no model needed for who steers what); every process carries a tag.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { waitNoProcesses } from '../helpers/procs.js';
import { Tmux } from '../helpers/tmux.js';

const REPO = realpathSync(join(import.meta.dirname, '..', '..'));
const BIN = join(REPO, 'bin', 'axiom.js');
const BUILT = existsSync(join(REPO, 'dist', 'bundle', 'main.js'));
const TAG_VAR = 'AXIOM_ATTACH_E2E_TAG';

interface Ctx {
  dir: string;
  tag: string;
  tmux: Tmux;
  client?: Client;
}
let ctx: Ctx | undefined;

afterEach(async () => {
  if (!ctx) return;
  const c = ctx;
  ctx = undefined;
  await c.client?.close().catch(() => undefined);
  c.tmux.kill();
  await waitNoProcesses(TAG_VAR, c.tag, 15_000);
  rmSync(c.dir, { recursive: true, force: true });
});

type Result = { isError: boolean; text: string; structured: Record<string, unknown> };

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Result> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('');
  return {
    isError: r.isError === true,
    text,
    structured: (r.structuredContent ?? {}) as Record<string, unknown>,
  };
}

/** Poll the client's output of `id` from cursor 0 until `pred` holds. */
async function outputUntil(client: Client, id: string, pred: (text: string) => boolean, what: string) {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const out = await call(client, 'axiom_output', { taskId: id, cursor: 0, waitMs: 1000 });
    last = out.text;
    if (pred(last)) return last;
  }
  throw new Error(`timed out waiting for ${what} in axiom_output; last:\n${last}`);
}

describe.skipIf(!BUILT)('an MCP client attached to the running UI (tmux + SDK client)', () => {
  it('its panes carry its name; the person takes one over and holds it; leaving kills only its own', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'axiom-attach-e2e-')));
    const state = join(dir, 'state');
    const tag = randomUUID();
    const tmux = new Tmux(dir, 140, 40);
    ctx = { dir, tag, tmux };
    const env = { [TAG_VAR]: tag, AXIOM_STATE_DIR: state };
    tmux.start(
      [process.execPath, BIN, '--agent', 'bash --norc --noprofile', '--state-dir', state],
      env,
      dir,
      join(dir, 'ui.stderr'),
    );
    await tmux.waitFor(/type a prompt/, 'the UI');

    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--attach', '--state-dir', state],
      cwd: dir,
      env: { ...(process.env as Record<string, string>), ...env },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'orchestrator', version: '1.0.0' });
    ctx.client = client;
    await client.connect(transport);

    const spawned = await call(client, 'axiom_spawn', {
      prompt: 'echo mine-$((2*21))',
      spawnCount: 2,
      parallel: true,
    });
    expect(spawned.isError, spawned.text).toBe(false);
    const ids = (spawned.structured.tasks as { id: string }[]).map((t) => t.id);
    expect(ids).toHaveLength(2);
    const [taken, kept] = ids as [string, string];
    await tmux.waitFor(
      (s) => (s.match(/⇄ orchestrator/g) ?? []).length >= 2,
      'two panes named after the client',
    );
    await tmux.waitFor(/MCP: orchestrator/, 'the hint bar naming the client');
    await outputUntil(client, taken, (t) => /mine-42/.test(t), 'the client’s own direction ran');

    // The person focuses the first client pane and types a direction into it.
    const focusOn = async (id: string) => {
      // The focused pane has the heavy border (┏━ #N …); Tab moves the focus on.
      for (let i = 0; i < 4; i++) {
        if (new RegExp(`┏━+ #${id}\\b`).test(tmux.capture())) return;
        tmux.press('Tab');
        await tmux.waitFor(/┏━/, 'a focused pane');
      }
      throw new Error(`could not focus #${id}:\n${tmux.capture()}`);
    };
    await focusOn(taken);
    tmux.type(`echo person-$((3*3)) #${taken}`);
    tmux.press('Enter');
    const out = await outputUntil(client, taken, (t) => /» person: echo person/.test(t), 'the marked line');
    expect(out).toContain('» person: echo person-$((3*3))');
    await outputUntil(client, taken, (t) => /\bperson-9\b/.test(t), 'the person’s direction ran');

    // Ctrl+Y holds the focused session: the client is refused; Ctrl+Y again releases it.
    tmux.press('C-y');
    await tmux.waitFor(/HELD/, 'the pane marked HELD');
    const refused = await call(client, 'axiom_send', { taskId: taken, text: 'echo not-now' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('held by the person at the terminal');
    tmux.press('C-y');
    await tmux.waitFor((s) => !/HELD/.test(s), 'the hold released');

    // The client leaves: the session the person took over goes on; its own other one is killed.
    await client.close();
    ctx.client = undefined;
    await tmux.waitFor((s) => !/MCP: orchestrator/.test(s), 'the hint bar without the client');
    tmux.type(`echo still-$((5*5))`);
    tmux.press('Enter');
    await tmux.waitFor(/still-25/, 'the taken-over session still answering');
    await tmux.waitFor(
      (s) =>
        new RegExp(`#${kept}\\b[^\\n]*(EXITED|FAILED|KILLED)`).test(s) || !new RegExp(`#${kept}\\b`).test(s),
      `#${kept}, the client's own, killed`,
    );
  }, 120_000);
});
