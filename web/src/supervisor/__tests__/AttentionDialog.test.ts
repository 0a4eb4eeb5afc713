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

function fakeFetch(input: RequestInfo | URL): Promise<Response> {
  const p = String(input).split('?')[0]!;
  paths.push(p);
  let body: unknown = null;
  let status = 200;
  if (p === '/api/attentions/9') body = closed;
  else if (p === '/api/attentions/9/messages')
    body = { messages: [{ id: 1, attention_id: 9, direction: 'in', type: 'text', text: 'quiero información', status: 'received', error: null, created_at: '2026-11-20T10:00:00Z', sender: null, client_id: null }] };
  else if (p === '/api/attentions/9/timeline') body = { events: [] };
  else if (p === '/api/attentions/9/forms' || p === '/api/attentions/9/transfers') body = [];
  else if (p === '/api/campaigns' || p === '/api/users' || p === '/api/supervisor/attentions') body = [];
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

  it('the address #/attention/<id> opens it after login; closing clears the address', async () => {
    history.replaceState(null, '', '/#/attention/9');
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
    const dialog = $('[data-testid="sup-attention-dialog"]');
    expect(dialog?.hasAttribute('open')).toBe(true);
    expect($('[data-testid="sup-attention-detail"]')?.dataset.attentionId).toBe('9');
    expect(dialog?.textContent).toContain('Rosa Díaz');
    expect(dialog?.textContent).toContain('quiero información');
    $('[data-testid="sup-detail-close"]')!.click();
    flushSync();
    expect($('[data-testid="sup-attention-dialog"]')).toBeNull();
    expect(location.hash).toBe('');
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
