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
export const TRANSFERS_REPORT = '/api/reports/transfers';
export type AttentionsQuery = Query<typeof ATTENTIONS, 'GET'>;
export type TransfersQuery = Query<typeof TRANSFERS_REPORT, 'GET'>;

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

export interface TransfersFilters {
  /** `YYYY-MM-DD` from an `<input type="date">`, or ''. */
  dateFrom: string;
  dateTo: string;
  campaignId: IdFilter;
  agentId: IdFilter;
  page: number;
}

export type TransfersFilterError = 'badDateFrom' | 'badDateTo' | 'dateOrder';

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

/** What is wrong with the filters, or null. */
export function validateTransfersFilters(f: TransfersFilters): TransfersFilterError | null {
  const from = f.dateFrom.trim();
  const to = f.dateTo.trim();
  if (from && !isIsoDate(from)) return 'badDateFrom';
  if (to && !isIsoDate(to)) return 'badDateTo';
  // ISO dates compare as strings.
  if (from && to && from > to) return 'dateOrder';
  return null;
}

/** The query of `GET /api/reports/transfers` (throws on invalid filters). */
export function transfersQuery(f: TransfersFilters): TransfersQuery {
  const err = validateTransfersFilters(f);
  if (err) throw new Error(err);
  return {
    date_from: f.dateFrom.trim() || null,
    date_to: f.dateTo.trim() || null,
    campaign_id: idParam(f.campaignId),
    agent_id: idParam(f.agentId),
    page: Number.isInteger(f.page) && f.page >= 1 ? f.page : 1,
  };
}

/** `GET /api/reports/transfers` with its filters (throws on invalid filters). */
export function transfersReportPath(f: TransfersFilters): string {
  return fillPath(TRANSFERS_REPORT, undefined, transfersQuery(f));
}

/** A local calendar day as `YYYY-MM-DD` (what `<input type="date">` holds). */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
