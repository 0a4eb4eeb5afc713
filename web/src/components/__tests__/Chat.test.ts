import { afterEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Chat from '../Chat.svelte';
import { app } from '../../lib/store.svelte';
import { emptyPanel } from '../../lib/reducer';
import { ME, message, opened } from '../../lib/__tests__/fixtures';

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe('Chat, read-only', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    app.viewing = null;
    app.panel = emptyPanel();
  });

  it('an attended attention shows its conversation, a "Solo lectura" banner and no composer', () => {
    app.panel = emptyPanel(ME);
    app.viewing = {
      attention: { ...opened(4, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'transferred' },
      messages: [message(1, 4), message(2, 4, { direction: 'out', status: 'read' })],
      loading: false,
      error: null,
    };
    cmp = mount(Chat, { target: document.body });
    flushSync();
    expect(byTestId('chat-header')!.dataset.readOnly).toBe('true');
    expect(byTestId('read-only')!.textContent).toContain('Solo lectura');
    expect(document.querySelectorAll('[data-testid="message"]')).toHaveLength(2);
    expect(byTestId('composer-input')).toBeNull();
    expect(byTestId('chat-countdown')).toBeNull();
  });
});
