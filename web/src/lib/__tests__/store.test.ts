import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../alerts', () => ({
  beep: vi.fn(),
  notify: vi.fn(),
  requestNotificationPermission: vi.fn(),
  unlockAudioOnFirstGesture: vi.fn(),
}));

import * as alerts from '../alerts';
import { Api } from '../api';
import { AppStore } from '../store.svelte';
import type { SocketHandlers } from '../ws';
import { ME, attention, message, offeredTo, opened } from './fixtures';
import { FakeServer } from './fakeServer';

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const srv = new FakeServer();
  let handlers!: SocketHandlers;
  const socket = { start: vi.fn(), stop: vi.fn() };
  const store = new AppStore(new Api('', srv.fetch), (h) => {
    handlers = h;
    return socket;
  });
  return { srv, store, socket, h: () => handlers };
}

describe('store', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    sessionStorage.clear();
  });

  it('logs in, loads the snapshot on open, and rings only for new assignments', async () => {
    const { srv, store, socket, h } = setup();
    srv.assigned = [attention(1)];
    srv.queues = [{ campaign_id: 1, campaign_name: 'Ventas', queued: 2 }];
    await store.login('ana', 'secret');
    expect(store.phase).toBe('panel');
    expect(store.me?.display_name).toBe('Ana Pérez');
    expect(socket.start).toHaveBeenCalled();

    h().onOpen();
    await flush();
    expect(store.panel.assigned.map((a) => a.id)).toEqual([1]);
    expect(store.panel.queues[0]!.queued).toBe(2);
    expect(alerts.beep).not.toHaveBeenCalled();

    h().onEvent({ type: 'attention.updated', attention: attention(2) });
    expect(store.panel.assigned.map((a) => a.id)).toEqual([1, 2]);
    expect(alerts.beep).toHaveBeenCalledOnce();
    expect(alerts.notify).toHaveBeenCalledOnce();
  });

  it('opens an assigned attention, shows it, sends with a client_id and dedupes the echo', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1)];
    srv.messages.set(1, [message(10, 1)]);
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();

    await store.openAttention(1);
    expect(store.panel.assigned).toEqual([]);
    expect(store.panel.open.map((a) => a.id)).toEqual([1]);
    expect(store.panel.currentId).toBe(1);
    expect(store.current?.id).toBe(1);
    expect(store.panel.messages.map((m) => m.id)).toEqual([10]);

    const m = await store.send(1, 'Hola, ¿en qué te ayudo?', 'cid-1');
    expect(store.panel.messages.map((x) => x.id)).toEqual([10, m.id]);
    const post = srv.requests.find((r) => r.method === 'POST' && r.path === '/api/attentions/1/messages')!;
    expect(post.headers['X-CSRF-Token']).toBe('tok-1');
    expect(post.body).toEqual({ text: 'Hola, ¿en qué te ayudo?', client_id: 'cid-1' });

    h().onEvent({ type: 'message.created', message: m });
    expect(store.panel.messages.filter((x) => x.id === m.id)).toHaveLength(1);

    // Retrying with the same client_id returns the same message: still one.
    await store.send(1, 'Hola, ¿en qué te ayudo?', 'cid-1');
    expect(store.panel.messages.filter((x) => x.id === m.id)).toHaveLength(1);
  });

  it('sends a template: it shows like any outgoing message and the echo is deduped', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1, { window_ends_at: '2026-11-20T10:00:00Z' })];
    srv.templates.set(1, [{ id: 2, name: 'recordatorio', language: 'es_MX', body: 'Hola {{1}}, pedido {{2}}.', params: 2 }]);
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();
    await store.openAttention(1);

    const m = await store.sendTemplate(1, 2, ['Ana', 'A-17'], 'cid-t');
    expect(m.type).toBe('template');
    expect(m.text).toBe('Hola Ana, pedido A-17.');
    expect(store.panel.messages.map((x) => x.id)).toEqual([m.id]);
    h().onEvent({ type: 'message.created', message: m });
    expect(store.panel.messages).toHaveLength(1);
    // The same client_id again: the server answers the first message, still one.
    await store.sendTemplate(1, 2, ['Ana', 'A-17'], 'cid-t');
    expect(store.panel.messages).toHaveLength(1);
    await expect(store.sendTemplate(1, 2, ['Ana', ''], 'cid-u')).rejects.toMatchObject({ status: 422 });
  });

  it('typing goes out only while signed in, throttled', async () => {
    const { srv, store } = setup();
    store.typing(1, 'hola');
    expect(srv.requests).toHaveLength(0);
    await store.login('ana', 'secret');
    store.typing(1, 'hola');
    store.typing(1, 'hola!');
    store.typing(1, '');
    await flush();
    expect(srv.requests.filter((r) => r.path === '/api/attentions/1/typing')).toHaveLength(1);
    // Signing out forgets the slots.
    await store.logout();
    await store.login('ana', 'secret');
    store.typing(1, 'otra');
    await flush();
    expect(srv.requests.filter((r) => r.path === '/api/attentions/1/typing')).toHaveLength(2);
  });

  it('reloads the current chat on reconnect', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1)];
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();
    await store.openAttention(1);
    expect(store.panel.messages).toEqual([]);

    h().onState?.(false);
    h().onDrop?.(false, 1006);
    expect(store.reconnecting).toBe(true);
    srv.messages.set(1, [message(10, 1), message(11, 1)]);
    h().onState?.(true);
    h().onOpen();
    await flush();
    await flush();
    expect(store.reconnecting).toBe(false);
    expect(store.panel.currentId).toBe(1);
    expect(store.panel.messages.map((m) => m.id)).toEqual([10, 11]);
  });

  it('a long conversation opens at its newest page and pages back on request', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1)];
    srv.messages.set(1, Array.from({ length: 120 }, (_, i) => message(i + 1, 1)));
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();
    await store.openAttention(1);
    expect(store.panel.messages.map((m) => m.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 71));
    expect(store.hasOlder).toBe(true);
    await store.loadOlder();
    expect(store.panel.messages[0]!.id).toBe(21);
    expect(store.hasOlder).toBe(true);
    await store.loadOlder();
    expect(store.panel.messages.map((m) => m.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(store.hasOlder).toBe(false);
    expect(srv.requests.filter((r) => r.path.includes('/messages')).map((r) => r.path)).toEqual([
      '/api/attentions/1/messages?limit=50',
      '/api/attentions/1/messages?limit=50&before_id=71',
      '/api/attentions/1/messages?limit=50&before_id=21',
    ]);
  });

  it('ends an attention and drops it', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1)];
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();
    await store.openAttention(1);
    await store.end(1);
    expect(store.panel.open).toEqual([]);
    expect(store.panel.currentId).toBeNull();
  });

  it('goes back to login on a 401', async () => {
    const { srv, store, socket, h } = setup();
    await store.login('ana', 'secret');
    srv.sessionValid = false;
    h().onOpen();
    await flush();
    expect(store.phase).toBe('login');
    expect(store.me).toBeNull();
    expect(socket.stop).toHaveBeenCalled();
  });

  it('resumes a session with /api/auth/me, else shows login', async () => {
    const a = setup();
    await a.store.start();
    expect(a.store.phase).toBe('panel');

    const b = setup();
    b.srv.sessionValid = false;
    await b.store.start();
    expect(b.store.phase).toBe('login');
  });

  it('tells the server the shown chat was seen when it counts unread for it', async () => {
    const { srv, store, h } = setup();
    srv.assigned = [attention(1)];
    await store.login('ana', 'secret');
    h().onOpen();
    await flush();
    await store.openAttention(1);
    const held = store.panel.open[0]!;
    h().onEvent({ type: 'attention.updated', attention: { ...held, version: held.version + 1, unread: 1 } });
    expect(store.panel.open[0]!.unread).toBe(0);
    await new Promise((r) => setTimeout(r, 350));
    const seen = srv.requests.filter((r) => r.path === '/api/attentions/1/seen');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['X-CSRF-Token']).toBe('tok-1');
  });

  it("follows the agent's status changed in another tab (agent.status)", async () => {
    const { store, h } = setup();
    await store.login('ana', 'secret');
    const me = store.me!;
    h().onEvent({ type: 'agent.status', user: { ...me, status: 'paused', pause_reason: 'Baño' } });
    expect(store.me?.status).toBe('paused');
    expect(store.shownPauseReason).toBe('Baño');
    expect(sessionStorage.getItem('atiende.pauseReason')).toBe('Baño');
    // Another user's status is not mine.
    h().onEvent({ type: 'agent.status', user: { ...me, id: me.id + 1, status: 'offline' } });
    expect(store.me?.status).toBe('paused');
    h().onEvent({ type: 'agent.status', user: { ...me, status: 'available', pause_reason: null } });
    expect(store.me?.status).toBe('available');
    expect(store.shownPauseReason).toBeNull();
  });

  it('says offline at once when the browser does, and checks the socket', async () => {
    const { store, socket } = setup();
    const probe = vi.fn();
    const reconnectNow = vi.fn();
    Object.assign(socket, { probe, reconnectNow });
    await store.start();
    expect(store.linkTrouble).toBeNull();
    window.dispatchEvent(new Event('offline'));
    expect(store.linkTrouble).toBe('offline');
    expect(probe).toHaveBeenCalledOnce();
    window.dispatchEvent(new Event('online'));
    expect(store.linkTrouble).toBeNull();
    expect(reconnectNow).toHaveBeenCalledOnce();
    expect(probe).toHaveBeenCalledTimes(2);
  });

  it('changes the agent status', async () => {
    const { srv, store } = setup();
    await store.login('ana', 'secret');
    expect(await store.loadPauseReasons()).toContain('Almuerzo');
    expect(await store.setStatus('paused', 'Almuerzo')).toBe(true);
    expect(store.me?.status).toBe('paused');
    expect(store.shownPauseReason).toBe('Almuerzo');
    const put = srv.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/agent/status');
    expect(put.body).toEqual({ status: 'paused', reason: 'Almuerzo' });
    expect(put.headers['X-CSRF-Token']).toBe('tok-1');

    await store.setStatus('available');
    expect(store.shownPauseReason).toBeNull();
    expect(srv.requests.at(-1)!.body).toEqual({ status: 'available' });
  });

  it('a pause without a reason is refused and shown', async () => {
    const { store } = setup();
    await store.login('ana', 'secret');
    expect(await store.setStatus('paused')).toBe(false);
    expect(store.me?.status).toBe('available');
    expect(store.notice).toContain('Elija el motivo de la pausa.');
  });
});

describe('store: the whole lifecycle', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    sessionStorage.clear();
  });

  async function ready(prepare: (srv: FakeServer) => void = () => {}) {
    const env = setup();
    prepare(env.srv);
    await env.store.login('ana', 'secret');
    env.h().onOpen();
    await flush();
    return env;
  }

  it('lists offered attentions from the snapshot and takes one by opening it', async () => {
    const { srv, store } = await ready((srv) => (srv.offered = [offeredTo(5)]));
    expect(store.panel.offered.map((a) => a.id)).toEqual([5]);
    await store.openAttention(5);
    expect(store.panel.offered).toEqual([]);
    expect(store.panel.open.map((a) => a.id)).toEqual([5]);
    expect(store.panel.currentId).toBe(5);
    expect(srv.requests.some((r) => r.method === 'POST' && r.path === '/api/attentions/5/open')).toBe(true);
  });

  it('409 already_taken: the offer goes away with a short notice', async () => {
    const { srv, store } = await ready((srv) => {
      srv.offered = [offeredTo(5)];
      srv.takenByOther.add(5);
    });
    await store.openAttention(5);
    expect(store.panel.offered).toEqual([]);
    expect(store.panel.currentId).toBeNull();
    expect(store.notice).toBe('Otro agente ya tomó esta atención');
    expect(store.noticeKind).toBe('info');
    void srv;
  });

  it('an offer taken by another agent leaves on attention.removed', async () => {
    const { store, h } = await ready();
    h().onEvent({ type: 'attention.updated', attention: offeredTo(6) });
    expect(store.panel.offered.map((a) => a.id)).toEqual([6]);
    expect(alerts.beep).toHaveBeenCalledOnce();
    h().onEvent({ type: 'attention.removed', attention_id: 6, version: 99 });
    expect(store.panel.offered).toEqual([]);
  });

  it('transfers: the attention leaves Abiertas, the chat closes, Atendidas reloads', async () => {
    const { srv, store } = await ready((srv) => {
      srv.open = [opened(1)];
      srv.targets = { campaigns: [{ id: 2, name: 'Soporte', agents: [] }] };
    });
    store.selectOpen(1);
    expect(store.current?.id).toBe(1);
    srv.attended = [{ ...opened(1), left_at: '2026-11-25T11:00:00Z', outcome: 'transferred' }];
    const before = srv.requests.filter((r) => r.path.startsWith('/api/agent/attended')).length;
    await store.transfer(1, { campaign_id: 2, agent_id: null, note: 'para soporte' });
    expect(store.panel.open).toEqual([]);
    expect(store.panel.currentId).toBeNull();
    expect(store.current).toBeNull();
    const post = srv.requests.find((r) => r.path === '/api/attentions/1/transfer')!;
    expect(post.body).toEqual({ campaign_id: 2, agent_id: null, note: 'para soporte' });
    await new Promise((r) => setTimeout(r, 450));
    expect(srv.requests.filter((r) => r.path.startsWith('/api/agent/attended')).length).toBe(before + 1);
    expect(store.attended.items.map((a) => a.id)).toEqual([1]);
  });

  it('a refused transfer keeps the attention and throws the detail', async () => {
    const { srv, store } = await ready((srv) => {
      srv.open = [opened(1)];
      srv.targets = { campaigns: [{ id: 2, name: 'Soporte', agents: [{ id: 9, display_name: 'Luis', status: 'available', free_slots: 0 }] }] };
    });
    await expect(store.transfer(1, { campaign_id: 2, agent_id: 9, note: null })).rejects.toMatchObject({
      status: 409,
      detail: 'El agente elegido no tiene cupo o está desconectado.',
      code: 'agent_full',
    });
    expect(store.panel.open.map((a) => a.id)).toEqual([1]);
    void srv;
  });

  it('Atendidas: first page on connect, search, more, read-only view', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      ...opened(100 + i, { state: 'closed' as const }),
      left_at: '2026-11-25T11:00:00Z',
      outcome: 'closed' as const,
    }));
    const { srv, store } = await ready((srv) => {
      srv.attended = items;
      srv.messages.set(101, [message(50, 101)]);
    });
    await flush();
    expect(store.attended.items).toHaveLength(20);
    expect(store.attended.total).toBe(25);
    await store.loadAttended(store.attended.q, true);
    expect(store.attended.items).toHaveLength(25);
    expect(store.attended.next).toBeNull();
    const paged = srv.requests.filter((r) => r.path.startsWith('/api/agent/attended')).at(-1)!;
    expect(paged.path).toBe('/api/agent/attended?limit=20&before=20');

    await store.loadAttended('Cliente 101');
    expect(store.attended.items.map((a) => a.id)).toEqual([101]);
    const last = srv.requests.filter((r) => r.path.startsWith('/api/agent/attended')).at(-1)!;
    expect(last.path).toBe('/api/agent/attended?limit=20&q=Cliente+101');

    await store.viewAttended(store.attended.items[0]!);
    expect(store.viewing?.attention.id).toBe(101);
    expect(store.viewing?.messages.map((m) => m.id)).toEqual([50]);
    expect(store.panel.currentId).toBeNull();
  });

  it('message.updated reaches the shown chat and the read-only view, nothing else', async () => {
    const { store, h } = await ready((srv) => {
      srv.open = [opened(1)];
      srv.messages.set(1, [message(10, 1)]);
      srv.messages.set(2, [message(20, 2)]);
      srv.attended = [{ ...opened(2, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' }];
    });
    store.selectOpen(1);
    await flush();
    expect(store.panel.messages.map((m) => m.id)).toEqual([10]);
    h().onEvent({ type: 'message.updated', message: message(10, 1, { deleted: true }) });
    expect(store.panel.messages[0]!.deleted).toBe(true);

    await store.viewAttended({ ...opened(2, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' });
    expect(store.viewing?.messages.map((m) => m.id)).toEqual([20]);
    h().onEvent({
      type: 'message.updated',
      message: message(20, 2, { text: 'editado', edited: true, previous_text: 'hola 20' }),
    });
    expect(store.viewing?.messages[0]!.text).toBe('editado');
    const before = store.viewing;
    h().onEvent({ type: 'message.updated', message: message(30, 3, { deleted: true }) });
    expect(store.viewing).toBe(before);
  });

  it('opening a chat leaves the read-only view', async () => {
    const { store } = await ready((srv) => {
      srv.open = [opened(1)];
      srv.attended = [{ ...opened(2, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' }];
    });
    await store.viewAttended(store.attended.items[0] ?? { ...opened(2, { state: 'closed' }), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' });
    expect(store.viewing).not.toBeNull();
    store.selectOpen(1);
    expect(store.viewing).toBeNull();
    expect(store.current?.id).toBe(1);
  });
});

describe('form controller', () => {
  const form = {
    id: 1,
    version: 1,
    campaign: { id: 1, name: 'Ventas' },
    fields: [
      { key: 'motivo', label: 'Motivo', type: 'select' as const, required: true, options: ['Compra', 'Queja'] },
      { key: 'monto', label: 'Monto', type: 'number' as const, required: false, options: null },
      { key: 'correo', label: 'Correo', type: 'email' as const, required: false, options: null },
    ],
  };

  async function ready() {
    const env = setup();
    env.srv.open = [opened(1, { segment: 1 })];
    env.srv.forms.set(1, { form, values: { monto: 10 }, submitted_at: null, segment: 1 });
    await env.store.login('ana', 'secret');
    env.h().onOpen();
    await flush();
    const ctl = env.store.formFor(env.store.panel.open[0]!, false);
    await flush();
    return { ...env, ctl };
  }

  it('loads values into inputs and keeps one controller per attention and segment', async () => {
    const { store, ctl } = await ready();
    expect(ctl.phase).toBe('ready');
    expect(ctl.values).toEqual({ motivo: '', monto: '10', correo: '' });
    expect(store.formFor(store.panel.open[0]!, false)).toBe(ctl);
    expect(store.formFor({ ...store.panel.open[0]!, segment: 2 }, false)).not.toBe(ctl);
  });

  it('saves a draft ~600 ms after the last change, with typed values', async () => {
    const { srv, ctl } = await ready();
    vi.useFakeTimers();
    try {
      ctl.change('monto', '12,5');
      await vi.advanceTimersByTimeAsync(300);
      ctl.change('correo', 'x@');
      await vi.advanceTimersByTimeAsync(500);
      expect(srv.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(200);
      const puts = srv.requests.filter((r) => r.method === 'PUT' && r.path === '/api/attentions/1/form/draft');
      expect(puts).toHaveLength(1);
      expect(puts[0]!.body).toEqual({ values: { motivo: null, monto: 12.5, correo: 'x@' } });
      expect(ctl.draft).toBe('saved');
      // The server's opinion on the email shows under it.
      expect(ctl.errors).toEqual({ correo: 'Correo electrónico inválido.' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('flush saves at once; nothing to save sends nothing', async () => {
    const { srv, ctl } = await ready();
    await ctl.flush();
    expect(srv.requests.filter((r) => r.method === 'PUT')).toHaveLength(0);
    ctl.change('motivo', 'Queja');
    await ctl.flush();
    expect(srv.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(srv.forms.get(1)!.values.motivo).toBe('Queja');
  });

  it('submit: per-field errors and the first one to focus; then saved', async () => {
    const { ctl } = await ready();
    expect(await ctl.submit()).toBe('motivo');
    expect(ctl.errors).toEqual({ motivo: 'Campo obligatorio.' });
    expect(ctl.message).toBe('Revise los campos: Motivo.');
    ctl.change('motivo', 'Compra');
    expect(ctl.errors).toEqual({});
    expect(await ctl.submit()).toBeNull();
    expect(ctl.submittedAt).toBe('2026-11-25T10:45:00Z');
    expect(ctl.message).toBeNull();
  });

  it('read-only: loads and never writes', async () => {
    const { srv, store } = await ready();
    const ro = store.formFor(store.panel.open[0]!, true);
    await flush();
    ro.change('motivo', 'Compra');
    await ro.flush();
    expect(ro.values.motivo).toBe('');
    expect(srv.requests.filter((r) => r.method !== 'GET' && r.path.includes('/form'))).toHaveLength(0);
  });

  it('an English UI shows the refusal and each field message in English, by their codes', async () => {
    const { store, ctl } = await ready();
    store.setLang('en');
    try {
      expect(await ctl.submit()).toBe('motivo');
      expect(ctl.errors).toEqual({ motivo: 'Required field.' });
      expect(ctl.message).toBe('Check the fields: Motivo.');
      ctl.change('correo', 'no-es-correo');
      await ctl.flush();
      expect(ctl.errors).toEqual({ motivo: 'Required field.', correo: 'Invalid email address.' });
    } finally {
      store.setLang('es');
    }
  });

  it('end refused while a required field is empty: form_incomplete with errors', async () => {
    const { store } = await ready();
    await expect(store.end(1)).rejects.toMatchObject({
      status: 422,
      code: 'form_incomplete',
      detail: 'Complete los campos obligatorios: Motivo',
      errors: { motivo: 'Campo obligatorio.' },
    });
    expect(store.panel.open.map((a) => a.id)).toEqual([1]);
    void ME;
  });
});
