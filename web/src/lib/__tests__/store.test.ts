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
import { attention, message } from './fixtures';
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

  it('changes the agent status', async () => {
    const { srv, store } = setup();
    await store.login('ana', 'secret');
    await store.setStatus('paused');
    expect(store.me?.status).toBe('paused');
    const put = srv.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe('/api/agent/status');
    expect(put.body).toEqual({ status: 'paused' });
    expect(put.headers['X-CSRF-Token']).toBe('tok-1');
  });
});
