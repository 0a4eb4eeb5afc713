import { describe, expect, it } from 'vitest';
import {
  type TransfersFilters,
  attentionsPath,
  isIsoDate,
  localIsoDate,
  transfersReportPath,
  validateTransfersFilters,
} from '../requests';

const none: TransfersFilters = { dateFrom: '', dateTo: '', campaignId: '', agentId: '', page: 1 };

function params(path: string): Record<string, string> {
  const u = new URL(path, 'http://x');
  return Object.fromEntries(u.searchParams.entries());
}

describe('transfers report request', () => {
  it('no filter: only the page', () => {
    expect(transfersReportPath(none)).toBe('/api/reports/transfers?page=1');
  });

  it('every filter with the contract names', () => {
    const p = transfersReportPath({ dateFrom: '2026-11-01', dateTo: '2026-11-25', campaignId: 3, agentId: 7, page: 2 });
    expect(p.startsWith('/api/reports/transfers?')).toBe(true);
    expect(params(p)).toEqual({
      date_from: '2026-11-01',
      date_to: '2026-11-25',
      campaign_id: '3',
      agent_id: '7',
      page: '2',
    });
  });

  it('leaves out empty filters and trims dates', () => {
    expect(params(transfersReportPath({ ...none, dateFrom: ' 2026-11-01 ', agentId: 4 }))).toEqual({
      date_from: '2026-11-01',
      agent_id: '4',
      page: '1',
    });
    expect(params(transfersReportPath({ ...none, campaignId: null, agentId: undefined }))).toEqual({ page: '1' });
  });

  it('a nonsense page becomes 1; a nonsense id is left out', () => {
    expect(params(transfersReportPath({ ...none, page: 0 })).page).toBe('1');
    expect(params(transfersReportPath({ ...none, page: 2.5 })).page).toBe('1');
    expect(params(transfersReportPath({ ...none, campaignId: Number.NaN, agentId: -1 }))).toEqual({ page: '1' });
  });

  it('the same day as from and to is allowed', () => {
    expect(validateTransfersFilters({ ...none, dateFrom: '2026-11-25', dateTo: '2026-11-25' })).toBeNull();
  });

  it('refuses dates in the wrong order or malformed, and does not build the request', () => {
    expect(validateTransfersFilters({ ...none, dateFrom: '2026-11-26', dateTo: '2026-11-25' })).toBe('dateOrder');
    expect(validateTransfersFilters({ ...none, dateFrom: '25/11/2026' })).toBe('badDateFrom');
    expect(validateTransfersFilters({ ...none, dateTo: '2026-02-30' })).toBe('badDateTo');
    expect(() => transfersReportPath({ ...none, dateFrom: '2026-12-01', dateTo: '2026-11-01' })).toThrow('dateOrder');
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
