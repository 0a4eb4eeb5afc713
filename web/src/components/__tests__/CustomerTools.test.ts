import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import ArrivalNote from '../ArrivalNote.svelte';
import EarlierConversations from '../EarlierConversations.svelte';
import FormEarlier from '../FormEarlier.svelte';
import { app } from '../../lib/store.svelte';
import type { HistoryItem } from '../../lib/history';
import type { FormField } from '../../lib/types';
import { attention, message } from '../../lib/__tests__/fixtures';

const settle = async () => {
  for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

const earlierItem: HistoryItem = {
  id: 3,
  state: 'closed',
  channel: { id: 1, name: 'WhatsApp Ventas' },
  started_at: '2026-11-20T15:00:00Z',
  closed_at: '2026-11-20T15:40:00Z',
  closed_by: { id: 7, display_name: 'Sofía Torres' },
  segments: [{ number: 1, campaign: { id: 1, name: 'Ventas' }, agent: { id: 7, display_name: 'Sofía Torres' } }],
  forms: [],
};

/** The API as the server answers these routes; every call recorded. */
function serve(routes: Record<string, unknown>) {
  const calls: string[] = [];
  vi.spyOn(app.api, 'request').mockImplementation((async (method: string, path: string, opts?: { query?: unknown }) => {
    calls.push(`${method} ${path} ${JSON.stringify(opts?.query ?? {})}`);
    if (!(path in routes)) throw new Error(`unexpected ${path}`);
    const answer = routes[path];
    return typeof answer === 'function' ? (answer as () => unknown)() : answer;
  }) as never);
  return calls;
}

describe("the customer's tools in the chat and the form", () => {
  let cmp: ReturnType<typeof mount> | null = null;
  beforeEach(() => app.setLang('es'));
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    vi.restoreAllMocks();
    document.body.innerHTML = '';
  });

  it('offers the previous conversation only when there is one, and loads it under a header', async () => {
    let pages = 0;
    const calls = serve({
      '/api/customers/{customer_id}/attentions': () =>
        ++pages === 1
          ? { items: [earlierItem], next_before_id: 3 } // the first look
          : { items: [earlierItem], next_before_id: null },
      '/api/attentions/{attention_id}/messages': {
        messages: [message(30, 3, { text: 'Quiero un teléfono' })],
      },
    });
    cmp = mount(EarlierConversations, { target: document.body, props: { attention: attention(8) } });
    await settle();
    const load = byTestId('earlier-load');
    expect(load?.textContent).toContain('Ver la conversación anterior');
    load!.click();
    await settle();
    const header = byTestId('earlier-header');
    expect(header?.textContent).toContain('Atención #3');
    expect(header?.textContent).toContain('Ventas · Sofía Torres');
    expect(byTestId('earlier-block')?.textContent).toContain('Quiero un teléfono');
    expect(byTestId('earlier-load')).toBeNull();
    expect(byTestId('earlier-none')).not.toBeNull();
    expect(calls[0]).toContain('{"before_id":8,"limit":1}');
  });

  it('shows nothing for a first-time customer', async () => {
    serve({ '/api/customers/{customer_id}/attentions': { items: [], next_before_id: null } });
    cmp = mount(EarlierConversations, { target: document.body, props: { attention: attention(8) } });
    await settle();
    expect(byTestId('earlier-load')).toBeNull();
    expect(byTestId('earlier-none')).toBeNull();
  });

  it("puts the note of the transfer that brought it on top, with who sent it and from where", async () => {
    serve({
      '/api/attentions/{attention_id}/transfers': [
        {
          sequence: 1,
          kind: 'transfer',
          at: '2026-11-20T15:10:00Z',
          from_campaign: { id: 1, name: 'Ventas' },
          from_agent: { id: 5, display_name: 'Sofía Torres' },
          to_campaign: { id: 2, name: 'Soporte' },
          to_agent: null,
          by: { id: 5, display_name: 'Sofía Torres' },
          note: 'Cambio de <b>pedido</b>',
        },
      ],
    });
    cmp = mount(ArrivalNote, { target: document.body, props: { attention: attention(8, { segment: 2 }) } });
    await settle();
    const note = byTestId('arrival-note');
    expect(note?.textContent).toContain('Transferida por Sofía Torres desde Ventas');
    expect(note?.textContent).toContain('«Cambio de <b>pedido</b>»'); // as text, never HTML
    expect(note?.querySelector('b')).toBeNull();
  });

  it('asks nothing for an attention still in its first segment', async () => {
    const calls = serve({});
    cmp = mount(ArrivalNote, { target: document.body, props: { attention: attention(8, { segment: 1 }) } });
    await settle();
    expect(calls).toEqual([]);
    expect(byTestId('arrival-note')).toBeNull();
  });

  it("shows what earlier segments submitted in this campaign and where the draft started", () => {
    const fields: FormField[] = [
      { key: 'motivo', label: 'Motivo', type: 'select', required: true, options: ['Compra'] },
      { key: 'promociones', label: 'Promociones', type: 'checkbox', required: false, options: null },
    ];
    cmp = mount(FormEarlier, {
      target: document.body,
      props: {
        earlier: [{ segment: 1, submitted_at: '2026-11-20T15:00:00Z', values: { motivo: 'Compra', promociones: false } }],
        prefilledFrom: 1,
        fields,
      },
    });
    flushSync();
    const box = byTestId('form-earlier');
    expect(box?.textContent).toContain('Tramo 1');
    expect(box?.textContent).toContain('Compra');
    expect(box?.textContent).toContain('No');
    expect(byTestId('form-prefilled')?.textContent).toContain('tramo 1');
  });
});
