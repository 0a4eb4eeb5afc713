// What the agent's lists show beyond each attention's own fields: Abiertas by the customer's
// longest unanswered wait, a one-line preview of the latest message, and when a customer's
// message deserves a ring because the agent is not looking at that chat.

import type { MessageKey } from './i18n';
import { parseTime } from './time';
import type { Attention, Message } from './types';

/** Waiting customers first, the longest wait on top; answered ones keep their order after. */
export function byLongestWait(open: readonly Attention[]): Attention[] {
  const since = (a: Attention) => parseTime(a.awaiting_reply_since);
  return open
    .map((a, i) => ({ a, i, t: since(a) }))
    .sort((x, y) => {
      if (x.t !== null && y.t !== null) return x.t - y.t || x.i - y.i;
      if (x.t !== null) return -1;
      if (y.t !== null) return 1;
      return x.i - y.i;
    })
    .map((x) => x.a);
}

const TYPE_LABELS: Record<string, MessageKey> = {
  image: 'preview.image',
  video: 'preview.video',
  audio: 'preview.audio',
  voice: 'preview.audio',
  document: 'preview.document',
  sticker: 'preview.sticker',
  location: 'preview.location',
  contacts: 'preview.contacts',
  template: 'preview.template',
};

/** The latest message on one line: its text, else what it is (📷 Foto, 📍 Ubicación…). */
export function previewOf(
  last: Attention['last_message'] | undefined,
  t: (key: MessageKey) => string,
): { text: string; mine: boolean } | null {
  if (!last) return null;
  const label = TYPE_LABELS[last.type];
  const text = last.text ?? '';
  const shown = label && text ? `${t(label)} · ${text}` : label ? t(label) : text;
  return shown ? { text: shown, mine: last.direction === 'out' } : null;
}

/**
 * A customer's new message rings when the agent would not see it: it belongs to one of his
 * open attentions and that chat is not on screen, or the tab is hidden.
 */
export function ringsForMessage(
  open: readonly Attention[],
  currentId: number | null,
  message: Message,
  tabHidden: boolean,
): Attention | null {
  if (message.direction !== 'in' || message.type === 'system') return null;
  const attention = open.find((a) => a.id === message.attention_id);
  if (!attention) return null;
  return tabHidden || attention.id !== currentId ? attention : null;
}
