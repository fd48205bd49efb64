import { EventEmitter } from 'node:events';
import type { ProcessPort } from '../../src/cli/lifecycle.js';

/** A stand-in for `process` in tests (no real signals, exits recorded). */
export class FakeProcess extends EventEmitter implements ProcessPort {
  readonly pid = 4242;
  exitCode: number | string | undefined;
  readonly exits: number[] = [];
  readonly kills: NodeJS.Signals[] = [];
  readonly stdout = new EventEmitter();
  readonly stderr = Object.assign(new EventEmitter(), {
    text: '',
    write(s: string) {
      this.text += s;
      return true;
    },
  });
  kill(_pid: number, signal: NodeJS.Signals): boolean {
    this.kills.push(signal);
    return true;
  }
  exit(code?: number): void {
    this.exits.push(code ?? 0);
  }
}
