// Building the query strings of the supervisor's list and report calls. Pure functions,
// unit-tested: empty filters are left out, numbers are checked, dates are YYYY-MM-DD.

import type { AttentionState } from '../lib/types';

/** A filter select's value: '' means "all". */
export type IdFilter = number | '' | null | undefined;

function idParam(v: IdFilter): string | null {
  if (v === '' || v === null || v === undefined) return null;
  return Number.isInteger(v) && v > 0 ? String(v) : null;
}

function query(params: [string, string | null][]): string {
  const q = new URLSearchParams();
  for (const [k, v] of params) if (v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export interface AttentionFilters {
  state: AttentionState | '';
  campaignId: IdFilter;
  agentId: IdFilter;
}

/** `GET /api/supervisor/attentions` with its filters. */
export function attentionsPath(f: AttentionFilters): string {
  const state = f.state && f.state !== 'closed' ? f.state : null;
  return (
    '/api/supervisor/attentions' +
    query([
      ['state', state],
      ['campaign_id', idParam(f.campaignId)],
      ['agent_id', idParam(f.agentId)],
    ])
  );
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

/** `GET /api/reports/transfers` with its filters (throws on invalid filters). */
export function transfersReportPath(f: TransfersFilters): string {
  const err = validateTransfersFilters(f);
  if (err) throw new Error(err);
  const page = Number.isInteger(f.page) && f.page >= 1 ? f.page : 1;
  return (
    '/api/reports/transfers' +
    query([
      ['date_from', f.dateFrom.trim() || null],
      ['date_to', f.dateTo.trim() || null],
      ['campaign_id', idParam(f.campaignId)],
      ['agent_id', idParam(f.agentId)],
      ['page', String(page)],
    ])
  );
}

/** A local calendar day as `YYYY-MM-DD` (what `<input type="date">` holds). */
export function localIsoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
