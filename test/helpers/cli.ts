import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  out: string;
  err: string;
  code: number;
}

/**
 * Run the CLI in this process (`axiom ...args`): what it printed on stdout and stderr, and the exit
 * code it set. process.exitCode is put back afterwards.
 */
export async function runCli(args: readonly string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(['node', 'axiom', ...args]);
    return { out, err, code: Number(process.exitCode ?? 0) };
  } finally {
    process.exitCode = before;
    o.mockRestore();
    e.mockRestore();
  }
}
