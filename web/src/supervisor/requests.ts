// Building the query strings of the supervisor's list and report calls. Pure functions,
// unit-tested: empty filters are left out, numbers are checked, dates are YYYY-MM-DD.

import { type Query, fillPath } from '../lib/contract';
import type { AttentionState } from '../lib/types';

/** A filter select's value: '' means "all". */
export type IdFilter = number | '' | null | undefined;

function idParam(v: IdFilter): number | null {
  if (v === '' || v === null || v === undefined) return null;
  return Number.isInteger(v) && v > 0 ? v : null;
}

export const ATTENTIONS = '/api/supervisor/attentions';
export type AttentionsQuery = Query<typeof ATTENTIONS, 'GET'>;

export interface AttentionFilters {
  state: AttentionState | '';
  campaignId: IdFilter;
  agentId: IdFilter;
}

/** Where a page of the live list starts: after this row (its queued time and id). */
export interface LiveCursor {
  queued_at: string;
  id: number;
}

/** The query of `GET /api/supervisor/attentions` (the live list has no closed ones). */
export function attentionsQuery(f: AttentionFilters, after?: LiveCursor | null, limit?: number): AttentionsQuery {
  return {
    state: f.state && f.state !== 'closed' ? f.state : null,
    campaign_id: idParam(f.campaignId),
    agent_id: idParam(f.agentId),
    limit,
    after_queued_at: after ? after.queued_at : null,
    after_id: after ? after.id : null,
  };
}

/** `GET /api/supervisor/attentions` with its filters. */
export function attentionsPath(f: AttentionFilters, after?: LiveCursor | null, limit?: number): string {
  return fillPath(ATTENTIONS, undefined, attentionsQuery(f, after, limit));
}

export type DateFilterError = 'badDateFrom' | 'badDateTo' | 'dateOrder';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** What is wrong with a range of days typed `YYYY-MM-DD` (either may be ''), or null. */
export function validateDates(dateFrom: string, dateTo: string): DateFilterError | null {
  const from = dateFrom.trim();
  const to = dateTo.trim();
  if (from && !isIsoDate(from)) return 'badDateFrom';
  if (to && !isIsoDate(to)) return 'badDateTo';
  // ISO dates compare as strings.
  if (from && to && from > to) return 'dateOrder';
  return null;
}

/** A local calendar day as `YYYY-MM-DD` (what `<input type="date">` holds). */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// --- the filters every report shares (server: atiende/schemas/reports.py ReportFilters) ---

export type ReportCondition = 'reassigned' | 'orphaned' | 'parked' | 'transferred';
export const REPORT_CONDITIONS: readonly ReportCondition[] = ['reassigned', 'orphaned', 'parked', 'transferred'];
export const REPORT_STATES: readonly AttentionState[] = ['queued', 'assigned', 'open', 'closed'];
/** The server's limit on the words searched (atiende/domain/search.py MAX_WORDS). */
export const MAX_REPORT_WORDS = 8;

/** Words as the server's full-text search counts them: runs of letters and digits
 * ("e-mail" is two, "¿?" none), so the check here refuses what the server would. */
export function searchWords(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface ReportFilterState {
  /** `YYYY-MM-DD` from an `<input type="date">`, or ''. */
  dateFrom: string;
  dateTo: string;
  campaignId: IdFilter;
  agentId: IdFilter;
  state: AttentionState | '';
  condition: ReportCondition | '';
  customer: string;
  words: string;
}

export type ReportFilterError = DateFilterError | 'tooManyWords';

export function emptyReportFilters(): ReportFilterState {
  return { dateFrom: '', dateTo: '', campaignId: '', agentId: '', state: '', condition: '', customer: '', words: '' };
}

export function validateReportFilters(f: ReportFilterState): ReportFilterError | null {
  const dates = validateDates(f.dateFrom, f.dateTo);
  if (dates) return dates;
  if (searchWords(f.words).length > MAX_REPORT_WORDS) return 'tooManyWords';
  return null;
}

/** The browser's IANA zone: the server counts the days in it. */
export function browserTimeZone(): string | null {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || null;
  } catch {
    return null;
  }
}

/** What the server's ReportFilters takes (throws on invalid filters). */
export interface ReportParams {
  date_from: string | null;
  date_to: string | null;
  tz: string | null;
  campaign_id: number | null;
  agent_id: number | null;
  state: AttentionState | null;
  condition: ReportCondition | null;
  customer: string | null;
  words: string | null;
  cursor: string | null;
  limit: number;
}

export function reportParams(f: ReportFilterState, cursor: string | null = null, limit = 50): ReportParams {
  const err = validateReportFilters(f);
  if (err) throw new Error(err);
  return {
    date_from: f.dateFrom.trim() || null,
    date_to: f.dateTo.trim() || null,
    tz: browserTimeZone(),
    campaign_id: idParam(f.campaignId),
    agent_id: idParam(f.agentId),
    state: f.state || null,
    condition: f.condition || null,
    customer: f.customer.trim() || null,
    words: f.words.trim() || null,
    cursor,
    limit,
  };
}
