// A fake `fetch` that answers like docs/api.md and records every request.
import type {
  Attended,
  Attention,
  FieldCodes,
  FieldErrors,
  Form,
  FormField,
  FormValues,
  Message,
  QueueCount,
  Template,
  TimelineEvent,
  TransferTargets,
  User,
} from '../types';

/** The form of one attention's current segment, as the fake server stores it. */
export interface FakeForm {
  form: Form | null;
  values: FormValues;
  submitted_at: string | null;
  segment: number;
}

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0);

/** Like the backend's domain/forms.py, simplified: errors by key. */
export function fakeValidate(fields: FormField[], values: FormValues, require: boolean): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fields) {
    const v = values[f.key];
    if (isEmpty(v)) {
      if (require && f.required) errors[f.key] = 'Campo obligatorio.';
      continue;
    }
    if (f.type === 'number' && typeof v !== 'number') errors[f.key] = 'Debe ser un número.';
    if (f.type === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(v))) errors[f.key] = 'Correo electrónico inválido.';
    if (f.type === 'select' && !(f.options ?? []).includes(String(v))) errors[f.key] = 'Elija una de las opciones.';
  }
  return errors;
}

// The codes the real server gives with each message (domain/forms.py), for the fake's few.
const FIELD_CODES: Record<string, string> = {
  'Campo obligatorio.': 'required',
  'Debe ser un número.': 'not_number',
  'Correo electrónico inválido.': 'invalid_email',
  'Elija una de las opciones.': 'choose_option',
};

export function fakeCodes(errors: FieldErrors): FieldCodes {
  const out: FieldCodes = {};
  for (const [key, message] of Object.entries(errors)) out[key] = { code: FIELD_CODES[message] ?? 'invalid', params: {} };
  return out;
}

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
  offered: Attention[] = [];
  /** Offered attentions another agent opened first. */
  takenByOther = new Set<number>();
  pauseReasons = ['Almuerzo', 'Baño', 'Capacitación', 'Reunión', 'Pausa activa', 'Otro'];
  attended: Attended[] = [];
  forms = new Map<number, FakeForm>();
  targets: TransferTargets = { campaigns: [] };
  timelines = new Map<number, TimelineEvent[]>();
  queues: QueueCount[] = [];
  messages = new Map<number, Message[]>();
  /** Approved templates by attention (its campaign's). */
  templates = new Map<number, Template[]>();
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
      return {
        status: 200,
        body: { assigned: this.assigned, open: this.open, queues: this.queues, offered: this.offered },
      };
    }
    if (method === 'PUT' && path === '/api/agent/status') {
      const b = req.body as { status: User['status']; reason?: string };
      if (b.status === 'paused' && !this.pauseReasons.includes(b.reason ?? '')) {
        return { status: 422, body: { detail: 'Elija el motivo de la pausa.', code: 'pause_reason' } };
      }
      this.user = { ...this.user, status: b.status };
      return { status: 200, body: this.user };
    }
    if (method === 'GET' && path === '/api/pause-reasons') return { status: 200, body: this.pauseReasons };
    if (method === 'GET' && path.startsWith('/api/agent/attended')) {
      const p = new URL(path, 'http://x').searchParams;
      const q = (p.get('q') ?? '').toLowerCase();
      // The cursor here is the index of the next item: the real one is opaque too.
      const from = Number(p.get('before') ?? 0);
      const size = Number(p.get('limit') ?? 20);
      const hits = this.attended.filter((a) =>
        [a.customer.display_name, a.customer.username, a.customer.phone].some((x) => (x ?? '').toLowerCase().includes(q)),
      );
      const more = from + size < hits.length;
      return {
        status: 200,
        body: { items: hits.slice(from, from + size), total: hits.length, next_before: more ? String(from + size) : null },
      };
    }
    if (method === 'GET' && path === '/api/transfer-targets') return { status: 200, body: this.targets };
    let m = path.match(/^\/api\/attentions\/(\d+)\/open$/);
    if (method === 'POST' && m && this.offered.some((x) => x.id === Number(m![1]))) {
      const id = Number(m[1]);
      const a = this.offered.find((x) => x.id === id)!;
      this.offered = this.offered.filter((x) => x.id !== id);
      if (this.takenByOther.has(id)) {
        return { status: 409, body: { detail: 'Otro agente ya tomó esta atención.', code: 'already_taken' } };
      }
      const o: Attention = {
        ...a,
        state: 'open',
        offered: false,
        agent_id: this.user.id,
        version: a.version + 1,
        assigned_at: '2026-11-25T10:30:00Z',
        opened_at: '2026-11-25T10:30:00Z',
      };
      this.open = [...this.open, o];
      return { status: 200, body: o };
    }
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const a = this.assigned.find((x) => x.id === id);
      if (!a) return { status: 409, body: { detail: 'La atención ya no está asignada a ti' } };
      const o: Attention = { ...a, state: 'open', version: a.version + 1, opened_at: '2026-11-25T10:30:00Z' };
      this.assigned = this.assigned.filter((x) => x.id !== id);
      this.open = [...this.open, o];
      return { status: 200, body: o };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/messages(?:\?(.*))?$/);
    if (m && method === 'GET') {
      // As the server pages: the newest `limit` before `before_id`, oldest first.
      const q = new URLSearchParams(m[2] ?? '');
      const before = q.has('before_id') ? Number(q.get('before_id')) : Infinity;
      const all = (this.messages.get(Number(m[1])) ?? []).filter((x) => x.id < before);
      const limit = q.has('limit') ? Number(q.get('limit')) : all.length;
      return { status: 200, body: { messages: all.slice(Math.max(0, all.length - limit)), has_more: all.length > limit } };
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
        forwarded: false,
        reactions: [],
        edited: false,
        deleted: false,
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
      const f = this.forms.get(id);
      if (f?.form) {
        const errors = fakeValidate(f.form.fields, f.values, true);
        const missing = f.form.fields.filter((x) => errors[x.key] === 'Campo obligatorio.');
        if (missing.length) {
          const only: FieldErrors = {};
          for (const x of missing) only[x.key] = errors[x.key]!;
          return {
            status: 422,
            body: {
              detail: `Complete los campos obligatorios: ${missing.map((x) => x.label).join(', ')}`,
              code: 'form_incomplete',
              params: { fields: missing.map((x) => x.label).join(', '), reason: 'missing' },
              errors: only,
              error_codes: fakeCodes(only),
            },
          };
        }
      }
      this.open = this.open.filter((x) => x.id !== id);
      return { status: 200, body: { ...a, state: 'closed', version: a.version + 1, closed_at: '2026-11-25T11:00:00Z' } };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/form(\/draft|\/submit)?$/);
    if (m) {
      const id = Number(m[1]);
      const f = this.forms.get(id) ?? { form: null, values: {}, submitted_at: null, segment: 1 };
      const state = (errors: FieldErrors) => ({ ...f, errors, error_codes: fakeCodes(errors) });
      if (method === 'GET' && !m[2]) return { status: 200, body: state(f.form ? fakeValidate(f.form.fields, f.values, false) : {}) };
      const values = (req.body as { values: FormValues }).values;
      if (method === 'PUT' && m[2] === '/draft') {
        f.values = values;
        this.forms.set(id, f);
        return { status: 200, body: state(f.form ? fakeValidate(f.form.fields, values, false) : {}) };
      }
      if (method === 'POST' && m[2] === '/submit') {
        const errors = f.form ? fakeValidate(f.form.fields, values, true) : {};
        if (Object.keys(errors).length) {
          const fields = f.form!.fields.filter((x) => x.key in errors).map((x) => x.label).join(', ');
          return { status: 422, body: { detail: `Revise los campos: ${fields}.`, code: 'form_invalid', params: { fields }, errors, error_codes: fakeCodes(errors) } };
        }
        f.values = values;
        f.submitted_at = '2026-11-25T10:45:00Z';
        this.forms.set(id, f);
        return { status: 200, body: state({}) };
      }
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/transfer$/);
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const a = this.open.find((x) => x.id === id);
      if (!a) return { status: 409, body: { detail: 'Solo se transfiere una atención abierta.', code: 'invalid_state' } };
      const b = req.body as { campaign_id: number; agent_id: number | null; note: string | null };
      const c = this.targets.campaigns.find((x) => x.id === b.campaign_id);
      if (!c) return { status: 404, body: { detail: 'La campaña no existe.', code: 'campaign_not_found' } };
      if (b.agent_id !== null) {
        const ag = c.agents.find((x) => x.id === b.agent_id);
        if (!ag) return { status: 422, body: { detail: 'Ese agente no pertenece a la campaña elegida.', code: 'agent_not_in_campaign' } };
        if (ag.free_slots <= 0) return { status: 409, body: { detail: 'El agente elegido no tiene cupo o está desconectado.', code: 'agent_full' } };
      }
      this.open = this.open.filter((x) => x.id !== id);
      const moved: Attention = {
        ...a,
        state: b.agent_id === null ? 'queued' : 'assigned',
        agent_id: b.agent_id,
        campaign: { id: c.id, name: c.name },
        version: a.version + 1,
        transfer_count: (a.transfer_count ?? 0) + 1,
        segment: (a.segment ?? 1) + 1,
      };
      return { status: 200, body: moved };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/typing$/);
    if (method === 'POST' && m) return { status: 200, body: { sent: true } };
    m = path.match(/^\/api\/attentions\/(\d+)\/templates$/);
    if (method === 'GET' && m) return { status: 200, body: this.templates.get(Number(m[1])) ?? [] };
    m = path.match(/^\/api\/attentions\/(\d+)\/template$/);
    if (method === 'POST' && m) {
      const id = Number(m[1]);
      const b = req.body as { template_id: number; params: string[]; client_id: string };
      const list = this.messages.get(id) ?? [];
      const prior = list.find((x) => x.client_id === b.client_id);
      if (prior) return { status: 200, body: prior };
      const t = (this.templates.get(id) ?? []).find((x) => x.id === b.template_id);
      if (!t) return { status: 404, body: { detail: 'La plantilla no existe en esta campaña.', code: 'template_not_found' } };
      if (b.params.length !== t.params || b.params.some((v) => !v.trim())) {
        return { status: 422, body: { detail: 'Ningún valor de la plantilla puede quedar vacío.', code: 'template_params', params: { reason: 'empty' } } };
      }
      const msg: Message = {
        id: this.nextId++,
        attention_id: id,
        direction: 'out',
        type: 'template',
        text: t.body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => b.params[Number(n) - 1]!),
        status: 'pending',
        error: null,
        created_at: '2026-11-26T11:00:00Z',
        sender: { id: this.user.id, display_name: this.user.display_name },
        client_id: b.client_id,
        forwarded: false,
        reactions: [],
        edited: false,
        deleted: false,
        content: { name: t.name, language: t.language, params: b.params },
      };
      this.messages.set(id, [...list, msg]);
      return { status: 201, body: msg };
    }
    m = path.match(/^\/api\/attentions\/(\d+)\/timeline$/);
    if (method === 'GET' && m) return { status: 200, body: { events: this.timelines.get(Number(m[1])) ?? [] } };
    return { status: 404, body: { detail: 'Not found' } };
  }
}
