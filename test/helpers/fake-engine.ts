import { EventEmitter } from 'node:events';
import { AnswerError, findOption } from '../../src/engine/answer.js';
import type { Engine } from '../../src/engine/engine.js';
import { UnknownSessionError } from '../../src/engine/engine.js';
import type { ApplyResult, DiffTextOptions } from '../../src/engine/git/worktree.js';
import type {
  Answer,
  EngineEvents,
  LastCheck,
  OutputChunk,
  SendOptions,
  SessionSnapshot,
  SessionStatus,
  SpawnOptions,
  StyledLine,
  Waiting,
  WorktreeInfo,
} from '../../src/engine/types.js';
import { stringWidth } from '../../src/ui/width.js';

/** A call recorded by FakeEngine, for assertions. */
export type FakeCall =
  | { op: 'spawn'; opts: SpawnOptions }
  | { op: 'send'; id: string; text: string; opts?: SendOptions }
  | { op: 'interrupt'; id: string }
  | { op: 'answer'; id: string; option: string; by?: string }
  | { op: 'write'; id: string; data: string }
  | { op: 'kill'; id: string }
  | { op: 'resize'; id: string; cols: number; rows: number }
  | { op: 'apply'; id: string; within?: string }
  | { op: 'hold'; id: string; held: boolean }
  | { op: 'handTo'; id: string; client: string | undefined }
  | { op: 'shutdown' };

/**
 * An in-memory Engine for front-end tests: no processes. Tests drive it with
 * `emitOutput`, `setStatus`, `addFile` and read `calls`.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A line of plain text as a real screen's styled line (see StyledSpan): 1-cell single code units
 * in runs, every other cluster a span of its own with its width.
 */
export function cellSpans(text: string): StyledLine {
  const out: StyledLine = [];
  for (const { segment } of graphemes.segment(text)) {
    const w = stringWidth(segment);
    const last = out[out.length - 1];
    if (w === 1 && segment.length === 1) {
      if (last && last.width === undefined) last.text += segment;
      else out.push({ text: segment });
    } else if (w > 0) out.push({ text: segment, width: w });
  }
  return out;
}

export class FakeEngine extends EventEmitter implements Engine {
  readonly calls: FakeCall[] = [];
  private readonly sessions = new Map<string, SessionSnapshot>();
  private readonly lines = new Map<string, string[]>();
  private next = 1;
  now: () => number = () => Date.now();

  spawn(opts: SpawnOptions): SessionSnapshot {
    this.calls.push({ op: 'spawn', opts });
    const n = this.next++;
    const id = String(n);
    const s: SessionSnapshot = {
      id,
      n,
      agent: opts.agent ?? 'claude',
      command: ['claude', ...(opts.agentArgs ?? [])],
      cwd: opts.cwd ?? process.cwd(),
      prompt: opts.prompt ?? '',
      lastPrompt: opts.prompt ?? '',
      status: opts.prompt ? 'RUNNING' : 'STARTING',
      startedAt: this.now(),
      turnStartedAt: opts.prompt ? this.now() : undefined,
      turnDurations: [],
      filesWritten: [],
      lastLine: '',
      cols: opts.cols ?? 80,
      rows: opts.rows ?? 24,
      bytesReceived: 0,
      ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    };
    this.sessions.set(id, s);
    this.lines.set(id, []);
    this.emit('session-added', { ...s });
    return { ...s };
  }

  list(): SessionSnapshot[] {
    return [...this.sessions.values()].map((s) => ({ ...s }));
  }

  get(id: string): SessionSnapshot | undefined {
    const s = this.sessions.get(id);
    return s ? { ...s } : undefined;
  }

  private must(id: string): SessionSnapshot {
    const s = this.sessions.get(id);
    if (!s) throw new UnknownSessionError(id);
    return s;
  }

  async send(id: string, text: string, opts?: SendOptions): Promise<void> {
    const s = this.must(id);
    this.calls.push({ op: 'send', id, text, opts });
    if (s.status === 'RUNNING' && opts?.interrupt !== false) {
      this.calls.push({ op: 'interrupt', id });
      this.setStatus(id, 'INTERRUPTED');
    }
    s.lastPrompt = text;
    if (!s.prompt) s.prompt = text;
    s.turnStartedAt = this.now();
    s.turnEndedAt = undefined;
    this.setStatus(id, 'RUNNING');
  }

  hold(id: string, held: boolean): void {
    const s = this.must(id);
    this.calls.push({ op: 'hold', id, held });
    if (held) s.held = true;
    else delete s.held;
    this.emit('control', { ...s });
  }

  handTo(id: string, client: string | undefined): void {
    const s = this.must(id);
    this.calls.push({ op: 'handTo', id, client });
    if (client === undefined) delete s.owner;
    else s.owner = client;
    this.emit('control', { ...s });
  }

  /** What clients() answers (set it with setClients). */
  private clientNames: string[] = [];

  clients(): string[] {
    return [...this.clientNames];
  }

  setClients(names: string[]): void {
    this.clientNames = [...names];
    this.emit('clients', this.clients());
  }

  async interrupt(id: string): Promise<void> {
    const s = this.must(id);
    this.calls.push({ op: 'interrupt', id });
    if (s.status === 'RUNNING') this.setStatus(id, 'INTERRUPTED');
  }

  /** Picks by id or label like the engine; the session then runs on (RUNNING). */
  async answer(id: string, option: string, by = 'person'): Promise<Answer> {
    const s = this.must(id);
    this.calls.push({ op: 'answer', id, option, by });
    if (s.status !== 'WAITING' || !s.waiting)
      throw new AnswerError(`#${s.n} is not waiting on a dialog (${s.status}); nothing to answer`);
    const a: Answer = { dialog: s.waiting.name, option: findOption(s.waiting, option), by, at: this.now() };
    s.waiting = undefined;
    this.setStatus(id, 'RUNNING');
    this.emit('answered', id, a);
    return a;
  }

  write(id: string, data: string): void {
    this.must(id);
    this.calls.push({ op: 'write', id, data });
  }

  async kill(id: string): Promise<void> {
    const s = this.must(id);
    this.calls.push({ op: 'kill', id });
    s.exitCode = null;
    s.signal = 15;
    s.endedAt = this.now();
    this.setStatus(id, 'EXITED');
    this.emit('exit', { ...s });
  }

  remove(id: string): void {
    this.must(id);
    this.sessions.delete(id);
    this.lines.delete(id);
    this.emit('session-removed', id);
  }

  resize(id: string, cols: number, rows: number): void {
    const s = this.must(id);
    this.calls.push({ op: 'resize', id, cols, rows });
    s.cols = Math.max(1, cols);
    s.rows = Math.max(1, rows);
  }

  screen(id: string, scrollback = 0): StyledLine[] {
    const s = this.must(id);
    const all = this.lines.get(id) ?? [];
    const end = Math.max(0, all.length - scrollback);
    const start = Math.max(0, end - s.rows);
    const view = all.slice(start, end).map(cellSpans);
    while (view.length < s.rows) view.push([]);
    return view;
  }

  scrollbackLength(id: string): number {
    const s = this.must(id);
    return Math.max(0, (this.lines.get(id)?.length ?? 0) - s.rows);
  }

  cursor(id: string): { x: number; y: number } | undefined {
    this.must(id);
    return undefined;
  }

  output(id: string, cursor = 0): OutputChunk {
    this.must(id);
    const all = this.lines.get(id) ?? [];
    return { cursor: all.length, text: all.slice(cursor).join('\n') };
  }

  /** Patches `diff()` returns per session (a session without one rejects like the engine). */
  readonly diffs = new Map<string, string>();
  /** What `apply()` returns next. */
  applyResult: ApplyResult = { ok: true, files: [] };

  async diff(id: string, _opts?: DiffTextOptions): Promise<string> {
    this.must(id);
    const d = this.diffs.get(id);
    if (d === undefined) throw new Error(`session #${id} has no worktree (start it with --worktree)`);
    return d;
  }

  async apply(id: string, within?: string): Promise<ApplyResult> {
    const s = this.must(id);
    this.calls.push({ op: 'apply', id, within });
    if (this.applyResult.ok && s.worktree) {
      s.worktree = { ...s.worktree, applied: true };
      this.emit('worktree', { ...s });
    }
    return this.applyResult;
  }

  /** Give a session a worktree (as the engine would after making it). */
  setWorktree(id: string, wt: WorktreeInfo): void {
    const s = this.must(id);
    s.worktree = { ...wt };
    this.emit('worktree', { ...s });
  }

  /** Record the last test or command the session's agent ran (as its log would tell). */
  setLastCheck(id: string, check: LastCheck): void {
    this.must(id).lastCheck = { ...check };
    this.emit('output', id);
  }

  async shutdown(): Promise<void> {
    this.calls.push({ op: 'shutdown' });
    for (const s of this.sessions.values()) {
      if (s.status !== 'EXITED' && s.status !== 'FAILED') {
        s.endedAt = this.now();
        this.setStatus(s.id, 'EXITED');
      }
    }
  }

  // ---- test drivers ----

  /** Append lines of plain output to a session's screen and emit `output`. */
  emitOutput(id: string, ...newLines: string[]): void {
    const s = this.must(id);
    const all = this.lines.get(id) ?? [];
    all.push(...newLines);
    this.lines.set(id, all);
    s.lastOutputAt = this.now();
    s.bytesReceived += newLines.join('\n').length;
    s.lastLine = [...all].reverse().find((l) => l.trim() !== '') ?? '';
    this.emit('output', id);
  }

  setStatus(id: string, status: SessionStatus, reason?: string, waiting?: Waiting): void {
    const s = this.must(id);
    const previous = s.status;
    s.waiting = status === 'WAITING' ? waiting : undefined;
    if (previous === 'RUNNING' && status !== 'RUNNING') {
      s.turnEndedAt = this.now();
      if (s.turnStartedAt !== undefined) s.turnDurations.push(s.turnEndedAt - s.turnStartedAt);
    }
    s.status = status;
    s.reason = reason;
    this.emit('status', { ...s }, previous);
  }

  addFile(id: string, path: string, tool = 'Write'): void {
    const s = this.must(id);
    const ev = { path, tool, at: this.now() };
    s.filesWritten.push(ev);
    this.emit('file-written', id, ev);
  }

  override on<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this {
    return super.on(event, listener);
  }

  override off<K extends keyof EngineEvents>(event: K, listener: EngineEvents[K]): this {
    return super.off(event, listener);
  }
}
