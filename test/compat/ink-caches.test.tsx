import { afterEach, expect, it, vi } from 'vitest';
import { installInkCaches } from '../../src/compat/ink-caches.js';
import { App } from '../../src/ui/App.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { cleanup, render } from '../ui/helpers.js';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const tick = () => new Promise((r) => setTimeout(r, 30));

it('Ink draws the same frames with caches kept across renders, changed lines included', async () => {
  // The pane title shows the elapsed time: a frozen clock keeps both renders in the same second
  // however loaded the machine is.
  vi.useFakeTimers({ toFake: ['Date'] });
  const engine = new FakeEngine();
  engine.spawn({ prompt: 'first task' });
  engine.emitOutput('1', 'hello ─ wide 漢字 and 🙂', '');
  const app = () => <App engine={engine} size={{ cols: 90, rows: 24 }} spawnDefaults={{ cwd: '/tmp' }} />;
  const before = render(app(), 90, 24);
  await tick();
  const frameBefore = before.lastFrame();
  cleanup();

  expect(await installInkCaches()).toBe(true);
  const after = render(app(), 90, 24);
  await tick();
  expect(after.lastFrame()).toBe(frameBefore);
  vi.useRealTimers();
  // Lines that change between renders are measured again (no stale cached widths).
  after.stdin.write('typed 漢字');
  await tick();
  engine.emitOutput('1', 'a new line', '');
  await tick();
  const frame = after.lastFrame() ?? '';
  expect(frame).toContain('typed 漢字');
  expect(frame).toContain('a new line');
  const widths = frame.split('\n').map((l) => l.replace(/\x1b\[[\d;]*m/g, '').length);
  expect(Math.max(...widths)).toBeLessThanOrEqual(90);
});
