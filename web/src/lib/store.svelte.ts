// The app's state, one store per concern, put together: the session (session.svelte.ts), the
// agent's status (presence.svelte.ts), the real-time link (connection.svelte.ts), the desk
// (panel.svelte.ts, over the pure reducer.ts), Atendidas (attended.svelte.ts) and the notice
// line (notice.svelte.ts). This module wires them and keeps the one entry the components read
// (`app.panel`, `app.me`, `app.send(…)`): what each does is in its own store.

import { unlockAudioOnFirstGesture } from './alerts';
import { Api, newClientId } from './api';
import { AttendedStore, type AttendedList } from './attended.svelte';
import { ConnectionStore, type MakeSocket } from './connection.svelte';
import { LiveFeed, isLiveEvent } from './liveFeed';
import type { FormController } from './formController.svelte';
import type { Lang, MessageKey, Params } from './i18n';
import { NoticeStore, type NoticeKind } from './notice.svelte';
import { PanelStore } from './panel.svelte';
import { PresenceStore } from './presence.svelte';
import type { PanelState } from './reducer';
import { fieldErrorTexts, refusalText } from './refusals';
import { type Phase, SessionStore } from './session.svelte';
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
import type { ReadOnlyView } from './viewing.svelte';

export type { Phase } from './session.svelte';
export type { SocketLike } from './connection.svelte';
export type { ReadOnlyView } from './viewing.svelte';

export class AppStore {
  readonly api: Api;
  readonly session: SessionStore;
  readonly presence: PresenceStore;
  readonly connection: ConnectionStore;
  /** The staff room's events, for the supervisor views that follow them. */
  readonly live = new LiveFeed();
  readonly desk: PanelStore;
  /** Atendidas. */
  readonly attendedStore: AttendedStore;
  /** A transient message shown at the top of the panel. */
  readonly notices = new NoticeStore();
  /** The clock the countdowns and "hace 3 min" read, ticking each second in the panel. */
  now = $state(Date.now());
  private clock: ReturnType<typeof setInterval> | null = null;

  constructor(api = new Api(), makeSocket?: MakeSocket) {
    this.api = api;
    this.session = new SessionStore(api, {
      enter: (user, resumed) => this.enterPanel(user, resumed),
      leave: () => this.leavePanel(),
    });
    this.presence = new PresenceStore(api, this.session, (e) =>
      this.showNotice(this.t('agent.statusFailed', { reason: this.errorText(e) })),
    );
    this.attendedStore = new AttendedStore(api, () => this.phase === 'panel', (e) => this.errorText(e));
    this.desk = new PanelStore(
      api,
      {
        api,
        t: this.t,
        errorText: (e) => this.errorText(e),
        fieldErrorTexts: (errors, codes) => this.fieldErrorTexts(errors, codes),
        showNotice: (text, kind) => this.showNotice(text, kind),
        active: () => this.phase === 'panel',
      },
      this.attendedStore,
    );
    this.connection = new ConnectionStore(
      {
        onEvent: (e) => this.onEvent(e),
        onOpen: () => {
          void this.desk.reload();
          this.live.reopened();
        },
        checkSession: () => void this.session.check(),
      },
      makeSocket,
    );
  }

  /** On page load: resume the session if the cookie is still good. */
  async start(): Promise<void> {
    unlockAudioOnFirstGesture();
    this.connection.listen();
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') this.desk.onVisible();
      });
    }
    await this.session.resume();
  }

  private enterPanel(user: User, resumed: boolean): void {
    this.session.me = user;
    this.presence.enter(user);
    this.desk.enter(user.id, resumed);
    this.session.phase = 'panel';
    this.now = Date.now();
    if (!this.clock) this.clock = setInterval(() => (this.now = Date.now()), 1000);
    this.connection.start();
  }

  private leavePanel(): void {
    this.connection.stop();
    if (this.clock) clearInterval(this.clock);
    this.clock = null;
    this.desk.leave();
    this.attendedStore.reset();
    this.presence.leave();
    this.session.me = null;
    this.notices.dismiss();
    this.api.csrfToken = null;
    this.session.phase = 'login';
    this.desk.updateTitle();
  }

  private onEvent(e: ServerEvent): void {
    if (e.type === 'pong') return;
    if (isLiveEvent(e)) {
      this.live.emit(e);
      return;
    }
    if (e.type === 'hello' || e.type === 'agent.status') {
      if (e.user) this.presence.applyUser(e.user);
      return;
    }
    this.desk.onEvent(e);
  }

  // --- shared helpers ---

  t = (key: MessageKey, params?: Params): string => this.session.t(key, params);

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

  dismissNotice(): void {
    this.notices.dismiss();
  }

  newClientId(): string {
    return newClientId();
  }

  // --- the components' entry: each reads or calls the store that owns it ---

  get lang(): Lang {
    return this.session.lang;
  }
  set lang(v: Lang) {
    this.session.lang = v;
  }
  setLang(lang: Lang): void {
    this.session.setLang(lang);
  }
  get phase(): Phase {
    return this.session.phase;
  }
  set phase(v: Phase) {
    this.session.phase = v;
  }
  get me(): User | null {
    return this.session.me;
  }
  set me(v: User | null) {
    this.session.me = v;
  }
  login(username: string, password: string): Promise<void> {
    return this.session.login(username, password);
  }
  logout(): Promise<void> {
    return this.session.logout();
  }

  get pauseReason(): string | null {
    return this.presence.pauseReason;
  }
  set pauseReason(v: string | null) {
    this.presence.pauseReason = v;
  }
  get pauseReasons(): string[] | null {
    return this.presence.pauseReasons;
  }
  get shownPauseReason(): string | null {
    return this.presence.shownPauseReason;
  }
  setStatus(status: AgentStatus, reason?: string): Promise<boolean> {
    return this.presence.setStatus(status, reason);
  }
  loadPauseReasons(): Promise<string[]> {
    return this.presence.loadPauseReasons();
  }

  get connected(): boolean {
    return this.connection.connected;
  }
  get reconnecting(): boolean {
    return this.connection.reconnecting;
  }
  /** Offline or reconnecting: what the banner says, or null while live. */
  get linkTrouble(): 'offline' | 'reconnecting' | null {
    return this.connection.trouble;
  }

  get notice(): string | null {
    return this.notices.text;
  }
  get noticeKind(): NoticeKind {
    return this.notices.kind;
  }

  get panel(): PanelState {
    return this.desk.panel;
  }
  set panel(v: PanelState) {
    this.desk.panel = v;
  }
  get current(): Attention | null {
    return this.desk.current;
  }
  get opening(): number[] {
    return this.desk.opening;
  }
  get loadingMessages(): boolean {
    return this.desk.loadingMessages;
  }
  get chatError(): string | null {
    return this.desk.chatError;
  }
  /** Older messages of the conversation shown (open or read-only) remain on the server. */
  get hasOlder(): boolean {
    return this.desk.current ? this.desk.panel.hasOlder : (this.desk.viewing.view?.hasOlder ?? false);
  }
  get loadingOlder(): boolean {
    return this.desk.current ? this.desk.loadingOlder : this.desk.viewing.loadingOlder;
  }
  /** The page before the oldest message of the conversation shown. */
  loadOlder(): Promise<void> {
    return this.desk.current ? this.desk.loadOlder() : this.desk.viewing.loadOlder();
  }
  get typingThrottle() {
    return this.desk.typingThrottle;
  }
  reload(): Promise<void> {
    return this.desk.reload();
  }
  openAttention(id: number): Promise<void> {
    return this.desk.openAttention(id);
  }
  selectOpen(id: number): void {
    this.desk.selectOpen(id);
  }
  onVisible(): void {
    this.desk.onVisible();
  }
  send(attentionId: number, text: string, clientId: string): Promise<Message> {
    return this.desk.send(attentionId, text, clientId);
  }
  sendMedia(attentionId: number, file: File, caption: string | null, clientId: string): Promise<Message> {
    return this.desk.sendMedia(attentionId, file, caption, clientId);
  }
  sendTemplate(attentionId: number, templateId: number, params: string[], clientId: string): Promise<Message> {
    return this.desk.sendTemplate(attentionId, templateId, params, clientId);
  }
  /** The customer sees "typing…": throttled, never awaited, never for blank text. */
  typing(attentionId: number, text: string): void {
    if (this.phase !== 'panel') return;
    this.desk.typingThrottle.typed(attentionId, text);
  }
  transfer(id: number, body: TransferRequest): Promise<Attention> {
    return this.desk.transfer(id, body);
  }
  end(id: number): Promise<void> {
    return this.desk.end(id);
  }
  formFor(a: Attention, readOnly: boolean): FormController {
    return this.desk.formFor(a, readOnly);
  }

  get viewing(): ReadOnlyView | null {
    return this.desk.viewing.view;
  }
  set viewing(v: ReadOnlyView | null) {
    this.desk.viewing.view = v;
  }
  viewAttended(a: Attended): Promise<void> {
    return this.desk.viewAttended(a);
  }
  closeViewing(): void {
    this.desk.viewing.close();
  }

  get attended(): AttendedList {
    return this.attendedStore.list;
  }
  /** Load the first page for `q`, or the next page (`more`). */
  loadAttended(q: string = this.attended.q, more = false): Promise<void> {
    return this.attendedStore.load(q, more);
  }
  refreshAttendedSoon(): void {
    this.attendedStore.refreshSoon();
  }
}

export const app = new AppStore();
