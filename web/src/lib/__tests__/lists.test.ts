// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { byLongestWait, previewOf, ringsForMessage } from '../lists';
import { message, opened } from './fixtures';

const t = (key: string) => `<${key}>`;

describe('byLongestWait', () => {
  it('puts the longest unanswered wait first and answered chats after, in their order', () => {
    const list = [
      opened(1, { awaiting_reply_since: null }),
      opened(2, { awaiting_reply_since: '2026-11-25T10:05:00Z' }),
      opened(3, { awaiting_reply_since: '2026-11-25T10:01:00Z' }),
      opened(4, { awaiting_reply_since: null }),
      opened(5, { awaiting_reply_since: '2026-11-25T10:05:00Z' }),
    ];
    expect(byLongestWait(list).map((a) => a.id)).toEqual([3, 2, 5, 1, 4]);
  });

  it('copes with a server that sends no wait at all', () => {
    expect(byLongestWait([opened(2), opened(1)]).map((a) => a.id)).toEqual([2, 1]);
  });
});

describe('previewOf', () => {
  const at = '2026-11-25T10:05:00Z';

  it('shows the text, and whether the agent wrote it', () => {
    expect(previewOf({ at, direction: 'in', type: 'text', text: 'Hola' }, t)).toEqual({ text: 'Hola', mine: false });
    expect(previewOf({ at, direction: 'out', type: 'text', text: 'Listo' }, t)?.mine).toBe(true);
  });

  it('says what a file or place is, with its caption when there is one', () => {
    expect(previewOf({ at, direction: 'in', type: 'image', text: null }, t)?.text).toBe('<preview.image>');
    expect(previewOf({ at, direction: 'in', type: 'image', text: 'mi DNI' }, t)?.text).toBe('<preview.image> · mi DNI');
    expect(previewOf({ at, direction: 'in', type: 'location', text: null }, t)?.text).toBe('<preview.location>');
  });

  it('shows nothing without a message, or for an empty unknown one', () => {
    expect(previewOf(null, t)).toBeNull();
    expect(previewOf(undefined, t)).toBeNull();
    expect(previewOf({ at, direction: 'in', type: 'reaction', text: null }, t)).toBeNull();
  });
});

describe('ringsForMessage', () => {
  const open = [opened(1), opened(2)];

  it('rings for a customer message in an open chat that is not on screen', () => {
    expect(ringsForMessage(open, 1, message(10, 2), false)?.id).toBe(2);
  });

  it('stays quiet for the chat on screen, unless the tab is hidden', () => {
    expect(ringsForMessage(open, 2, message(10, 2), false)).toBeNull();
    expect(ringsForMessage(open, 2, message(10, 2), true)?.id).toBe(2);
  });

  it('stays quiet for the agent’s own messages, system notices and chats not open', () => {
    expect(ringsForMessage(open, null, message(10, 2, { direction: 'out' }), true)).toBeNull();
    expect(ringsForMessage(open, null, message(10, 2, { type: 'system' }), true)).toBeNull();
    expect(ringsForMessage(open, null, message(10, 3), true)).toBeNull();
  });
});
