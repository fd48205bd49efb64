import type { Waiting } from '../../src/engine/types.js';

/**
 * A permission dialog as a profile reads it off the screen: `text` and options numbered 1.. with
 * `labels`, cancellable; `over` adds or changes fields (the cursor's `selected`, the hook's `tool`
 * and `subject`).
 */
export const permissionDialog = (
  text: string,
  labels: readonly string[],
  over: Partial<Waiting> = {},
): Waiting => ({
  kind: 'permission',
  name: 'permission',
  text,
  options: labels.map((label, i) => ({ id: String(i + 1), label })),
  cancellable: true,
  ...over,
});
