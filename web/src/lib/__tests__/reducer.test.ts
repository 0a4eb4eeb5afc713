import { describe, expect, it } from 'vitest';
import {
  type PanelState,
  applyEvent,
  applyMessages,
  applyPage,
  applySnapshot,
  emptyPanel,
  findAttention,
  laterStatus,
  leftOpen,
  mergeMessages,
  mergePage,
  newAssignments,
  replaceMessage,
  selectAttention,
  upsertAttention,
} from '../reducer';
import type { Attention, ServerEvent } from '../types';
import { ME, OTHER, attention, message, offeredTo, opened } from './fixtures';

function apply(state: PanelState, ...events: ServerEvent[]): PanelState {
  return events.reduce(applyEvent, state);
}

const updated = (a: ReturnType<typeof attention>): ServerEvent => ({ type: 'attention.updated', attention: a });

/** A panel with attention 1 open and shown, 2 open, 3 assigned. */
function busyPanel(): PanelState {
  let s = apply(emptyPanel(ME), updated(opened(1)), updated(opened(2)), updated(attention(3)));
  s = selectAttention(s, 1);
  return applyMessages(s, 1, [message(10, 1), message(11, 1, { direction: 'out', status: 'sent' })]);
}

describe('attention.updated', () => {
  it('puts an assigned attention of mine in Asignadas', () => {
    const s = apply(emptyPanel(ME), updated(attention(1)));
    expect(s.assigned.map((a) => a.id)).toEqual([1]);
    expect(s.open).toEqual([]);
  });

  it('moves an attention from assigned to open', () => {
    let s = apply(emptyPanel(ME), updated(attention(1)));
    s = apply(s, updated(opened(1)));
    expect(s.assigned).toEqual([]);
    expect(s.open.map((a) => a.id)).toEqual([1]);
    expect(s.open[0]!.state).toBe('open');
  });

  it('ignores an update older than the one held', () => {
    let s = apply(emptyPanel(ME), updated(opened(1, { version: 5 })));
    s = apply(s, updated(attention(1, { version: 4 })));
    expect(s.open.map((a) => a.id)).toEqual([1]);
    expect(s.assigned).toEqual([]);
    expect(s.open[0]!.version).toBe(5);
  });

  it('applies an update of the same or a newer version', () => {
    let s = apply(emptyPanel(ME), updated(opened(1, { version: 5, unread: 0 })));
    s = apply(s, updated(opened(1, { version: 5, unread: 2 })));
    expect(s.open[0]!.unread).toBe(2);
    s = apply(s, updated(opened(1, { version: 6, unread: 3 })));
    expect(s.open[0]!.unread).toBe(3);
  });

  it('an older event cannot resurrect a closed attention… once the close is held', () => {
    let s = apply(emptyPanel(ME), updated(opened(1, { version: 3 })));
    s = apply(s, updated(opened(1, { version: 4, state: 'closed' })));
    expect(s.open).toEqual([]);
    // Nothing is held any more, so versions cannot be compared: the stale event is applied.
    // The snapshot on reconnect repairs this; the server sends events in order per attention.
  });

  it('drops a closed attention and clears the chat if it was shown', () => {
    let s = busyPanel();
    expect(s.currentId).toBe(1);
    s = apply(s, updated(opened(1, { version: 3, state: 'closed', closed_at: '2026-11-25T11:00:00Z' })));
    expect(s.open.map((a) => a.id)).toEqual([2]);
    expect(s.currentId).toBeNull();
    expect(s.messages).toEqual([]);
  });

  it('drops an attention now held by another agent', () => {
    let s = busyPanel();
    s = apply(s, updated(attention(3, { version: 2, agent_id: OTHER })));
    expect(s.assigned).toEqual([]);
    s = apply(s, updated(opened(2, { version: 3, agent_id: OTHER })));
    expect(s.open.map((a) => a.id)).toEqual([1]);
  });

  it('drops an attention sent back to the queue', () => {
    let s = busyPanel();
    s = apply(s, updated(attention(3, { version: 2, state: 'queued', agent_id: null })));
    expect(s.assigned).toEqual([]);
  });

  it('never adds an attention of another agent', () => {
    const s = apply(emptyPanel(ME), updated(attention(1, { agent_id: OTHER })));
    expect(s.assigned).toEqual([]);
  });

  it('keeps the shown chat at zero unread', () => {
    let s = busyPanel();
    s = apply(s, updated(opened(1, { version: 3, unread: 4 })));
    expect(s.open.find((a) => a.id === 1)!.unread).toBe(0);
  });

  it('orders assigned attentions oldest first', () => {
    const s = apply(
      emptyPanel(ME),
      updated(attention(2, { assigned_at: '2026-11-25T10:05:00Z' })),
      updated(attention(1, { assigned_at: '2026-11-25T10:09:00Z' })),
      updated(attention(3, { assigned_at: '2026-11-25T10:01:00Z' })),
    );
    expect(s.assigned.map((a) => a.id)).toEqual([3, 2, 1]);
  });
});

describe('attention.removed', () => {
  it('drops it from every list and the chat', () => {
    let s = busyPanel();
    s = apply(s, { type: 'attention.removed', attention_id: 3, version: 99 }, { type: 'attention.removed', attention_id: 1, version: 99 });
    expect(s.assigned).toEqual([]);
    expect(s.open.map((a) => a.id)).toEqual([2]);
    expect(s.currentId).toBeNull();
  });

  it('changes no list for an unknown attention, but remembers it: its update may still be on its way', () => {
    const s = busyPanel();
    const next = apply(s, { type: 'attention.removed', attention_id: 99, version: 4 });
    expect({ ...next, gone: {} }).toEqual({ ...s, gone: {} });
    expect(next.gone[99]).toBe(4);
    expect(apply(next, { type: 'attention.updated', attention: attention(99, { version: 4 }) })).toBe(next);
  });
});

describe('message.created', () => {
  it('appends to the shown chat', () => {
    const s = apply(busyPanel(), { type: 'message.created', message: message(12, 1) });
    expect(s.messages.map((m) => m.id)).toEqual([10, 11, 12]);
  });

  it('dedupes by id (POST answer then WebSocket, or the other way)', () => {
    const sent = message(12, 1, { direction: 'out', status: 'pending', client_id: 'c-1' });
    let s = applyMessages(busyPanel(), 1, [sent]);
    s = apply(s, { type: 'message.created', message: sent }, { type: 'message.created', message: sent });
    expect(s.messages.filter((m) => m.id === 12)).toHaveLength(1);
  });

  it('keeps messages ordered by id', () => {
    let s = apply(busyPanel(), { type: 'message.created', message: message(15, 1) });
    s = apply(s, { type: 'message.created', message: message(13, 1) });
    expect(s.messages.map((m) => m.id)).toEqual([10, 11, 13, 15]);
  });

  it('counts unread for a customer message in another attention', () => {
    const s = apply(
      busyPanel(),
      { type: 'message.created', message: message(20, 2) },
      { type: 'message.created', message: message(21, 2) },
    );
    expect(s.open.find((a) => a.id === 2)!.unread).toBe(2);
    expect(s.open.find((a) => a.id === 1)!.unread).toBe(0);
    expect(s.messages.map((m) => m.id)).toEqual([10, 11]);
  });

  it('does not count the agent’s own messages as unread', () => {
    const s = apply(busyPanel(), { type: 'message.created', message: message(20, 2, { direction: 'out', status: 'pending' }) });
    expect(s.open.find((a) => a.id === 2)!.unread).toBe(0);
  });

  it('ignores messages of attentions not held', () => {
    const s = busyPanel();
    expect(apply(s, { type: 'message.created', message: message(30, 99) })).toBe(s);
  });

  it('moves the 24-hour window on a customer message', () => {
    const s = apply(busyPanel(), {
      type: 'message.created',
      message: message(20, 2, { created_at: '2026-11-25T12:00:00Z' }),
    });
    const a = s.open.find((x) => x.id === 2)!;
    expect(a.last_customer_message_at).toBe('2026-11-25T12:00:00Z');
    expect(Date.parse(a.window_ends_at!)).toBe(Date.parse('2026-11-26T12:00:00Z'));
  });

  it('selecting an attention clears its unread count', () => {
    let s = apply(busyPanel(), { type: 'message.created', message: message(20, 2) });
    s = selectAttention(s, 2);
    expect(s.currentId).toBe(2);
    expect(s.messages).toEqual([]);
    expect(s.open.find((a) => a.id === 2)!.unread).toBe(0);
  });

  it('cannot select an attention that is only assigned', () => {
    const s = busyPanel();
    expect(selectAttention(s, 3)).toBe(s);
  });
});

describe('message.updated', () => {
  const upd = (m: ReturnType<typeof message>): ServerEvent => ({ type: 'message.updated', message: m });

  it('replaces the message with the same id in the shown chat (an edit)', () => {
    const s = apply(
      busyPanel(),
      upd(message(10, 1, { text: 'hola de nuevo', content: { body: 'hola de nuevo' }, edited: true, previous_text: 'hola 10' })),
    );
    const m = s.messages.find((x) => x.id === 10)!;
    expect(m.text).toBe('hola de nuevo');
    expect(m.edited).toBe(true);
    expect(m.previous_text).toBe('hola 10');
    expect(s.messages.map((x) => x.id)).toEqual([10, 11]);
  });

  it('a deletion and reactions replace the held copy', () => {
    let s = apply(busyPanel(), upd(message(10, 1, { deleted: true })));
    expect(s.messages.find((x) => x.id === 10)!.deleted).toBe(true);
    s = apply(
      s,
      upd(message(11, 1, { direction: 'out', status: 'sent', reactions: [{ emoji: '👍', by: 'customer' }] })),
    );
    expect(s.messages.find((x) => x.id === 11)!.reactions).toEqual([{ emoji: '👍', by: 'customer' }]);
    // A reaction taken back is an update too.
    s = apply(s, upd(message(11, 1, { direction: 'out', status: 'sent', reactions: [] })));
    expect(s.messages.find((x) => x.id === 11)!.reactions).toEqual([]);
  });

  it('is ignored when the chat is not shown, and counts nothing unread', () => {
    const s = busyPanel();
    const other = apply(s, upd(message(20, 2, { deleted: true })));
    expect(other).toBe(s);
    expect(other.open.find((a) => a.id === 2)!.unread).toBe(0);
    const none = apply(selectAttention(s, null), upd(message(10, 1, { deleted: true })));
    expect(none.messages).toEqual([]);
  });

  it('is ignored for a message the chat does not hold', () => {
    const s = busyPanel();
    expect(apply(s, upd(message(99, 1, { deleted: true })))).toBe(s);
  });

  it('never moves the status back', () => {
    let s = apply(busyPanel(), {
      type: 'message.status',
      message_id: 11,
      attention_id: 1,
      status: 'read',
      error: null,
    });
    s = apply(s, upd(message(11, 1, { direction: 'out', status: 'delivered', reactions: [{ emoji: '❤️', by: 'customer' }] })));
    const m = s.messages.find((x) => x.id === 11)!;
    expect(m.status).toBe('read');
    expect(m.reactions).toEqual([{ emoji: '❤️', by: 'customer' }]);
  });

  it('a staler copy (a page loaded before the event) does not undo a deletion or an edit', () => {
    let s = apply(
      busyPanel(),
      upd(message(10, 1, { deleted: true })),
      upd(message(11, 1, { direction: 'out', status: 'sent', text: 'nuevo', edited: true, previous_text: 'hola 11' })),
    );
    s = applyMessages(s, 1, [message(10, 1), message(11, 1, { direction: 'out', status: 'sent' })]);
    expect(s.messages.find((x) => x.id === 10)!.deleted).toBe(true);
    const m = s.messages.find((x) => x.id === 11)!;
    expect(m.edited).toBe(true);
    expect(m.text).toBe('nuevo');
    expect(m.previous_text).toBe('hola 11');
  });

  it('replaceMessage leaves a list without that id as it is', () => {
    const list = [message(1, 1), message(2, 1)];
    expect(replaceMessage(list, message(3, 1))).toBe(list);
    expect(replaceMessage(list, message(2, 1, { text: 'x' })).map((m) => m.text)).toEqual(['hola 1', 'x']);
  });
});

describe('message.status', () => {
  const status = (id: number, st: 'sent' | 'delivered' | 'read' | 'played' | 'failed', error = null as null | { code: number; title: string }): ServerEvent => ({
    type: 'message.status',
    message_id: id,
    attention_id: 1,
    status: st,
    error,
  });

  it('moves the ticks forward', () => {
    let s = apply(busyPanel(), status(11, 'delivered'));
    expect(s.messages.find((m) => m.id === 11)!.status).toBe('delivered');
    s = apply(s, status(11, 'read'));
    expect(s.messages.find((m) => m.id === 11)!.status).toBe('read');
  });

  it('never moves them back (statuses may arrive out of order)', () => {
    const s = apply(busyPanel(), status(11, 'read'), status(11, 'delivered'), status(11, 'sent'));
    expect(s.messages.find((m) => m.id === 11)!.status).toBe('read');
  });

  it('records the failure reason', () => {
    const s = apply(busyPanel(), status(11, 'failed', { code: 131047, title: 'Re-engagement message' }));
    const m = s.messages.find((x) => x.id === 11)!;
    expect(m.status).toBe('failed');
    expect(m.error).toEqual({ code: 131047, title: 'Re-engagement message' });
  });

  it('a late POST answer (pending) does not undo a status already seen', () => {
    let s = apply(busyPanel(), status(11, 'delivered'));
    s = applyMessages(s, 1, [message(11, 1, { direction: 'out', status: 'pending' })]);
    expect(s.messages.find((m) => m.id === 11)!.status).toBe('delivered');
  });

  it('laterStatus ranks pending < sent < delivered < read', () => {
    expect(laterStatus('pending', 'sent')).toBe('sent');
    expect(laterStatus('read', 'sent')).toBe('read');
    expect(laterStatus('sent', 'failed')).toBe('failed');
  });

  it('played (a voice note listened to) comes after read and is never undone by it', () => {
    const order = ['pending', 'sent', 'delivered', 'read', 'played'] as const;
    for (let i = 0; i < order.length; i++) {
      for (let j = 0; j < order.length; j++) {
        expect(laterStatus(order[i]!, order[j]!)).toBe(order[Math.max(i, j)]);
      }
    }
    expect(laterStatus('played', 'failed')).toBe('failed');
    expect(laterStatus('failed', 'played')).toBe('failed');
    const s = apply(busyPanel(), status(11, 'played'), status(11, 'read'), status(11, 'delivered'));
    expect(s.messages.find((m) => m.id === 11)!.status).toBe('played');
    const t = apply(busyPanel(), status(11, 'read'), status(11, 'played'));
    expect(t.messages.find((m) => m.id === 11)!.status).toBe('played');
  });

  it('a copy of a sent file without its url does not take the url away', () => {
    const media = (url: string | null) => ({ media_id: 'm1', mime_type: 'image/png', caption: 'hi', url });
    const answer = message(40, 1, { direction: 'out', type: 'image', status: 'pending', content: media('/api/messages/40/media') });
    const event = message(40, 1, { direction: 'out', type: 'image', status: 'sent', content: media(null) });
    const [m] = mergeMessages([answer], [event]);
    expect(m!.status).toBe('sent');
    expect((m!.content as { url: string }).url).toBe('/api/messages/40/media');
  });
});

describe('queues', () => {
  it('merges the changed campaigns into the counts held', () => {
    const held = {
      ...busyPanel(),
      queues: [
        { campaign_id: 1, campaign_name: 'Ventas', queued: 0 },
        { campaign_id: 2, campaign_name: 'Soporte', queued: 1 },
      ],
    };
    const s = apply(held, { type: 'queues', queues: [{ campaign_id: 1, campaign_name: 'Ventas', queued: 4 }] });
    expect(s.queues).toEqual([
      { campaign_id: 1, campaign_name: 'Ventas', queued: 4 },
      { campaign_id: 2, campaign_name: 'Soporte', queued: 1 },
    ]);
    const added = apply(s, { type: 'queues', queues: [{ campaign_id: 3, campaign_name: 'Cobranza', queued: 2 }] });
    expect(added.queues.map((q) => q.campaign_id)).toEqual([1, 2, 3]);
  });
});

describe('snapshot', () => {
  it('replaces the lists and keeps the shown chat if still open', () => {
    const s = applySnapshot(busyPanel(), {
      assigned: [attention(4)],
      open: [opened(1, { version: 2 })],
      queues: [{ campaign_id: 1, campaign_name: 'Ventas', queued: 0 }],
      offered: [],
    });
    expect(s.assigned.map((a) => a.id)).toEqual([4]);
    expect(s.open.map((a) => a.id)).toEqual([1]);
    expect(s.currentId).toBe(1);
    expect(s.messages.map((m) => m.id)).toEqual([10, 11]);
  });

  it('clears the chat if its attention is gone', () => {
    const s = applySnapshot(busyPanel(), { assigned: [], open: [opened(2)], queues: [], offered: [] });
    expect(s.currentId).toBeNull();
    expect(s.messages).toEqual([]);
  });

  it('keeps a newer version already held', () => {
    let s = apply(emptyPanel(ME), updated(opened(1, { version: 9, unread: 1 })));
    s = applySnapshot(s, { assigned: [attention(1, { version: 1 })], open: [], queues: [], offered: [] });
    expect(s.open.map((a) => a.version)).toEqual([9]);
    expect(s.assigned).toEqual([]);
  });

  it('restores a chat chosen before the reload (page refresh)', () => {
    const s = applySnapshot({ ...emptyPanel(ME), currentId: 2 }, { assigned: [], open: [opened(2)], queues: [], offered: [] });
    expect(s.currentId).toBe(2);
  });
});

describe('helpers', () => {
  it('mergeMessages is a union by id', () => {
    const a = [message(1, 1), message(3, 1)];
    const b = [message(2, 1), message(3, 1, { text: 'edited' })];
    const m = mergeMessages(a, b);
    expect(m.map((x) => x.id)).toEqual([1, 2, 3]);
    expect(m[2]!.text).toBe('edited');
  });

  it('newAssignments lists only attentions newly assigned', () => {
    const before = apply(emptyPanel(ME), updated(attention(1)));
    const after = apply(before, updated(attention(2)), updated(opened(1)));
    expect(newAssignments(before, after).map((a) => a.id)).toEqual([2]);
  });

  it('upsert without a known agent keeps nothing', () => {
    expect(upsertAttention(emptyPanel(null), attention(1)).assigned).toEqual([]);
  });

  it('hello and pong change nothing', () => {
    const s = busyPanel();
    expect(apply(s, { type: 'pong' })).toBe(s);
  });
});

describe('offered attentions (campaign mode a todos / overflow)', () => {
  it('keeps an offered attention although it has no agent', () => {
    const s = apply(emptyPanel(ME), updated(offeredTo(5)));
    expect(s.offered.map((a) => a.id)).toEqual([5]);
    expect(s.assigned).toEqual([]);
    expect(s.open).toEqual([]);
    expect(findAttention(s, 5)?.offered).toBe(true);
  });

  it('updates an offered attention in place, oldest first', () => {
    let s = apply(
      emptyPanel(ME),
      updated(offeredTo(5, { queued_at: '2026-11-25T10:05:00Z' })),
      updated(offeredTo(6, { queued_at: '2026-11-25T10:01:00Z' })),
    );
    expect(s.offered.map((a) => a.id)).toEqual([6, 5]);
    s = apply(s, updated(offeredTo(5, { version: 2, reassignments: 1 })));
    expect(s.offered.map((a) => a.id)).toEqual([6, 5]);
    expect(s.offered.find((a) => a.id === 5)!.reassignments).toBe(1);
  });

  it('ignores an older version of an offered attention', () => {
    let s = apply(emptyPanel(ME), updated(offeredTo(5, { version: 3 })));
    s = apply(s, updated(offeredTo(5, { version: 2, transfer_count: 9 })));
    expect(s.offered[0]!.version).toBe(3);
    expect(s.offered[0]!.transfer_count).toBeUndefined();
  });

  it('attention.removed drops it (another agent took it)', () => {
    let s = apply(emptyPanel(ME), updated(offeredTo(5)), updated(offeredTo(6)));
    s = apply(s, { type: 'attention.removed', attention_id: 5, version: 99 });
    expect(s.offered.map((a) => a.id)).toEqual([6]);
  });

  it('drops it when an update says another agent has it', () => {
    let s = apply(emptyPanel(ME), updated(offeredTo(5)));
    s = apply(s, updated(opened(5, { version: 2, agent_id: OTHER, offered: false })));
    expect(s.offered).toEqual([]);
    expect(s.open).toEqual([]);
    expect(findAttention(s, 5)).toBeUndefined();
  });

  it('drops it when the offer is withdrawn (queued, no longer offered)', () => {
    let s = apply(emptyPanel(ME), updated(offeredTo(5)));
    s = apply(s, updated(offeredTo(5, { version: 2, offered: false })));
    expect(s.offered).toEqual([]);
  });

  it('moves to Abiertas when I take it', () => {
    let s = apply(emptyPanel(ME), updated(offeredTo(5)));
    s = apply(s, updated(opened(5, { version: 2, offered: false })));
    expect(s.offered).toEqual([]);
    expect(s.open.map((a) => a.id)).toEqual([5]);
  });

  it('a queued attention that is not offered is never listed', () => {
    const s = apply(emptyPanel(ME), updated(attention(5, { state: 'queued', agent_id: null })));
    expect(s.offered).toEqual([]);
    expect(s.assigned).toEqual([]);
  });

  it('the snapshot brings the offered list (flag missing or not)', () => {
    const snap = { assigned: [], open: [], queues: [], offered: [offeredTo(5), { ...offeredTo(6), offered: undefined } as unknown as Attention] };
    const s = applySnapshot(apply(emptyPanel(ME), updated(offeredTo(9))), snap);
    expect(s.offered.map((a) => a.id)).toEqual([5, 6]);
  });

  it('rings for a new offer too', () => {
    const before = apply(emptyPanel(ME), updated(offeredTo(5)));
    const after = apply(before, updated(offeredTo(6)), updated(offeredTo(5, { version: 2 })));
    expect(newAssignments(before, after).map((a) => a.id)).toEqual([6]);
  });

  it('does not count unread for a customer message of an offered attention in the open list', () => {
    const s = apply(emptyPanel(ME), updated(offeredTo(5)), { type: 'message.created', message: message(40, 5) });
    expect(s.open).toEqual([]);
    expect(s.offered).toHaveLength(1);
  });
});

describe('leftOpen', () => {
  it('lists attentions no longer open (ended, transferred)', () => {
    const before = apply(emptyPanel(ME), updated(opened(1)), updated(opened(2)));
    const after = apply(before, updated(opened(1, { version: 3, state: 'closed' })), updated(opened(2, { version: 3, agent_id: OTHER })));
    expect(leftOpen(before, after).sort()).toEqual([1, 2]);
    expect(leftOpen(after, after)).toEqual([]);
  });
});

describe('a conversation read a page at a time', () => {
  const ids = (ms: { id: number }[]) => ms.map((m) => m.id);
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => message(from + i, 1));

  it('the newest page opens the chat and says whether older ones remain', () => {
    const r = mergePage([], false, { messages: range(51, 100), has_more: true });
    expect(ids(r.messages)).toEqual(ids(range(51, 100)));
    expect(r.hasOlder).toBe(true);
  });

  it('the page before the oldest goes in front; the last one says nothing remains', () => {
    let r = mergePage(range(51, 100), true, { messages: range(1, 50), has_more: false });
    expect(ids(r.messages)).toEqual(ids(range(1, 100)));
    expect(r.hasOlder).toBe(false);
    r = mergePage(range(51, 100), true, { messages: range(11, 50), has_more: true });
    expect(r.hasOlder).toBe(true);
  });

  it('a newest page after a reconnect merges with what is held and keeps what is held further back', () => {
    const r = mergePage(range(1, 100), false, { messages: range(61, 110), has_more: true });
    expect(ids(r.messages)).toEqual(ids(range(1, 110)));
    expect(r.hasOlder).toBe(false);
  });

  it('more arrived while away than a page holds: the page replaces what is held, never a hole', () => {
    const r = mergePage(range(1, 20), false, { messages: range(71, 120), has_more: true });
    expect(ids(r.messages)).toEqual(ids(range(71, 120)));
    expect(r.hasOlder).toBe(true);
  });

  it('applyPage ignores a page of a chat no longer shown, and switching chats forgets hasOlder', () => {
    let s = selectAttention({ ...emptyPanel(ME), open: [opened(1), opened(2)] }, 1);
    s = applyPage(s, 1, { messages: range(51, 100), has_more: true });
    expect(s.hasOlder).toBe(true);
    expect(applyPage(s, 2, { messages: [message(7, 2)], has_more: false })).toBe(s);
    s = selectAttention(s, 2);
    expect(s.hasOlder).toBe(false);
    expect(s.messages).toEqual([]);
  });
});

describe('events out of order across server processes', () => {
  const removed = (id: number, version: number): ServerEvent => ({ type: 'attention.removed', attention_id: id, version });
  const updated = (a: Attention): ServerEvent => ({ type: 'attention.updated', attention: a });

  it('a removal older than what is held does not take away an attention that came back', () => {
    let s: PanelState = { ...emptyPanel(ME), open: [opened(1, { version: 7 })] };
    s = applyEvent(s, removed(1, 6));
    expect(s.open.map((a) => a.id)).toEqual([1]);
  });

  it('an update no newer than the removal does not bring it back; a newer one does', () => {
    let s: PanelState = { ...emptyPanel(ME), open: [opened(1, { version: 5 })] };
    s = applyEvent(s, removed(1, 6));
    expect(s.open).toEqual([]);
    s = applyEvent(s, updated(opened(1, { version: 5 })));
    expect(s.open).toEqual([]);
    s = applyEvent(s, updated(attention(1, { version: 7 })));
    expect(s.assigned.map((a) => a.id)).toEqual([1]);
  });

  it('remembers a bounded number of removals', () => {
    let s = emptyPanel(ME);
    for (let id = 1; id <= 500; id++) s = applyEvent(s, removed(id, 1));
    expect(Object.keys(s.gone)).toHaveLength(200);
    expect(s.gone[500]).toBe(1);
    expect(s.gone[1]).toBeUndefined();
  });
});
