import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import MatchPanel from '../MatchPanel.svelte';
import { app } from '../../lib/store.svelte';
import type { BaseRecord, LinkedRecord } from '../../lib/bases';
import { opened } from '../../lib/__tests__/fixtures';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const allByTestId = (id: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];

const record = (id: number, over: Partial<BaseRecord> = {}): BaseRecord => ({
  id,
  base_id: 1,
  base_name: 'Clientes',
  key: `K${id}`,
  phone: '+51987654321',
  name: `Cliente ${id}`,
  fields: { plan: 'oro' },
  ...over,
});

const linkOf = (r: BaseRecord): LinkedRecord => ({
  record_id: r.id,
  base_id: r.base_id,
  base_name: r.base_name,
  key: r.key,
  phone: r.phone,
  name: r.name,
  fields: r.fields,
  linked_by_id: 7,
  linked_at: '2026-12-01T00:00:00Z',
});

describe('MatchPanel (Coincidencia)', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  beforeEach(() => app.setLang('es'));
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  function serve(byPhone: BaseRecord[], found: BaseRecord[] = []) {
    const attention = opened(5, { version: 3 });
    return vi.spyOn(app.api, 'request').mockImplementation((async (method: string, path: string, opts?: { body?: { record_id?: number } }) => {
      if (path.endsWith('/matches')) return { phone: '+51987654321', bases: 1, records: byPhone, linked: null };
      if (path.endsWith('/base-records')) return found;
      if (method === 'PUT') {
        const r = [...byPhone, ...found].find((x) => x.id === opts?.body?.record_id)!;
        return { ...attention, version: 4, base_record: linkOf(r) };
      }
      if (method === 'DELETE') return { ...attention, version: 5, base_record: null };
      throw new Error(`unexpected ${method} ${path}`);
    }) as unknown as typeof app.api.request);
  }

  it('lists the records that match by phone and links one', async () => {
    const request = serve([record(1), record(2, { fields: { nota: '<img src=x onerror="window.__pwned=1">' } })]);
    cmp = mount(MatchPanel, { target: document.body, props: { attention: opened(5, { version: 3 }) } });
    await settle();
    expect(request).toHaveBeenCalledWith('GET', '/api/attentions/{attention_id}/matches', { params: { attention_id: 5 } });
    const cards = allByTestId('match-record');
    expect(cards).toHaveLength(2);
    // A cell is text, never markup.
    expect(cards[1]!.textContent).toContain('<img src=x');
    expect(document.querySelector('img')).toBeNull();

    (cards[0]!.querySelector('[data-testid="match-link"]') as HTMLButtonElement).click();
    await settle();
    expect(byTestId('match-linked')!.textContent).toContain('Cliente 1');
    expect((cards[0]!.querySelector('[data-testid="match-link"]') as HTMLButtonElement).disabled).toBe(true);

    byTestId('match-unlink')!.click();
    await settle();
    expect(byTestId('match-linked')).toBeNull();
  });

  it('searches every column for a customer without a number', async () => {
    const request = serve([], [record(9, { phone: null, name: 'Ana Ruiz' })]);
    cmp = mount(MatchPanel, { target: document.body, props: { attention: opened(5) } });
    await settle();
    const box = byTestId('match-search') as HTMLInputElement;
    box.value = 'ana.ruiz';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    byTestId('match-search-go')!.click();
    await settle();
    expect(request).toHaveBeenCalledWith('GET', '/api/attentions/{attention_id}/base-records', {
      params: { attention_id: 5 },
      query: { q: 'ana.ruiz' },
    });
    expect(byTestId('match-results')!.textContent).toContain('Ana Ruiz');
  });

  it('read-only shows the link the attention has, and searches nothing', async () => {
    const request = serve([]);
    const linked = linkOf(record(3));
    cmp = mount(MatchPanel, { target: document.body, props: { attention: opened(5, { base_record: linked }), readOnly: true } });
    await settle();
    expect(request).not.toHaveBeenCalled();
    expect(byTestId('match-linked')!.textContent).toContain('Cliente 3');
    expect(byTestId('match-unlink')).toBeNull();
    expect(byTestId('match-search')).toBeNull();
  });
});
