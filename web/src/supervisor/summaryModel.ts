// The summary reports' pure parts: the query of a range of the supervisor's days, durations
// as h:mm:ss, billable counts per category, a timeline day as proportional segments.

import type { components } from '../lib/api-types';

export type SummaryPage = components['schemas']['SummaryPage'];
export type SummaryRow = components['schemas']['SummaryRowOut'];
export type AgentStatesPage = components['schemas']['AgentStatesPage'];
export type AgentDay = components['schemas']['AgentDayOut'];
export type AgentTimeline = components['schemas']['AgentTimelineOut'];
export type TimelineSpan = components['schemas']['SpanOut'];
export type MessagePrices = components['schemas']['MessagePricesOut'];

/** `YYYY-MM-DD` of a local date, `days` later. */
export function localDay(now: Date, days = 0): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Days between two `YYYY-MM-DD`, both counted. */
export function daysInRange(from: string, to: string): number {
  const a = Date.UTC(+from.slice(0, 4), +from.slice(5, 7) - 1, +from.slice(8, 10));
  const b = Date.UTC(+to.slice(0, 4), +to.slice(5, 7) - 1, +to.slice(8, 10));
  return Math.round((b - a) / 86_400_000) + 1;
}

/** A duration in seconds as `h:mm:ss` (`–` for none). */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '–';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** `[category, count]` of a row's billable messages, in the report's category order. */
export function billableList(row: SummaryRow, categories: readonly string[]): [string, number][] {
  return categories.filter((c) => (row.billable[c] ?? 0) > 0).map((c) => [c, row.billable[c] ?? 0]);
}

/** A cost with its currency, or '–' when no price is set. */
export function formatCost(cost: string | number | null | undefined, currency: string | null | undefined): string {
  if (cost === null || cost === undefined || !currency) return '–';
  return `${cost} ${currency}`;
}

export interface Segment {
  status: string;
  reason: string | null;
  /** Left edge and width, in percent of the day. */
  left: number;
  width: number;
  seconds: number;
  ongoing: boolean;
  start: string;
  end: string;
}

/** A day's spans as segments of a bar from its first local midnight to the next. */
export function daySegments(day: string, spans: readonly TimelineSpan[], tz: string): Segment[] {
  const dayStart = zonedMidnight(day, tz);
  const dayEnd = zonedMidnight(nextDay(day), tz);
  const length = dayEnd - dayStart;
  return spans.map((s) => {
    const start = Date.parse(s.start);
    const end = Date.parse(s.end);
    return {
      status: s.status,
      reason: s.reason ?? null,
      left: ((start - dayStart) / length) * 100,
      width: ((end - start) / length) * 100,
      seconds: s.seconds,
      ongoing: s.ongoing,
      start: s.start,
      end: s.end,
    };
  });
}

function nextDay(day: string): string {
  const d = new Date(Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10) + 1));
  return d.toISOString().slice(0, 10);
}

/** The instant (ms) of 00:00 of `day` in `tz`: found by correcting a UTC guess by the
 * zone's offset at that moment, twice (the offset may differ across the guess). */
export function zonedMidnight(day: string, tz: string): number {
  const guess = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10));
  let t = guess - offsetAt(guess, tz);
  t = guess - offsetAt(t, tz);
  return t;
}

function offsetAt(t: number, tz: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(t / 1000) * 1000;
}

/** Prices as the form edits them: one text per category. */
export function priceDraft(p: MessagePrices, categories: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of categories) {
    const found = p.prices.find((x) => x.category === c);
    out[c] = found ? String(found.price) : '';
  }
  return out;
}

const PRICE = /^\d{1,6}(\.\d{1,6})?$/;

/** The body of `PUT /api/reports/message-prices`, or the problem with the draft. */
export function pricesBody(
  currency: string,
  draft: Record<string, string>,
): { ok: true; body: { currency: string; prices: { category: string; price: string }[] } } | { ok: false; error: 'currency' | 'price' } {
  const cur = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(cur)) return { ok: false, error: 'currency' };
  const prices: { category: string; price: string }[] = [];
  for (const [category, raw] of Object.entries(draft)) {
    const v = raw.trim().replace(',', '.');
    if (v === '') continue;
    if (!PRICE.test(v)) return { ok: false, error: 'price' };
    prices.push({ category, price: v });
  }
  return { ok: true, body: { currency: cur, prices } };
}
