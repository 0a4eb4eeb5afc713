// The agent's desk: the lists, the chat on screen and its messages. Every change goes through
// the pure functions of reducer.ts; this store does the I/O around them (snapshot and events,
// opening, sending, transferring, ending) and rings for what is newly mine.

import { beep, notify } from './alerts';
import { type Api, ApiError, MESSAGE_PAGE } from './api';
import type { AttendedStore } from './attended.svelte';
import type { FormHost } from './formController.svelte';
import { FormRegistry } from './forms';
import { previewOf, ringsForMessage } from './lists';
import type { MessageKey, Params } from './i18n';
import {
  type PanelState,
  addMessage,
  applyEvent,
  applyPage,
  applySnapshot,
  emptyPanel,
  findAttention,
  isOffered,
  leftOpen,
  newAssignments,
  removeAttention,
  selectAttention,
  upsertAttention,
} from './reducer';
import { MEDIA_RETRY, SEND_RETRY, type RetryPolicy, retryOnNetworkError } from './retry';
import { recallCurrent, rememberCurrent } from './tabMemory';
import type { Attended, Attention, Message, ServerEvent, TransferRequest } from './types';
import { TypingThrottle } from './typing';
import { ViewingStore } from './viewing.svelte';

/** What the desk needs from the rest of the app. */
export interface PanelHost extends FormHost {
  t(key: MessageKey, params?: Params): string;
  showNotice(text: string, kind?: 'error' | 'info'): void;
  /** Signed in to the panel (answers that arrive after leaving it are dropped). */
  active(): boolean;
}

export class PanelStore {
  panel = $state.raw<PanelState>(emptyPanel());
  loadingMessages = $state(false);
  /** The page before the oldest message shown is on its way. */
  loadingOlder = $state(false);
  chatError = $state<string | null>(null);
  /** Attentions whose open request is on its way. */
  opening = $state<number[]>([]);
  current: Attention | null = $derived(
    this.panel.currentId === null
      ? null
      : (this.panel.open.find((a) => a.id === this.panel.currentId) ?? null),
  );
  /** An attended attention shown read-only instead of an open chat. */
  readonly viewing: ViewingStore;
  /** WhatsApp's typing indicator, at most every 20 s per attention. */
  readonly typingThrottle: TypingThrottle;
  /** Form of each open attention's current segment (lib/forms.ts). */
  private readonly forms: FormRegistry;
  private reloadSeq = 0;
  /** Events received while a snapshot is on its way, replayed over it. */
  private replay: ServerEvent[] | null = null;
  private loadedOnce = false;
  private seenTimer: ReturnType<typeof setTimeout> | null = null;
  private seenPending = false;

  constructor(
    private readonly api: Api,
    private readonly host: PanelHost,
    private readonly attended: AttendedStore,
  ) {
    this.forms = new FormRegistry(host);
    this.typingThrottle = new TypingThrottle((id) => this.api.typing(id));
    this.viewing = new ViewingStore(api, (e) => host.t('chat.loadFailed', { reason: host.errorText(e) }));
  }

  /** Signed in as `userId`; the chat shown before a reload of this tab comes back. */
  enter(userId: number, restoreCurrent: boolean): void {
    let panel = emptyPanel(userId);
    if (restoreCurrent) {
      const saved = recallCurrent();
      if (saved !== null) panel = { ...panel, currentId: saved };
    }
    this.panel = panel;
    this.loadedOnce = false;
  }

  /** Signed out: forget everything, and any answer or timer on its way. */
  leave(): void {
    this.reloadSeq++;
    this.replay = null;
    if (this.seenTimer) clearTimeout(this.seenTimer);
    this.seenTimer = null;
    this.seenPending = false;
    this.forms.clear();
    this.typingThrottle.clear();
    this.viewing.close();
    this.panel = emptyPanel();
    this.chatError = null;
    rememberCurrent(null);
    this.updateTitle();
  }

  /** Replace the panel state; ring for attentions newly assigned. */
  private commit(next: PanelState, ring = true): void {
    const prev = this.panel;
    if (next === prev) return;
    this.panel = next;
    if (prev.currentId !== next.currentId) {
      rememberCurrent(next.currentId);
      this.chatError = null;
      if (next.currentId !== null) this.viewing.close();
    }
    const gone = leftOpen(prev, next);
    if (gone.length) {
      // Ended, transferred or taken away: its form is done with; it may now be in Atendidas.
      this.forms.drop(gone);
      this.attended.refreshSoon();
    }
    if (ring) this.ring(newAssignments(prev, next));
    this.updateTitle();
  }

  private ring(fresh: Attention[]): void {
    if (!fresh.length) return;
    beep();
    for (const a of fresh) {
      notify(
        this.host.t(isOffered(a) ? 'notify.offeredTitle' : 'notify.title'),
        this.host.t('notify.body', { name: a.customer.display_name, campaign: a.campaign.name }),
        `atiende-attention-${a.id}`,
      );
    }
  }

  updateTitle(): void {
    if (typeof document === 'undefined') return;
    const p = this.panel;
    const pending = p.assigned.length + p.offered.length + p.open.reduce((n, a) => n + (a.unread > 0 ? 1 : 0), 0);
    const name = this.host.t('app.name');
    document.title = pending > 0 ? `(${pending}) ${name}` : name;
  }

  /** An event of the panel's (the session's own, hello and pong, are the owner's). */
  onEvent(e: ServerEvent): void {
    if (this.replay) this.replay.push(e);
    // The server counts unread for the chat on screen too: tell it the agent saw them.
    if (e.type === 'attention.updated' && e.attention.id === this.panel.currentId && e.attention.unread > 0) {
      this.markSeenSoon(e.attention.id);
    }
    const before = this.panel;
    this.commit(applyEvent(this.panel, e));
    if (e.type === 'message.updated') this.viewing.messageUpdated(e.message);
    if (e.type === 'message.created') this.ringForMessage(before, e.message);
  }

  /** A customer wrote in an open chat the agent is not looking at: ring, as for a new one. */
  private ringForMessage(before: PanelState, message: Message): void {
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    const attention = ringsForMessage(before.open, before.currentId, message, hidden);
    if (!attention) return;
    beep();
    const preview = previewOf(
      { at: message.created_at, direction: 'in', type: message.type, text: message.text },
      (key) => this.host.t(key),
    );
    notify(
      this.host.t('notify.messageTitle', { name: attention.customer.display_name }),
      preview?.text ?? attention.campaign.name,
      `atiende-message-${attention.id}`,
    );
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
      if (this.panel.currentId !== id || !this.host.active()) return;
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
      void this.attended.load();
      const cur = this.panel.currentId;
      if (cur !== null) await this.loadMessages(cur);
    } catch (e) {
      if (seq === this.reloadSeq) this.replay = null;
      if (e instanceof ApiError && e.status === 401) return;
      this.host.showNotice(this.host.errorText(e));
    }
  }

  private async loadMessages(id: number): Promise<void> {
    if (this.panel.currentId === id && this.panel.messages.length === 0) this.loadingMessages = true;
    try {
      const page = await this.api.messagesPage(id, MESSAGE_PAGE);
      this.commit(applyPage(this.panel, id, page));
      if (this.panel.currentId === id) this.chatError = null;
    } catch (e) {
      if (this.panel.currentId === id) {
        this.chatError = this.host.t('chat.loadFailed', { reason: this.host.errorText(e) });
      }
    } finally {
      if (this.panel.currentId === id) this.loadingMessages = false;
    }
  }

  /** The page before the oldest message shown, when the agent asks for it. */
  async loadOlder(): Promise<void> {
    const id = this.panel.currentId;
    const oldest = this.panel.messages[0];
    if (id === null || !oldest || !this.panel.hasOlder || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const page = await this.api.messagesPage(id, MESSAGE_PAGE, oldest.id);
      this.commit(applyPage(this.panel, id, page));
    } catch (e) {
      if (this.panel.currentId === id) this.host.showNotice(this.host.t('chat.loadFailed', { reason: this.host.errorText(e) }));
    } finally {
      this.loadingOlder = false;
    }
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
        this.host.showNotice(this.host.t('list.alreadyTaken'), 'info');
        return;
      }
      this.host.showNotice(this.host.t('list.openFailed', { reason: this.host.errorText(e) }));
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

  /** Show an attended attention read-only: its conversation, no composer. */
  async viewAttended(a: Attended): Promise<void> {
    if (this.panel.open.some((x) => x.id === a.id)) {
      this.selectOpen(a.id);
      return;
    }
    this.commit(selectAttention(this.panel, null));
    await this.viewing.open(a);
  }

  /**
   * Send a text. The caller keeps `clientId` for the same text until it succeeds, so a
   * retry never duplicates; network failures are retried here with the same id.
   */
  send(attentionId: number, text: string, clientId: string): Promise<Message> {
    return this.deliver(() => this.api.send(attentionId, text, clientId), SEND_RETRY);
  }

  /**
   * Send a file (see Api.sendMedia). The caller keeps `clientId` for the same file until it
   * succeeds; a network failure is retried once here with the same id. The answer goes into
   * the chat at once (its `content.url` set); the WebSocket copy merges into it by id.
   */
  sendMedia(attentionId: number, file: File, caption: string | null, clientId: string): Promise<Message> {
    return this.deliver(() => this.api.sendMedia(attentionId, file, file.name, caption, clientId), MEDIA_RETRY);
  }

  /**
   * Send an approved template (allowed outside the 24-hour window). Like `send`: the caller
   * keeps `clientId` for the same template and values until it succeeds.
   */
  sendTemplate(attentionId: number, templateId: number, params: string[], clientId: string): Promise<Message> {
    return this.deliver(
      () => this.api.sendTemplate(attentionId, { template_id: templateId, params, client_id: clientId }),
      SEND_RETRY,
    );
  }

  /** The three sends' common path: retried on network failures, then shown in the chat. */
  private async deliver(post: () => Promise<Message>, policy: RetryPolicy): Promise<Message> {
    const m = await retryOnNetworkError(post, policy);
    this.commit(addMessage(this.panel, m));
    return m;
  }

  /**
   * Transfer an open attention to a campaign (agent_id null) or one of its agents.
   * On success it is no longer mine: it leaves Abiertas and the chat closes.
   */
  async transfer(id: number, body: TransferRequest): Promise<Attention> {
    const a = await this.api.transfer(id, body);
    let next = this.withAnswer(id, a);
    if (next.open.some((x) => x.id === id)) next = removeAttention(next, id);
    this.commit(next);
    return a;
  }

  /** Terminar atención. Throws on refusal (e.g. a required form field is empty). */
  async end(id: number): Promise<void> {
    this.commit(this.withAnswer(id, await this.api.end(id)));
  }

  /** The form of an attention's current segment (see FormRegistry.formFor). */
  formFor(a: Attention, readOnly: boolean) {
    return this.forms.formFor(a, readOnly);
  }

  /** The answer may carry the same version as an event already applied: force it in. */
  private withAnswer(id: number, a: Attention): PanelState {
    const held = findAttention(this.panel, id);
    return upsertAttention(this.panel, held && a.version < held.version ? { ...a, version: held.version } : a);
  }
}
