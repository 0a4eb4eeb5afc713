import { describe, expect, it } from 'vitest';
import { billableList, daySegments, daysInRange, formatCost, formatSeconds, pricesBody, zonedMidnight } from '../summaryModel';
import type { SummaryRow } from '../summaryModel';

describe('summary reports model', () => {
  it('writes durations as h:mm:ss', () => {
    expect(formatSeconds(0)).toBe('0:00:00');
    expect(formatSeconds(825)).toBe('0:13:45');
    expect(formatSeconds(90061.4)).toBe('25:01:01');
    expect(formatSeconds(null)).toBe('–');
  });

  it('counts the days of a range, both ends', () => {
    expect(daysInRange('2026-11-10', '2026-11-11')).toBe(2);
    expect(daysInRange('2026-11-01', '2026-12-01')).toBe(31);
  });

  it('finds local midnight in the zone, whatever its offset', () => {
    expect(new Date(zonedMidnight('2026-11-11', 'America/Lima')).toISOString()).toBe('2026-11-11T05:00:00.000Z');
    expect(new Date(zonedMidnight('2026-03-29', 'Europe/Madrid')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('draws a day as proportional segments', () => {
    const segs = daySegments(
      '2026-11-10',
      [
        { status: 'available', reason: null, automatic: false, start: '2026-11-10T17:00:00Z', end: '2026-11-11T05:00:00Z', seconds: 43200, ongoing: false },
      ],
      'America/Lima',
    );
    expect(segs[0]!.left).toBeCloseTo(50);
    expect(segs[0]!.width).toBeCloseTo(50);
  });

  it('lists billable counts in the report order and the cost with its currency', () => {
    const row = { billable: { utility: 2, marketing: 1 } } as unknown as SummaryRow;
    expect(billableList(row, ['marketing', 'utility', 'service'])).toEqual([
      ['marketing', 1],
      ['utility', 2],
    ]);
    expect(formatCost('0.0456', 'USD')).toBe('0.0456 USD');
    expect(formatCost('0', null)).toBe('–');
  });

  it('builds the prices body or names the problem', () => {
    expect(pricesBody('usd', { marketing: '0,05', utility: '' })).toEqual({
      ok: true,
      body: { currency: 'USD', prices: [{ category: 'marketing', price: '0.05' }] },
    });
    expect(pricesBody('US', {})).toEqual({ ok: false, error: 'currency' });
    expect(pricesBody('USD', { marketing: '-1' })).toEqual({ ok: false, error: 'price' });
  });
});
