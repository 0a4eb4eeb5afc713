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

  it('passes after_id', async () => {
    const srv = new FakeServer();
    const api = new Api('', srv.fetch);
    await api.messages(5, 12);
    expect(srv.requests[0]!.path).toBe('/api/attentions/5/messages?after_id=12');
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
