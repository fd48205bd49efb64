import { describe, expect, it } from 'vitest';
import type { Waiting } from '../../src/engine/types.js';
import { dialogWaiting, eventWaiting } from '../../src/engine/waiting-reason.js';

const drawn: Waiting = {
  kind: 'permission',
  name: 'permission',
  text: 'Do you want to create a.txt?',
  options: [{ id: '1', label: 'Yes' }],
  cancellable: true,
};

describe('waiting reasons', () => {
  it('a named dialog: its name and first line', () => {
    const trust: Waiting = {
      ...drawn,
      kind: 'question',
      name: 'trust',
      text: '\n  Is this a project you trust?\nmore',
    };
    expect(dialogWaiting(trust, undefined)).toEqual({
      reason: 'waiting for a person (trust): Is this a project you trust?',
      waiting: trust,
    });
  });

  it('a permission dialog keeps the words and the subject the agent event gave it', () => {
    const told = eventWaiting(
      'Write a.txt',
      { ...drawn, text: 'Write a.txt needs permission', options: [], tool: 'Write' },
      undefined,
    );
    expect(told.reason).toBe('permission needed for Write a.txt: answer the dialog');
    expect(told.waiting).toMatchObject({ tool: 'Write', subject: 'Write a.txt', options: [] });
    expect(dialogWaiting(drawn, told)).toEqual({
      reason: 'permission needed for Write a.txt: answer the dialog',
      waiting: { ...drawn, tool: 'Write', subject: 'Write a.txt' },
    });
    expect(dialogWaiting(drawn, undefined)).toEqual({
      reason: 'permission needed: answer the dialog',
      waiting: drawn,
    });
  });

  it('an event while the dialog is drawn already takes the drawn one', () => {
    expect(eventWaiting('Bash ls', { ...drawn, tool: 'Bash' }, drawn).waiting).toEqual({
      ...drawn,
      tool: 'Bash',
      subject: 'Bash ls',
    });
  });
});
