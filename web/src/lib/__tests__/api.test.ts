// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { Api, ApiError, NetworkError, newClientId } from '../api';
import { FakeServer } from './fakeServer';

describe('api client', () => {
  it('sends credentials, JSON and the CSRF token on state-changing calls only', async () => {
    const srv = new FakeServer();
    const api = new Api('', srv.fetch);
    await api.login('ana', 'secret');
    await api.snapshot();
    await api.send(1, 'hola', 'c-1');

    const [login, snap, send] = srv.requests;
    expect(login!.credentials).toBe('same-origin');
    expect(login!.headers['Content-Type']).toBe('application/json');
    expect(login!.headers['X-CSRF-Token']).toBeUndefined();
    expect(snap!.method).toBe('GET');
    expect(snap!.headers['X-CSRF-Token']).toBeUndefined();
    expect(snap!.credentials).toBe('same-origin');
    expect(send!.headers['X-CSRF-Token']).toBe('tok-1');
    expect(send!.body).toEqual({ text: 'hola', client_id: 'c-1' });
  });

  it('sends the UI language', async () => {
    const srv = new FakeServer();
    const api = new Api('', srv.fetch);
    api.lang = () => 'en';
    await api.login('ana', 'secret');
    expect(srv.requests[0]!.headers['Accept-Language']).toBe('en');
  });

  it('a bad login is an ApiError 401 and not a lost session', async () => {
    const srv = new FakeServer();
    const api = new Api('', srv.fetch);
    const lost = vi.fn();
    api.onUnauthorized = lost;
    await expect(api.login('ana', 'nope')).rejects.toMatchObject({ status: 401, detail: 'Credenciales inválidas' });
    expect(lost).not.toHaveBeenCalled();
  });

  it('a throttled login carries the seconds to wait', async () => {
    const throttled = async () =>
      new Response(JSON.stringify({ detail: 'Espere', code: 'too_many_attempts', retry_after: 8 }), {
        status: 429,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '8' },
      });
    const api = new Api('', throttled as unknown as typeof fetch);
    await expect(api.login('ana', 'nope')).rejects.toMatchObject({
      status: 429,
      code: 'too_many_attempts',
      retryAfter: 8,
    });
  });

  it('a 401 elsewhere reports the lost session', async () => {
    const srv = new FakeServer();
    srv.sessionValid = false;
    const api = new Api('', srv.fetch);
    const lost = vi.fn();
    api.onUnauthorized = lost;
    await expect(api.snapshot()).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledOnce();
    // …but /me on startup does not (no session yet is normal).
    await expect(api.me()).rejects.toBeInstanceOf(ApiError);
    expect(lost).toHaveBeenCalledOnce();
  });

  it('turns a failed fetch into a NetworkError', async () => {
    const api = new Api('', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.snapshot()).rejects.toBeInstanceOf(NetworkError);
  });

  it('pages a conversation back with limit and before_id', async () => {
    const srv = new FakeServer();
    const api = new Api('', srv.fetch);
    await api.messagesPage(5, 50, 12);
    expect(srv.requests[0]!.path).toBe('/api/attentions/5/messages?limit=50&before_id=12');
  });

  it('typing, templates and sending one', async () => {
    const srv = new FakeServer();
    srv.templates.set(5, [{ id: 2, name: 'saludo', language: 'es_MX', body: 'Hola {{1}}', params: 1 }]);
    const api = new Api('', srv.fetch);
    api.csrfToken = 'tok';
    expect(await api.typing(5)).toEqual({ sent: true });
    expect(srv.requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/attentions/5/typing' });
    expect(srv.requests.at(-1)!.headers['X-CSRF-Token']).toBe('tok');
    expect((await api.templates(5)).map((t) => t.name)).toEqual(['saludo']);
    expect(srv.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/attentions/5/templates' });
    const m = await api.sendTemplate(5, { template_id: 2, params: ['Ana'], client_id: 'c1' });
    expect(srv.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/attentions/5/template',
      body: { template_id: 2, params: ['Ana'], client_id: 'c1' },
    });
    expect([m.type, m.text]).toEqual(['template', 'Hola Ana']);
  });

  it('makes v4 UUIDs', () => {
    const a = newClientId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientId()).not.toBe(a);
  });
});

describe('sending a file', () => {
  function capture(status = 201, answer: unknown = { id: 9 }) {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } });
    }) as unknown as typeof fetch;
    return { calls, fetchImpl };
  }

  it('posts multipart file, caption and client_id with the CSRF header', async () => {
    const { calls, fetchImpl } = capture();
    const api = new Api('', fetchImpl);
    api.csrfToken = 'tok-9';
    const file = new File(['%PDF-1.4 hola'], 'contrato.pdf', { type: 'application/pdf' });
    await api.sendMedia(7, file, file.name, 'Su contrato', 'cid-1');

    expect(calls).toHaveLength(1);
    const { url, init } = calls[0]!;
    expect(url).toBe('/api/attentions/7/media');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    const headers = init.headers as Record<string, string>;
    expect(headers['X-CSRF-Token']).toBe('tok-9');
    // The browser writes the multipart Content-Type with its boundary.
    expect(headers['Content-Type']).toBeUndefined();
    const body = init.body as FormData;
    expect(body).toBeInstanceOf(FormData);
    const sent = body.get('file') as File;
    expect(sent.name).toBe('contrato.pdf');
    expect(await sent.text()).toBe('%PDF-1.4 hola');
    expect(body.get('caption')).toBe('Su contrato');
    expect(body.get('client_id')).toBe('cid-1');
  });

  it('leaves out an empty caption', async () => {
    const { calls, fetchImpl } = capture();
    const api = new Api('', fetchImpl);
    await api.sendMedia(7, new Blob(['x']), 'nota.ogg', null, 'cid-2');
    const body = calls[0]!.init.body as FormData;
    expect(body.has('caption')).toBe(false);
    expect(body.get('client_id')).toBe('cid-2');
  });

  it('a refused file is an ApiError 422 with the server reason', async () => {
    const { fetchImpl } = capture(422, { detail: 'El audio OGG debe estar codificado en Opus para WhatsApp.' });
    const api = new Api('', fetchImpl);
    await expect(api.sendMedia(7, new Blob(['OggS']), 'a.ogg', null, 'c')).rejects.toMatchObject({
      status: 422,
      detail: 'El audio OGG debe estar codificado en Opus para WhatsApp.',
    });
  });
});
