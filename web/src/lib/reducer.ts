// The agent panel's state and the pure functions that change it. No I/O, no runes:
// the desk store (panel.svelte.ts) holds a PanelState and replaces it with what these return,
// so every rule here is unit-tested in isolation.

import { parseTime } from './time';
import type { Attention, Message, MessageError, MessageStatus, QueueCount, ServerEvent, Snapshot } from './types';

export interface PanelState {
  /** The signed-in agent; attentions of another agent are dropped. */
  meId: number | null;
  /** Assigned to me, not yet opened; oldest first. */
  assigned: Attention[];
  /** Queued and offered to me (and maybe to others): the first to open it takes it; oldest first. */
  offered: Attention[];
  /** Opened by me; in the order they were opened. */
  open: Attention[];
  queues: QueueCount[];
  /** The attention shown in the chat (always one of `open`), or null. */
  currentId: number | null;
  /** The messages of `currentId`, oldest first. */
  messages: Message[];
  /** Older messages of `currentId` remain on the server (a long conversation is read a page at a time). */
  hasOlder: boolean;
  /**
   * Attentions taken away from me, by id: the version they left at. Events from several
   * server processes can arrive out of order; an update no newer than the removal is late.
   */
  gone: Readonly<Record<number, number>>;
}

/** Removals remembered: enough for any event still in flight, not a growing map. */
const GONE_KEPT = 200;

export function emptyPanel(meId: number | null = null): PanelState {
  return {
    meId,
    assigned: [],
    offered: [],
    open: [],
    queues: [],
    currentId: null,
    messages: [],
    hasOlder: false,
    gone: {},
  };
}

export const WINDOW_MS = 24 * 60 * 60 * 1000;

// --- attentions ---

export function findAttention(state: PanelState, id: number): Attention | undefined {
  return (
    state.assigned.find((a) => a.id === id) ??
    state.open.find((a) => a.id === id) ??
    state.offered.find((a) => a.id === id)
  );
}

/** Offered to me: queued, with `offered` set, nobody's yet. */
export function isOffered(a: Attention): boolean {
  return a.offered === true && a.state === 'queued';
}

function sortKey(a: Attention): number {
  const t = a.state === 'open' ? (a.opened_at ?? a.assigned_at) : (a.assigned_at ?? a.queued_at);
  return parseTime(t ?? a.queued_at) ?? 0;
}

function insertSorted(list: Attention[], a: Attention): Attention[] {
  const out = [...list, a];
  out.sort((x, y) => sortKey(x) - sortKey(y) || x.id - y.id);
  return out;
}

function dropCurrentIf(state: PanelState, id: number): PanelState {
  return state.currentId === id ? { ...state, currentId: null, messages: [], hasOlder: false } : state;
}

/**
 * Put an attention where its state says (assigned / open / offered), or drop it when it is
 * closed, queued and not offered to me, or another agent's. An update older (lower
 * `version`) than the one held is ignored.
 */
export function upsertAttention(state: PanelState, incoming: Attention): PanelState {
  const held = findAttention(state, incoming.id);
  if (held && incoming.version < held.version) return state;
  const goneAt = state.gone[incoming.id];
  if (!held && goneAt !== undefined && incoming.version <= goneAt) return state;

  const base: PanelState = {
    ...state,
    assigned: state.assigned.filter((a) => a.id !== incoming.id),
    offered: state.offered.filter((a) => a.id !== incoming.id),
    open: state.open.filter((a) => a.id !== incoming.id),
  };
  const mine = state.meId !== null && incoming.agent_id === state.meId;
  if (!mine || (incoming.state !== 'assigned' && incoming.state !== 'open')) {
    // Offered attentions have no agent yet (`agent_id` null): they are kept all the same.
    if (state.meId !== null && isOffered(incoming) && incoming.agent_id === null) {
      return dropCurrentIf({ ...base, offered: insertSorted(base.offered, incoming) }, incoming.id);
    }
    return dropCurrentIf(base, incoming.id);
  }
  // The chat being read has nothing unread.
  const a = incoming.id === state.currentId ? { ...incoming, unread: 0 } : incoming;
  if (a.state === 'assigned') {
    return dropCurrentIf({ ...base, assigned: insertSorted(base.assigned, a) }, a.id);
  }
  return { ...base, open: insertSorted(base.open, a) };
}

/** Taken away (ended, transferred, taken by another): `version` is the one it left at, when the server says. */
export function removeAttention(state: PanelState, id: number, version?: number): PanelState {
  const held = findAttention(state, id);
  if (version !== undefined) {
    if (held && held.version > version) return state; // a late removal: it came back since
    state = { ...state, gone: remember(state.gone, id, version) };
  }
  if (!held && state.currentId !== id) return state;
  return dropCurrentIf(
    {
      ...state,
      assigned: state.assigned.filter((a) => a.id !== id),
      offered: state.offered.filter((a) => a.id !== id),
      open: state.open.filter((a) => a.id !== id),
    },
    id,
  );
}

function patchAttention(state: PanelState, id: number, patch: (a: Attention) => Attention): PanelState {
  const map = (list: Attention[]) => list.map((a) => (a.id === id ? patch(a) : a));
  return { ...state, assigned: map(state.assigned), offered: map(state.offered), open: map(state.open) };
}

/**
 * Replace the lists with a fresh snapshot. An attention held with a higher version than
 * the snapshot's (an event applied while the snapshot was on its way) is kept as held.
 */
export function applySnapshot(state: PanelState, snap: Snapshot): PanelState {
  let next: PanelState = { ...state, assigned: [], offered: [], open: [], queues: snap.queues ?? [] };
  for (const a of [...(snap.assigned ?? []), ...(snap.open ?? []), ...(snap.offered ?? []).map(asOffered)]) {
    const held = findAttention(state, a.id);
    next = upsertAttention(next, held && held.version > a.version ? held : a);
  }
  if (next.currentId !== null && !next.open.some((a) => a.id === next.currentId)) {
    next = { ...next, currentId: null, messages: [], hasOlder: false };
  }
  return next;
}

/** What the snapshot lists under `offered` is offered even if the flag is missing. */
function asOffered(a: Attention): Attention {
  return a.offered === undefined && a.state === 'queued' ? { ...a, offered: true } : a;
}

function remember(gone: Readonly<Record<number, number>>, id: number, version: number): Record<number, number> {
  const next: Record<number, number> = { ...gone, [id]: Math.max(version, gone[id] ?? 0) };
  const ids = Object.keys(next);
  // Integer keys enumerate in ascending order: the oldest attentions go first.
  for (const k of ids.slice(0, Math.max(0, ids.length - GONE_KEPT))) delete next[Number(k)];
  return next;
}

/** Show an open attention in the chat; its unread count goes to zero. */
export function selectAttention(state: PanelState, id: number | null): PanelState {
  if (id === null) return { ...state, currentId: null, messages: [], hasOlder: false };
  if (!state.open.some((a) => a.id === id)) return state;
  const next = patchAttention(state, id, (a) => (a.unread ? { ...a, unread: 0 } : a));
  return id === state.currentId ? next : { ...next, currentId: id, messages: [], hasOlder: false };
}

// --- messages ---

const STATUS_RANK: Record<MessageStatus, number> = {
  received: 0,
  pending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  /** An outgoing voice note listened to: after `read`. */
  played: 5,
  failed: 6,
};

/** Statuses only move forward (a late `delivered` never undoes `read`, a late `read` never undoes `played`). */
export function laterStatus(a: MessageStatus, b: MessageStatus): MessageStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

function mediaUrl(c: Message['content']): string | null {
  if (!c || typeof c !== 'object' || !('url' in c)) return null;
  const u = (c as { url?: unknown }).url;
  return typeof u === 'string' && u ? u : null;
}

function mergeOne(held: Message, incoming: Message): Message {
  const status = laterStatus(held.status, incoming.status);
  const out: Message = {
    ...held,
    ...incoming,
    status,
    error: status === incoming.status ? (incoming.error ?? held.error) : held.error,
  };
  // A file the agent sent: the answer carries its `url`; a copy without it (an event built
  // before the upload was stored) does not take it away.
  const heldUrl = mediaUrl(held.content);
  if (heldUrl && incoming.content && !mediaUrl(incoming.content) && 'media_id' in incoming.content) {
    out.content = { ...incoming.content, url: heldUrl };
  }
  // A deletion or an edit is never undone by a staler copy (a page fetched before the event).
  if (held.deleted && !incoming.deleted) out.deleted = true;
  if (held.edited && !incoming.edited) {
    out.edited = true;
    out.text = held.text;
    out.content = held.content;
    out.previous_text = held.previous_text;
  }
  return out;
}

/** Union of two message lists by id, oldest first, statuses never going back. */
export function mergeMessages(held: Message[], incoming: Message[]): Message[] {
  if (incoming.length === 0) return held;
  const byId = new Map<number, Message>();
  for (const m of held) byId.set(m.id, m);
  for (const m of incoming) {
    const h = byId.get(m.id);
    byId.set(m.id, h ? mergeOne(h, m) : m);
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Messages fetched over HTTP for `attentionId`; ignored if another chat is shown by now. */
export function applyMessages(state: PanelState, attentionId: number, list: Message[]): PanelState {
  if (state.currentId !== attentionId) return state;
  return { ...state, messages: mergeMessages(state.messages, list) };
}

/** One page of a conversation as the server sends it: oldest first; `has_more` when older ones remain. */
export interface MessagePage {
  messages: Message[];
  has_more?: boolean;
}

/**
 * What is held and a page fetched over HTTP (the newest, or the one before the oldest held),
 * together, and whether older messages remain. A newest page that does not reach what is
 * held (more arrived while away than a page holds) replaces it: a hole in a conversation
 * would read as if nothing had been said in between.
 */
export function mergePage(
  held: Message[],
  heldHasOlder: boolean,
  page: MessagePage,
): { messages: Message[]; hasOlder: boolean } {
  const more = page.has_more ?? false;
  const incoming = page.messages;
  if (held.length === 0) return { messages: mergeMessages([], incoming), hasOlder: more };
  if (incoming.length === 0) return { messages: held, hasOlder: heldHasOlder };
  if (more && incoming[0].id > held[held.length - 1].id) {
    return { messages: mergeMessages([], incoming), hasOlder: true };
  }
  const heldReachesFurther = held[0].id < incoming[0].id;
  return { messages: mergeMessages(held, incoming), hasOlder: heldReachesFurther ? heldHasOlder : more };
}

/** A page of the chat shown, fetched over HTTP; ignored if another chat is shown by now. */
export function applyPage(state: PanelState, attentionId: number, page: MessagePage): PanelState {
  if (state.currentId !== attentionId) return state;
  return { ...state, ...mergePage(state.messages, state.hasOlder, page) };
}

/** A new message: into the chat if shown, else counted unread (customer messages only). */
export function addMessage(state: PanelState, m: Message): PanelState {
  let next = state;
  if (m.direction === 'in' && findAttention(state, m.attention_id)) {
    // A customer message reopens WhatsApp's 24-hour window.
    const at = parseTime(m.created_at);
    next = patchAttention(next, m.attention_id, (a) => {
      let out = a;
      const last = parseTime(a.last_customer_message_at);
      if (at !== null && (last === null || at > last)) {
        out = { ...out, last_customer_message_at: m.created_at };
        const ends = parseTime(a.window_ends_at);
        if (ends === null || at + WINDOW_MS > ends) {
          out = { ...out, window_ends_at: new Date(at + WINDOW_MS).toISOString() };
        }
      }
      return out;
    });
  }
  if (m.attention_id === state.currentId) {
    return { ...next, messages: mergeMessages(next.messages, [m]) };
  }
  if (m.direction === 'in' && findAttention(state, m.attention_id)) {
    next = patchAttention(next, m.attention_id, (a) => ({ ...a, unread: (a.unread ?? 0) + 1 }));
  }
  return next;
}

/**
 * `message.updated` on a list: the message with the same id is replaced (statuses still
 * never go back). A message not in the list is ignored: loading the chat brings it as it is.
 */
export function replaceMessage(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i < 0) return list;
  const out = [...list];
  out[i] = mergeOne(list[i], m);
  return out;
}

/** `message.updated` (edited, deleted, reactions): only for the chat shown; no unread count. */
export function updateMessage(state: PanelState, m: Message): PanelState {
  if (m.attention_id !== state.currentId) return state;
  const messages = replaceMessage(state.messages, m);
  return messages === state.messages ? state : { ...state, messages };
}

export function setMessageStatus(
  state: PanelState,
  attentionId: number,
  messageId: number,
  status: MessageStatus,
  error: MessageError | null,
): PanelState {
  if (attentionId !== state.currentId) return state;
  let changed = false;
  const messages = state.messages.map((m) => {
    if (m.id !== messageId) return m;
    const s = laterStatus(m.status, status);
    const e = s === status ? (error ?? m.error) : m.error;
    if (s === m.status && e === m.error) return m;
    changed = true;
    return { ...m, status: s, error: e };
  });
  return changed ? { ...state, messages } : state;
}

// --- events ---

/** Apply one WebSocket event (docs/api.md) to the panel. Pure. */
export function applyEvent(state: PanelState, event: ServerEvent): PanelState {
  switch (event.type) {
    case 'attention.updated':
      return upsertAttention(state, event.attention);
    case 'attention.removed':
      return removeAttention(state, event.attention_id, event.version);
    case 'message.created':
      return addMessage(state, event.message);
    case 'message.updated':
      return updateMessage(state, event.message);
    case 'message.status':
      return setMessageStatus(state, event.attention_id, event.message_id, event.status, event.error);
    case 'queues': {
      // The server sends the counts of the campaigns that changed; merge them by campaign.
      const changed = new Map(event.queues.map((q) => [q.campaign_id, q]));
      const merged = state.queues.map((q) => changed.get(q.campaign_id) ?? q);
      for (const q of event.queues) {
        if (!state.queues.some((held) => held.campaign_id === q.campaign_id)) merged.push(q);
      }
      return { ...state, queues: merged };
    }
    case 'hello':
    case 'pong':
      return state;
    default:
      return state;
  }
}

/** Attentions assigned or offered in `after` that were in neither list in `before` (to ring for). */
export function newAssignments(before: PanelState, after: PanelState): Attention[] {
  const had = new Set([...before.assigned, ...before.offered].map((a) => a.id));
  return [...after.assigned, ...after.offered].filter((a) => !had.has(a.id));
}

/** Ids open in `before` that `after` no longer holds (ended, transferred, taken away). */
export function leftOpen(before: PanelState, after: PanelState): number[] {
  if (before.open === after.open) return [];
  const now = new Set(after.open.map((a) => a.id));
  return before.open.filter((a) => !now.has(a.id)).map((a) => a.id);
}
