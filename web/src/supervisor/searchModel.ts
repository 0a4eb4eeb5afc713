// The attention search's form, as typed, turned into the query the server takes. Pure.

import type { SearchQuery } from './types';

export interface SearchForm {
  attentionId: string;
  customer: string;
  words: string;
  dateFrom: string;
  dateTo: string;
  campaignId: string;
  state: '' | 'closed' | 'live';
}

export const EMPTY_SEARCH: SearchForm = {
  attentionId: '',
  customer: '',
  words: '',
  dateFrom: '',
  dateTo: '',
  campaignId: '',
  state: '',
};

export const SEARCH_PAGE = 50;

/** The supervisor's time zone: the server reads his dates as his days. */
export function localZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Only what was filled in; an id that is not a positive whole number is left for the
 * caller to refuse (`idInvalid`). */
export function searchQuery(f: SearchForm, beforeId: number | null, tz: string = localZone()): SearchQuery {
  const q: SearchQuery = { tz, limit: SEARCH_PAGE };
  const id = f.attentionId.trim().replace(/^#/, '');
  if (id) q.attention_id = Number(id);
  if (f.customer.trim()) q.customer = f.customer.trim();
  if (f.words.trim()) q.words = f.words.trim();
  if (f.dateFrom) q.date_from = f.dateFrom;
  if (f.dateTo) q.date_to = f.dateTo;
  if (f.campaignId) q.campaign_id = Number(f.campaignId);
  if (f.state) q.state = f.state;
  if (beforeId !== null) q.before_id = beforeId;
  return q;
}

export function idInvalid(f: SearchForm): boolean {
  const id = f.attentionId.trim().replace(/^#/, '');
  return id !== '' && !/^[1-9][0-9]{0,9}$/.test(id);
}

/** A date range that ends before it starts. */
export function datesInvalid(f: SearchForm): boolean {
  return f.dateFrom !== '' && f.dateTo !== '' && f.dateTo < f.dateFrom;
}
