import { describe, expect, it } from 'vitest';
import {
  memberDrafts,
  membersPayload,
  parseCount,
  settingsDraft,
  settingsPayload,
  validateMembers,
  validateSettings,
} from '../campaignModel';
import type { Campaign, UserRow } from '../types';

const campaign: Campaign = {
  id: 1,
  name: 'Ventas',
  routing_mode: 'round_robin',
  reassign_after_seconds: 60,
  max_reassignments: 3,
  orphan_after_seconds: 120,
  overflow_after_seconds: 0,
  overflow_mode: 'none',
  default_region: 'PE',
  archived: false,
  entry_channels: [],
    service_level_seconds: 60,
    service_level_target: 80,
  queued: 2,
  members: [{ user_id: 2, display_name: 'Beto', capacity: 4, active: 0 }],
};

const user = (id: number, name: string, role: UserRow['role'] = 'agent'): UserRow => ({
  id,
  username: name.toLowerCase(),
  display_name: name,
  role,
  status: 'available',
  pause_reason: null,
  capacity: 5,
  active: 1,
  last_seen_at: null,
});

describe('campaign settings', () => {
  it('round-trips the settings', () => {
    expect(settingsPayload(settingsDraft(campaign))).toEqual({
      routing_mode: 'round_robin',
      reassign_after_seconds: 60,
      max_reassignments: 3,
      orphan_after_seconds: 120,
      overflow_after_seconds: 0,
      overflow_mode: 'none',
      service_level_seconds: 60,
      service_level_target: 80,
    });
  });

  it('the service level is 1 s to a day, for 1 to 100 %', () => {
    const base = settingsDraft(campaign);
    expect(validateSettings({ ...base, service_level_seconds: '0', service_level_target: '101' })).toEqual({
      service_level_seconds: 'campaign.err.slSeconds',
      service_level_target: 'campaign.err.slTarget',
    });
    expect(validateSettings({ ...base, service_level_seconds: '86400', service_level_target: '100' })).toEqual({});
  });

  it('numbers must be whole and ≥ 0', () => {
    expect(parseCount(' 0 ')).toBe(0);
    expect(parseCount('15')).toBe(15);
    for (const bad of ['', '-1', '1.5', 'abc', '1e3']) expect(parseCount(bad), bad).toBeNull();
    const d = { ...settingsDraft(campaign), max_reassignments: '-1', overflow_after_seconds: '' };
    expect(validateSettings(d)).toEqual({
      max_reassignments: 'campaign.err.count',
      overflow_after_seconds: 'campaign.err.count',
    });
    expect(() => settingsPayload(d)).toThrow();
  });
});

describe('campaign members', () => {
  const users = [user(3, 'Carla'), user(2, 'Beto'), user(1, 'Ana'), user(9, 'Sup', 'supervisor')];

  it('members first, then the other agents by name; supervisors left out', () => {
    const rows = memberDrafts(campaign, users);
    expect(rows.map((r) => [r.user_id, r.member, r.capacity])).toEqual([
      [2, true, '4'],
      [1, false, '5'],
      [3, false, '5'],
    ]);
  });

  it('payload: only members, capacity as a number', () => {
    const rows = memberDrafts(campaign, users);
    rows[1]!.member = true;
    rows[1]!.capacity = '2';
    expect(membersPayload(rows)).toEqual([
      { user_id: 2, capacity: 4 },
      { user_id: 1, capacity: 2 },
    ]);
  });

  it('capacity 1…100 for members only', () => {
    const rows = memberDrafts(campaign, users);
    rows[0]!.capacity = '0';
    rows[2]!.capacity = 'x'; // not a member: ignored
    expect(validateMembers(rows)).toEqual({ 2: 'members.err.capacity' });
    expect(() => membersPayload(rows)).toThrow();
  });
});
