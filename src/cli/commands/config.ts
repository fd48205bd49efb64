/** `axiom config [--json]`: the configuration in effect and where each value came from. */
import type { Command } from 'commander';
import { explainKeys, explainSettings, type Loaded, renderExplained } from '../load-settings.js';
import type { SettingsFlags } from '../settings.js';

export function registerConfig(
  program: Command,
  agentArgs: string[] | undefined,
  load: (flags: SettingsFlags) => Loaded | undefined,
): void {
  program
    .command('config')
    .description(
      'print the configuration in effect (flags, config files, defaults) and where each value came from',
    )
    .option('--json', 'print it as JSON')
    .action((_o: unknown, cmd: Command) => {
      const flags = { ...cmd.optsWithGlobals<SettingsFlags & { json?: boolean }>(), agentArgs };
      const loaded = load(flags);
      if (!loaded) return;
      const source = (flag: keyof SettingsFlags) => cmd.getOptionValueSourceWithGlobals(flag);
      const settings = explainSettings(loaded, flags, source, process.env);
      const keys = explainKeys(loaded);
      if (flags.json) {
        const { userPath, projectPath } = loaded.config;
        process.stdout.write(
          `${JSON.stringify({ userPath, projectPath: projectPath ?? null, settings, keys }, null, 2)}\n`,
        );
      } else {
        process.stdout.write(renderExplained(loaded, settings, keys));
      }
      process.exitCode = 0;
    });
}
