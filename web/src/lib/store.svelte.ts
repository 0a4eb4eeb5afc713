// Application state with runes: session, language, panel (lists, current attention,
// messages) and the real-time connection. Every change of the panel goes through the pure
// functions of reducer.ts; this module only does the I/O around them.

import { beep, notify, requestNotificationPermission, unlockAudioOnFirstGesture } from './alerts';
import { Api, ApiError, newClientId } from './api';
import { type Lang, type MessageKey, type Params, loadLang, saveLang, translate } from './i18n';
import { AttendedStore, type AttendedList } from './attended.svelte';
import { NoticeStore, type NoticeKind } from './notice.svelte';
import { fieldErrorTexts, refusalText } from './refusals';
import { MEDIA_RETRY, SEND_RETRY, type RetryPolicy, retryOnNetworkError } from './retry';
import {
  type PanelState,
  addMessage,
  applyEvent,
  applyMessages,
  applySnapshot,
  emptyPanel,
  findAttention,
  isOffered,
  leftOpen,
  mergeMessages,
  newAssignments,
  removeAttention,
  replaceMessage,
  selectAttention,
  upsertAttention,
} from './reducer';
import type { FormController } from './formController.svelte';
import { FormRegistry } from './forms';
import type {
  AgentStatus,
  Attended,
  Attention,
  FieldCodes,
  FieldErrors,
  Message,
  ServerEvent,
  TransferRequest,
  User,
} from './types';
import { recallCurrent, recallPauseReason, rememberCurrent, rememberPauseReason } from './tabMemory';
import { TypingThrottle } from './typing';
import { RealtimeSocket, SESSION_ENDED, type SocketHandlers } from './ws';

/** An attention I handled, shown read-only (Atendidas). */
export interface ReadOnlyView {
  attention: Attended;
  messages: Message[];
  loading: boolean;
  error: string | null;
}

/** What the store needs from the socket (a fake in tests). */
export interface SocketLike {
  start(): void;
  stop(): void;
  reconnectNow?(): void;
}

export type Phase = 'starting' | 'login' | 'panel';


export class AppStore {
  // --- reactive state ---
  lang = $state<Lang>(loadLang());
  phase = $state<Phase>('starting');
  me = $state<User | null>(null);
  panel = $state.raw<PanelState>(emptyPanel());
  connected = $state(false);
  /** True after the socket was lost or failed: shows "Reconectando…". */
  reconnecting = $state(false);
  now = $state(Date.now());
  loadingMessages = $state(false);
  chatError = $state<string | null>(null);
  /** A transient message shown at the top of the panel (lib/notice.svelte.ts). */
  readonly notices = new NoticeStore();
  get notice(): string | null {
    return this.notices.text;
  }
  get noticeKind(): NoticeKind {
    return this.notices.kind;
  }
  /** Why I am paused (what I chose; the server's `pause_reason` wins when it sends one). */
  pauseReason = $state<string | null>(null);
  /** GET /api/pause-reasons, once. */
  pauseReasons = $state<string[] | null>(null);
  /** An attended attention shown read-only instead of an open chat. */
  viewing = $state.raw<ReadOnlyView | null>(null);
  /** Atendidas (lib/attended.svelte.ts). */
  readonly attendedStore: AttendedStore;
  get attended(): AttendedList {
    return this.attendedStore.list;
  }

  current: Attention | null = $derived(
    this.panel.currentId === null
      ? null
      : (this.panel.open.find((a) => a.id === this.panel.currentId) ?? null),
  );

  // --- plumbing ---
  readonly api: Api;
  private socket: SocketLike;
  private clock: ReturnType<typeof setInterval> | null = null;
  private reloadSeq = 0;
  /** Events received while a snapshot is on its way, replayed over it. */
  private replay: ServerEvent[] | null = null;
  /** Attentions whose open request is on its way. */
  opening = $state<number[]>([]);
  private loadedOnce = false;
  private seenTimer: ReturnType<typeof setTimeout> | null = null;
  private seenPending = false;
  /** Form of each open attention's current segment (lib/forms.ts). */
  private readonly forms = new FormRegistry(this);
  /** WhatsApp's typing indicator, at most every 20 s per attention. */
  readonly typingThrottle: TypingThrottle;

  constructor(
    api = new Api(),
    makeSocket: (h: SocketHandlers) => SocketLike = (h) => new RealtimeSocket(h),
  ) {
    this.api = api;
    this.api.lang = () => this.lang;
    this.api.onUnauthorized = () => this.sessionLost();
    this.typingThrottle = new TypingThrottle((id) => this.api.typing(id));
    this.attendedStore = new AttendedStore(api, () => this.phase === 'panel', (e) => this.errorText(e));
    this.socket = makeSocket({
      onEvent: (e) => this.onEvent(e),
      onOpen: () => void this.reload(),
      onState: (up) => {
        this.connected = up;
        if (up) this.reconnecting = false;
      },
      onDrop: (neverOpened, code) => {
        this.reconnecting = true;
        // A handshake refused may mean the session expired, and the server closes with 4401
        // a socket whose session ended: ask, and go to login on 401.
        if (neverOpened || code === SESSION_ENDED) void this.checkSession();
      },
    });
  }

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  setLang(lang: Lang): void {
    this.lang = lang;
    saveLang(lang);
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  }

  /** Text for an error thrown by the API client: a refusal translated by its code. */
  errorText(e: unknown, fallbackCode?: string): string {
    return refusalText(this.lang, e, fallbackCode);
  }

  /** A form's per-field messages in the UI's language (see lib/refusals.ts). */
  fieldErrorTexts(errors: FieldErrors, codes: FieldCodes | null | undefined): FieldErrors {
    return fieldErrorTexts(this.lang, errors, codes);
  }

  showNotice(text: string, kind: NoticeKind = 'error'): void {
    this.notices.show(text, kind);
  }

  /** The pause reason to show next to the status, or null when not paused. */
  get shownPauseReason(): string | null {
    if (this.me?.status !== 'paused') return null;
    return this.me.pause_reason || this.pauseReason || null;
  }

  dismissNotice(): void {
    this.notices.dismiss();
  }

  // --- session ---

  /** On page load: resume the session if the cookie is still good. */
  async start(): Promise<void> {
    if (typeof document !== 'undefined') document.documentElement.lang = this.lang;
    unlockAudioOnFirstGesture();
    // Back online: do not wait for the backoff timer.
    if (typeof window !== 'undefined') window.addEventListener('online', () => this.socket.reconnectNow?.());
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.onVisible();
      });
    }
    try {
      const { user } = await this.api.me();
      this.enterPanel(user, true);
    } catch {
      this.phase = 'login';
    }
  }

  /** Throws ApiError (401 = bad credentials) or NetworkError. */
  async login(username: string, password: string): Promise<void> {
    requestNotificationPermission();
    const { user } = await this.api.login(username, password);
    this.enterPanel(user, false);
  }

  async logout(): Promise<void> {
    try {
      await this.api.logout();
    } catch {
      /* leave anyway */
    }
    this.leavePanel();
  }

  private enterPanel(user: User, restoreCurrent: boolean): void {
    this.me = user;
    this.pauseReason = user.status === 'paused' ? recallPauseReason() : null;
    let panel = emptyPanel(user.id);
    if (restoreCurrent) {
      const saved = recallCurrent();
      if (saved !== null) panel = { ...panel, currentId: saved };
    }
    this.panel = panel;
    this.loadedOnce = false;
    this.phase = 'panel';
    this.reconnecting = false;
    this.now = Date.now();
    if (!this.clock) this.clock = setInterval(() => (this.now = Date.now()), 1000);
    this.socket.start();
  }

  private leavePanel(): void {
    this.socket.stop();
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    this.reloadSeq++;
    this.replay = null;
    if (this.seenTimer) clearTimeout(this.seenTimer);
    this.seenTimer = null;
    this.seenPending = false;
    this.forms.clear();
    this.typingThrottle.clear();
    this.attendedStore.reset();
    this.viewing = null;
    this.pauseReason = null;
    rememberPauseReason(null);
    this.me = null;
    this.panel = emptyPanel();
    this.connected = false;
    this.reconnecting = false;
    this.chatError = null;
    this.notices.dismiss();
    this.api.csrfToken = null;
    rememberCurrent(null);
    this.phase = 'login';
    this.updateTitle();
  }

  private sessionLost(): void {
    if (this.phase === 'panel') this.leavePanel();
  }

  private async checkSession(): Promise<void> {
    try {
      await this.api.me();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.sessionLost();
    }
  }

  // --- panel state ---

  /** Replace the panel state; ring for attentions newly assigned. */
  private commit(next: PanelState, ring = true): void {
    const prev = this.panel;
    if (next === prev) return;
    this.panel = next;
    if (prev.currentId !== next.currentId) {
      rememberCurrent(next.currentId);
      this.chatError = null;
      if (next.currentId !== null) this.viewing = null;
    }
    const gone = leftOpen(prev, next);
    if (gone.length) {
      // Ended, transferred or taken away: its form is done with; it may now be in Atendidas.
      this.forms.drop(gone);
      this.refreshAttendedSoon();
    }
    if (ring) {
      const fresh = newAssignments(prev, next);
      if (fresh.length) {
        beep();
        for (const a of fresh) {
          notify(
            this.t(isOffered(a) ? 'notify.offeredTitle' : 'notify.title'),
            this.t('notify.body', { name: a.customer.display_name, campaign: a.campaign.name }),
            `atiende-attention-${a.id}`,
          );
        }
      }
    }
    this.updateTitle();
  }

  private updateTitle(): void {
    if (typeof document === 'undefined') return;
    const p = this.panel;
    const pending = p.assigned.length + p.offered.length + p.open.reduce((n, a) => n + (a.unread > 0 ? 1 : 0), 0);
    document.title = pending > 0 ? `(${pending}) ${this.t('app.name')}` : this.t('app.name');
  }

  private onEvent(e: ServerEvent): void {
    if (e.type === 'hello') {
      if (e.user && this.me && e.user.id === this.me.id) this.me = { ...this.me, ...e.user };
      return;
    }
    if (e.type === 'pong') return;
    if (this.replay) this.replay.push(e);
    // The server counts unread for the chat on screen too: tell it the agent saw them.
    if (e.type === 'attention.updated' && e.attention.id === this.panel.currentId && e.attention.unread > 0) {
      this.markSeenSoon(e.attention.id);
    }
    this.commit(applyEvent(this.panel, e));
    // An edit, deletion or reaction in the conversation shown read-only (Atendidas).
    if (e.type === 'message.updated' && this.viewing?.attention.id === e.message.attention_id) {
      const messages = replaceMessage(this.viewing.messages, e.message);
      if (messages !== this.viewing.messages) this.viewing = { ...this.viewing, messages };
    }
  }

  /** POST …/seen for the shown chat, debounced, only while the page is visible. */
  private markSeenSoon(id: number): void {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') {
      this.seenPending = true;
      return;
    }
    if (this.seenTimer) clearTimeout(this.seenTimer);
    this.seenTimer = setTimeout(() => {
      this.seenTimer = null;
      if (this.panel.currentId !== id || this.phase !== 'panel') return;
      this.api.seen(id).then(
        (a) => this.commit(upsertAttention(this.panel, a)),
        () => {
          /* best effort: the badge is only cosmetic */
        },
      );
    }, 300);
  }

  /** The tab became visible again: what the chat shows is now seen. */
  onVisible(): void {
    if (this.seenPending && this.panel.currentId !== null) this.markSeenSoon(this.panel.currentId);
    this.seenPending = false;
  }

  /** Snapshot over HTTP, then the current chat's messages. Runs on every (re)connect. */
  async reload(): Promise<void> {
    const seq = ++this.reloadSeq;
    this.replay = [];
    try {
      const snap = await this.api.snapshot();
      if (seq !== this.reloadSeq) return;
      const buffered = this.replay ?? [];
      this.replay = null;
      const cur0 = this.panel.currentId;
      if (cur0 !== null && (snap.open ?? []).some((a) => a.id === cur0 && a.unread > 0)) this.markSeenSoon(cur0);
      let next = applySnapshot(this.panel, snap);
      // Events that raced the snapshot: attention versions and statuses are idempotent.
      for (const e of buffered) {
        if (e.type !== 'message.created') next = applyEvent(next, e);
      }
      // No ringing for what was already there at sign-in; yes for what came while offline.
      this.commit(next, this.loadedOnce);
      this.loadedOnce = true;
      // What ended while we were away is in Atendidas now.
      void this.loadAttended(this.attended.q);
      const cur = this.panel.currentId;
      if (cur !== null) await this.loadMessages(cur);
    } catch (e) {
      if (seq === this.reloadSeq) this.replay = null;
      if (e instanceof ApiError && e.status === 401) return;
      this.showNotice(this.errorText(e));
    }
  }

  private async loadMessages(id: number): Promise<void> {
    if (this.panel.currentId === id && this.panel.messages.length === 0) this.loadingMessages = true;
    try {
      const list = await this.api.messages(id);
      this.commit(applyMessages(this.panel, id, list));
      if (this.panel.currentId === id) this.chatError = null;
    } catch (e) {
      if (this.panel.currentId === id) {
        this.chatError = this.t('chat.loadFailed', { reason: this.errorText(e) });
      }
    } finally {
      if (this.panel.currentId === id) this.loadingMessages = false;
    }
  }

  // --- agent actions ---

  /** Change my status (`reason` is required by the server for `paused`). True if done. */
  async setStatus(status: AgentStatus, reason?: string): Promise<boolean> {
    try {
      const user = await this.api.setStatus(status, reason);
      this.me = user;
      this.pauseReason = status === 'paused' ? user.pause_reason || reason || null : null;
      rememberPauseReason(this.pauseReason);
      return true;
    } catch (e) {
      this.showNotice(this.t('agent.statusFailed', { reason: this.errorText(e) }));
      return false;
    }
  }

  /** The reasons an agent may pause for (asked once). Throws if they cannot be loaded. */
  async loadPauseReasons(): Promise<string[]> {
    if (this.pauseReasons) return this.pauseReasons;
    const list = await this.api.pauseReasons();
    this.pauseReasons = Array.isArray(list) ? list.filter((x) => typeof x === 'string') : [];
    return this.pauseReasons;
  }

  /** Click on an assigned (or offered) attention: open it and show it. */
  async openAttention(id: number): Promise<void> {
    if (this.opening.includes(id)) return;
    this.opening = [...this.opening, id];
    const wasOffered = this.panel.offered.some((a) => a.id === id);
    try {
      const a = await this.api.open(id);
      this.commit(selectAttention(upsertAttention(this.panel, a), a.id));
      await this.loadMessages(a.id);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && (e.code === 'already_taken' || wasOffered)) {
        // Offered to several agents: another one opened it first.
        this.commit(removeAttention(this.panel, id));
        this.showNotice(this.t('list.alreadyTaken'), 'info');
        return;
      }
      this.showNotice(this.t('list.openFailed', { reason: this.errorText(e) }));
      void this.reload();
    } finally {
      this.opening = this.opening.filter((x) => x !== id);
    }
  }

  /** Click on an open attention: show it. */
  selectOpen(id: number): void {
    if (this.panel.currentId === id) return;
    const hadUnread = (this.panel.open.find((a) => a.id === id)?.unread ?? 0) > 0;
    this.commit(selectAttention(this.panel, id));
    if (hadUnread && this.panel.currentId === id) this.markSeenSoon(id);
    if (this.panel.currentId === id) void this.loadMessages(id);
  }

  newClientId(): string {
    return newClientId();
  }

  /**
   * Send a text. The caller keeps `clientId` for the same text until it succeeds, so a
   * retry never duplicates; network failures are retried here with the same id.
   */
  async send(attentionId: number, text: string, clientId: string): Promise<Message> {
    return this.deliver(() => this.api.send(attentionId, text, clientId), SEND_RETRY);
  }

  /** The three sends' common path: retried on network failures, then shown in the chat. */
  private async deliver(post: () => Promise<Message>, policy: RetryPolicy): Promise<Message> {
    const m = await retryOnNetworkError(post, policy);
    this.commit(addMessage(this.panel, m));
    return m;
  }

  /**
   * Send a file (see Api.sendMedia). The caller keeps `clientId` for the same file until it
   * succeeds; a network failure is retried once here with the same id. The answer goes into
   * the chat at once (its `content.url` set); the WebSocket copy merges into it by id.
   */
  async sendMedia(
    attentionId: number,
    file: File,
    caption: string | null,
    clientId: string,
  ): Promise<Message> {
    return this.deliver(() => this.api.sendMedia(attentionId, file, file.name, caption, clientId), MEDIA_RETRY);
  }

  /**
   * The agent typed in the composer of `attentionId` (`text` is what the box holds): the
   * customer sees "typing…". Throttled, never awaited, never for blank text.
   */
  typing(attentionId: number, text: string): void {
    if (this.phase !== 'panel') return;
    this.typingThrottle.typed(attentionId, text);
  }

  /**
   * Send an approved template (allowed outside the 24-hour window). Like `send`: the caller
   * keeps `clientId` for the same template and values until it succeeds.
   */
  async sendTemplate(attentionId: number, templateId: number, params: string[], clientId: string): Promise<Message> {
    return this.deliver(
      () => this.api.sendTemplate(attentionId, { template_id: templateId, params, client_id: clientId }),
      SEND_RETRY,
    );
  }

  /**
   * Transfer an open attention to a campaign (agent_id null) or one of its agents.
   * On success it is no longer mine: it leaves Abiertas and the chat closes.
   */
  async transfer(id: number, body: TransferRequest): Promise<Attention> {
    const a = await this.api.transfer(id, body);
    const held = findAttention(this.panel, id);
    let next = upsertAttention(this.panel, held && a.version < held.version ? { ...a, version: held.version } : a);
    if (next.open.some((x) => x.id === id)) next = removeAttention(next, id);
    this.commit(next);
    return a;
  }

  // --- forms ---

  /** The form of an attention's current segment (see FormRegistry.formFor). */
  formFor(a: Attention, readOnly: boolean): FormController {
    return this.forms.formFor(a, readOnly);
  }

  // --- Atendidas ---

  /** Load the first page for `q`, or the next page (`more`). */
  loadAttended(q: string = this.attended.q, more = false): Promise<void> {
    return this.attendedStore.load(q, more);
  }

  /** An attention of mine was ended or transferred: reload the list shortly. */
  refreshAttendedSoon(): void {
    this.attendedStore.refreshSoon();
  }

  /** Show an attended attention read-only: its conversation, no composer. */
  async viewAttended(a: Attended): Promise<void> {
    if (this.panel.open.some((x) => x.id === a.id)) {
      this.selectOpen(a.id);
      return;
    }
    this.commit(selectAttention(this.panel, null));
    this.viewing = { attention: a, messages: [], loading: true, error: null };
    try {
      const list = await this.api.messages(a.id);
      if (this.viewing?.attention.id !== a.id) return;
      this.viewing = { ...this.viewing, messages: mergeMessages([], list), loading: false };
    } catch (e) {
      if (this.viewing?.attention.id !== a.id) return;
      this.viewing = {
        ...this.viewing,
        loading: false,
        error: this.t('chat.loadFailed', { reason: this.errorText(e) }),
      };
    }
  }

  closeViewing(): void {
    this.viewing = null;
  }

  /** Terminar atención. Throws on refusal (e.g. a required form field is empty). */
  async end(id: number): Promise<void> {
    const a = await this.api.end(id);
    const held = findAttention(this.panel, id);
    // The answer may carry the same version as an event already applied: force the drop.
    const next = upsertAttention(this.panel, held && a.version < held.version ? { ...a, version: held.version } : a);
    this.commit(next);
  }
}

export const app = new AppStore();
