import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Sidebar from '../Sidebar.svelte';
import { app } from '../../lib/store.svelte';
import { emptyPanel } from '../../lib/reducer';
import { ME, attention, offeredTo, opened } from '../../lib/__tests__/fixtures';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = <T extends Element = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);

describe('Sidebar', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  beforeEach(() => {
    app.me = { id: ME, username: 'ana', display_name: 'Ana Pérez', role: 'agent', status: 'available' };
    app.panel = {
      ...emptyPanel(ME),
      assigned: [attention(1, { transfer_count: 1 })],
      offered: [offeredTo(5, { reassignments: 2 })],
    };
  });
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
    app.me = null;
    app.panel = emptyPanel();
  });

  it('shows offered attentions in Asignadas, blinking, with badges', () => {
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    const items = [...byTestId('list-assigned')!.querySelectorAll<HTMLElement>('[data-testid="attention-item"]')];
    expect(items.map((i) => i.dataset.attentionId)).toEqual(['1', '5']);
    const offered = items[1]!;
    expect(offered.dataset.state).toBe('queued');
    expect(offered.dataset.offered).toBe('true');
    expect(offered.classList.contains('blink')).toBe(true);
    expect(offered.querySelector('[data-testid="badge-reassigned"]')!.textContent).toBe('Reasignada');
    expect(items[0]!.dataset.offered).toBeUndefined();
    expect(items[0]!.querySelector('[data-testid="badge-transferred"]')!.textContent).toBe('Transferida');
    expect(byTestId('list-attended')).not.toBeNull();
  });

  it('clicking an offered attention opens it', () => {
    const open = vi.spyOn(app, 'openAttention').mockResolvedValue();
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    document.querySelector<HTMLButtonElement>('[data-attention-id="5"]')!.click();
    expect(open).toHaveBeenCalledWith(5);
  });

  it('En pausa asks for a reason, then sets the status with it', async () => {
    vi.spyOn(app, 'loadPauseReasons').mockResolvedValue(['Almuerzo', 'Baño']);
    const setStatus = vi.spyOn(app, 'setStatus').mockImplementation(async (status, reason) => {
      app.me = { ...app.me!, status };
      app.pauseReason = reason ?? null;
      return true;
    });
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    const status = byTestId<HTMLSelectElement>('agent-status')!;
    status.value = 'paused';
    status.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(setStatus).not.toHaveBeenCalled();
    const reason = byTestId<HTMLSelectElement>('pause-reason')!;
    const confirm = byTestId<HTMLButtonElement>('pause-confirm')!;
    expect(confirm.disabled).toBe(true);
    reason.value = 'Almuerzo';
    reason.dispatchEvent(new Event('change', { bubbles: true }));
    flushSync();
    expect(confirm.disabled).toBe(false);
    confirm.click();
    await settle();
    expect(setStatus).toHaveBeenCalledWith('paused', 'Almuerzo');
    expect(byTestId('pause-reason')).toBeNull();
    expect(byTestId('pause-reason-shown')!.textContent).toBe('Almuerzo');
    expect(status.value).toBe('paused');
  });

  it('cancelling the reason keeps the previous status', async () => {
    vi.spyOn(app, 'loadPauseReasons').mockResolvedValue(['Almuerzo']);
    const setStatus = vi.spyOn(app, 'setStatus');
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    const status = byTestId<HTMLSelectElement>('agent-status')!;
    status.value = 'paused';
    status.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    byTestId('pause-reason')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
    expect(byTestId('pause-reason')).toBeNull();
    expect(status.value).toBe('available');
    expect(setStatus).not.toHaveBeenCalled();
  });
  it('lists who waits in each queue, with the rest counted, and none of it openable', () => {
    app.panel = {
      ...app.panel,
      queues: [
        {
          campaign_id: 1,
          campaign_name: 'Ventas',
          queued: 3,
          waiting: [
            { id: 41, customer: 'María González', queued_at: '2026-11-25T10:00:00Z' },
            { id: 42, customer: '+51 987 654 321', queued_at: '2026-11-25T10:02:00Z' },
          ],
        },
        { campaign_id: 2, campaign_name: 'Soporte', queued: 0, waiting: [] },
      ],
    };
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    const lists = document.querySelectorAll('[data-testid="queue-list"]');
    expect(lists).toHaveLength(1);
    const items = [...lists[0]!.querySelectorAll<HTMLElement>('[data-testid="queued-item"]')];
    expect(items.map((i) => i.querySelector('.who')!.textContent)).toEqual(['María González', '+51 987 654 321']);
    expect(byTestId('queue-more')!.textContent).toBe('y 1 más');
    expect(lists[0]!.querySelector('button, a')).toBeNull();
  });

  it('orders Abiertas by the longest unanswered wait and shows the latest message', () => {
    app.panel = {
      ...app.panel,
      open: [
        opened(7, { last_message: { at: '2026-11-25T10:09:00Z', direction: 'out', type: 'text', text: 'Listo' } }),
        opened(8, {
          awaiting_reply_since: '2026-11-25T10:01:00Z',
          last_message: { at: '2026-11-25T10:01:00Z', direction: 'in', type: 'image', text: null },
        }),
      ],
    };
    cmp = mount(Sidebar, { target: document.body });
    flushSync();
    const items = [...byTestId('list-open')!.querySelectorAll<HTMLElement>('[data-testid="attention-item"]')];
    expect(items.map((i) => i.dataset.attentionId)).toEqual(['8', '7']);
    expect(items[0]!.querySelector('[data-testid="last-message"]')!.textContent).toBe('📷 Foto');
    expect(items[0]!.querySelector('[data-testid="awaiting"]')!.textContent).toMatch(/^Sin respuesta hace \d/);
    expect(items[1]!.querySelector('[data-testid="last-message"]')!.textContent).toBe('Tú: Listo');
    expect(items[1]!.querySelector('[data-testid="awaiting"]')).toBeNull();
  });
});
