/**
 * `axiom mcp`: serve the engine over stdio. stdout carries only JSON-RPC; logs go to stderr.
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';
import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { EngineLike } from '../engine/engine.js';
import { listen } from '../engine/listen.js';
import type { ProcessHost } from '../engine/process-host.js';
import { type AxiomMcpOptions, createToolContext } from './context.js';
import { buildMcpServer } from './server.js';

export interface RunMcpStdioOptions extends AxiomMcpOptions {
  /** Defaults: process.stdin / process.stdout. */
  stdin?: Readable;
  stdout?: Writable;
  /**
   * The owner of process signals and fatal errors (src/cli/lifecycle.ts): on a signal it asks the
   * server to stop serving (the promise then resolves and the caller shuts the engine down).
   * Without one (tests) nothing reaches the process.
   */
  host?: ProcessHost;
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

/** Largest JSON-RPC message (one line) accepted; a longer one is answered with an error and dropped. */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

type ErrorReply = { jsonrpc: '2.0'; id: string | number | null; error: { code: number; message: string } };

/**
 * Check one line from the client. Returns the line to pass on, or the error to answer with
 * (undefined `error` and `pass` for a line to drop quietly).
 */
function vetLine(line: string): { pass?: string; error?: ErrorReply; note?: string } {
  if (line.trim() === '') return {};
  const fail = (code: number, message: string, id: unknown = null): { error: ErrorReply } => ({
    error: {
      jsonrpc: '2.0',
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      error: { code, message },
    },
  });
  let msg: unknown;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    return fail(-32700, `Parse error: ${(e as Error).message}`);
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    return fail(-32600, 'Invalid Request: expected one JSON-RPC 2.0 object per line (no batches)');
  const m = msg as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return fail(-32600, 'Invalid Request: "jsonrpc" must be "2.0"', m.id);
  const hasId = 'id' in m;
  if (hasId && typeof m.id !== 'string' && typeof m.id !== 'number')
    return fail(-32600, 'Invalid Request: "id" must be a string or a number');
  // The SDK takes only safe integers and drops any other number without a word (the client then
  // waits for its timeout): 1.5, 1e20, 1e400 (Infinity: answered with id null).
  if (typeof m.id === 'number' && !Number.isSafeInteger(m.id))
    return fail(
      -32600,
      `Invalid Request: a numeric "id" must be a whole number from ${Number.MIN_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER}; use an integer or a string`,
      m.id,
    );
  if (typeof m.method === 'string') {
    if (hasId || m.method.startsWith('notifications/')) return { pass: line };
    // A request without an id is a notification: JSON-RPC forbids answering it.
    return { note: `ignored ${m.method} without an id (a request needs an id to be answered)` };
  }
  if (hasId && ('result' in m || 'error' in m)) return { pass: line };
  return fail(-32600, 'Invalid Request: no "method"', m.id);
}

/**
 * Sits between stdin and the SDK's transport, line by line. The SDK drops a line that is not
 * JSON without a word, answers nothing for JSON that is not JSON-RPC (and logs a page of schema
 * errors), and closes the whole connection (killing every session) when a line outgrows its
 * 10 MB buffer. Here each of those gets a JSON-RPC error (id null unless one can be read), at
 * most MAX_MESSAGE_BYTES of a line is ever held, and only well-formed messages go on.
 */
function guardInput(
  stdin: Readable,
  reply: (e: ErrorReply) => void,
  log: (line: string) => void,
): { input: Readable; detach: () => void } {
  const out = new PassThrough();
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const endLine = (): void => {
    if (tooLong) {
      reply({
        jsonrpc: '2.0',
        id: null,
        error: { code: -32600, message: `Invalid Request: message over ${MAX_MESSAGE_BYTES} bytes` },
      });
      log(`dropped a message over ${MAX_MESSAGE_BYTES} bytes`);
    } else {
      const v = vetLine(Buffer.concat(parts).toString('utf8').replace(/\r$/, ''));
      if (v.pass !== undefined) out.write(`${v.pass}\n`);
      if (v.error) {
        reply(v.error);
        log(`answered ${v.error.error.message.slice(0, 120)}`);
      }
      if (v.note) log(v.note);
    }
    parts = [];
    size = 0;
    tooLong = false;
  };
  const onData = (chunk: Buffer | string): void => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      const piece = buf.subarray(start, nl === -1 ? buf.length : nl);
      size += piece.length;
      if (size > MAX_MESSAGE_BYTES) {
        tooLong = true;
        parts = [];
      } else if (piece.length > 0) parts.push(piece);
      if (nl === -1) return;
      endLine();
      start = nl + 1;
    }
  };
  const onEnd = (): void => void out.end();
  const onClose = (): void => void out.destroy();
  const onError = (e: Error): void => void out.destroy(e);
  const unlisten = listen(stdin, { data: onData, end: onEnd, close: onClose, error: onError });
  return {
    input: out,
    // Stop reading, as the SDK does with a stdin it owns: a stdin still flowing keeps the
    // process alive after the client stopped reading our stdout.
    detach: () => {
      unlisten();
      if (stdin.listenerCount('data') === 0) stdin.pause();
    },
  };
}

/**
 * Serve the axiom tools over stdio until the client disconnects (stdin closes), the transport
 * fails, or (through opts.host) a signal arrives. Resolves then; the caller shuts the engine
 * down (`await engine.shutdown()`) and exits. Serves both protocol eras through the SDK's
 * `serveStdio` (2025-era `initialize` clients and 2026-07-28 clients alike).
 * Throws at once when `root` does not exist.
 */
export async function runMcpStdio(engine: EngineLike, opts: RunMcpStdioOptions): Promise<void> {
  const ctx = createToolContext(engine, opts);
  const stdout = opts.stdout ?? process.stdout;
  let markClosed = (): void => {};
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const reply = (e: ErrorReply): void => {
    // One write per message: it cannot interleave with the SDK's own (whole-line) writes.
    if (stdout.writable) stdout.write(`${JSON.stringify(e)}\n`);
  };
  const guard = guardInput(opts.stdin ?? process.stdin, reply, (l) => ctx.log(l));
  const wire = new ObservedTransport(new StdioServerTransport(guard.input, stdout), () => markClosed());

  // Anything that logs with console.log must not corrupt the JSON-RPC stream on stdout.
  const restoreConsole = stdout === process.stdout ? divertConsoleToStderr() : () => {};

  const handle = serveStdio(() => buildMcpServer(ctx, opts.version), {
    transport: wire,
    // One line per error (schema errors come as pages of JSON).
    onerror: (error) => ctx.log(`transport: ${error.message.replace(/\s+/g, ' ').slice(0, 300)}`),
  });

  const detach =
    opts.host?.attach({
      stop: ({ signal, error }) => {
        ctx.log(`${signal ?? (error !== undefined ? 'fatal error' : 'stop')}: closing`);
        void handle.close().finally(markClosed);
      },
    }) ?? (() => {});

  ctx.log(`serving on stdio (root ${ctx.root}, max ${ctx.maxSessions} sessions)`);
  try {
    await closed;
  } finally {
    detach();
    await handle.close().catch(() => {});
    guard.detach();
    ctx.dispose();
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
