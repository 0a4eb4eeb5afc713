import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
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
      hasOlder: false,
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

  it('a message is dated by when it was written: one from 25 hours ago is not "Hoy"', () => {
    const now = Date.now();
    app.now = now;
    const late = new Date(now - 25 * 3600_000).toISOString();
    app.panel = emptyPanel(ME);
    app.viewing = {
      attention: { ...opened(4, { state: 'closed' }), left_at: new Date(now).toISOString(), outcome: 'closed' },
      messages: [
        message(1, 4, { text: 'escrito sin señal', sent_at: late, created_at: new Date(now - 1000).toISOString() }),
        message(2, 4, { direction: 'out', status: 'read', created_at: new Date(now).toISOString() }),
      ],
      hasOlder: false,
      loading: false,
      error: null,
    };
    cmp = mount(Chat, { target: document.body });
    flushSync();
    const days = [...document.querySelectorAll('.day')].map((d) => d.textContent);
    expect(days).toHaveLength(2);
    expect(days[0]).not.toBe('Hoy');
    expect(days[1]).toBe('Hoy');
    const first = document.querySelector('[data-testid="message"][data-message-id="1"] time')!;
    expect(first.getAttribute('datetime')).toBe(late);
  });

  it('a reply jumps to the quoted message and highlights it for a moment', async () => {
    app.panel = emptyPanel(ME);
    app.viewing = {
      attention: { ...opened(4, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' },
      messages: [
        message(1, 4, { text: 'original' }),
        message(2, 4, { direction: 'out', status: 'read', text: 'respuesta' }),
        message(3, 4, { text: 'cita', reply_to: { message_id: 1, text: 'original', type: 'text' } }),
        message(5, 4, { text: 'cita perdida', reply_to: { message_id: 99, text: 'viejo', type: 'text' } }),
      ],
      hasOlder: false,
      loading: false,
      error: null,
    };
    cmp = mount(Chat, { target: document.body });
    flushSync();
    const quotes = [...document.querySelectorAll<HTMLElement>('[data-testid="message-reply-to"]')];
    expect(quotes.map((q) => q.tagName)).toEqual(['BUTTON', 'DIV']);
    const target = () => document.querySelector<HTMLElement>('[data-testid="message"][data-message-id="1"]')!;
    let scrolled = 0;
    target().scrollIntoView = () => void scrolled++;
    vi.useFakeTimers();
    try {
      quotes[0]!.click();
      await tick();
      await tick();
      expect(scrolled).toBe(1);
      expect(target().classList.contains('highlighted')).toBe(true);
      vi.advanceTimersByTime(1700);
      flushSync();
      expect(target().classList.contains('highlighted')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
