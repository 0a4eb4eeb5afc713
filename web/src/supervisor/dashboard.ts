// The live dashboard's state, kept as the server's snapshot says and then by the staff room's
// events (pure functions, unit-tested). The same rules as tests/integration/test_dashboard.py:
// - an event older than what is held (its attention's version) is dropped;
// - an attention that ends adds its figures to the day only if it was held live (one that
//   ended before the snapshot is already counted in it);
// - queues, loads and the longest wait are counted from the live attentions held;
// - an agent or a campaign changed by a supervisor or an admin (`live.agent`,
//   `live.campaign`) is updated in place, or dropped when it leaves the board; one that joins
//   it, or a new service level, needs the day's figures: the view reloads the snapshot.

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

type LiveAgent = Extract<LiveEvent, { type: 'live.agent' }>['agent'];
type LiveCampaign = Extract<LiveEvent, { type: 'live.campaign' }>['campaign'];

/** The dashboard lists active agents and campaigns not archived (as the snapshot does). */
const listed = (a: LiveAgent) => a.role === 'agent' && a.active;

/** The event needs what only a snapshot has: the day's figures of an agent or a campaign the
 * board does not hold, or the day counted again under a new service level. Reload then. */
export function needsSnapshot(b: Board, e: LiveEvent): boolean {
  if (e.type === 'live.agent') return listed(e.agent) && !b.agents.has(e.agent.id);
  if (e.type === 'live.campaign') {
    const c = e.campaign;
    const held = b.campaigns.get(c.id);
    if (c.archived) return false;
    return !held || held.service_level_seconds !== c.service_level_seconds || held.service_level_target !== c.service_level_target;
  }
  return false;
}

function agentChanged(b: Board, a: LiveAgent): Board {
  const held = b.agents.get(a.id);
  if (!held) return b;
  const agents = new Map(b.agents);
  if (listed(a)) agents.set(a.id, { ...held, ...a, campaigns: [...a.campaigns] });
  else agents.delete(a.id);
  return { ...b, agents };
}

function campaignChanged(b: Board, c: LiveCampaign): Board {
  const held = b.campaigns.get(c.id);
  if (!held) return b;
  const campaigns = new Map(b.campaigns);
  if (c.archived) campaigns.delete(c.id);
  else campaigns.set(c.id, { ...held, name: c.name });
  return { ...b, campaigns };
}

/** The board after one event (a new object when anything changed, the same one otherwise).
 * What it cannot apply (`needsSnapshot`) it leaves as it is. */
export function applyEvent(b: Board, e: LiveEvent): Board {
  if (e.type === 'live.agent') return agentChanged(b, e.agent);
  if (e.type === 'live.campaign') return campaignChanged(b, e.campaign);
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

  /** The snapshot with the events held applied; `stale` when one of them needs a snapshot
   * taken after it (it committed after this one was read): load again. */
  finish(b: Board): { board: Board; stale: boolean } {
    const events = this.pending ?? [];
    this.pending = null;
    let stale = false;
    const board = events.reduce((held, e) => {
      stale ||= needsSnapshot(held, e);
      return applyEvent(held, e);
    }, b);
    return { board, stale };
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
