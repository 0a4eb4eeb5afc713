import { describe, expect, it } from 'vitest';
import { auditQuery, changeLines, membershipDrafts, membershipsPayload, validateNewUser } from '../adminModel';
import type { AdminUser, AuditEntry, Campaign } from '../types';

describe('a new user checked as the server will', () => {
  const ok = { username: 'lucia.r', display_name: 'Lucía', role: 'agent' as const, password: '12345678' };
  it('a good draft has no error', () => {
    expect(validateNewUser(ok)).toEqual({});
  });
  it('each bad field by name', () => {
    expect(validateNewUser({ ...ok, username: 'Lucía R', display_name: '  ', password: '1234567' })).toEqual({
      username: 'usernameFormat',
      display_name: 'required',
      password: 'passwordShort',
    });
    expect(validateNewUser({ ...ok, username: 'ab' }).username).toBe('usernameFormat');
  });
});

describe('memberships', () => {
  const campaigns = [
    { id: 1, name: 'Ventas', archived: false },
    { id: 2, name: 'Soporte', archived: false },
  ] as Campaign[];
  const user = { id: 9, memberships: [{ campaign_id: 2, campaign_name: 'Soporte', capacity: 5 }] } as unknown as AdminUser;

  it('one row per campaign, ticked where he is a member, with his capacity', () => {
    expect(membershipDrafts(campaigns, user)).toEqual([
      { campaignId: 1, name: 'Ventas', member: false, capacity: 3, archived: false },
      { campaignId: 2, name: 'Soporte', member: true, capacity: 5, archived: false },
    ]);
  });

  it('archived campaigns are left out, unless he is still a member: then shown as archived', () => {
    const withArchived = [
      ...campaigns,
      { id: 3, name: 'Verano', archived: true },
      { id: 4, name: 'Navidad', archived: true },
    ] as Campaign[];
    const member = { id: 9, memberships: [{ campaign_id: 4, campaign_name: 'Navidad', capacity: 2 }] } as unknown as AdminUser;
    expect(membershipDrafts(withArchived, member).map((r) => [r.name, r.member, r.archived])).toEqual([
      ['Ventas', false, false],
      ['Soporte', false, false],
      ['Navidad', true, true],
    ]);
    expect(membershipDrafts(withArchived, null).map((r) => r.name)).toEqual(['Ventas', 'Soporte']);
  });

  it('only ticked rows are sent, capacity kept within 0..100', () => {
    const rows = membershipDrafts(campaigns, user);
    rows[0]!.member = true;
    rows[0]!.capacity = 250;
    expect(membershipsPayload(rows)).toEqual([
      { campaign_id: 1, capacity: 100 },
      { campaign_id: 2, capacity: 5 },
    ]);
  });
});

describe('audit log query', () => {
  it('no filter: only the paging', () => {
    expect(auditQuery({ actorId: '', entity: '', dateFrom: '', dateTo: '' }, null)).toEqual({
      actor_id: null,
      entity: null,
      since: null,
      until: null,
      before: null,
      limit: 50,
    });
  });

  it('days are the reader’s own: from its midnight to the midnight after the last day', () => {
    const q = auditQuery({ actorId: 4, entity: 'user', dateFrom: '2026-11-30', dateTo: '2026-11-30' }, 77);
    expect(q.actor_id).toBe(4);
    expect(q.entity).toBe('user');
    expect(q.before).toBe(77);
    expect(q.since).toBe(new Date(2026, 10, 30).toISOString());
    expect(q.until).toBe(new Date(2026, 11, 1).toISOString());
  });

  it('a date that is not one is left out', () => {
    expect(auditQuery({ actorId: '', entity: '', dateFrom: '2026-02-30', dateTo: '' }, null).since).toBeNull();
  });

  it('changes as lines in field order, empty for none', () => {
    const e = { changes: { role: ['agent', 'supervisor'], password: [null, '••••••'] } } as unknown as AuditEntry;
    expect(changeLines(e)).toEqual([
      ['password', '', '••••••'],
      ['role', 'agent', 'supervisor'],
    ]);
  });
});
