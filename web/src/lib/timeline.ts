// Readable texts for the events of an attention's timeline (docs/api.md, "Timeline").

import type { MessageKey, Params } from './i18n';
import type { TimelineEvent } from './types';

type T = (key: MessageKey, params?: Params) => string;

/** A name out of whatever the server put there: "Ventas", {name}, {display_name}. */
export function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object') {
    const o = v as { name?: unknown; display_name?: unknown };
    if (typeof o.display_name === 'string' && o.display_name) return o.display_name;
    if (typeof o.name === 'string' && o.name) return o.name;
  }
  return null;
}

function field(data: Record<string, unknown> | null, ...keys: string[]): unknown {
  if (!data) return undefined;
  for (const k of keys) {
    const parts = k.split('.');
    let cur: unknown = data;
    for (const p of parts) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    if (cur !== undefined && cur !== null) return cur;
  }
  return undefined;
}

const REASONS: Record<string, MessageKey> = {
  timeout: 'reason.timeout',
  agent_paused: 'reason.agent_paused',
  agent_offline: 'reason.agent_offline',
  orphaned: 'reason.orphaned',
  overflow: 'reason.overflow',
  moved_by_supervisor: 'reason.moved_by_supervisor',
};

/** Names the timeline itself tells: campaigns and people of its events, by id. */
export interface Names {
  campaigns: Map<number, string>;
  people: Map<number, string>;
}

export function namesOf(events: TimelineEvent[]): Names {
  const campaigns = new Map<number, string>();
  const people = new Map<number, string>();
  for (const ev of events) {
    if (ev.campaign?.name) campaigns.set(ev.campaign.id, ev.campaign.name);
    for (const p of [ev.actor, ev.agent]) if (p?.display_name) people.set(p.id, p.display_name);
  }
  return { campaigns, people };
}

function byId(map: Map<number, string> | undefined, v: unknown): string | null {
  return typeof v === 'number' ? (map?.get(v) ?? null) : null;
}

function place(t: T, campaign: string | null, agent: string | null): string {
  if (campaign && agent) return t('timeline.place', { campaign, agent });
  return campaign ?? agent ?? '—';
}

/**
 * One line per event, in the UI language. `names` resolves ids the event's data may carry
 * instead of names (a transfer's `to_campaign_id`, …).
 */
export function timelineText(ev: TimelineEvent, t: T, names?: Names): string {
  const data = ev.data ?? null;
  const campaign = nameOf(ev.campaign) ?? nameOf(field(data, 'campaign', 'campaign_name')) ?? '—';
  const agent = nameOf(ev.agent) ?? nameOf(field(data, 'agent', 'agent_name'));
  const actor = nameOf(ev.actor);
  switch (ev.kind) {
    case 'queued':
      return t('timeline.queued', { campaign });
    case 'assigned':
      return agent ? t('timeline.assigned', { agent }) : t('timeline.assignedNobody');
    case 'offered':
      return t('timeline.offered', { campaign });
    case 'opened':
      return t('timeline.opened', { agent: agent ?? actor ?? '—' });
    case 'reassigned': {
      const reason = String(field(data, 'reason') ?? '');
      if (reason === 'orphaned') return t('timeline.orphaned');
      const key = REASONS[reason];
      return t('timeline.reassigned', { reason: key ? t(key) : reason || '—' });
    }
    case 'parked':
      return t('timeline.parked');
    case 'overflowed':
      return t('timeline.overflowed', { campaign });
    case 'transferred': {
      // The event is recorded in the campaign it leaves, with the agent who had it.
      const from = place(
        t,
        nameOf(field(data, 'from_campaign', 'from.campaign', 'from_campaign_name')) ??
          byId(names?.campaigns, field(data, 'from_campaign_id')) ??
          nameOf(ev.campaign),
        nameOf(field(data, 'from_agent', 'from.agent', 'from_agent_name')) ??
          byId(names?.people, field(data, 'from_agent_id')) ??
          nameOf(ev.agent),
      );
      const to = place(
        t,
        nameOf(field(data, 'to_campaign', 'to.campaign', 'to_campaign_name')) ??
          byId(names?.campaigns, field(data, 'to_campaign_id')),
        nameOf(field(data, 'to_agent', 'to.agent', 'to_agent_name')) ?? byId(names?.people, field(data, 'to_agent_id')),
      );
      const note = nameOf(field(data, 'note'));
      const moved = field(data, 'kind') === 'move';
      if (moved) {
        const by = actor ?? t('timeline.supervisor');
        return note ? t('timeline.movedNote', { by, from, to, note }) : t('timeline.moved', { by, from, to });
      }
      return note ? t('timeline.transferredNote', { from, to, note }) : t('timeline.transferred', { from, to });
    }
    case 'form_submitted':
      return actor ?? agent ? t('timeline.formSubmittedBy', { agent: (actor ?? agent)! }) : t('timeline.formSubmitted');
    case 'closed':
      return actor ?? agent ? t('timeline.closedBy', { agent: (actor ?? agent)! }) : t('timeline.closed');
    default:
      return ev.kind;
  }
}
