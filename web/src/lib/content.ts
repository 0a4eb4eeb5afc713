// What a message shows, read defensively from its `type` and `content` (docs/api.md).
// Pure: no i18n, no DOM. Every string here is user or server text and is rendered as text;
// URLs pass through `safeUrl` before they reach an `href` or a `src`.

import type { Message, Reaction } from './types';

export type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface ContactCard {
  name: string | null;
  phones: string[];
  emails: string[];
}

export type MessageBody =
  | { kind: 'text'; text: string }
  | {
      kind: 'media';
      media: MediaType;
      /** A safe http(s) or same-origin URL, or null until the media is downloaded. */
      url: string | null;
      mimeType: string | null;
      caption: string | null;
      filename: string | null;
      voice: boolean;
      animated: boolean;
    }
  | {
      kind: 'location';
      latitude: number | null;
      longitude: number | null;
      name: string | null;
      address: string | null;
      /** A web address the customer attached (absolute http/https only). */
      url: string | null;
      /** OpenStreetMap at the point, or null when the coordinates are not usable. */
      mapUrl: string | null;
    }
  | { kind: 'contacts'; contacts: ContactCard[] }
  | { kind: 'interactive'; title: string; description: string | null }
  | { kind: 'button'; text: string }
  | { kind: 'unsupported'; reason: string | null; error: string | null }
  /** `request_welcome`: the customer opened the chat. */
  | { kind: 'welcome' }
  | { kind: 'system'; body: string | null }
  /** An approved template the agent sent: `text` is the rendered body. */
  | { kind: 'template'; text: string; name: string | null; language: string | null }
  | { kind: 'other'; type: string };

export interface Quote {
  messageId: number | null;
  text: string | null;
  type: string | null;
}

const MEDIA: readonly string[] = ['image', 'video', 'audio', 'document', 'sticker'];

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** A non-blank string, else null. */
function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => str(x) !== null) : [];
}

/**
 * `u` if it is safe in an `href`/`src`: http(s), or (with `relative`) a path on this site.
 * Anything else (`javascript:`, `data:`, garbage) → null. A link the customer wrote
 * (`relative` false) never points at this site: the agent's cookie goes with it, so a
 * customer could make him open (or act on) something of ours with one click.
 */
export function safeUrl(u: unknown, relative = true): string | null {
  const s = str(u)?.trim();
  if (!s) return null;
  const here = globalThis.location?.href;
  const base = here && /^https?:/.test(here) ? here : 'http://localhost/';
  let parsed: URL;
  try {
    parsed = new URL(s, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!relative && (!/^https?:\/\//i.test(s) || isOurs(parsed, new URL(base)))) return null;
  return s;
}

/** This host on any port (cookies ignore ports), or our API's paths under any name the
 * app may be reached by. */
function isOurs(url: URL, here: URL): boolean {
  return url.hostname === here.hostname || /^\/(api|webhooks)\//i.test(url.pathname);
}

/** OpenStreetMap at a point, or null for coordinates out of range. */
export function mapUrl(lat: number | null, lon: number | null): string | null {
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

function contactName(v: unknown): string | null {
  // The contract sends a string; WhatsApp's own shape is {formatted_name, …}.
  return str(v) ?? str(obj(v).formatted_name);
}

/** What the bubble shows for `m` (a deleted message is the caller's business). */
export function messageBody(m: Message): MessageBody {
  const c = obj(m.content);
  const text = str(m.text);
  switch (m.type) {
    case 'text':
      return { kind: 'text', text: m.text ?? str(c.body) ?? '' };
    case 'location': {
      const latitude = num(c.latitude);
      const longitude = num(c.longitude);
      return {
        kind: 'location',
        latitude,
        longitude,
        name: str(c.name),
        address: str(c.address),
        url: safeUrl(c.url, false),
        mapUrl: mapUrl(latitude, longitude),
      };
    }
    case 'contacts': {
      const list = Array.isArray(c.contacts) ? c.contacts : [];
      return {
        kind: 'contacts',
        contacts: list.map((x) => {
          const o = obj(x);
          return { name: contactName(o.name), phones: strings(o.phones), emails: strings(o.emails) };
        }),
      };
    }
    case 'interactive':
      return {
        kind: 'interactive',
        title: str(c.title) ?? text ?? str(c.id) ?? '',
        description: str(c.description),
      };
    case 'button':
      return { kind: 'button', text: str(c.text) ?? text ?? str(c.payload) ?? '' };
    case 'unsupported':
      return { kind: 'unsupported', reason: str(c.kind), error: str(c.error) };
    case 'request_welcome':
      return { kind: 'welcome' };
    case 'system':
      return { kind: 'system', body: str(c.body) ?? text };
    case 'template':
      return { kind: 'template', text: m.text ?? '', name: str(c.name), language: str(c.language) };
  }
  if (MEDIA.includes(m.type)) {
    return {
      kind: 'media',
      media: m.type as MediaType,
      url: safeUrl(c.url),
      mimeType: str(c.mime_type),
      caption: str(c.caption) ?? text,
      filename: str(c.filename),
      voice: c.voice === true,
      animated: c.animated === true,
    };
  }
  // An unknown type that still carries text (an older server) shows the text.
  if (text !== null && m.content == null) return { kind: 'text', text };
  return { kind: 'other', type: m.type };
}

/** A centred notice rather than a bubble (`request_welcome`, `system`). */
export function isNotice(body: MessageBody): boolean {
  return body.kind === 'welcome' || body.kind === 'system';
}

/** The quoted message, if the customer replied to one. */
export function quoteOf(m: Message): Quote | null {
  if (m.reply_to == null || typeof m.reply_to !== 'object') return null;
  const r = obj(m.reply_to);
  const id = r.message_id;
  return {
    messageId: typeof id === 'number' && Number.isInteger(id) ? id : null,
    text: str(r.text),
    type: str(r.type),
  };
}

/** Well-formed reactions only. */
export function reactionsOf(m: Message): Reaction[] {
  if (!Array.isArray(m.reactions)) return [];
  return m.reactions.filter(
    (r): r is Reaction =>
      r !== null && typeof r === 'object' && str(r.emoji) !== null && (r.by === 'customer' || r.by === 'agent'),
  );
}
