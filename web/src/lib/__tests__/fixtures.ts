import type { Attention, Message } from '../types';

// The fixtures leave out the fields that a payload of an older server lacked (the lifecycle
// flags, a message's edits and reactions): the client must still cope with them missing.

export const ME = 7;
export const OTHER = 9;

export function attention(id: number, over: Partial<Attention> = {}): Attention {
  return {
    id,
    state: 'assigned',
    version: 1,
    campaign: { id: 1, name: 'Ventas' },
    channel: { id: 1, name: 'WhatsApp Ventas' },
    customer: {
      id: 100 + id,
      display_name: `Cliente ${id}`,
      name: `Cliente ${id}`,
      username: null,
      phone: '5215550000' + id,
      bsuid: null,
    },
    agent_id: ME,
    queued_at: `2026-11-25T10:0${id % 10}:00Z`,
    assigned_at: `2026-11-25T10:1${id % 10}:00Z`,
    opened_at: null,
    closed_at: null,
    last_customer_message_at: '2026-11-25T10:00:00Z',
    window_ends_at: '2026-11-26T10:00:00Z',
    unread: 0,
    ...over,
  } as Attention;
}

export function opened(id: number, over: Partial<Attention> = {}): Attention {
  return attention(id, { state: 'open', version: 2, opened_at: `2026-11-25T10:2${id % 10}:00Z`, ...over });
}

export function message(id: number, attentionId: number, over: Partial<Message> = {}): Message {
  return {
    id,
    attention_id: attentionId,
    direction: 'in',
    type: 'text',
    text: `hola ${id}`,
    status: 'received',
    error: null,
    created_at: '2026-11-25T10:30:00Z',
    sender: null,
    client_id: null,
    ...over,
  } as Message;
}

/** Queued in a campaign in mode *a todos*, offered to me (and others): nobody's yet. */
export function offeredTo(id: number, over: Partial<Attention> = {}): Attention {
  return attention(id, { state: 'queued', offered: true, agent_id: null, assigned_at: null, ...over });
}
