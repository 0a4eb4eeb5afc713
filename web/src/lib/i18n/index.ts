// Every visible string of the client, in Spanish (default) and English, by namespace:
// common (both consoles), agent (src/components/), supervisor (src/supervisor/), bases
// (customer bases and Coincidencia, both consoles), customer (Historial and Contacto),
// campaignAdmin (campaigns, entry numbers, pause reasons), summaryReports (the summary and
// agent-states reports), channels (the admin's WhatsApp numbers) and the server's refusal codes (errors). Placeholders are written `{name}` and filled by `translate`.

import * as agent from './agent';
import * as bases from './bases';
import * as campaignAdmin from './campaignAdmin';
import * as channels from './channels';
import * as common from './common';
import * as customer from './customer';
import { errorCatalogues } from './errors';
import * as summaryReports from './summaryReports';
import * as supervisor from './supervisor';

export type MessageKey =
  | keyof typeof common.es
  | keyof typeof agent.es
  | keyof typeof supervisor.es
  | keyof typeof bases.es
  | keyof typeof customer.es
  | keyof typeof campaignAdmin.es
  | keyof typeof summaryReports.es
  | keyof typeof channels.es;
export type Dictionary = Record<MessageKey, string>;

export const dictionaries = {
  es: { ...common.es, ...agent.es, ...supervisor.es, ...bases.es, ...customer.es, ...campaignAdmin.es, ...summaryReports.es, ...channels.es } as Dictionary,
  en: { ...common.en, ...agent.en, ...supervisor.en, ...bases.en, ...customer.en, ...campaignAdmin.en, ...summaryReports.en, ...channels.en } as Dictionary,
} as const;

/** The namespaces as written, to check that no two define the same key. */
export const namespaces = { common, agent, supervisor, bases, customer, campaignAdmin, summaryReports, channels } as const;

export type Lang = keyof typeof dictionaries;
export const LANGS: readonly Lang[] = ['es', 'en'];
export const DEFAULT_LANG: Lang = 'es';
export const LANG_STORAGE_KEY = 'atiende.lang';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

export type Params = Record<string, string | number>;

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The text of `key` in `lang`, with `{placeholders}` filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fill(dictionaries[lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key, params);
}

/** The text of a server refusal by its code (the precise `code.reason` first), or null for a
 * code this client does not know: the caller shows a generic text rather than the server's
 * Spanish `detail`. */
export function errorMessage(lang: Lang, code: string, params: Params = {}): string | null {
  const texts = errorCatalogues[lang];
  const reason = params['reason'];
  const text = (reason !== undefined ? texts[`${code}.${reason}`] : undefined) ?? texts[code];
  return text === undefined ? null : fill(text, params);
}

/** The saved language, else Spanish. Never throws (storage may be unavailable). */
export function loadLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (isLang(v)) return v;
  } catch {
    /* private mode, no storage */
  }
  return DEFAULT_LANG;
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
}
