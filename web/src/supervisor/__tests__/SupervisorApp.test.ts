// The supervisor pages against a fake backend that answers the contract of docs/api.md.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import SupervisorApp from '../SupervisorApp.svelte';
import { app } from '../../lib/store.svelte';
import type { Campaign, CampaignForm, SupAttention, TransferRecord } from '../types';

interface Req {
  method: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}
type Reply = { status?: number; body?: unknown };
type Handler = (req: Req) => Reply | undefined;

function att(id: number, over: Partial<SupAttention> = {}): SupAttention {
  return {
    id,
    state: 'queued',
    version: 1,
    campaign: { id: 1, name: 'Ventas' },
    channel: { id: 1, name: 'WA Ventas' },
    customer: { id: 100 + id, display_name: `Cliente ${id}`, name: `Cliente ${id}`, username: null, phone: null, bsuid: 'b' },
    agent_id: null,
    queued_at: new Date(Date.now() - 90_000).toISOString(),
    assigned_at: null,
    opened_at: null,
    closed_at: null,
    last_customer_message_at: null,
    window_ends_at: null,
    unread: 0,
    reassignments: 0,
    transfer_count: 0,
    orphaned: false,
    parked: false,
    ...over,
  } as SupAttention;
}

const campaigns: Campaign[] = [
  {
    id: 1,
    name: 'Ventas',
    routing_mode: 'least_busy',
    reassign_after_seconds: 60,
    max_reassignments: 2,
    orphan_after_seconds: 120,
    overflow_after_seconds: 0,
    overflow_mode: 'none',
    default_region: 'PE',
    archived: false,
    entry_channels: [],
    service_level_seconds: 60,
    service_level_target: 80,
    queued: 1,
    members: [{ user_id: 11, display_name: 'Ana', capacity: 3, active: 0 }],
  },
  {
    id: 2,
    name: 'Soporte',
    routing_mode: 'offer_all',
    reassign_after_seconds: 0,
    max_reassignments: 0,
    orphan_after_seconds: 60,
    overflow_after_seconds: 30,
    overflow_mode: 'offer_all',
    default_region: 'PE',
    archived: false,
    entry_channels: [],
    service_level_seconds: 60,
    service_level_target: 80,
    queued: 0,
    members: [
      { user_id: 11, display_name: 'Ana', capacity: 2, active: 0 },
      { user_id: 12, display_name: 'Beto', capacity: 4, active: 0 },
    ],
  },
];

const users = [
  { id: 11, username: 'ana', display_name: 'Ana', role: 'agent', status: 'available', pause_reason: null, capacity: 3, active: 1, last_seen_at: null },
  { id: 12, username: 'beto', display_name: 'Beto', role: 'agent', status: 'paused', pause_reason: 'Almuerzo', capacity: 4, active: 0, last_seen_at: null },
  { id: 20, username: 'sara', display_name: 'Sara', role: 'supervisor', status: 'available', pause_reason: null, capacity: 0, active: 0, last_seen_at: null },
];

const msg = (id: number, over: Record<string, unknown>) => ({
  id,
  attention_id: 5,
  direction: 'in',
  type: 'text',
  text: null,
  status: 'received',
  error: null,
  created_at: '2026-11-25T10:0' + id + ':00Z',
  sender: null,
  client_id: null,
  ...over,
});

/** Every kind of message the supervisor must see like the agent does. */
const EXTRA_MESSAGES = [
  msg(2, { type: 'image', content: { media_id: 'm1', mime_type: 'image/jpeg', url: '/api/messages/2/media', caption: 'foto' } }),
  msg(3, { type: 'location', content: { latitude: 19.43, longitude: -99.13, name: 'Oficina' } }),
  msg(4, {
    type: 'text',
    text: 'esto',
    reply_to: { message_id: 1, text: '<b>hola</b>', type: 'text' },
    reactions: [{ emoji: '👍', by: 'customer' }],
  }),
  msg(5, { type: 'text', text: 'borrado', deleted: true }),
  msg(6, {
    direction: 'out',
    type: 'template',
    text: 'Hola Ana, su pedido A-17 sigue pendiente.',
    status: 'failed',
    error: { code: 131047, title: 'Re-engagement message' },
    content: { name: 'recordatorio_pedido', language: 'es_MX', params: ['Ana', 'A-17'] },
    sender: { id: 11, display_name: 'Ana' },
  }),
];

const TEMPLATES = [
  { id: 2, name: 'recordatorio_pedido', language: 'es_MX', body: 'Hola {{1}}, su pedido {{2}} sigue pendiente.', params: 2 },
  { id: 1, name: 'seguimiento_consulta', language: 'es_MX', body: 'Hola {{1}}, ¿podemos ayudarle?', params: 1 },
];

let requests: Req[] = [];
let overrides: Handler[] = [];

function defaults(req: Req): Reply {
  const p = req.path.split('?')[0]!;
  if (req.method === 'GET' && p === '/api/supervisor/attentions')
    return {
      body: {
        items: [
          att(3, { reassignments: 3, parked: true }),
          att(5, { state: 'open', agent_id: 11, assigned_at: new Date().toISOString(), opened_at: new Date().toISOString(), transfer_count: 2 }),
        ],
        total: 2,
        next: null,
      },
    };
  if (req.method === 'GET' && p === '/api/supervisor/dashboard')
    return {
      body: {
        as_of: new Date().toISOString(),
        time_zone: 'UTC',
        day_start: new Date().toISOString(),
        campaigns: [],
        attentions: [],
        agents: [],
      },
    };
  if (req.method === 'GET' && p === '/api/campaigns') return { body: campaigns };
  if (req.method === 'GET' && p === '/api/entry-channels') return { body: [] };
  if (req.method === 'GET' && p === '/api/supervisor/pause-reasons') return { body: [] };
  if (req.method === 'GET' && p === '/api/users') return { body: users };
  if (req.method === 'GET' && p === '/api/reports/transfers') {
    // Two keyset pages: the second is asked with the first's `next_cursor`.
    const second = new URL(req.path, 'http://x').searchParams.get('cursor') === 'c2';
    const row = (id: number, count: number) => ({
      attention: att(id, { state: 'open' }),
      transfer_count: count,
      first_transfer_at: '2026-11-25T09:00:00Z',
      last_transfer_at: '2026-11-25T10:00:00Z',
    });
    return {
      body: second ? { items: [row(6, 1)], next_cursor: null, total: null } : { items: [row(5, 2)], next_cursor: 'c2', total: 2 },
    };
  }
  if (req.method === 'GET' && p === '/api/attentions/5/transfers') {
    const t = (sequence: number, kind: 'transfer' | 'move', note: string | null): TransferRecord => ({
      sequence,
      at: `2026-11-25T10:0${sequence}:00Z`,
      from_campaign: { id: 1, name: 'Ventas' },
      from_agent: { id: 11, display_name: 'Ana' },
      to_campaign: { id: 2, name: 'Soporte' },
      to_agent: sequence === 2 ? { id: 12, display_name: 'Beto' } : null,
      by: { id: sequence === 2 ? 20 : 11, display_name: sequence === 2 ? 'Sara' : 'Ana' },
      note,
      kind,
    });
    return { body: [t(2, 'move', null), t(1, 'transfer', 'cliente pide soporte')] };
  }
  if (req.method === 'GET' && /^\/api\/attentions\/\d+\/messages$/.test(p))
    return {
      body: {
        messages: [
          {
            id: 1,
            attention_id: 5,
            direction: 'in',
            type: 'text',
            text: '<b>hola</b>',
            status: 'received',
            error: null,
            created_at: '2026-11-25T10:00:00Z',
            sender: null,
            client_id: null,
          },
          ...EXTRA_MESSAGES,
        ],
      },
    };
  if (req.method === 'GET' && /^\/api\/attentions\/\d+\/timeline$/.test(p))
    return {
      body: {
        events: [
          { id: 1, kind: 'queued', at: '2026-11-25T10:00:00Z', actor: null, agent: null, campaign: { id: 1, name: 'Ventas' }, data: {} },
          {
            id: 2,
            kind: 'reassigned',
            at: '2026-11-25T10:01:00Z',
            actor: null,
            agent: { id: 11, display_name: 'Ana' },
            campaign: null,
            data: { reason: 'timeout' },
          },
          {
            id: 3,
            kind: 'transferred',
            at: '2026-11-25T10:02:00Z',
            actor: { id: 20, display_name: 'Sara' },
            agent: { id: 11, display_name: 'Ana' },
            campaign: null,
            data: { kind: 'move', sequence: 1, from_campaign_id: 1, from_agent_id: 11, to_campaign_id: 2, to_agent_id: null, note: 'VIP' },
          },
        ],
      },
    };
  if (req.method === 'GET' && /^\/api\/campaigns\/\d+\/form$/.test(p)) return { body: null };
  if (req.method === 'GET' && p === '/api/campaigns/1/templates') return { body: TEMPLATES };
  return { status: 404, body: { detail: 'no existe' } };
}

function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req: Req = {
    method: init?.method ?? 'GET',
    path: String(input),
    body: init?.body ? JSON.parse(String(init.body)) : undefined,
    headers: (init?.headers as Record<string, string>) ?? {},
  };
  requests.push(req);
  let reply: Reply | undefined;
  for (const h of overrides) {
    reply = h(req);
    if (reply) break;
  }
  reply ??= defaults(req);
  const status = reply.status ?? 200;
  return Promise.resolve(
    new Response(status === 204 ? null : JSON.stringify(reply.body ?? null), {
      status,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
}

const settle = async (n = 6) => {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
};
const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const $$ = <T extends Element = HTMLElement>(sel: string) => [...document.querySelectorAll<T>(sel)];
const tid = (id: string) => `[data-testid="${id}"]`;

function setValue(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string, ev = 'input') {
  el.value = value;
  el.dispatchEvent(new Event(ev, { bubbles: true }));
  flushSync();
}

function click(el: Element | null) {
  expect(el).not.toBeNull();
  (el as HTMLElement).click();
  flushSync();
}

describe('SupervisorApp', () => {
  let cmp: ReturnType<typeof mount> | null = null;

  beforeEach(async () => {
    requests = [];
    overrides = [];
    vi.stubGlobal('fetch', fakeFetch);
    app.api.csrfToken = 'tok-sup';
    app.lang = 'es';
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
    // The dashboard is the first view and shown at login; these tests start on the list.
    expect($(tid('sup-tab-dashboard'))?.getAttribute('aria-current')).toBe('page');
    expect($(tid('sup-tab-dashboard'))?.textContent).toBe('Tablero');
    click($(tid('sup-tab-attentions')));
    await settle();
  });

  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    // The address keeps the view shown; the next test starts at the console's first.
    history.replaceState(null, '', '/');
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('shows the live attentions with state, agent and flags, in Spanish', () => {
    expect($(tid('sup-tab-attentions'))?.getAttribute('aria-current')).toBe('page');
    const rows = $$(tid('sup-attention-row'));
    // As the server pages them: longest in the queue first, then by id.
    expect(rows.map((r) => r.dataset.attentionId)).toEqual(['3', '5']);
    const [queued, open] = rows as [HTMLElement, HTMLElement];
    expect(queued.textContent).toContain('Encolada');
    expect(queued.textContent).toContain('Sin agente');
    expect([...queued.querySelectorAll('[data-flag]')].map((f) => (f as HTMLElement).dataset.flag)).toEqual([
      'reassigned',
      'parked',
    ]);
    expect(queued.textContent).toContain('Reasignada ×3');
    expect(open.textContent).toContain('Ana');
    expect(open.querySelector('[data-flag="transferred"]')).not.toBeNull();
    expect(queued.querySelector('td.time')?.textContent).toMatch(/^1:[23]\d$/);
  });

  it('filters ask the server again with the filter', async () => {
    const sel = $<HTMLSelectElement>(tid('sup-filter-campaign'))!;
    setValue(sel, '2', 'change');
    await settle();
    const last = requests.filter((r) => r.path.startsWith('/api/supervisor/attentions')).at(-1)!;
    expect(last.path).toBe('/api/supervisor/attentions?campaign_id=2&limit=100');
  });

  it('shows the total and loads the next page after the last row', async () => {
    expect($(tid('sup-attention-total'))?.textContent).toContain('Mostrando 2 de 2');
    expect($(tid('sup-load-more'))).toBeNull();
    // A full first page (100 rows) and one more row after it.
    const first = {
      items: Array.from({ length: 100 }, (_, i) => att(i + 1)),
      total: 101,
      next: { queued_at: '2026-12-01T10:00:00Z', id: 100 },
    };
    overrides = [
      (r) => {
        if (!r.path.startsWith('/api/supervisor/attentions')) return undefined;
        return r.path.includes('after_id=100') ? { body: { items: [att(101)], total: 101, next: null } } : { body: first };
      },
    ];
    click($(tid('sup-refresh')));
    await settle();
    expect($(tid('sup-attention-total'))?.textContent).toContain('Mostrando 100 de 101');
    expect($(tid('sup-load-more'))?.textContent).toContain('Cargar 1 más');
    click($(tid('sup-load-more')));
    await settle();
    const last = requests.filter((r) => r.path.startsWith('/api/supervisor/attentions')).at(-1)!;
    expect(last.path).toBe(
      '/api/supervisor/attentions?limit=100&after_queued_at=2026-12-01T10%3A00%3A00Z&after_id=100',
    );
    expect($$(tid('sup-attention-row')).map((r) => r.dataset.attentionId).slice(-2)).toEqual(['100', '101']);
    expect($(tid('sup-attention-total'))?.textContent).toContain('Mostrando 101 de 101');
    expect($(tid('sup-load-more'))).toBeNull();
  });

  it('moves an attention: reason required, body per contract, detail shown on error', async () => {
    const row = $(`${tid('sup-attention-row')}[data-attention-id="3"]`)!;
    click(row.querySelector(tid('sup-move')));
    await settle();
    expect($(tid('sup-move-dialog'))).not.toBeNull();
    // The Move button does not open the detail.
    expect($(tid('sup-attention-detail'))).toBeNull();

    click($(tid('sup-move-confirm')));
    await settle();
    expect($(tid('sup-move-reason-error'))).not.toBeNull();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    setValue($<HTMLSelectElement>(tid('sup-move-campaign'))!, '2', 'change');
    const agentOptions = $$<HTMLOptionElement>(`${tid('sup-move-agent')} option`).map((o) => o.textContent);
    expect(agentOptions[0]).toBe('Cualquier agente');
    expect(agentOptions.slice(1).map((t) => t?.split(' · ')[0])).toEqual(['Ana', 'Beto']);
    setValue($<HTMLSelectElement>(tid('sup-move-agent'))!, '12', 'change');
    setValue($<HTMLTextAreaElement>(tid('sup-move-reason'))!, 'Cliente VIP');

    overrides.push((r) =>
      r.method === 'POST' ? { status: 409, body: { detail: 'El agente no tiene cupo', code: 'agent_full', params: {} } } : undefined,
    );
    click($(tid('sup-move-confirm')));
    await settle();
    const post = requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/attentions/3/move');
    expect(post.body).toEqual({ campaign_id: 2, agent_id: 12, reason: 'Cliente VIP' });
    expect(post.headers['X-CSRF-Token']).toBe('tok-sup');
    expect($(tid('sup-move-error'))?.textContent).toContain('El agente elegido no tiene cupo o está desconectado.');

    overrides = [(r) => (r.method === 'POST' ? { body: att(3, { campaign: { id: 2, name: 'Soporte' } }) } : undefined)];
    setValue($<HTMLSelectElement>(tid('sup-move-agent'))!, '', 'change');
    click($(tid('sup-move-confirm')));
    await settle();
    expect(requests.filter((r) => r.method === 'POST').at(-1)!.body).toEqual({
      campaign_id: 2,
      agent_id: null,
      reason: 'Cliente VIP',
    });
    expect($(tid('sup-move-dialog'))).toBeNull();
  });

  it('a row click shows the conversation as text and the timeline', async () => {
    click($(`${tid('sup-attention-row')}[data-attention-id="5"]`));
    await settle();
    const detail = $(tid('sup-attention-detail'))!;
    expect(detail.dataset.attentionId).toBe('5');
    const first = detail.querySelector(tid('sup-message'))!;
    expect(first.textContent).toContain('<b>hola</b>');
    expect(first.querySelector('b')).toBeNull();
    // The agent panel's bubbles: every message type, with its test ids.
    const bubbles = [...detail.querySelectorAll<HTMLElement>(tid('message'))];
    expect(bubbles.map((b) => b.dataset.type)).toEqual(['text', 'image', 'location', 'text', 'text', 'template']);
    expect(detail.querySelector<HTMLElement>(tid('message-media'))!.dataset.ready).toBe('true');
    expect(detail.querySelector(tid('message-location'))!.textContent).toContain('Oficina');
    expect(detail.querySelector(tid('message-reply-to'))!.textContent).toContain('<b>hola</b>');
    expect(detail.querySelector<HTMLElement>(tid('message-reaction'))!.dataset.by).toBe('customer');
    expect(detail.querySelector(tid('message-deleted'))).not.toBeNull();
    const template = bubbles[5]!;
    expect(template.dataset.direction).toBe('out');
    expect(template.querySelector(tid('message-template'))!.textContent).toContain('Plantilla');
    expect(template.textContent).toContain('Ana');
    expect(template.textContent).toContain('Hola Ana, su pedido A-17 sigue pendiente.');
    expect(template.textContent).toContain('No enviado: Re-engagement message');
    const events = $$(tid('sup-timeline-event'));
    expect(events.map((e) => e.dataset.kind)).toEqual(['queued', 'reassigned', 'transferred']);
    expect(events[1]!.textContent).toContain('no se abrió a tiempo');
    expect(events[2]!.textContent).toContain('por Sara');
    expect(events[2]!.textContent).toContain('Movimiento');
    expect(events[2]!.textContent).toContain('Ventas / Ana → Soporte');
    expect(events[2]!.textContent).toContain('Nota: VIP');
    // Read-only: no composer, no write request.
    expect(detail.querySelector('textarea')).toBeNull();
    expect(requests.some((r) => r.method !== 'GET')).toBe(false);
  });

  it('edits a campaign: settings PATCH and members PUT', async () => {
    click($(tid('sup-tab-campaigns')));
    await settle();
    expect($(tid('sup-campaigns'))).not.toBeNull();
    click($(tid('campaign-edit-1')));
    await settle();
    setValue($<HTMLSelectElement>(tid('campaign-routing_mode'))!, 'random', 'change');
    setValue($<HTMLInputElement>(tid('campaign-reassign_after_seconds'))!, '45');
    overrides.push((r) => (r.method === 'PATCH' ? { body: { ...campaigns[0], routing_mode: 'random', reassign_after_seconds: 45 } } : undefined));
    click($(tid('campaign-save')));
    await settle();
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/api/campaigns/1');
    expect(patch.body).toEqual({
      routing_mode: 'random',
      reassign_after_seconds: 45,
      max_reassignments: 2,
      orphan_after_seconds: 120,
      overflow_after_seconds: 0,
      overflow_mode: 'none',
      service_level_seconds: 60,
      service_level_target: 80,
    });

    // A bad number is refused locally.
    setValue($<HTMLInputElement>(tid('campaign-max_reassignments'))!, '-2');
    click($(tid('campaign-save')));
    await settle();
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

    const beto = $(`${tid('member-row')}[data-user-id="12"]`)!;
    click(beto.querySelector(tid('member-check')));
    setValue(beto.querySelector<HTMLInputElement>(tid('member-capacity'))!, '2');
    overrides.push((r) => (r.method === 'PUT' ? { body: campaigns[0] } : undefined));
    click($(tid('campaign-members-save')));
    await settle();
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/campaigns/1/members');
    expect(put.body).toEqual([
      { user_id: 11, capacity: 3 },
      { user_id: 12, capacity: 2 },
    ]);
  });

  it('creates a campaign and shows each refusal under its field: name, archiving', async () => {
    click($(tid('sup-tab-campaigns')));
    await settle();
    setValue($<HTMLInputElement>(tid('campaign-new-name'))!, ' ventas ');
    const taken = { code: 'campaign_invalid', detail: 'x', errors: { name: 'x' }, error_codes: { name: { code: 'campaign_name_taken', params: {} } } };
    overrides.push((r) => (r.method === 'POST' && r.path === '/api/campaigns' ? { status: 422, body: taken } : undefined));
    click($(tid('campaign-create')));
    await settle();
    expect(requests.find((r) => r.method === 'POST')!.body).toEqual({ name: 'ventas' });
    expect($(tid('campaign-new-error'))!.textContent).toBe('Ya hay una campaña con ese nombre.');

    overrides = [];
    const made = { ...campaigns[0]!, id: 7, name: 'Cobranzas', members: [] };
    overrides.push((r) => (r.method === 'POST' ? { status: 201, body: made } : undefined));
    overrides.push((r) => (r.method === 'GET' && r.path === '/api/campaigns' ? { body: [...campaigns, made] } : undefined));
    setValue($<HTMLInputElement>(tid('campaign-new-name'))!, 'Cobranzas');
    click($(tid('campaign-create')));
    await settle();
    expect($<HTMLInputElement>(tid('campaign-name'))!.value).toBe('Cobranzas');

    const entered = {
      code: 'campaign_invalid',
      detail: 'x',
      errors: { archived: 'x' },
      error_codes: { archived: { code: 'campaign_entered_by', params: { channels: 'WhatsApp demo' } } },
    };
    overrides.unshift((r) => (r.method === 'PATCH' ? { status: 422, body: entered } : undefined));
    click($(tid('campaign-archive')));
    await settle();
    expect(requests.find((r) => r.method === 'PATCH')!.body).toEqual({ archived: true });
    expect($(tid('campaign-archive-error'))!.textContent).toContain('WhatsApp demo');
  });

  it("manages a campaign's templates: list, add with validation, delete", async () => {
    click($(tid('sup-tab-campaigns')));
    await settle();
    click($(tid('campaign-edit-1')));
    await settle();
    const rows = () => $$(tid('template-row'));
    expect(rows().map((r) => r.dataset.name)).toEqual(['recordatorio_pedido', 'seguimiento_consulta']);
    expect(rows()[0]!.textContent).toContain('es_MX');
    expect(rows()[0]!.textContent).toContain('Hola {{1}}, su pedido {{2}} sigue pendiente.');

    click($(tid('template-add')));
    setValue($<HTMLInputElement>(tid('template-name'))!, 'Aviso Pago');
    setValue($<HTMLInputElement>(tid('template-language'))!, 'es-MX');
    setValue($<HTMLTextAreaElement>(tid('template-body'))!, 'Hola {{1}}, pague {{3}}');
    click($(tid('template-save')));
    await settle();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);
    const form = $(tid('template-form'))!;
    expect(form.textContent).toContain('Solo minúsculas, números y _');
    expect(form.textContent).toContain('Un código como es, es_MX o en_US.');
    expect(form.textContent).toContain('Numera los valores');

    setValue($<HTMLInputElement>(tid('template-name'))!, 'aviso_pago');
    setValue($<HTMLInputElement>(tid('template-language'))!, 'es_MX');
    setValue($<HTMLTextAreaElement>(tid('template-body'))!, 'Hola {{1}}, su pago de {{2}} vence hoy.');
    overrides.push((r) =>
      r.method === 'POST' ? { status: 409, body: { detail: 'Esa plantilla ya está en la campaña.', code: 'template_exists' } } : undefined,
    );
    click($(tid('template-save')));
    await settle();
    const post = requests.find((r) => r.method === 'POST')!;
    expect(post.path).toBe('/api/campaigns/1/templates');
    expect(post.body).toEqual({ name: 'aviso_pago', language: 'es_MX', body: 'Hola {{1}}, su pago de {{2}} vence hoy.' });
    expect(post.headers['X-CSRF-Token']).toBe('tok-sup');
    expect($(tid('template-save-error'))!.textContent).toContain('Esa plantilla ya está en la campaña.');

    const added = { id: 9, name: 'aviso_pago', language: 'es_MX', body: 'Hola {{1}}, su pago de {{2}} vence hoy.', params: 2 };
    overrides = [
      (r) => (r.method === 'POST' ? { status: 201, body: added } : undefined),
      (r) => (r.method === 'GET' && r.path === '/api/campaigns/1/templates' ? { body: [added, ...TEMPLATES] } : undefined),
    ];
    click($(tid('template-save')));
    await settle();
    expect($(tid('template-form'))).toBeNull();
    expect(rows().map((r) => r.dataset.name)).toContain('aviso_pago');
    expect($(tid('sup-toast'))!.textContent).toContain('Plantilla aviso_pago guardada.');

    overrides = [(r) => (r.method === 'DELETE' ? { status: 204 } : undefined)];
    const row = rows().find((r) => r.dataset.name === 'seguimiento_consulta')!;
    click(row.querySelector(tid('template-delete')));
    await settle();
    const del = requests.find((r) => r.method === 'DELETE')!;
    expect(del.path).toBe('/api/campaigns/1/templates/1');
    expect(rows().map((r) => r.dataset.name)).not.toContain('seguimiento_consulta');
  });

  it('builds a form: local validation, then PUT and the new version', async () => {
    click($(tid('sup-tab-form')));
    await settle();
    expect($(tid('form-builder'))).not.toBeNull();
    // Campaigns are listed by name: Soporte (2) first.
    expect($<HTMLSelectElement>(tid('form-campaign'))!.value).toBe('2');
    setValue($<HTMLSelectElement>(tid('form-campaign'))!, '1', 'change');
    await settle();
    expect($(tid('form-version'))?.textContent).toContain('aún no tiene formulario');

    click($(tid('form-add-field')));
    click($(tid('form-add-field')));
    const [f1, f2] = $$(tid('form-field'));
    setValue(f1!.querySelector<HTMLInputElement>(tid('form-field-label'))!, 'Número de documento');
    f1!.querySelector<HTMLInputElement>(tid('form-field-label'))!.dispatchEvent(new FocusEvent('blur'));
    flushSync();
    expect(f1!.querySelector<HTMLInputElement>(tid('form-field-key'))!.value).toBe('numero_de_documento');
    f1!.querySelector<HTMLInputElement>(tid('form-field-required'))!.click();
    setValue(f2!.querySelector<HTMLInputElement>(tid('form-field-label'))!, 'Motivo');
    setValue(f2!.querySelector<HTMLInputElement>(tid('form-field-key'))!, 'Motivo X');
    setValue(f2!.querySelector<HTMLSelectElement>(tid('form-field-type'))!, 'select', 'change');
    expect($(tid('form-field-key-error'))?.textContent).toContain('minúsculas');

    click($(tid('form-save')));
    await settle();
    expect($(tid('form-invalid'))).not.toBeNull();
    expect($(tid('form-field-options-error'))).not.toBeNull();
    expect(requests.some((r) => r.method === 'PUT')).toBe(false);

    setValue(f2!.querySelector<HTMLInputElement>(tid('form-field-key'))!, 'motivo');
    setValue(f2!.querySelector<HTMLTextAreaElement>(tid('form-field-options'))!, 'Compra\nReclamo\n');
    // Move "motivo" up.
    click(f2!.querySelector(tid('form-field-up')));
    const saved: CampaignForm = {
      id: 8,
      version: 3,
      campaign: { id: 1, name: 'Ventas' },
      fields: [
        { key: 'motivo', label: 'Motivo', type: 'select', required: false, options: ['Compra', 'Reclamo'] },
        { key: 'numero_de_documento', label: 'Número de documento', type: 'text', required: true, options: null },
      ],
    };
    overrides.push((r) => (r.method === 'PUT' ? { body: saved } : undefined));
    click($(tid('form-save')));
    await settle();
    const put = requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/campaigns/1/form');
    expect(put.body).toEqual({ fields: saved.fields });
    expect($(tid('form-version'))?.dataset.version).toBe('3');
    expect($(tid('form-saved'))?.textContent).toContain('versión 3');
    expect($(tid('form-version-note'))?.textContent).toContain('conservan la versión');
  });

  it('transfers report: the shared filters in the request, keyset pages, transfers of one attention in order', async () => {
    // The days are counted in the browser's zone, which goes with every request.
    const tz = `tz=${encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone)}`;
    const asked = () => requests.filter((r) => r.path.startsWith('/api/reports/transfers?')).at(-1)!.path;
    click($(tid('sup-tab-transfers')));
    await settle();
    expect(asked()).toBe(`/api/reports/transfers?${tz}&limit=50`);
    expect($(tid('report-total'))?.textContent).toContain('2');
    setValue($<HTMLInputElement>(tid('report-date-from'))!, '2026-11-01');
    setValue($<HTMLInputElement>(tid('report-date-to'))!, '2026-11-30');
    setValue($<HTMLSelectElement>(tid('report-agent'))!, '11', 'change');
    setValue($<HTMLSelectElement>(tid('report-state'))!, 'open', 'change');
    setValue($<HTMLInputElement>(tid('report-words'))!, 'factura');
    click($(tid('report-search')));
    await settle();
    const filtered = `date_from=2026-11-01&date_to=2026-11-30&${tz}&agent_id=11&state=open&words=factura`;
    expect(asked()).toBe(`/api/reports/transfers?${filtered}&limit=50`);

    // The next page continues the rows shown (not what is typed since); the total stays.
    setValue($<HTMLInputElement>(tid('report-words'))!, 'otra');
    click($(tid('report-next')));
    await settle();
    expect(asked()).toBe(`/api/reports/transfers?${filtered}&cursor=c2&limit=50`);
    expect($$(tid('transfer-report-row')).map((r) => r.dataset.attentionId)).toEqual(['6']);
    expect($(tid('report-page'))?.textContent).toBe('Página 2');
    expect($<HTMLButtonElement>(tid('report-next'))!.disabled).toBe(true);
    expect($(tid('report-total'))?.textContent).toContain('2');
    click($(tid('report-prev')));
    await settle();
    expect(asked()).toBe(`/api/reports/transfers?${filtered}&limit=50`);
    expect($$(tid('transfer-report-row')).map((r) => r.dataset.attentionId)).toEqual(['5']);

    click($(tid('transfer-report-row')));
    await settle();
    const list = $(tid('transfer-list'))!;
    const items = [...list.querySelectorAll<HTMLElement>(tid('transfer-item'))];
    expect(items.map((i) => i.dataset.sequence)).toEqual(['1', '2']);
    expect(items[0]!.textContent).toContain('Transferencia');
    expect(items[0]!.textContent).toContain('cualquier agente');
    expect(items[0]!.textContent).toContain('cliente pide soporte');
    expect(items[1]!.textContent).toContain('Movimiento');
    expect(items[1]!.textContent).toContain('Beto');
    expect(items[1]!.textContent).toContain('Sara');

    // Wrong date order: refused before any request.
    const before = requests.length;
    setValue($<HTMLInputElement>(tid('report-date-from'))!, '2026-12-01');
    expect($(tid('report-filter-error'))).not.toBeNull();
    expect($<HTMLButtonElement>(tid('report-search'))!.disabled).toBe(true);
    expect(requests.length).toBe(before);
  });

  it('agents: status with pause reason, capacity and load; supervisors left out', async () => {
    click($(tid('sup-tab-agents')));
    await settle();
    const rows = $$(tid('sup-agent-row'));
    expect(rows.map((r) => r.dataset.userId)).toEqual(['11', '12']);
    expect(rows[1]!.textContent).toContain('En pausa');
    expect(rows[1]!.querySelector(tid('sup-agent-reason'))?.textContent).toBe('Almuerzo');
    expect(rows[0]!.querySelector(tid('sup-agent-load'))?.textContent).toBe('1');
    expect(rows[0]!.querySelector(tid('sup-agent-capacity'))?.textContent).toBe('3');
  });

  it('switches to English', async () => {
    setValue($<HTMLSelectElement>(tid('lang-switch'))!, 'en', 'change');
    expect($(tid('sup-tab-attentions'))?.textContent).toBe('Live attentions');
    app.setLang('es');
    flushSync();
    expect($(tid('sup-tab-attentions'))?.textContent).toBe('Atenciones en curso');
  });
});
