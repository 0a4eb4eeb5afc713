// The live dashboard's state, kept as the server's snapshot says and then by the staff room's
// events (pure functions, unit-tested). The same rules as tests/integration/test_dashboard.py:
// - an event older than what is held (its attention's version) is dropped;
// - an attention that ends adds its figures to the day only if it was held live (one that
//   ended before the snapshot is already counted in it);
// - queues, loads and the longest wait are counted from the live attentions held.

import type { Schemas } from '../lib/contract';
import type { LiveEvent } from '../lib/liveFeed';
import { parseTime } from '../lib/time';

export type DashboardSnapshot = Schemas['DashboardOut'];
type DashAttention = Schemas['DashAttention'];
type DashCampaign = Schemas['DashCampaign'];
type DashAgent = Schemas['DashAgent'];

export interface Board {
  dayStart: number;
  campaigns: Map<number, DashCampaign>;
  agents: Map<number, DashAgent>;
  live: Map<number, DashAttention>;
}

export function fromSnapshot(s: DashboardSnapshot): Board {
  return {
    dayStart: parseTime(s.day_start) ?? 0,
    campaigns: new Map(s.campaigns.map((c) => [c.id, { ...c }])),
    agents: new Map(s.agents.map((a) => [a.id, { ...a, campaigns: [...a.campaigns] }])),
    live: new Map(s.attentions.map((a) => [a.id, { ...a }])),
  };
}

/** The board after one event (a new object when anything changed, the same one otherwise). */
export function applyEvent(b: Board, e: LiveEvent): Board {
  if (e.type === 'live.agent') {
    const held = b.agents.get(e.agent.id);
    if (!held) return b;
    const agents = new Map(b.agents);
    agents.set(e.agent.id, { ...held, ...e.agent });
    return { ...b, agents };
  }
  const a = e.attention;
  const held = b.live.get(a.id);
  if (held && held.version > a.version) return b;
  if (a.state === 'closed') {
    if (!held) return b;
    const live = new Map(b.live);
    live.delete(a.id);
    let campaigns = b.campaigns;
    let agents = b.agents;
    const c = b.campaigns.get(a.campaign.id);
    const f = a.ended;
    if (c && f) {
      const reply = f.first_reply_seconds;
      campaigns = new Map(b.campaigns);
      campaigns.set(c.id, {
        ...c,
        ended: c.ended + 1,
        wait_seconds_total: c.wait_seconds_total + f.wait_seconds,
        handle_seconds_total: c.handle_seconds_total + f.handle_seconds,
        answered_within: c.answered_within + (reply !== null && reply !== undefined && reply <= c.service_level_seconds ? 1 : 0),
      });
    }
    const closer = a.closed_by_id === null ? undefined : b.agents.get(a.closed_by_id);
    if (closer) {
      agents = new Map(b.agents);
      agents.set(closer.id, { ...closer, ended_today: closer.ended_today + 1 });
    }
    return { ...b, live, campaigns, agents };
  }
  const live = new Map(b.live);
  live.set(a.id, {
    id: a.id,
    version: a.version,
    state: a.state,
    campaign_id: a.campaign.id,
    agent_id: a.agent_id,
    queued_at: a.queued_at,
  });
  return { ...b, live };
}

export interface CampaignLine {
  id: number;
  name: string;
  queued: number;
  /** Since when the longest-waiting queued attention waits (ms), or null. */
  oldestQueuedAt: number | null;
  assigned: number;
  open: number;
  ended: number;
  /** Averages in seconds over the attentions ended today; null before the first. */
  avgWait: number | null;
  avgHandle: number | null;
  /** Share (0…1) answered within the service level; null before the first. */
  serviceLevel: number | null;
  slSeconds: number;
  slTarget: number;
}

export interface AgentLine {
  id: number;
  name: string;
  status: DashAgent['status'];
  since: number | null;
  pauseReason: string | null;
  load: number;
  capacity: number;
  endedToday: number;
}

export function campaignLines(b: Board): CampaignLine[] {
  const lines = new Map<number, CampaignLine>();
  for (const c of b.campaigns.values()) {
    lines.set(c.id, {
      id: c.id,
      name: c.name,
      queued: 0,
      oldestQueuedAt: null,
      assigned: 0,
      open: 0,
      ended: c.ended,
      avgWait: c.ended ? c.wait_seconds_total / c.ended : null,
      avgHandle: c.ended ? c.handle_seconds_total / c.ended : null,
      serviceLevel: c.ended ? c.answered_within / c.ended : null,
      slSeconds: c.service_level_seconds,
      slTarget: c.service_level_target,
    });
  }
  for (const a of b.live.values()) {
    const line = lines.get(a.campaign_id);
    if (!line) continue;
    if (a.state === 'queued') {
      line.queued += 1;
      const at = parseTime(a.queued_at);
      if (at !== null && (line.oldestQueuedAt === null || at < line.oldestQueuedAt)) line.oldestQueuedAt = at;
    } else if (a.state === 'assigned') line.assigned += 1;
    else if (a.state === 'open') line.open += 1;
  }
  return [...lines.values()];
}

const STATUS_ORDER = { available: 0, paused: 1, offline: 2 } as const;

export function agentLines(b: Board): AgentLine[] {
  const load = new Map<number, number>();
  for (const a of b.live.values()) {
    if (a.agent_id !== null && (a.state === 'assigned' || a.state === 'open')) {
      load.set(a.agent_id, (load.get(a.agent_id) ?? 0) + 1);
    }
  }
  return [...b.agents.values()]
    .map((a) => ({
      id: a.id,
      name: a.display_name,
      status: a.status,
      since: parseTime(a.status_changed_at),
      pauseReason: a.pause_reason ?? null,
      load: load.get(a.id) ?? 0,
      capacity: a.capacity,
      endedToday: a.ended_today,
    }))
    .sort((x, y) => STATUS_ORDER[x.status] - STATUS_ORDER[y.status] || x.name.localeCompare(y.name));
}

/** Events that arrive while a snapshot loads wait here, and are applied on top of it. */
export class SnapshotBuffer {
  private pending: LiveEvent[] | null = null;

  start(): void {
    this.pending = [];
  }

  /** True when the event was kept for the snapshot being loaded. */
  hold(e: LiveEvent): boolean {
    if (this.pending === null) return false;
    this.pending.push(e);
    return true;
  }

  finish(b: Board): Board {
    const events = this.pending ?? [];
    this.pending = null;
    return events.reduce(applyEvent, b);
  }

  cancel(): void {
    this.pending = null;
  }
}

/** The browser's IANA time zone, sent so that "today" is the supervisor's day. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
