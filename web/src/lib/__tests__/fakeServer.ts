// A fake `fetch` that answers like docs/api.md and records every request.
import type { Attention, Message, QueueCount, User } from '../types';

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  credentials: RequestCredentials | undefined;
  body: unknown;
}

export type Handler = (req: Recorded) => { status: number; body?: unknown } | undefined;

export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export class FakeServer {
  requests: Recorded[] = [];
  handlers: Handler[] = [];
  user: User = { id: 7, username: 'ana', display_name: 'Ana Pérez', role: 'agent', status: 'available' };
  assigned: Attention[] = [];
  open: Attention[] = [];
  queues: QueueCount[] = [];
  messages = new Map<number, Message[]>();
  nextId = 1000;
  sessionValid = true;

  fetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const req: Recorded = {
      method: init?.method ?? 'GET',
      path: url,
      headers,
      credentials: init?.credentials,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    this.requests.push(req);
    for (const h of this.handlers) {
      const r = h(req);
      if (r) return jsonResponse(r.status, r.body);
    }
    const r = this.route(req);
    return jsonResponse(r.status, r.body);
  };

  private route(req: Recorded): { status: number; body?: unknown } {
    const { method, path } = req;
    if (method === 'POST' && path === '/api/auth/login') {
      const b = req.body as { username: string; password: string };
      if (b.password !== 'secret') return { status: 401, body: { detail: 'Credenciales inválidas' } };
      this.sessionValid = true;
      return { status: 200, body: { user: this.user, csrf_token: 'tok-1' } };
    }
    if (!this.sessionValid) return { status: 401, body: { detail: 'No autenticado' } };
    if (method === 'GET' && path === '/api/auth/me') return { status: 200, body: { user: this.user, csrf_token: 'tok-1' } };
    if (method === 'POST' && path === '/api/auth/logout') return { status: 204 };
    if (method === 'GET' && path === '/api/agent/attentions') {
      return { status: 200, body: { assigned: this.assigned, open: this.open, queues: this.queues } };
    }
    if (method === 'PUT' && path === '/api/agent/status') {
      this.user = { ...this.user, status: (req.body as { status: User['status'] }).status };
      return { status: 200, body: this.user };
    }
    let m = path.match(/^\/api\/attentions\/(\d+)\/open$/);
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const a = this.assigned.find((x) => x.id === id);
      if (!a) return { status: 409, body: { detail: 'La atención ya no está asignada a ti' } };
      const o: Attention = { ...a, state: 'open', version: a.version + 1, opened_at: '2026-11-25T10:30:00Z' };
      this.assigned = this.assigned.filter((x) => x.id !== id);
      this.open = [...this.open, o];
      return { status: 200, body: o };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/messages(?:\?after_id=(\d+))?$/);
    if (m && method === 'GET') {
      return { status: 200, body: { messages: this.messages.get(Number(m[1])) ?? [] } };
    }
    if (m && method === 'POST') {
      const id = Number(m[1]);
      const b = req.body as { text: string; client_id: string };
      const list = this.messages.get(id) ?? [];
      const prior = list.find((x) => x.client_id === b.client_id);
      if (prior) return { status: 200, body: prior };
      const msg: Message = {
        id: this.nextId++,
        attention_id: id,
        direction: 'out',
        type: 'text',
        text: b.text,
        status: 'pending',
        error: null,
        created_at: '2026-11-25T10:31:00Z',
        sender: { id: this.user.id, display_name: this.user.display_name },
        client_id: b.client_id,
      };
      this.messages.set(id, [...list, msg]);
      return { status: 201, body: msg };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/seen$/);
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const a = this.open.find((x) => x.id === id);
      if (!a) return { status: 404, body: { detail: 'No encontrada' } };
      const seen = { ...a, unread: 0, version: a.version + 1 };
      this.open = this.open.map((x) => (x.id === id ? seen : x));
      return { status: 200, body: seen };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/end$/);
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const a = this.open.find((x) => x.id === id);
      if (!a) return { status: 404, body: { detail: 'No encontrada' } };
      this.open = this.open.filter((x) => x.id !== id);
      return { status: 200, body: { ...a, state: 'closed', version: a.version + 1, closed_at: '2026-11-25T11:00:00Z' } };
    }
    return { status: 404, body: { detail: 'Not found' } };
  }
}
