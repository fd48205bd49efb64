/**
 * A session's plain-text stream: from the agent's structured log where its profile names one
 * (TextFeed), with the screen's finished answer rows passed on live (LiveText); otherwise, and if
 * the log never shows up, from the screen's stable rows. Finished text also goes to the `.txt`
 * transcript. Knows no turn or status: the session asks it what the log says about the turn.
 */
import type { TextSourceSpec } from '../agents/profile.js';
import { LastCheckTracker } from './last-check.js';
import { LiveText } from './live-text.js';
import { DEFAULT_SCREEN_OPTIONS, type Screen } from './screen.js';
import { TextFeed } from './text-feed.js';
import type { LastCheck } from './types.js';

export interface TextStreamHost {
  /** Finished text for the `.txt` transcript. */
  writeText(text: string): void;
  /** Text came from the agent's log: front ends may read more. */
  changed(): void;
  warning(message: string): void;
  /** After each read of the agent's log (the session may be waiting for its end of turn). */
  afterRead(): void;
}

/** What the agent's log says about turns, while it is the text source. */
export interface LogTurns {
  /** The log file was found. */
  found: boolean;
  /** A turn was opened by a record and not closed by one yet. */
  turnOpen: boolean;
  /** Turns opened so far. */
  turns: number;
}

export class TextStream {
  private feed: TextFeed | undefined;
  private live: LiveText | undefined;
  /** The screen's log lines handed to `live` so far, and its resets then. */
  private screenCursor = 0;
  private screenResets = 0;
  /** The last test or command the agent's log told of. */
  private readonly checks = new LastCheckTracker();

  /** `who` names the session in warnings ("#3"), `agent` the profile ("claude"). */
  constructor(
    private readonly screen: Screen,
    private readonly who: string,
    private readonly agent: string,
    private readonly host: TextStreamHost,
  ) {}

  /** Tail the agent's structured log for the text, when its profile names one. */
  start(spec: TextSourceSpec | undefined): void {
    if (!spec) return;
    this.feed = new TextFeed(spec, { onChange: () => this.read() });
    this.live = new LiveText(DEFAULT_SCREEN_OPTIONS.logLimit, spec.screenRow?.bind(spec));
  }

  /** The log's view of turns; undefined when the screen is the text source. */
  get log(): LogTurns | undefined {
    const f = this.feed;
    return f ? { found: f.file !== undefined, turnOpen: f.turnOpen, turns: f.turns } : undefined;
  }

  /**
   * Text the screen committed: to the `.txt` when the screen is the text source; with a feed,
   * its new finished lines go to the live text (which passes on the answer rows still streaming).
   */
  takeScreenText(text: string): void {
    const live = this.live;
    if (!this.feed || !live) {
      this.host.writeText(text);
      return;
    }
    // What the log holds by now goes first (the prompt before the answer's live rows).
    this.read();
    // The log was never found: the screen's log (this commit included) is the text from now on.
    if (this.live !== live) return;
    const { lines, cursor } = this.screen.readLog(this.screenCursor);
    this.screenCursor = cursor;
    const redrawn = this.screen.resets !== this.screenResets;
    this.screenResets = this.screen.resets;
    const added = live.fromScreen(lines, redrawn);
    if (added) this.host.writeText(added);
  }

  /** Take what the agent's log gained: into the text log and the `.txt`, then tell front ends. */
  read(): void {
    const feed = this.feed;
    if (!feed) return;
    const records = feed.poll();
    const checked = this.checks.take(records, Date.now());
    const text = this.live?.fromRecords(records) ?? '';
    if (text) this.host.writeText(text);
    if (text || checked) this.host.changed();
    this.host.afterRead();
  }

  /**
   * The agent's log never showed up (another version, another config dir): the screen's stable
   * rows become the text, from the start (no line came from the log, so cursors still hold).
   */
  fallBack(): void {
    const feed = this.feed;
    if (!feed || feed.file || (this.live?.log.end ?? 0) > 0) return;
    this.host.warning(
      `${this.who}: ${this.agent}'s conversation log was not found under ${feed.root}; plain text comes from the screen`,
    );
    feed.close();
    this.feed = undefined;
    this.live = undefined;
    const { lines } = this.screen.readLog(0);
    if (lines.length) this.host.writeText(`${lines.join('\n')}\n`);
  }

  /** The agent exited: take the log's last records (or fall back to the screen), stop tailing. */
  finish(): void {
    this.read();
    this.fallBack();
    this.feed?.close();
  }

  /** The pane was resized: the screen reflows what the live text follows. */
  resized(): void {
    this.live?.resized();
  }

  /** The last test or command the agent's log told of (see last-check.ts). */
  get lastCheck(): LastCheck | undefined {
    return this.checks.last;
  }

  /** Lines of the text stream from `cursor` (see Session.output). */
  readLines(cursor: number): { lines: string[]; dropped: number; cursor: number } {
    return this.live ? this.live.log.read(cursor) : this.screen.readLog(cursor);
  }

  close(): void {
    this.feed?.close();
  }
}
