/**
 * `axiom mcp`: serve the engine over stdio. stdout carries only JSON-RPC; logs go to stderr.
 */
import type { Readable, Writable } from 'node:stream';
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Engine } from '../engine/engine.js';
import { type AxiomMcpOptions, createToolContext } from './context.js';
import { buildMcpServer } from './server.js';

export interface RunMcpStdioOptions extends AxiomMcpOptions {
  /** Defaults: process.stdin / process.stdout. */
  stdin?: Readable;
  stdout?: Writable;
  /**
   * Stop serving on SIGINT, SIGTERM and SIGHUP (the promise then resolves and the caller shuts
   * the engine down). Default true.
   */
  handleSignals?: boolean;
}

/**
 * A Transport that forwards to `inner` and reports when the connection has closed, whoever
 * closed it (stdin reaching EOF, a stream error, or `close()`).
 */
class ObservedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  constructor(
    private readonly inner: Transport,
    private readonly closed: () => void,
  ) {
    inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
    inner.onerror = (error) => this.onerror?.(error);
    inner.onclose = () => {
      try {
        this.onclose?.();
      } finally {
        this.closed();
      }
    };
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Serve the axiom tools over stdio until the client disconnects (stdin closes), the transport
 * fails, or (with handleSignals) a signal arrives. Resolves then; the caller shuts the engine
 * down (`await engine.shutdown()`) and exits. Serves both protocol eras through the SDK's
 * `serveStdio` (2025-era `initialize` clients and 2026-07-28 clients alike).
 * Throws at once when `root` does not exist.
 */
export async function runMcpStdio(engine: Engine, opts: RunMcpStdioOptions): Promise<void> {
  const ctx = createToolContext(engine, opts);
  const stdout = opts.stdout ?? process.stdout;
  let markClosed = (): void => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const wire = new ObservedTransport(new StdioServerTransport(opts.stdin ?? process.stdin, stdout), () =>
    markClosed(),
  );

  // Anything that logs with console.log must not corrupt the JSON-RPC stream on stdout.
  const restoreConsole = stdout === process.stdout ? divertConsoleToStderr() : () => {};

  const handle = serveStdio(() => buildMcpServer(ctx, opts.version), {
    transport: wire,
    onerror: (error) => ctx.log(`transport: ${error.message}`),
  });

  const signals: NodeJS.Signals[] = opts.handleSignals === false ? [] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals): void => {
    ctx.log(`${signal}: closing`);
    void handle.close().finally(markClosed);
  };
  for (const s of signals) process.on(s, onSignal);

  ctx.log(`serving on stdio (root ${ctx.root}, max ${ctx.maxSessions} sessions)`);
  try {
    await closed;
  } finally {
    for (const s of signals) process.off(s, onSignal);
    await handle.close().catch(() => {});
    restoreConsole();
    ctx.log('stopped serving');
  }
}

function divertConsoleToStderr(): () => void {
  const { log, info, debug } = console;
  console.log = console.error;
  console.info = console.error;
  console.debug = console.error;
  return () => {
    console.log = log;
    console.info = info;
    console.debug = debug;
  };
}
