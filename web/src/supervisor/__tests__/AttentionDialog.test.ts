// Any attention opens read-only over the console: by `sup.openAttention(id)` and by its address.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import SupervisorApp from '../SupervisorApp.svelte';
import { app } from '../../lib/store.svelte';
import { sup } from '../sup.svelte';

const closed = {
  id: 9,
  state: 'closed',
  version: 4,
  campaign: { id: 1, name: 'Ventas' },
  channel: { id: 1, name: 'WA Ventas' },
  customer: { id: 109, display_name: 'Rosa Díaz', name: 'Rosa Díaz', username: 'rosa', phone: '51987654321', bsuid: null, contact_id: null, contact_name: null },
  agent_id: null,
  queued_at: '2026-11-20T10:00:00Z',
  assigned_at: '2026-11-20T10:00:05Z',
  opened_at: '2026-11-20T10:00:10Z',
  closed_at: '2026-11-20T10:09:00Z',
  last_customer_message_at: '2026-11-20T10:01:00Z',
  window_ends_at: null,
  unread: 0,
  offered: false,
  segment: 1,
  reassignments: 0,
  transfer_count: 0,
  orphaned: false,
  parked: false,
  base_record: null,
  last_message: null,
  awaiting_reply_since: null,
};

let paths: string[] = [];

const message = (id: number, text: string) => ({
  id,
  attention_id: 9,
  direction: 'in',
  type: 'text',
  text,
  status: 'received',
  error: null,
  created_at: '2026-11-20T10:00:00Z',
  sender: null,
  client_id: null,
});

const FORMS = [
  {
    segment: 1,
    campaign: { id: 1, name: 'Ventas' },
    agent: { id: 11, display_name: 'Ana' },
    form: {
      id: 3,
      version: 2,
      campaign: { id: 1, name: 'Ventas' },
      fields: [
        { key: 'motivo', label: 'Motivo de contacto', type: 'text', required: true, options: null },
        { key: 'vip', label: 'Cliente VIP', type: 'checkbox', required: false, options: null },
      ],
    },
    values: { motivo: 'Consulta de envío', vip: true },
    submitted_at: '2026-11-20T10:08:00Z',
  },
];

const TRANSFERS = [
  {
    sequence: 1,
    kind: 'transfer',
    at: '2026-11-20T10:05:00Z',
    from_campaign: { id: 1, name: 'Ventas' },
    from_agent: { id: 11, display_name: 'Ana' },
    to_campaign: { id: 2, name: 'Soporte' },
    to_agent: null,
    by: { id: 11, display_name: 'Ana' },
    note: 'Pide soporte',
  },
];

function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const url = new URL(String(input), 'http://x');
  const p = url.pathname;
  paths.push(String(input));
  let body: unknown = null;
  let status = 200;
  if (p === '/api/attentions/9') body = closed;
  else if (p === '/api/attentions/9/messages')
    body = url.searchParams.get('before_id')
      ? { messages: [message(1, 'mensaje antiguo')], has_more: false }
      : { messages: [message(2, 'quiero información')], has_more: true };
  else if (p === '/api/attentions/9/timeline')
    body = { events: [{ id: 1, kind: 'closed', at: '2026-11-20T10:09:00Z', segment: 2, actor: null, agent: null, campaign: null, data: {} }] };
  else if (p === '/api/attentions/9/forms') body = FORMS;
  else if (p === '/api/attentions/9/transfers') body = TRANSFERS;
  else if (p === '/api/search/attentions')
    body = url.searchParams.get('before_id')
      ? { items: [{ ...closed, id: 8, matched_text: null }], next_before_id: null }
      : { items: [{ ...closed, matched_text: 'quiero información' }], next_before_id: 9 };
  else if (p === '/api/supervisor/attentions') body = { items: [], total: 0, next: null };
  else if (p === '/api/campaigns' || p === '/api/users') body = [];
  else {
    status = 404;
    body = { code: 'attention_not_found', params: {}, detail: 'no existe' };
  }
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

const settle = async (n = 6) => {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
};
const $ = (sel: string) => document.querySelector<HTMLElement>(sel);

describe('opening any attention read-only', () => {
  let cmp: ReturnType<typeof mount> | null = null;

  beforeEach(() => {
    paths = [];
    vi.stubGlobal('fetch', fakeFetch);
    app.lang = 'es';
  });

  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    history.replaceState(null, '', '/');
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
  });

  it('the address #/attention/<id> opens it after login; closing names the view under it', async () => {
    history.replaceState(null, '', '/#/attention/9');
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
    const dialog = $('[data-testid="sup-attention-dialog"]');
    expect(dialog?.hasAttribute('open')).toBe(true);
    expect($('[data-testid="sup-attention-detail"]')?.dataset.attentionId).toBe('9');
    expect(dialog?.textContent).toContain('Rosa Díaz');
    expect(dialog?.textContent).toContain('quiero información');
    // Every segment's form with the labels of its version, the transfers, the timeline.
    const form = $('[data-testid="sup-segment-form"]')!;
    expect(form.textContent).toContain('Motivo de contacto');
    expect(form.textContent).toContain('Consulta de envío');
    expect(form.querySelector('[data-key="vip"]')?.textContent).toBe('Sí');
    expect($('[data-testid="sup-detail-transfer"]')?.textContent).toContain('Pide soporte');
    expect($('[data-testid="sup-timeline-event"]')?.dataset.kind).toBe('closed');
    // A long conversation: the newest page first, earlier ones on demand.
    expect(paths.some((x) => x.startsWith('/api/attentions/9/messages?limit='))).toBe(true);
    $('[data-testid="sup-older-messages"]')!.click();
    await settle();
    const texts = [...document.querySelectorAll('[data-testid="sup-message"]')].map((m) => m.textContent ?? '');
    expect(texts[0]).toContain('mensaje antiguo');
    expect(texts[1]).toContain('quiero información');
    expect($('[data-testid="sup-older-messages"]')).toBeNull();
    $('[data-testid="sup-detail-close"]')!.click();
    flushSync();
    expect($('[data-testid="sup-attention-dialog"]')).toBeNull();
    expect(location.hash).toBe('#/live/dashboard');
  });

  it('Buscar atenciones: the criteria in the query, pages by keyset, a result opens read-only', async () => {
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
    $('[data-testid="sup-tab-search"]')!.click();
    flushSync();
    const type = (id: string, value: string) => {
      const el = $(`[data-testid="${id}"]`) as HTMLInputElement;
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      flushSync();
    };
    type('search-id', 'x1');
    $('[data-testid="search-submit"]')!.click();
    flushSync();
    expect($('#search-id-err')).not.toBeNull();
    expect(paths.some((x) => x.startsWith('/api/search/attentions'))).toBe(false);
    type('search-id', '');
    type('search-words', 'informacion');
    type('search-customer', '+51 987');
    $('[data-testid="search-submit"]')!.click();
    await settle();
    const asked = new URL(paths.find((x) => x.startsWith('/api/search/attentions'))!, 'http://x').searchParams;
    expect(asked.get('words')).toBe('informacion');
    expect(asked.get('customer')).toBe('+51 987');
    expect(asked.get('tz')).toBeTruthy();
    expect(asked.has('attention_id')).toBe(false);
    const rows = () => [...document.querySelectorAll<HTMLElement>('[data-testid="search-result"]')];
    expect(rows().map((r) => r.dataset.attentionId)).toEqual(['9']);
    expect(rows()[0]!.textContent).toContain('quiero información');
    $('[data-testid="search-more"]')!.click();
    await settle();
    expect(paths.at(-1)).toContain('before_id=9');
    expect(rows().map((r) => r.dataset.attentionId)).toEqual(['9', '8']);
    expect($('[data-testid="search-more"]')).toBeNull();
    rows()[0]!.click();
    await settle();
    expect($('[data-testid="sup-attention-detail"]')?.dataset.attentionId).toBe('9');
    expect(location.hash).toBe('#/attention/9');
  });

  it('sup.openAttention(id) opens it from anywhere and puts it in the address; an unknown id says so', async () => {
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
    sup.openAttention(9);
    await settle();
    expect(location.hash).toBe('#/attention/9');
    expect($('[data-testid="sup-attention-detail"]')?.dataset.attentionId).toBe('9');
    sup.openAttention(404);
    await settle();
    expect($('[data-testid="sup-attention-dialog-error"]')?.textContent).toBeTruthy();
    sup.closeAttention();
    flushSync();
    expect($('[data-testid="sup-attention-dialog"]')).toBeNull();
  });
});
