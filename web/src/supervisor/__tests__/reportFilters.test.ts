import { describe, expect, it } from 'vitest';
import { emptyReportFilters, reportParams, validateReportFilters } from '../requests';

describe('shared report filters', () => {
  it('sends only what is set, the browser zone and the page', () => {
    const f = { ...emptyReportFilters(), dateFrom: '2026-11-01', campaignId: 3 as const, customer: '  ana ', condition: 'parked' as const };
    const p = reportParams(f, 'abc', 100);
    expect(p).toMatchObject({
      date_from: '2026-11-01',
      date_to: null,
      campaign_id: 3,
      agent_id: null,
      state: null,
      condition: 'parked',
      customer: 'ana',
      words: null,
      cursor: 'abc',
      limit: 100,
    });
    expect(p.tz).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });

  it('refuses dates in the wrong order and too many words', () => {
    expect(validateReportFilters({ ...emptyReportFilters(), dateFrom: '2026-11-02', dateTo: '2026-11-01' })).toBe('dateOrder');
    expect(validateReportFilters({ ...emptyReportFilters(), words: 'a b c d e f g h i' })).toBe('tooManyWords');
    expect(validateReportFilters({ ...emptyReportFilters(), words: 'a b c d e f g h' })).toBeNull();
    // Counted as the server counts them: letters and digits, punctuation splits.
    expect(validateReportFilters({ ...emptyReportFilters(), words: 'a-b-c-d-e-f-g-h-i' })).toBe('tooManyWords');
    expect(validateReportFilters({ ...emptyReportFilters(), words: '"a b c d e f g h" ¿?' })).toBeNull();
    expect(() => reportParams({ ...emptyReportFilters(), dateTo: '2026-02-30' })).toThrow('badDateTo');
  });
});
