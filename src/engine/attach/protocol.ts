/**
 * The attach protocol: JSON lines over the UI's Unix socket (see server.ts, remote.ts).
 *
 * client → server  {"id": 1, "method": "send", "args": ["3", "fix the test", {}]}
 * server → client  {"id": 1, "result": ...} | {"id": 1, "error": "...", "code": "held"}
 *                  {"event": "status", "args": [...], "snapshot": {...}, "text": {...}}
 *
 * A call names an Engine method and passes its arguments as JSON; the server decides which
 * methods a client may call and on which sessions. Events are the engine's own (EngineEvents),
 * with the concerned session's fresh snapshot and the output lines the client has not seen yet.
 */
import type { SessionSnapshot } from '../types.js';

/** Largest frame a client may send (a prompt is far smaller); longer ones are refused. */
export const MAX_CALL_BYTES = 1024 * 1024;
/** Largest frame the client accepts from the UI (output text rides on events). */
export const MAX_EVENT_BYTES = 32 * 1024 * 1024;
/** Protocol version, checked at hello. */
export const ATTACH_PROTOCOL = 1;

export interface CallFrame {
  id: number;
  method: string;
  args: unknown[];
}

/** Why a call failed, when the client should act on it. */
export type ErrorCode = 'unknown-session' | 'held' | 'refused' | 'malformed';

export interface ReplyFrame {
  id: number | null;
  result?: unknown;
  error?: string;
  code?: ErrorCode;
}

/** New output lines: `lines` end at absolute line index `cursor` (see Engine.output). */
export interface TextFrame {
  cursor: number;
  lines: string[];
}

export interface EventFrame {
  event: string;
  args: unknown[];
  /** The concerned session as it is now (absent for events about no session). */
  snapshot?: SessionSnapshot;
  text?: TextFrame;
}

/** What `hello` answers. */
export interface HelloResult {
  protocol: number;
  /** Sessions' working directories must be inside it. */
  root: string;
  runId: string;
  /** The sessions this client sees, each with its output so far. */
  sessions: { snapshot: SessionSnapshot; text: TextFrame }[];
}

/** Parse one line from a client; a string is the reason it is not a call. */
export function parseCall(line: string): CallFrame | { error: string; id: number | null } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return { error: `not JSON (${(e as Error).message})`, id: null };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    return { error: 'expected one JSON object per line', id: null };
  const o = v as Record<string, unknown>;
  const id = typeof o.id === 'number' && Number.isSafeInteger(o.id) ? o.id : null;
  if (id === null) return { error: '"id" must be a whole number', id: null };
  if (typeof o.method !== 'string' || o.method === '') return { error: '"method" must be a method name', id };
  if (!Array.isArray(o.args)) return { error: '"args" must be an array', id };
  return { id, method: o.method, args: o.args };
}

/**
 * Splits a byte stream into lines, holding at most `max` bytes of one line: a longer line is
 * reported once (`onOversize`) and skipped up to its newline.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private tooLong = false;

  constructor(
    private readonly max: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: () => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      const piece = chunk.subarray(start, nl === -1 ? chunk.length : nl);
      this.size += piece.length;
      if (this.size > this.max) {
        if (!this.tooLong) this.onOversize();
        this.tooLong = true;
        this.parts = [];
      } else if (piece.length > 0) this.parts.push(piece);
      if (nl === -1) return;
      const line = this.tooLong ? undefined : Buffer.concat(this.parts).toString('utf8');
      this.parts = [];
      this.size = 0;
      this.tooLong = false;
      if (line !== undefined && line.trim() !== '') this.onLine(line);
      start = nl + 1;
    }
  }
}

/** One frame as a line. */
export function encode(frame: CallFrame | ReplyFrame | EventFrame): string {
  return `${JSON.stringify(frame)}\n`;
}
