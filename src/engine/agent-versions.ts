/**
 * Each agent executable's version, asked once per run and executable, in the background (never
 * on a session's start path): the sessions' snapshots carry it, and a version outside the tested
 * range is warned about once, in one line. Probes still running are killed at shutdown.
 */
import { type ChildProcess, execFile } from 'node:child_process';
import type { VersionProbe } from '../agents/profile.js';

export class AgentVersions {
  private readonly asked = new Map<string, Promise<string | undefined>>();
  private readonly known = new Map<string, string>();
  private readonly running = new Set<ChildProcess>();

  constructor(private readonly warn: (message: string) => void) {}

  /** Find session `id`'s version; `known` runs once it is (if the session is still wanted). */
  probe(id: string, probe: VersionProbe, env: Record<string, string>, known: () => boolean): void {
    let asked = this.asked.get(probe.file);
    if (!asked) {
      asked = new Promise<string | undefined>((resolve) => {
        try {
          // No terminal and no input: an executable that does not know the flag and waits for
          // input gets end-of-file; one that hangs is killed after 5 s, or at shutdown.
          const child = execFile(
            probe.file,
            probe.args,
            { env, timeout: 5_000, killSignal: 'SIGKILL', encoding: 'utf8' },
            (err, stdout) => {
              this.running.delete(child);
              resolve(err ? undefined : probe.parse(stdout));
            },
          );
          child.stdin?.end();
          this.running.add(child);
        } catch {
          resolve(undefined);
        }
      });
      this.asked.set(probe.file, asked);
      void asked.then((v) => {
        const warning = v ? probe.untested(v) : undefined;
        if (warning) this.warn(warning);
      });
    }
    void asked.then((v) => {
      if (!v) return;
      this.known.set(id, v);
      if (!known()) this.known.delete(id);
    });
  }

  of(id: string): string | undefined {
    return this.known.get(id);
  }

  /** Kill the probes still running (shutdown): none outlives the engine. */
  stop(): void {
    for (const p of this.running) p.kill('SIGKILL');
  }
}
