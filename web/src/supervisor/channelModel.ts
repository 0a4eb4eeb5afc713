// WhatsApp channels (admin) as pure functions the view uses and vitest checks: a draft from a
// channel (secrets never come back: their inputs start empty), what a save sends (only what
// changed, and a secret only when one was typed to replace it), and the words of a
// *Probar conexión* answer.

import type { MessageKey, Params } from '../lib/i18n';
import type { Channel, ChannelInput, ChannelPatch, ChannelTest } from './types';

export const SECRET_FIELDS = ['access_token', 'app_secret', 'verify_token'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';
export const DEFAULT_GRAPH_VERSION = 'v23.0';
export const DEFAULT_PORTFOLIO = 'default';

export interface ChannelDraft {
  name: string;
  phone_number_id: string;
  display_phone_number: string;
  waba_id: string;
  entry_campaign_id: number | '';
  graph_base_url: string;
  graph_version: string;
  access_token: string;
  app_secret: string;
  verify_token: string;
}

export type ChannelField = keyof ChannelDraft;

export function blankDraft(campaignId: number | '' = ''): ChannelDraft {
  return {
    name: '',
    phone_number_id: '',
    display_phone_number: '',
    waba_id: '',
    entry_campaign_id: campaignId,
    graph_base_url: DEFAULT_GRAPH_URL,
    graph_version: DEFAULT_GRAPH_VERSION,
    access_token: '',
    app_secret: '',
    verify_token: '',
  };
}

/** The number as people read it: Meta's digits with their plus. */
export function shownNumber(digits: string): string {
  return digits.startsWith('+') ? digits : `+${digits}`;
}

export function draftOf(c: Channel): ChannelDraft {
  return {
    name: c.name,
    phone_number_id: c.phone_number_id,
    display_phone_number: shownNumber(c.display_phone_number),
    waba_id: c.waba_id,
    entry_campaign_id: c.entry_campaign_id,
    graph_base_url: c.graph_base_url,
    graph_version: c.graph_version,
    access_token: '',
    app_secret: '',
    verify_token: '',
  };
}

/** Client checks of a new channel (only what is missing; the server checks every format). */
export function missingOnCreate(d: ChannelDraft): Partial<Record<ChannelField, 'required'>> {
  const out: Partial<Record<ChannelField, 'required'>> = {};
  const required: ChannelField[] = ['name', 'phone_number_id', 'display_phone_number', 'entry_campaign_id', ...SECRET_FIELDS];
  for (const key of required) if (String(d[key]).trim() === '') out[key] = 'required';
  return out;
}

export function createPayload(d: ChannelDraft): ChannelInput {
  return {
    name: d.name.trim(),
    phone_number_id: d.phone_number_id.trim(),
    display_phone_number: d.display_phone_number.trim(),
    waba_id: d.waba_id.trim(),
    entry_campaign_id: Number(d.entry_campaign_id),
    graph_base_url: d.graph_base_url.trim(),
    graph_version: d.graph_version.trim(),
    access_token: d.access_token.trim(),
    app_secret: d.app_secret.trim(),
    verify_token: d.verify_token.trim(),
    // Customers are keyed within a Meta business portfolio: the console keeps one, the server's.
    portfolio_id: DEFAULT_PORTFOLIO,
  };
}

/** What an edit sends: each field that differs from the channel, and each secret typed. */
export function patchPayload(c: Channel, d: ChannelDraft): ChannelPatch {
  const before = draftOf(c);
  const out: ChannelPatch = {};
  const texts = ['name', 'phone_number_id', 'display_phone_number', 'waba_id', 'graph_base_url', 'graph_version'] as const;
  for (const key of texts) if (d[key].trim() !== before[key]) out[key] = d[key].trim();
  if (d.entry_campaign_id !== '' && d.entry_campaign_id !== c.entry_campaign_id) out.entry_campaign_id = d.entry_campaign_id;
  for (const key of SECRET_FIELDS) if (d[key] !== '') out[key] = d[key];
  return out;
}

export function isSet(c: Channel, key: SecretField): boolean {
  return c[`${key}_set`];
}

export interface Verdict {
  ok: boolean;
  key: MessageKey;
  params: Params;
}

/** The words of a connection test, by its problem; Meta's own message rides along. */
export function verdict(t: ChannelTest, c: Channel, quality: (q: string | null) => string): Verdict {
  const params: Params = {
    url: c.graph_base_url,
    phone_number_id: c.phone_number_id,
    stored: shownNumber(c.display_phone_number),
    remote: t.display_phone_number ?? '',
    name: t.verified_name ?? '',
    quality: quality(t.quality_rating),
    meta: t.meta_message ?? '',
  };
  if (t.problem === null) return { ok: true, key: 'channels.test.ok', params };
  return { ok: false, key: `channels.test.${t.problem}` as MessageKey, params };
}
