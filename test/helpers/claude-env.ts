/**
 * Environment for running the real `claude` CLI offline against test/fixtures/fake-anthropic.ts:
 * a throwaway HOME whose ~/.claude.json says onboarding is done, the API key is approved and the
 * work dir is trusted, so claude starts straight at its prompt with no first-run dialogs.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake key; any string starting with sk-ant- works against the fake API. */
export const FAKE_API_KEY = 'sk-ant-api03-axiom-test-key-0000000000000000000000000000000000000000-AAAAAAAA';

/** Repo root: the nearest ancestor of this file holding package.json. */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('claude-env: package.json not found above test/helpers');
    dir = up;
  }
  return dir;
}

/** Absolute path of the repo's pinned claude binary (node_modules/.bin/claude). */
export function claudeBin(): string {
  return path.join(repoRoot(), 'node_modules', '.bin', 'claude');
}

/**
 * The ~/.claude.json that skips every first-run screen (verified on 2.1.332):
 * - hasCompletedOnboarding: no theme picker / welcome flow;
 * - customApiKeyResponses.approved: the LAST 20 characters of the key (the full key does not count),
 *   else "Detected a custom API key in your environment ... ❯ No (recommended)";
 * - projects[workDir].hasTrustDialogAccepted: no "Accessing workspace ... trust this folder" screen;
 * - hasSeenAutoDefaultNotice: hides the (non-blocking) "Auto mode is now Claude Code's default
 *   permission mode" banner; the rest is cosmetic.
 */
export function claudeConfig(
  workDirs: string | string[],
  apiKey: string = FAKE_API_KEY,
): Record<string, unknown> {
  const trusted = {
    allowedTools: [],
    hasTrustDialogAccepted: true,
    hasCompletedProjectOnboarding: true,
    projectOnboardingSeenCount: 1,
  };
  const dirs = Array.isArray(workDirs) ? workDirs : [workDirs];
  return {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: '2.1.332',
    theme: 'dark',
    numStartups: 1,
    autoUpdates: false,
    hasSeenAutoDefaultNotice: true,
    hasSeenTasksHint: true,
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
    // Subdirectories of a trusted dir are trusted too.
    projects: Object.fromEntries(dirs.map((d) => [d, { ...trusted }])),
  };
}

export interface ClaudeEnv {
  env: Record<string, string>;
  home: string;
  cleanup(): Promise<void>;
}

/**
 * claude 2.1.332 has two renderers. 'classic' draws on the normal screen: finished output scrolls up
 * into the terminal's scrollback and only the bottom region (spinner, input box, footer) is redrawn.
 * 'fullscreen' switches to the alternate screen (ESC[?1049h), enables mouse tracking and keeps its own
 * virtual scrollback: the headless terminal holds only the visible rows. Left alone ('auto'), claude
 * picks fullscreen for a fresh HOME (it counts as a fresh install), so tests pin one explicitly.
 */
export type ClaudeTui = 'classic' | 'fullscreen' | 'auto';

export interface ClaudeEnvOptions {
  workDir: string;
  baseUrl: string;
  apiKey?: string;
  /** Renderer to pin (default 'classic'). */
  tui?: ClaudeTui;
}

export async function makeClaudeEnv(opts: ClaudeEnvOptions): Promise<ClaudeEnv> {
  const apiKey = opts.apiKey ?? FAKE_API_KEY;
  const home = await mkdtemp(path.join(os.tmpdir(), 'axiom-claude-home-'));
  await mkdir(path.join(home, '.claude'), { recursive: true });
  // claude keys projects by the real path; add both in case workDir goes through a symlink.
  const dirs = [...new Set([opts.workDir, await realpath(opts.workDir)])];
  await writeFile(path.join(home, '.claude.json'), JSON.stringify(claudeConfig(dirs, apiKey), null, 2));

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: process.env.USER ?? 'test',
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TERM: 'xterm-256color',
    COLORTERM: 'truecolor',
    ANTHROPIC_BASE_URL: opts.baseUrl,
    ANTHROPIC_API_KEY: apiKey,
    // No title generation, telemetry, GrowthBook, release notes ... (also: no aux API requests).
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    // Otherwise claude tries github.com and downloads.claude.ai for the official plugin marketplace.
    CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL: '1',
  };
  const tui = opts.tui ?? 'classic';
  if (tui === 'classic') env.CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN = '1';
  if (tui === 'fullscreen') env.CLAUDE_CODE_NO_FLICKER = '1';
  return {
    env,
    home,
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}
