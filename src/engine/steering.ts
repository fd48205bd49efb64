/**
 * Who steers each session when MCP clients are attached to the engine (engine/attach): the
 * client that owns it, whether the person holds it, whether the person took it over, and who
 * sent each direction. The engine owns one; it only keeps state and says what changed.
 */
import { type Direction, PERSON, type SessionSnapshot } from './types.js';

interface Control {
  owner?: string;
  held?: boolean;
  takenOver?: boolean;
}

/** Longest direction text kept from keys typed into a pane (the rest is cut). */
const MAX_TYPED = 2000;

export interface SteeringEvents {
  /** owner, held or takenOver of the session changed. */
  control(id: string): void;
  direction(id: string, d: Direction): void;
  clients(names: string[]): void;
}

export class Steering {
  private readonly controls = new Map<string, Control>();
  /** Keys the person typed into a client's pane since the last Enter, per session. */
  private readonly typed = new Map<string, string>();
  private names: string[] = [];

  constructor(
    private readonly events: SteeringEvents,
    /** The session's output cursor now (where a direction sent now appears). */
    private readonly cursorOf: (id: string) => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fields a snapshot carries. */
  fields(id: string): Pick<SessionSnapshot, 'owner' | 'held' | 'takenOver'> {
    const c = this.controls.get(id);
    if (!c) return {};
    return {
      ...(c.owner !== undefined ? { owner: c.owner } : {}),
      ...(c.held ? { held: true } : {}),
      ...(c.takenOver ? { takenOver: true } : {}),
    };
  }

  private change(id: string, patch: Control): void {
    const c = { ...this.controls.get(id), ...patch };
    this.controls.set(id, c);
    this.events.control(id);
  }

  spawned(id: string, owner: string | undefined): void {
    if (owner !== undefined) this.controls.set(id, { owner });
  }

  hold(id: string, held: boolean): void {
    if ((this.controls.get(id)?.held ?? false) === held) return;
    this.change(id, { held });
  }

  /** Hand to a client (its name) or back to the person (undefined). */
  handTo(id: string, client: string | undefined): void {
    const c = this.controls.get(id);
    if (c?.owner === client) return;
    // Handed to a client: it is the client's to steer (and to lose when it goes away) again.
    this.change(id, { owner: client, takenOver: false });
  }

  /** A prompt was sent (`from` undefined: the person). */
  sent(id: string, text: string, from: string | undefined): void {
    const who = from ?? PERSON;
    if (who === PERSON) this.personActed(id);
    this.events.direction(id, { from: who, text, at: this.cursorOf(id), time: this.now() });
  }

  /**
   * The person typed into the pane: a client's session is taken over, and what is typed up to
   * Enter is a direction (from the person).
   */
  personWrote(id: string, data: string): void {
    const c = this.controls.get(id);
    if (c?.owner === undefined) return;
    this.personActed(id);
    // An arrow or function key: not text.
    if (data.length > 1 && (data.startsWith('\x1b[') || data.startsWith('\x1bO'))) return;
    let buf = this.typed.get(id) ?? '';
    for (const ch of data) {
      if (ch === '\r' || ch === '\n') {
        const text = buf.trim();
        buf = '';
        if (text !== '')
          this.events.direction(id, { from: PERSON, text, at: this.cursorOf(id), time: this.now() });
      } else if (ch === '\x7f' || ch === '\b') buf = buf.slice(0, -1);
      else if (ch === '\x1b' || ch === '\x03' || ch === '\x15') buf = '';
      else if (ch >= ' ' && buf.length < MAX_TYPED) buf += ch;
    }
    this.typed.set(id, buf);
  }

  private personActed(id: string): void {
    const c = this.controls.get(id);
    if (c?.owner !== undefined && !c.takenOver) this.change(id, { takenOver: true });
  }

  removed(id: string): void {
    this.controls.delete(id);
    this.typed.delete(id);
  }

  clients(): string[] {
    return [...this.names];
  }

  setClients(names: readonly string[]): void {
    this.names = [...names];
    this.events.clients(this.clients());
  }
}
