// Campaign settings and members as edited in the Campañas view: parsing the inputs,
// local validation and the request bodies. Pure functions, unit-tested.

import type { MessageKey } from '../lib/i18n';
import {
  type Campaign,
  type CampaignSettings,
  type MemberInput,
  OVERFLOW_MODES,
  type OverflowMode,
  ROUTING_MODES,
  type RoutingMode,
  type UserRow,
} from './types';

export const NUMERIC_SETTINGS = [
  'reassign_after_seconds',
  'max_reassignments',
  'orphan_after_seconds',
  'overflow_after_seconds',
  'service_level_seconds',
  'service_level_target',
] as const;
export type NumericSetting = (typeof NUMERIC_SETTINGS)[number];

/** The settings form: numbers kept as typed text until saved. */
export interface SettingsDraft {
  routing_mode: RoutingMode;
  overflow_mode: OverflowMode;
  reassign_after_seconds: string;
  max_reassignments: string;
  orphan_after_seconds: string;
  overflow_after_seconds: string;
  service_level_seconds: string;
  service_level_target: string;
}

export function settingsDraft(c: Campaign): SettingsDraft {
  return {
    routing_mode: ROUTING_MODES.includes(c.routing_mode) ? c.routing_mode : 'least_busy',
    overflow_mode: OVERFLOW_MODES.includes(c.overflow_mode) ? c.overflow_mode : 'none',
    reassign_after_seconds: String(c.reassign_after_seconds ?? 0),
    max_reassignments: String(c.max_reassignments ?? 0),
    orphan_after_seconds: String(c.orphan_after_seconds ?? 0),
    overflow_after_seconds: String(c.overflow_after_seconds ?? 0),
    service_level_seconds: String(c.service_level_seconds ?? 60),
    service_level_target: String(c.service_level_target ?? 80),
  };
}

/** A whole number ≥ 0 written in a box, or null. */
export function parseCount(s: string): number | null {
  const t = s.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

export type SettingsErrors = Partial<Record<NumericSetting, MessageKey>>;

export function validateSettings(d: SettingsDraft): SettingsErrors {
  const e: SettingsErrors = {};
  for (const k of NUMERIC_SETTINGS) if (parseCount(d[k]) === null) e[k] = 'campaign.err.count';
  // The server's bounds (actions/campaigns.py): 1 s to a day, 1 to 100 %.
  const sl = parseCount(d.service_level_seconds);
  if (sl === null || sl < 1 || sl > 86_400) e.service_level_seconds = 'campaign.err.slSeconds';
  const target = parseCount(d.service_level_target);
  if (target === null || target < 1 || target > 100) e.service_level_target = 'campaign.err.slTarget';
  return e;
}

/** The body of `PATCH /api/campaigns/{id}`: every setting (throws on invalid input). */
export function settingsPayload(d: SettingsDraft): CampaignSettings {
  const n = (k: NumericSetting) => {
    const v = parseCount(d[k]);
    if (v === null) throw new Error(`invalid ${k}`);
    return v;
  };
  return {
    routing_mode: d.routing_mode,
    reassign_after_seconds: n('reassign_after_seconds'),
    max_reassignments: n('max_reassignments'),
    orphan_after_seconds: n('orphan_after_seconds'),
    overflow_after_seconds: n('overflow_after_seconds'),
    overflow_mode: d.overflow_mode,
    service_level_seconds: n('service_level_seconds'),
    service_level_target: n('service_level_target'),
  };
}

/** One line of the members editor: every user that can be a member. */
export interface MemberDraft {
  user_id: number;
  display_name: string;
  member: boolean;
  capacity: string;
}

export const DEFAULT_CAPACITY = 3;

/** Rows for the members editor: the campaign's members first, then the other agents. */
export function memberDrafts(c: Campaign, users: readonly UserRow[]): MemberDraft[] {
  const rows: MemberDraft[] = (c.members ?? []).map((m) => ({
    user_id: m.user_id,
    display_name: users.find((u) => u.id === m.user_id)?.display_name ?? m.display_name,
    member: true,
    capacity: String(m.capacity ?? DEFAULT_CAPACITY),
  }));
  const others = users
    .filter((u) => u.role === 'agent' && !rows.some((r) => r.user_id === u.id))
    .map((u) => ({
      user_id: u.id,
      display_name: u.display_name,
      member: false,
      capacity: String(u.capacity ?? DEFAULT_CAPACITY),
    }));
  others.sort((a, b) => a.display_name.localeCompare(b.display_name));
  return [...rows, ...others];
}

export const MAX_CAPACITY = 100;

/** Errors by user id: capacity of a member must be a whole number 1…100. */
export function validateMembers(rows: readonly MemberDraft[]): Record<number, MessageKey> {
  const e: Record<number, MessageKey> = {};
  for (const r of rows) {
    if (!r.member) continue;
    const n = parseCount(r.capacity);
    if (n === null || n < 1 || n > MAX_CAPACITY) e[r.user_id] = 'members.err.capacity';
  }
  return e;
}

/** The body of `PUT /api/campaigns/{id}/members` (throws on invalid input). */
export function membersPayload(rows: readonly MemberDraft[]): MemberInput[] {
  if (Object.keys(validateMembers(rows)).length) throw new Error('invalid members');
  return rows.filter((r) => r.member).map((r) => ({ user_id: r.user_id, capacity: parseCount(r.capacity)! }));
}
