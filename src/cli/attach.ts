/**
 * Attach wiring for the CLI: the UI serves its engine on the attach socket while it runs, and
 * `axiom mcp --attach [RUN]` is an MCP stdio server acting on that engine.
 */
import { realpathSync } from 'node:fs';
import { findUi } from '../engine/attach/paths.js';
import { connectRemote } from '../engine/attach/remote.js';
import { AttachServer, isLive } from '../engine/attach/server.js';
import type { SessionManager } from '../engine/session-manager.js';
import { defaultStateDir } from '../engine/transcript.js';
import type { SpawnOptions } from '../engine/types.js';
import { installLifecycle } from './lifecycle.js';
import type { Settings } from './settings.js';

/** Where attach sockets live: the state dir, even when transcripts are off. */
export function attachStateDir(s: Settings): string {
  return s.stateDir === false ? defaultStateDir() : s.stateDir;
}

/**
 * Serve the UI's engine on its attach socket. Returns the stop function; a socket that cannot be
 * made is a warning on the UI's event line (the UI works without it).
 */
export async function serveAttach(
  manager: SessionManager,
  settings: Settings,
  defaults: SpawnOptions,
): Promise<() => Promise<void>> {
  let root: string;
  try {
    root = realpathSync(settings.cwd);
  } catch {
    root = settings.cwd;
  }
  const server = new AttachServer({
    engine: manager,
    stateDir: attachStateDir(settings),
    runId: manager.runId,
    root,
    spawnDefaults: { ...defaults, cwd: root },
    onClients: (names) => manager.setClients(names),
    log: (line) => manager.emit('warning', `attach: ${line}`),
  });
  try {
    await server.start();
  } catch (e) {
    manager.emit('warning', `MCP clients cannot attach: ${(e as Error).message}`);
    return async () => {};
  }
  return () => server.close();
}

export interface McpAttachOptions {
  settings: Settings;
  run: string | undefined;
  root: string | undefined;
  maxSessions: number;
  version: string;
}

/** `axiom mcp --attach [RUN]`. Returns the exit code (2 with one line when no UI runs here). */
export async function runMcpAttach(o: McpAttachOptions): Promise<number> {
  const say = (line: string): void => void process.stderr.write(`axiom mcp: ${line}\n`);
  const stateDir = attachStateDir(o.settings);
  let here: string;
  try {
    here = realpathSync(process.cwd());
  } catch {
    here = process.cwd();
  }
  const found = await findUi(stateDir, here, o.run, (p) => isLive(p));
  if (!found.ok) {
    say(found.message);
    return 2;
  }
  let remote: Awaited<ReturnType<typeof connectRemote>>;
  try {
    remote = await connectRemote(found.socket);
  } catch (e) {
    say((e as Error).message);
    return 2;
  }
  const { runMcpStdio, resolveRoot } = await import('../mcp/index.js');
  let root = remote.root;
  if (o.root !== undefined) {
    try {
      root = resolveRoot(o.root);
    } catch (e) {
      say((e as Error).message);
      await remote.shutdown();
      return 2;
    }
    if (root !== remote.root && !root.startsWith(`${remote.root}/`)) {
      say(
        `--root ${root} is outside the UI's root ${remote.root}; leave out --root or pass a directory inside it`,
      );
      await remote.shutdown();
      return 2;
    }
  }
  remote.onDetached((why) => say(why));
  const life = installLifecycle({ shutdown: () => remote.shutdown() });
  say(`attached to the axiom UI of run ${remote.runId} (${found.socket})`);
  try {
    await runMcpStdio(remote, {
      root,
      maxSessions: o.maxSessions,
      version: o.version,
      // The UI decides the agent and its arguments; the client only asks for sessions.
      spawnDefaults: {},
      identify: (name) => void remote.identify(name).catch((e: Error) => say(`identify: ${e.message}`)),
      host: life,
    });
  } catch (e) {
    await remote.shutdown();
    life.uninstall();
    throw e;
  }
  await remote.shutdown();
  life.finish(0);
  return 0;
}
