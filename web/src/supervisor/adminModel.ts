// Users (admin) and the audit log, as pure functions the views use and vitest checks: a user
// draft checked as the server will, memberships as the server takes them, and the audit log's
// query with the reader's own days. Which views a role sees is consoleNav's.

import { isIsoDate } from './requests';
import type { AdminUser, AuditEntry, AuditQuery, Campaign, MembershipInput, Role } from './types';

export type UserField = 'username' | 'display_name' | 'password';
/** A client check's text key (`users.err.*`) per field; the server checks again. */
export type UserDraftErrors = Partial<Record<UserField, 'usernameFormat' | 'required' | 'passwordShort'>>;

export const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{2,39}$/;
export const PASSWORD_MIN = 8;

export interface UserDraft {
  username: string;
  display_name: string;
  role: Role;
  password: string;
}

export function validateNewUser(d: UserDraft): UserDraftErrors {
  const out: UserDraftErrors = {};
  if (!USERNAME_RE.test(d.username.trim())) out.username = 'usernameFormat';
  if (!d.display_name.trim()) out.display_name = 'required';
  if (d.password.length < PASSWORD_MIN) out.password = 'passwordShort';
  return out;
}

/** One row per campaign for a user's memberships editor. */
export interface MembershipDraft {
  campaignId: number;
  name: string;
  member: boolean;
  capacity: number;
  /** Shown only because the user is still a member: so the admin can take him out. */
  archived: boolean;
}

/** Archived campaigns take no one new: they are left out unless the user is still a member. */
export function membershipDrafts(campaigns: Campaign[], user: AdminUser | null, defaultCapacity = 3): MembershipDraft[] {
  return campaigns.flatMap((c) => {
    const m = user?.memberships.find((x) => x.campaign_id === c.id);
    if (c.archived && !m) return [];
    return [{ campaignId: c.id, name: c.name, member: !!m, capacity: m?.capacity ?? defaultCapacity, archived: c.archived }];
  });
}

export function membershipsPayload(rows: MembershipDraft[]): MembershipInput[] {
  return rows
    .filter((r) => r.member)
    .map((r) => ({ campaign_id: r.campaignId, capacity: Math.max(0, Math.min(100, Math.trunc(r.capacity) || 0)) }));
}

export interface AuditFilters {
  actorId: number | '';
  entity: '' | 'user' | 'campaign' | 'attention' | 'pause_reason' | 'message_prices' | 'channel';
  /** `YYYY-MM-DD`, the reader's local days, both included. */
  dateFrom: string;
  dateTo: string;
}

/** The local midnight starting `day` (`YYYY-MM-DD`), as an ISO instant with its offset. */
function localMidnight(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).toISOString();
}

/** The query of `GET /api/audit-log`: dates become the bounds of the reader's days. */
export function auditQuery(f: AuditFilters, before: number | null, limit = 50): AuditQuery {
  const from = f.dateFrom.trim();
  const to = f.dateTo.trim();
  return {
    actor_id: f.actorId === '' ? null : f.actorId,
    entity: f.entity || null,
    since: from && isIsoDate(from) ? localMidnight(from) : null,
    until: to && isIsoDate(to) ? localMidnight(to, 1) : null,
    before,
    limit,
  };
}

/** `[field, before, after]` of an entry, in a stable order, values as text ('' for none). */
export function changeLines(e: AuditEntry): [string, string, string][] {
  const show = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  return Object.keys(e.changes)
    .sort()
    .map((k) => {
      const pair = e.changes[k] ?? [];
      return [k, show(pair[0]), show(pair[1])];
    });
}
