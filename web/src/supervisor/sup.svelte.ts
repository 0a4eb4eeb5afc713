// State shared by the supervisor views: the typed API, translations in the app's language,
// and the reference lists every view needs (campaigns, users), plus a transient toast.

import { type MessageKey, type Params, translate } from '../lib/i18n';
import { refusalText } from '../lib/refusals';
import { app } from '../lib/store.svelte';
import { SupervisorApi } from './api';
import { DEFAULT_TAB, type Tab, tabsFor, viewFromHash, viewHash } from './consoleNav';
import { attentionFromHash, attentionHash } from './deepLink';
import type { Campaign, UserRow } from './types';

class SupervisorState {
  readonly api = new SupervisorApi(app.api);

  /** The view shown; its address is kept in the URL (consoleNav). */
  tab = $state<Tab>(DEFAULT_TAB);
  /** The campaign the form builder shows (set from the Campañas view too). */
  formCampaignId = $state<number | null>(null);
  campaigns = $state.raw<Campaign[]>([]);
  users = $state.raw<UserRow[]>([]);
  toast = $state<{ text: string; kind: 'ok' | 'error' } | null>(null);
  /** The attention shown read-only over whatever view is open (`openAttention`). */
  viewingAttentionId = $state<number | null>(null);
  private toastTimer: ReturnType<typeof setTimeout> | null = null;

  t = (key: MessageKey, params?: Params): string => translate(app.lang, key, params);

  /** Text for an error thrown by the API client: a refusal translated by its code. */
  errorText(e: unknown): string {
    return refusalText(app.lang, e);
  }

  showToast(text: string, kind: 'ok' | 'error' = 'ok'): void {
    this.toast = { text, kind };
    if (this.toastTimer) clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = null), kind === 'ok' ? 3500 : 8000);
  }

  async loadCampaigns(): Promise<Campaign[]> {
    const list = await this.api.campaigns();
    list.sort((a, b) => a.name.localeCompare(b.name));
    this.campaigns = list;
    return list;
  }

  async loadUsers(): Promise<UserRow[]> {
    const list = await this.api.users();
    list.sort((a, b) => a.display_name.localeCompare(b.display_name));
    this.users = list;
    return list;
  }

  /** Show any attention, live or closed, read-only in a dialog over the current view, and
   * put its address (#/attention/<id>) in the URL so it can be shared or reloaded. */
  openAttention(id: number): void {
    this.viewingAttentionId = id;
    if (typeof location !== 'undefined' && location.hash !== attentionHash(id)) {
      history.pushState(null, '', attentionHash(id));
    }
  }

  /** Close the attention's dialog; the address names the view under it again. */
  closeAttention(): void {
    this.viewingAttentionId = null;
    if (typeof location !== 'undefined' && attentionFromHash(location.hash) !== null) {
      history.replaceState(null, '', viewHash(this.tab));
    }
  }

  /** The URL's hash changed (typed, pasted, back button): show what it names, an attention
   * over the current view or a view this user may see; anything else changes nothing. */
  followHash(hash: string): void {
    this.viewingAttentionId = attentionFromHash(hash);
    const view = viewFromHash(hash, tabsFor(app.me?.role));
    if (view !== null) this.tab = view;
  }

  /** Replace one campaign after a save. */
  putCampaign(c: Campaign): void {
    this.campaigns = this.campaigns.map((x) => (x.id === c.id ? c : x));
  }

  userName(id: number | null | undefined): string {
    if (id === null || id === undefined) return '';
    return this.users.find((u) => u.id === id)?.display_name ?? `#${id}`;
  }

  /** Campaigns that take attentions: where a move may go (archived ones stay for history). */
  get openCampaigns(): Campaign[] {
    return this.campaigns.filter((c) => !c.archived);
  }

  /** Agents only (the users list may include supervisors and admins). */
  get agents(): UserRow[] {
    return this.users.filter((u) => u.role === 'agent');
  }

  reset(): void {
    this.tab = DEFAULT_TAB;
    this.formCampaignId = null;
    this.campaigns = [];
    this.users = [];
    this.toast = null;
    this.viewingAttentionId = null;
  }
}

export const sup = new SupervisorState();
