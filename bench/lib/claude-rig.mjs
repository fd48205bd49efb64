/**
 * The real claude CLI against the fake Messages API, for the latency and real-work benchmarks: the
 * fake API and the claude env helper (TypeScript, under test/) compiled once, then a temp folder
 * with claude's config and the environment axiom needs to run it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './common.mjs';

let claudeLib;
/** Compile the fake Messages API and the claude env helper once. */
function claudeLibs() {
  if (claudeLib) return claudeLib;
  const out = join(ROOT, 'bench', 'results', '.build');
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      'test/fixtures/fake-anthropic.ts',
      'test/helpers/claude-env.ts',
      '--outDir',
      out,
      '--rootDir',
      'test',
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--target',
      'ES2022',
      '--skipLibCheck',
      '--types',
      'node',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  claudeLib = Promise.all([
    import(join(out, 'fixtures', 'fake-anthropic.js')),
    import(join(out, 'helpers', 'claude-env.js')),
  ]);
  return claudeLib;
}

/**
 * Start the fake API with `fake` (its options) and a work folder named `prefix…` with claude's
 * classic renderer; `env` runs axiom (or claude) against them. cleanup() closes and removes all.
 */
export async function claudeSetup(fake, prefix) {
  const [{ startFakeAnthropic }, { makeClaudeEnv, claudeBin }] = await claudeLibs();
  const api = await startFakeAnthropic(fake);
  const work = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const cenv = await makeClaudeEnv({ workDir: work, baseUrl: api.url, tui: 'classic' });
  return {
    api,
    work,
    env: { ...cenv.env, AXIOM_CLAUDE_BIN: claudeBin(), AXIOM_STATE_DIR: join(work, '.axiom-state') },
    claudeBin: claudeBin(),
    async cleanup() {
      await api.close();
      await cenv.cleanup();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
