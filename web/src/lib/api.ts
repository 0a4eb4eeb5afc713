// Typed client for the HTTP API of docs/api.md.
//
// Every call sends the session cookie (same origin), JSON, the UI language and, on
// state-changing methods, the CSRF token returned by login or /api/auth/me.
// A 401 on any call but login tells the app the session is gone.

import {
  type Answer,
  type Method,
  type PathParams,
  type PathsFor,
  type Query,
  type RequestBody,
  type Schemas,
  fillPath,
} from './contract';
import type { MessagePage } from './reducer';

/** Messages read at a time: a long conversation opens at its newest page and pages back. */
export const MESSAGE_PAGE = 50;
import type {
  AgentStatus,
  AttendedPage,
  Attention,
  AuthAnswer,
  FieldCodes,
  FieldErrors,
  FormState,
  FormValues,
  Message,
  Snapshot,
  Template,
  TemplateSendRequest,
  TimelineEvent,
  TransferRequest,
  TransferTargets,
  User,
} from './types';
import type { Params } from './i18n';

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | null;
  /** The stable refusal code (`already_taken`, `form_incomplete`, …) when the server gives one. */
  readonly code: string | null;
  /** Per-field messages of a form refusal (`form_invalid`, `form_incomplete`). */
  readonly errors: FieldErrors | null;
  /** Seconds to wait before trying again (429's `Retry-After`). */
  readonly retryAfter: number | null;
  /** What fills the text of `code` (`{"limit_mb": 5, "kind": "image"}`); see lib/refusals.ts. */
  readonly params: Params;
  /** The codes of the per-field messages, to say them in the UI's language. */
  readonly fieldCodes: FieldCodes | null;

  constructor(
    status: number,
    detail: string | null,
    code: string | null = null,
    errors: FieldErrors | null = null,
    retryAfter: number | null = null,
    params: Params = {},
    fieldCodes: FieldCodes | null = null,
  ) {
    super(detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.code = code;
    this.errors = errors;
    this.retryAfter = retryAfter;
    this.params = params;
    this.fieldCodes = fieldCodes;
  }
}

/** A failure to reach the server at all (no HTTP answer). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

interface CallOptions {
  body?: unknown;
  /** A multipart body instead of JSON (the browser sets its Content-Type with the boundary). */
  form?: FormData;
  /** Do not report a 401 as a lost session (login answers 401 for bad credentials). */
  allow401?: boolean;
}

/** A call of one route of the contract: its parameters and body as the server declares them. */
export interface RouteOptions<P extends PathsFor<M>, M extends Method> {
  params?: PathParams<P, M>;
  query?: Query<P, M>;
  body?: RequestBody<P, M>;
  form?: FormData;
  allow401?: boolean;
}

function detailOf(data: unknown): string | null {
  if (data && typeof data === 'object' && 'detail' in data) {
    const d = (data as { detail: unknown }).detail;
    if (typeof d === 'string') return d;
    if (d && typeof d === 'object' && !Array.isArray(d) && typeof (d as { detail?: unknown }).detail === 'string') {
      return (d as { detail: string }).detail;
    }
    // FastAPI validation errors: a list of {msg}.
    if (Array.isArray(d)) {
      const msgs = d
        .map((e) => (e && typeof e === 'object' && 'msg' in e ? String(e.msg) : ''))
        .filter(Boolean);
      if (msgs.length) return msgs.join('; ');
    }
  }
  return null;
}

function codeOf(data: unknown): string | null {
  if (data && typeof data === 'object') {
    const c = (data as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    // Also accept {"detail": {"code": …}} (HTTPException with a dict detail).
    const d = (data as { detail?: unknown }).detail;
    if (d && typeof d === 'object' && !Array.isArray(d) && typeof (d as { code?: unknown }).code === 'string') {
      return (d as { code: string }).code;
    }
  }
  return null;
}

function paramsOf(data: unknown): Params {
  const raw = data && typeof data === 'object' ? (data as { params?: unknown }).params : null;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Params = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

function fieldCodesOf(data: unknown): FieldCodes | null {
  const raw = data && typeof data === 'object' ? (data as { error_codes?: unknown }).error_codes : null;
  return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as FieldCodes) : null;
}

function errorsOf(data: unknown): FieldErrors | null {
  if (!data || typeof data !== 'object') return null;
  const d = (data as { detail?: unknown }).detail;
  const raw =
    (data as { errors?: unknown }).errors ??
    (d && typeof d === 'object' && !Array.isArray(d) ? (d as { errors?: unknown }).errors : undefined);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k] = v;
  return out;
}

export class Api {
  csrfToken: string | null = null;
  /** Language sent as Accept-Language so server errors come back in it. */
  lang: () => string = () => 'es';
  /** Called when the server answers 401 to anything but login. */
  onUnauthorized: () => void = () => {};

  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(base = '', fetchImpl?: typeof fetch) {
    this.base = base;
    this.fetchImpl = fetchImpl ?? ((input, init) => fetch(input, init));
  }

  /** A route of the generated contract: what it takes and answers is checked against it. */
  request<M extends Method, P extends PathsFor<M>>(
    method: M,
    path: P,
    opts: RouteOptions<P, M> = {},
  ): Promise<Answer<P, M>> {
    const url = fillPath(
      path,
      opts.params as Record<string, string | number> | undefined,
      opts.query as Record<string, string | number | null | undefined> | undefined,
    );
    return this.call<Answer<P, M>>(method, url, { body: opts.body, form: opts.form, allow401: opts.allow401 });
  }

  private async call<T>(method: Method, path: string, opts: CallOptions = {}): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.lang(),
    };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;

    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.form ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
      });
    } catch (e) {
      throw new NetworkError(e);
    }

    let data: unknown = null;
    if (res.status !== 204) {
      const text = await res.text();
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = null;
        }
      }
    }
    if (!res.ok) {
      if (res.status === 401 && !opts.allow401) this.onUnauthorized();
      throw new ApiError(
        res.status,
        detailOf(data),
        codeOf(data),
        errorsOf(data),
        retryAfterOf(res),
        paramsOf(data),
        fieldCodesOf(data),
      );
    }
    return data as T;
  }

  // --- auth ---

  async login(username: string, password: string): Promise<AuthAnswer> {
    const a = await this.request('POST', '/api/auth/login', { body: { username, password }, allow401: true });
    this.csrfToken = a.csrf_token;
    return a;
  }

  /** Resume a session; 401 (no session) is not reported as a lost session. */
  async me(): Promise<AuthAnswer> {
    const a = await this.request('GET', '/api/auth/me', { allow401: true });
    this.csrfToken = a.csrf_token;
    return a;
  }

  async logout(): Promise<void> {
    try {
      await this.request('POST', '/api/auth/logout', { allow401: true });
    } finally {
      this.csrfToken = null;
    }
  }

  // --- agent panel ---

  snapshot(): Promise<Snapshot> {
    return this.request('GET', '/api/agent/attentions');
  }

  setStatus(status: AgentStatus, reason?: string): Promise<User> {
    return this.request('PUT', '/api/agent/status', { body: reason ? { status, reason } : { status } });
  }

  attention(id: number): Promise<Attention> {
    return this.request('GET', '/api/attentions/{attention_id}', { params: { attention_id: id } });
  }

  open(id: number): Promise<Attention> {
    return this.request('POST', '/api/attentions/{attention_id}/open', { params: { attention_id: id } });
  }

  /** The agent has seen the conversation: the server's unread count goes back to 0. */
  seen(id: number): Promise<Attention> {
    return this.request('POST', '/api/attentions/{attention_id}/seen', { params: { attention_id: id } });
  }

  /** The newest `limit` messages (before `beforeId`), oldest first, and whether older ones remain. */
  messagesPage(id: number, limit: number, beforeId?: number): Promise<MessagePage> {
    return this.request('GET', '/api/attentions/{attention_id}/messages', {
      params: { attention_id: id },
      query: { limit, before_id: beforeId },
    });
  }

  send(id: number, text: string, clientId: string): Promise<Message> {
    return this.request('POST', '/api/attentions/{attention_id}/messages', {
      params: { attention_id: id },
      body: { text, client_id: clientId },
    });
  }

  end(id: number): Promise<Attention> {
    return this.request('POST', '/api/attentions/{attention_id}/end', { params: { attention_id: id } });
  }

  /**
   * A file from the agent: multipart `file`, `caption` (when given) and `client_id`.
   * 201 a new message (200 the one already sent with that `client_id`); 422 `{detail}` when
   * WhatsApp would refuse the file (checked by its content).
   */
  sendMedia(id: number, file: Blob, filename: string, caption: string | null, clientId: string): Promise<Message> {
    const form = new FormData();
    form.append('file', file, filename);
    if (caption) form.append('caption', caption);
    form.append('client_id', clientId);
    return this.request('POST', '/api/attentions/{attention_id}/media', { params: { attention_id: id }, form });
  }

  // --- the WhatsApp channel: typing indicator, templates ---

  /** WhatsApp's typing indicator for the customer (the server sends at most one every 20 s). */
  typing(id: number): Promise<{ sent: boolean }> {
    return this.request('POST', '/api/attentions/{attention_id}/typing', { params: { attention_id: id } });
  }

  templates(id: number): Promise<Template[]> {
    return this.request('GET', '/api/attentions/{attention_id}/templates', { params: { attention_id: id } });
  }

  /** 201 a new `template` message; the same `client_id` twice returns the first one (200). */
  sendTemplate(id: number, body: TemplateSendRequest): Promise<Message> {
    return this.request('POST', '/api/attentions/{attention_id}/template', { params: { attention_id: id }, body });
  }

  // --- the whole lifecycle: pauses, attended, forms, transfers, timeline ---

  pauseReasons(): Promise<string[]> {
    return this.request('GET', '/api/pause-reasons');
  }

  attended(q: string, before: string | null, limit: number): Promise<AttendedPage> {
    return this.request('GET', '/api/agent/attended', {
      query: { limit, q: q || undefined, before: before ?? undefined },
    });
  }

  async form(id: number): Promise<FormState> {
    return formState(await this.request('GET', '/api/attentions/{attention_id}/form', { params: { attention_id: id } }));
  }

  async saveDraft(id: number, values: FormValues): Promise<FormState> {
    const s = await this.request('PUT', '/api/attentions/{attention_id}/form/draft', {
      params: { attention_id: id },
      body: { values },
    });
    return formState(s);
  }

  async submitForm(id: number, values: FormValues): Promise<FormState> {
    const s = await this.request('POST', '/api/attentions/{attention_id}/form/submit', {
      params: { attention_id: id },
      body: { values },
    });
    return formState(s);
  }

  transferTargets(): Promise<TransferTargets> {
    return this.request('GET', '/api/transfer-targets');
  }

  transfer(id: number, body: TransferRequest): Promise<Attention> {
    return this.request('POST', '/api/attentions/{attention_id}/transfer', { params: { attention_id: id }, body });
  }

  async timeline(id: number): Promise<TimelineEvent[]> {
    const r = await this.request('GET', '/api/attentions/{attention_id}/timeline', { params: { attention_id: id } });
    return r.events;
  }
}

/** The server declares a form's values as any JSON; it only stores the values that
 * src/lib/form.ts knows (atiende/domain/forms.py checks them by the field's type). */
function formState(s: Schemas['FormState']): FormState {
  return s as FormState;
}

/** A v4 UUID; crypto.randomUUID only exists in secure contexts (https, localhost). */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function retryAfterOf(res: Response): number | null {
  const seconds = Number.parseInt(res.headers?.get?.('Retry-After') ?? '', 10);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
