import { describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../lib/liveFeed';
import { SnapshotBuffer, agentLines, applyEvent, campaignLines, fromSnapshot, needsSnapshot, type DashboardSnapshot } from '../dashboard';
import { applyLive, followUser, renameCampaign } from '../liveList';
import type { SupAttention, UserRow } from '../types';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function snapshot(): DashboardSnapshot {
  return {
    as_of: iso(T0),
    time_zone: 'America/Lima',
    day_start: '2026-12-01T05:00:00Z',
    campaigns: [
      {
        id: 1,
        name: 'Ventas',
        service_level_seconds: 60,
        service_level_target: 80,
        ended: 2,
        wait_seconds_total: 100,
        handle_seconds_total: 600,
        answered_within: 1,
      },
    ],
    attentions: [
      { id: 10, version: 3, state: 'queued', campaign_id: 1, agent_id: null, queued_at: iso(T0 - 120_000) },
      { id: 11, version: 5, state: 'open', campaign_id: 1, agent_id: 7, queued_at: iso(T0 - 600_000) },
    ],
    agents: [
      {
        id: 7,
        display_name: 'Ana',
        role: 'agent',
        active: true,
        status: 'available',
        status_changed_at: iso(T0 - 3_600_000),
        pause_reason: null,
        capacity: 4,
        campaigns: [{ campaign_id: 1, capacity: 3 }],
        ended_today: 2,
      },
    ],
  };
}

function live(id: number, version: number, over: Record<string, unknown> = {}): LiveEvent {
  return {
    type: 'live.attention',
    attention: {
      id,
      version,
      state: 'queued',
      campaign: { id: 1, name: 'Ventas' },
      channel: { id: 1, name: 'WA' },
      customer: { id: 100 + id, display_name: `C${id}`, name: null, username: null, phone: null, bsuid: 'b', contact_id: null, contact_name: null },
      agent_id: null,
      created_at: iso(T0),
      queued_at: iso(T0),
      assigned_at: null,
      opened_at: null,
      closed_at: null,
      closed_by_id: null,
      last_customer_message_at: null,
      window_ends_at: null,
      awaiting_reply_since: null,
      offered: false,
      parked: false,
      orphaned: false,
      segment: 1,
      reassignments: 0,
      transfer_count: 0,
      ended: null,
      ...over,
    },
  } as LiveEvent;
}

type AgentEvent = Extract<LiveEvent, { type: 'live.agent' }>;
type CampaignEvent = Extract<LiveEvent, { type: 'live.campaign' }>;

function agent(over: Partial<AgentEvent['agent']> = {}): AgentEvent {
  return {
    type: 'live.agent',
    agent: {
      id: 7,
      display_name: 'Ana',
      role: 'agent',
      active: true,
      status: 'available',
      status_changed_at: iso(T0 - 3_600_000),
      pause_reason: null,
      capacity: 4,
      campaigns: [{ campaign_id: 1, capacity: 3 }],
      ...over,
    },
  };
}

function campaign(over: Partial<CampaignEvent['campaign']> = {}): CampaignEvent {
  return {
    type: 'live.campaign',
    campaign: { id: 1, name: 'Ventas', archived: false, service_level_seconds: 60, service_level_target: 80, ...over },
  };
}

describe('dashboard reducer', () => {
  it('counts queues, the longest wait and loads from the snapshot', () => {
    const b = fromSnapshot(snapshot());
    const [ventas] = campaignLines(b);
    expect(ventas).toMatchObject({ queued: 1, assigned: 0, open: 1, ended: 2, avgWait: 50, avgHandle: 300, serviceLevel: 0.5 });
    expect(ventas!.oldestQueuedAt).toBe(T0 - 120_000);
    expect(agentLines(b)[0]).toMatchObject({ load: 1, capacity: 4, endedToday: 2, status: 'available' });
  });

  it('a customer writes: queued goes up; an agent takes it: queued down, assigned and load up', () => {
    let b = fromSnapshot(snapshot());
    b = applyEvent(b, live(12, 1, { queued_at: iso(T0 - 300_000) }));
    expect(campaignLines(b)[0]).toMatchObject({ queued: 2, oldestQueuedAt: T0 - 300_000 });
    b = applyEvent(b, live(12, 2, { state: 'assigned', agent_id: 7 }));
    expect(campaignLines(b)[0]).toMatchObject({ queued: 1, assigned: 1, oldestQueuedAt: T0 - 120_000 });
    expect(agentLines(b)[0]!.load).toBe(2);
  });

  it('drops an event older than what it holds', () => {
    const b = fromSnapshot(snapshot());
    expect(applyEvent(b, live(11, 4, { state: 'queued', agent_id: null }))).toBe(b);
  });

  it('an end adds its figures once, and only for an attention held live', () => {
    let b = fromSnapshot(snapshot());
    const ended = { wait_seconds: 20, handle_seconds: 200, first_reply_seconds: 45 };
    const end = live(11, 6, { state: 'closed', agent_id: 7, closed_by_id: 7, ended });
    b = applyEvent(b, end);
    expect(campaignLines(b)[0]).toMatchObject({ open: 0, ended: 3, avgWait: 40, serviceLevel: 2 / 3 });
    expect(agentLines(b)[0]).toMatchObject({ load: 0, endedToday: 3 });
    // The same end again, or one that ended before the snapshot: already counted.
    expect(applyEvent(b, end)).toBe(b);
    expect(applyEvent(b, live(99, 4, { state: 'closed', closed_by_id: 7, ended }))).toBe(b);
    // A reply later than the service level does not count as within it.
    b = applyEvent(b, live(10, 4, { state: 'closed', closed_by_id: 7, ended: { ...ended, first_reply_seconds: 61 } }));
    expect(campaignLines(b)[0]).toMatchObject({ ended: 4, serviceLevel: 0.5 });
  });

  it("an agent's status and pause reason follow his events", () => {
    let b = fromSnapshot(snapshot());
    b = applyEvent(b, agent({ status: 'paused', status_changed_at: iso(T0), pause_reason: 'Baño' }));
    expect(agentLines(b)[0]).toMatchObject({ status: 'paused', pauseReason: 'Baño', since: T0, capacity: 4 });
  });

  it('a membership or capacity changed elsewhere shows in his load; he leaves when deactivated or no longer an agent', () => {
    const b = fromSnapshot(snapshot());
    const fewer = agent({ capacity: 2, campaigns: [{ campaign_id: 1, capacity: 2 }], display_name: 'Ana P.' });
    expect(needsSnapshot(b, fewer)).toBe(false);
    const after = applyEvent(b, fewer);
    expect(agentLines(after)[0]).toMatchObject({ load: 1, capacity: 2, name: 'Ana P.', endedToday: 2 });
    expect(agentLines(applyEvent(b, agent({ active: false })))).toEqual([]);
    expect(agentLines(applyEvent(b, agent({ role: 'supervisor' })))).toEqual([]);
    // A user the board does not list stays out of it.
    expect(applyEvent(b, agent({ id: 8, role: 'supervisor' }))).toBe(b);
    expect(needsSnapshot(b, agent({ id: 8, role: 'supervisor' }))).toBe(false);
  });

  it('an agent who joins the board (created, reactivated, made agent) needs the snapshot: his day is in it', () => {
    const b = fromSnapshot(snapshot());
    const joined = agent({ id: 8, display_name: 'Beto' });
    expect(needsSnapshot(b, joined)).toBe(true);
    expect(applyEvent(b, joined)).toBe(b);
  });

  it('a campaign renamed or archived elsewhere applies; a new one or a new service level needs the snapshot', () => {
    const b = fromSnapshot(snapshot());
    const renamed = campaign({ name: 'Ventas Lima' });
    expect(needsSnapshot(b, renamed)).toBe(false);
    expect(campaignLines(applyEvent(b, renamed))[0]).toMatchObject({ name: 'Ventas Lima', ended: 2, queued: 1 });
    expect(needsSnapshot(b, campaign({ archived: true }))).toBe(false);
    expect(campaignLines(applyEvent(b, campaign({ archived: true })))).toEqual([]);
    expect(needsSnapshot(b, campaign({ service_level_seconds: 30 }))).toBe(true);
    expect(needsSnapshot(b, campaign({ id: 2, name: 'Cobranzas' }))).toBe(true);
    expect(needsSnapshot(b, campaign({ id: 2, archived: true }))).toBe(false);
  });

  it('events that raced the snapshot are applied on top of it, older ones dropped', () => {
    const buffer = new SnapshotBuffer();
    buffer.start();
    expect(buffer.hold(live(11, 4, { state: 'queued' }))).toBe(true);
    expect(buffer.hold(live(13, 1))).toBe(true);
    const { board, stale } = buffer.finish(fromSnapshot(snapshot()));
    expect(campaignLines(board)[0]).toMatchObject({ queued: 2, open: 1 });
    expect(stale).toBe(false);
    expect(buffer.hold(live(14, 1))).toBe(false);
  });

  it('a held event the snapshot was read too early for asks for another', () => {
    const buffer = new SnapshotBuffer();
    buffer.start();
    buffer.hold(agent({ id: 8, display_name: 'Beto' }));
    expect(buffer.finish(fromSnapshot(snapshot())).stale).toBe(true);
    // Read after it: the snapshot has him.
    const later = snapshot();
    later.agents.push({ ...later.agents[0]!, id: 8, display_name: 'Beto' });
    buffer.start();
    buffer.hold(agent({ id: 8, display_name: 'Beto' }));
    expect(buffer.finish(fromSnapshot(later)).stale).toBe(false);
  });
});

type LiveAttentionEvent = Extract<LiveEvent, { type: 'live.attention' }>;
const att = (e: LiveEvent) => (e as LiveAttentionEvent).attention;

describe('live attentions list', () => {
  const row = (id: number, version: number): SupAttention => ({
    id,
    version,
    state: 'queued',
    campaign: { id: 1, name: 'Ventas' },
    channel: { id: 1, name: 'WA' },
    customer: { id: 1, display_name: 'C', name: null, username: null, phone: null, bsuid: 'b', contact_id: null, contact_name: null },
    agent_id: null,
    queued_at: iso(T0),
    assigned_at: null,
    opened_at: null,
    closed_at: null,
    last_customer_message_at: null,
    window_ends_at: null,
    unread: 2,
    offered: false,
    segment: 1,
    reassignments: 0,
    transfer_count: 0,
    orphaned: false,
    parked: false,
    base_record: null,
    last_message: null,
    awaiting_reply_since: null,
  });
  const all = { state: '' as const, campaignId: '' as const, agentId: '' as const };

  it('updates a row held, drops it when it ends or leaves the filter', () => {
    const list = { rows: [row(1, 1), row(2, 1)], total: 2, complete: true, loadedAt: T0 };
    const taken = applyLive(list, att(live(1, 2, { state: 'assigned', agent_id: 7 })), all);
    expect(taken.rows[0]).toMatchObject({ state: 'assigned', agent_id: 7, unread: 2 });
    const onlyQueued = applyLive(list, att(live(1, 2, { state: 'assigned', agent_id: 7 })), {
      ...all,
      state: 'queued',
    });
    expect(onlyQueued).toMatchObject({ total: 1 });
    expect(onlyQueued.rows.map((r) => r.id)).toEqual([2]);
    const ended = applyLive(list, att(live(2, 3, { state: 'closed' })), all);
    expect(ended.rows.map((r) => r.id)).toEqual([1]);
    expect(applyLive(list, att(live(1, 0)), all)).toBe(list);
  });

  it('a campaign renamed elsewhere renames its rows', () => {
    const list = { rows: [row(1, 1), { ...row(2, 1), campaign: { id: 2, name: 'Soporte' } }], total: 2, complete: true, loadedAt: T0 };
    const out = renameCampaign(list, campaign({ name: 'Ventas Lima' }).campaign);
    expect(out.rows.map((r) => r.campaign.name)).toEqual(['Ventas Lima', 'Soporte']);
    expect(renameCampaign(out, campaign({ name: 'Ventas Lima' }).campaign)).toBe(out);
  });

  it("an agent's row changed elsewhere shows in the users list the rows name him from", () => {
    const users: UserRow[] = [
      { id: 7, username: 'ana', display_name: 'Ana', role: 'agent', status: 'offline', pause_reason: null, capacity: 4, active: 1, last_seen_at: null },
    ];
    const out = followUser(users, agent({ display_name: 'Ana P.', capacity: 2 }).agent);
    expect(out[0]).toMatchObject({ display_name: 'Ana P.', capacity: 2, status: 'available', active: 1 });
    expect(followUser(users, agent({ id: 9 }).agent)).toBe(users);
  });

  it('a newcomer shows at the end of a list loaded to its end, else only counts', () => {
    const full = { rows: [row(1, 1)], total: 1, complete: true, loadedAt: T0 - 1000 };
    const a = att(live(5, 1));
    expect(applyLive(full, a, all)).toMatchObject({ total: 2 });
    expect(applyLive(full, a, all).rows.map((r) => r.id)).toEqual([1, 5]);
    const partial = { ...full, complete: false };
    expect(applyLive(partial, a, all)).toMatchObject({ total: 2, rows: partial.rows });
    // One created before the list was loaded may sit in a page not loaded: already counted.
    expect(applyLive({ ...partial, loadedAt: T0 + 1000 }, a, all).total).toBe(1);
  });
});
