// The live attentions list kept by the staff room's events (pure, unit-tested): a row held
// is replaced by a newer version, dropped when it ends or leaves the filters; a new one that
// matches counts in the total and shows at the end when the list is loaded to its end (the
// list is ordered by queued time, so a newcomer is last).

import type { Schemas } from '../lib/contract';
import { parseTime } from '../lib/time';
import type { AttentionFilters } from './requests';
import type { SupAttention, UserRow } from './types';

type LiveAttention = Schemas['LiveAttention'];
type LiveCampaign = Schemas['LiveCampaign'];
type LiveAgent = Schemas['LiveAgent'];

export interface LiveList {
  rows: SupAttention[];
  total: number;
  /** Every matching row is loaded (no next page). */
  complete: boolean;
  /** When the first page was loaded (ms): an attention created later is not counted yet. */
  loadedAt: number;
}

export function matches(a: LiveAttention, f: AttentionFilters): boolean {
  if (a.state === 'closed') return false;
  if (f.state && a.state !== f.state) return false;
  if (f.campaignId !== '' && f.campaignId !== null && f.campaignId !== undefined && a.campaign.id !== f.campaignId) return false;
  if (f.agentId !== '' && f.agentId !== null && f.agentId !== undefined && a.agent_id !== f.agentId) return false;
  return true;
}

/** The row as the list shows it; what the event leaves out (unread, last message) is not shown here. */
export function rowOf(a: LiveAttention, held?: SupAttention): SupAttention {
  return {
    id: a.id,
    state: a.state,
    version: a.version,
    campaign: a.campaign,
    channel: a.channel,
    customer: a.customer,
    agent_id: a.agent_id,
    queued_at: a.queued_at,
    assigned_at: a.assigned_at,
    opened_at: a.opened_at,
    closed_at: a.closed_at,
    last_customer_message_at: a.last_customer_message_at,
    window_ends_at: a.window_ends_at,
    unread: held?.unread ?? 0,
    offered: a.offered,
    segment: a.segment,
    reassignments: a.reassignments,
    transfer_count: a.transfer_count,
    orphaned: a.orphaned,
    parked: a.parked,
    base_record: held?.base_record ?? null,
    last_message: held?.last_message ?? null,
    awaiting_reply_since: a.awaiting_reply_since,
  };
}

export function applyLive(list: LiveList, a: LiveAttention, f: AttentionFilters): LiveList {
  const i = list.rows.findIndex((r) => r.id === a.id);
  const held = i >= 0 ? list.rows[i] : undefined;
  if (held && held.version > a.version) return list;
  const fits = matches(a, f);
  if (held) {
    if (!fits) return { ...list, rows: list.rows.filter((r) => r.id !== a.id), total: Math.max(0, list.total - 1) };
    const rows = list.rows.slice();
    rows[i] = rowOf(a, held);
    return { ...list, rows };
  }
  if (!fits) return list;
  // Not held and the list not loaded to its end: it may sit in a page not loaded yet, and
  // counted in the total already, unless it was created after the list was loaded.
  if (!list.complete) {
    const created = parseTime(a.created_at) ?? 0;
    return created > list.loadedAt ? { ...list, total: list.total + 1 } : list;
  }
  return { ...list, rows: [...list.rows, rowOf(a)], total: list.total + 1 };
}

/** A campaign renamed in another browser: the rows in it show its new name. */
export function renameCampaign(list: LiveList, c: LiveCampaign): LiveList {
  if (!list.rows.some((r) => r.campaign.id === c.id && r.campaign.name !== c.name)) return list;
  const rows = list.rows.map((r) => (r.campaign.id === c.id ? { ...r, campaign: { id: c.id, name: c.name } } : r));
  return { ...list, rows };
}

/** The users list (agents' names in the rows, the agents page) after a `live.agent`. */
export function followUser(users: UserRow[], a: LiveAgent): UserRow[] {
  const i = users.findIndex((u) => u.id === a.id);
  if (i < 0) return users;
  const out = users.slice();
  out[i] = { ...users[i]!, display_name: a.display_name, role: a.role, status: a.status, pause_reason: a.pause_reason ?? null, capacity: a.capacity };
  return out;
}
