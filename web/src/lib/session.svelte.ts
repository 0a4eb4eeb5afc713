// Who is signed in, in which language, and where the app is (starting, login, panel). Entering
// and leaving the panel is the owner's (store.svelte.ts): it sets up and tears down the other
// stores; this one only talks to the session endpoints.

import { type Api, ApiError } from './api';
import { requestNotificationPermission } from './alerts';
import { type Lang, type MessageKey, type Params, loadLang, saveLang, translate } from './i18n';
import type { User } from './types';

export type Phase = 'starting' | 'login' | 'panel';

export interface SessionHooks {
  /** Signed in (`resumed`: by the cookie on page load, not by the login form). */
  enter(user: User, resumed: boolean): void;
  /** Signed out or the session ended. */
  leave(): void;
}

export class SessionStore {
  lang = $state<Lang>(loadLang());
  phase = $state<Phase>('starting');
  me = $state<User | null>(null);

  constructor(
    private readonly api: Api,
    private readonly hooks: SessionHooks,
  ) {
    this.api.lang = () => this.lang;
    this.api.onUnauthorized = () => this.lost();
  }

  t = (key: MessageKey, params?: Params): string => translate(this.lang, key, params);

  setLang(lang: Lang): void {
    this.lang = lang;
    saveLang(lang);
    if (typeof document !== 'undefined') document.documentElement.lang = lang;
  }

  /** On page load: resume the session if the cookie is still good. */
  async resume(): Promise<void> {
    if (typeof document !== 'undefined') document.documentElement.lang = this.lang;
    try {
      const { user } = await this.api.me();
      this.hooks.enter(user, true);
    } catch {
      this.phase = 'login';
    }
  }

  /** Throws ApiError (401 = bad credentials) or NetworkError. */
  async login(username: string, password: string): Promise<void> {
    void requestNotificationPermission();
    const { user } = await this.api.login(username, password);
    this.hooks.enter(user, false);
  }

  async logout(): Promise<void> {
    try {
      await this.api.logout();
    } catch {
      /* leave anyway */
    }
    this.hooks.leave();
  }

  /** The server said 401 somewhere: the session is over. */
  lost(): void {
    if (this.phase === 'panel') this.hooks.leave();
  }

  /** Ask whether the session still stands (after a refused handshake); 401 ends it. */
  async check(): Promise<void> {
    try {
      await this.api.me();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.lost();
    }
  }
}
