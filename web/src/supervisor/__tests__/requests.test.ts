import { describe, expect, it } from 'vitest';
import { attentionsPath, isIsoDate, localIsoDate, validateDates } from '../requests';

function params(path: string): Record<string, string> {
  const u = new URL(path, 'http://x');
  return Object.fromEntries(u.searchParams.entries());
}

describe('report days', () => {
  it('the same day as from and to is allowed, and either may be empty', () => {
    expect(validateDates('2026-11-25', '2026-11-25')).toBeNull();
    expect(validateDates(' 2026-11-01 ', '')).toBeNull();
    expect(validateDates('', '')).toBeNull();
  });

  it('refuses dates in the wrong order or malformed', () => {
    expect(validateDates('2026-11-26', '2026-11-25')).toBe('dateOrder');
    expect(validateDates('25/11/2026', '')).toBe('badDateFrom');
    expect(validateDates('', '2026-02-30')).toBe('badDateTo');
  });

  it('isIsoDate checks the calendar', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('localIsoDate is the local calendar day', () => {
    expect(localIsoDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('live attentions request', () => {
  it('no filter', () => {
    expect(attentionsPath({ state: '', campaignId: '', agentId: '' })).toBe('/api/supervisor/attentions');
  });

  it('state, campaign and agent', () => {
    expect(params(attentionsPath({ state: 'queued', campaignId: 2, agentId: 9 }))).toEqual({
      state: 'queued',
      campaign_id: '2',
      agent_id: '9',
    });
  });

  it('never asks for closed ones', () => {
    expect(attentionsPath({ state: 'closed', campaignId: '', agentId: '' })).toBe('/api/supervisor/attentions');
  });

  it('a next page starts after the last row held, with its size', () => {
    const after = { queued_at: '2026-12-01T10:00:00Z', id: 42 };
    expect(params(attentionsPath({ state: '', campaignId: 2, agentId: '' }, after, 100))).toEqual({
      campaign_id: '2',
      limit: '100',
      after_queued_at: '2026-12-01T10:00:00Z',
      after_id: '42',
    });
  });
});
