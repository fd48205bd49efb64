/**
 * The private channel agents' hooks report to: HTTP on 127.0.0.1, one random port per engine,
 * every URL carrying a per-run secret (`/hook/<secret>/<session id>`). Requests without the
 * secret get 403 and are never parsed. The URL reaches claude in a 0600 settings file, never on
 * its command line (which every local user can read).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HookEvent {
  sessionId: string;
  /** The parsed JSON payload (hook_event_name, session_id, cwd, tool_name, tool_input...). */
  payload: Record<string, unknown>;
}

const MAX_BODY = 4 * 1024 * 1024;

export class HookServer {
  private server: Server | undefined;
  private port = 0;
  readonly secret = randomBytes(24).toString('hex');
  rejected = 0;

  constructor(private readonly onEvent: (ev: HookEvent) => void) {}

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => {
      const m = /^\/hook\/([0-9a-f]+)\/([\w-]+)$/.exec(req.url ?? '');
      const given = Buffer.from(m?.[1] ?? '');
      const want = Buffer.from(this.secret);
      if (req.method !== 'POST' || !m || given.length !== want.length || !timingSafeEqual(given, want)) {
        this.rejected++;
        res.writeHead(403).end();
        req.resume();
        return;
      }
      const sessionId = m[2] as string;
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_BODY) chunks.push(c);
      });
      req.on('end', () => {
        // An empty JSON object means "no decision": the agent carries on as if no hook ran.
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        if (size > MAX_BODY) return;
        try {
          const payload = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
          if (payload && typeof payload === 'object') this.onEvent({ sessionId, payload });
        } catch {
          // Not JSON: ignore.
        }
      });
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  urlFor(sessionId: string): string {
    return `http://127.0.0.1:${this.port}/hook/${this.secret}/${sessionId}`;
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
