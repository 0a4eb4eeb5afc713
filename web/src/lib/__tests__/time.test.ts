import { describe, expect, it } from 'vitest';
import {
  dayLabel,
  formatClock,
  formatCountdown,
  formatDateTime,
  formatElapsed,
  formatShortDateTime,
  parseTime,
  windowRemaining,
  writtenAt,
} from '../time';

describe('countdown', () => {
  it('formats hours, minutes and seconds', () => {
    expect(formatCountdown(24 * 3600_000)).toBe('24:00:00');
    expect(formatCountdown(23 * 3600_000 + 59 * 60_000 + 59_000)).toBe('23:59:59');
    expect(formatCountdown(3_723_000)).toBe('01:02:03');
    expect(formatCountdown(59_000)).toBe('00:00:59');
  });

  it('rounds down partial seconds', () => {
    expect(formatCountdown(1_999)).toBe('00:00:01');
    expect(formatCountdown(999)).toBe('00:00:00');
  });

  it('never goes negative', () => {
    expect(formatCountdown(0)).toBe('00:00:00');
    expect(formatCountdown(-5_000)).toBe('00:00:00');
  });

  it('computes the remaining window', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(windowRemaining('2026-11-26T09:00:00Z', now)).toBe(23 * 3600_000);
    expect(windowRemaining('2026-11-25T09:00:00Z', now)).toBe(-3600_000);
    expect(windowRemaining(null, now)).toBeNull();
    expect(formatCountdown(windowRemaining('2026-11-26T09:59:30Z', now)!)).toBe('23:59:30');
  });
});

describe('time helpers', () => {
  it('parses API times; a time without zone is UTC', () => {
    expect(parseTime('2026-11-25T10:00:00Z')).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseTime('2026-11-25T10:00:00')).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseTime('2026-11-25T10:00:00.123456+00:00')).toBe(Date.UTC(2026, 10, 25, 10, 0, 0, 123));
    expect(parseTime('2026-11-25T05:00:00-05:00')).toBe(Date.UTC(2026, 10, 25, 10));
    expect(parseTime(null)).toBeNull();
    expect(parseTime('nonsense')).toBeNull();
  });

  it('formats a time waiting', () => {
    expect(formatElapsed(42_000)).toBe('0:42');
    expect(formatElapsed(12 * 60_000 + 5_000)).toBe('12:05');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
    expect(formatElapsed(-1)).toBe('0:00');
  });
});

describe('day labels', () => {
  it('says today and yesterday, else the date', () => {
    const now = new Date(2026, 10, 25, 15, 0, 0).getTime();
    const at = (d: number, h: number) => new Date(2026, 10, d, h, 0, 0).toISOString();
    expect(dayLabel(at(25, 9), 'es', now, 'Hoy', 'Ayer')).toBe('Hoy');
    expect(dayLabel(at(24, 23), 'es', now, 'Hoy', 'Ayer')).toBe('Ayer');
    expect(dayLabel(at(20, 12), 'es', now, 'Hoy', 'Ayer')).toMatch(/^[A-ZÁÉÍÓÚ]/);
    expect(dayLabel(at(20, 12), 'es', now, 'Hoy', 'Ayer')).toContain('20');
  });
});

describe('writtenAt', () => {
  it("an inbound message by WhatsApp's timestamp, an outbound one by when the agent wrote it", () => {
    const created_at = '2026-11-25T14:00:00Z';
    const sent_at = '2026-11-24T13:00:00Z';
    expect(writtenAt({ direction: 'in', created_at, sent_at })).toBe(sent_at);
    expect(writtenAt({ direction: 'in', created_at, sent_at: null })).toBe(created_at);
    expect(writtenAt({ direction: 'in', created_at })).toBe(created_at);
    expect(writtenAt({ direction: 'out', created_at, sent_at })).toBe(created_at);
  });
});

describe('clock times and dates', () => {
  const iso = '2026-11-25T14:05:09Z';
  const ms = Date.UTC(2026, 10, 25, 14, 5, 9);
  const fmt = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('es', o).format(ms);

  it('writes a clock time, with seconds when asked, from an API time or a client moment', () => {
    expect(formatClock(iso, 'es')).toBe(fmt({ hour: '2-digit', minute: '2-digit' }));
    expect(formatClock(iso, 'es', { seconds: true })).toBe(fmt({ hour: '2-digit', minute: '2-digit', second: '2-digit' }));
    expect(formatClock(ms, 'es', { seconds: true })).toBe(formatClock(iso, 'es', { seconds: true }));
    expect(formatClock(null, 'es')).toBe('');
    expect(formatClock(Number.NaN, 'es')).toBe('');
  });

  it('writes a full date: the month by name for tooltips, digits for tables, seconds unless dropped', () => {
    expect(formatDateTime(iso, 'es')).toBe(fmt({ dateStyle: 'medium', timeStyle: 'medium' }));
    expect(formatDateTime(iso, 'es', { date: 'short' })).toBe(fmt({ dateStyle: 'short', timeStyle: 'medium' }));
    expect(formatDateTime(iso, 'es', { date: 'short', seconds: false })).toBe(fmt({ dateStyle: 'short', timeStyle: 'short' }));
    expect(formatDateTime(undefined, 'es')).toBe('');
  });

  it('writes a list date as the clock time today, else with day and month', () => {
    expect(formatShortDateTime(iso, 'es', ms + 1000)).toBe(formatClock(iso, 'es'));
    const later = ms + 3 * 24 * 3600_000;
    expect(formatShortDateTime(iso, 'es', later)).toBe(
      fmt({ day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }),
    );
    expect(formatShortDateTime(null, 'es', ms)).toBe('');
  });
});
