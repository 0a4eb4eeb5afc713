// Atendidas: the attentions I handled, searched and loaded a page at a time. How a page joins
// the list is the pure `withPage` (tested alone); the store around it only fetches, drops
// stale answers and debounces the refresh that follows an attention leaving my hands.

import type { Api } from './api';
import type { Attended, AttendedPage } from './types';

/** The Atendidas list: pages loaded so far for the search `q`. */
export interface AttendedList {
  items: Attended[];
  total: number;
  /** The cursor of the next (older) page; null when the last one is shown. */
  next: string | null;
  q: string;
  loading: boolean;
  error: string | null;
  loaded: boolean;
}

export const ATTENDED_PAGE_SIZE = 20;

export function emptyAttended(): AttendedList {
  return { items: [], total: 0, next: null, q: '', loading: false, error: null, loaded: false };
}

/**
 * The list once a page of the search `q` arrived: the first page replaces what was there, a
 * further one (`more`) is appended without the items already shown.
 */
export function withPage(list: AttendedList, r: AttendedPage, q: string, more: boolean): AttendedList {
  const items = more ? [...list.items] : [];
  for (const it of r.items ?? []) if (!items.some((x) => x.id === it.id)) items.push(it);
  return {
    items,
    total: typeof r.total === 'number' ? r.total : items.length,
    next: r.next_before ?? null,
    q,
    loading: false,
    error: null,
    loaded: true,
  };
}

export class AttendedStore {
  list = $state.raw<AttendedList>(emptyAttended());
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly api: Api,
    /** Loads happen only while signed in to the panel. */
    private readonly active: () => boolean,
    private readonly errorText: (e: unknown) => string,
  ) {}

  /** Load the first page for `q`, or the next page (`more`). */
  async load(q: string = this.list.q, more = false): Promise<void> {
    if (!this.active()) return;
    const seq = ++this.seq;
    const before = more ? this.list.next : null;
    if (more && before === null) return;
    this.list = { ...this.list, q, loading: true, error: null };
    try {
      const r = await this.api.attended(q.trim(), before, ATTENDED_PAGE_SIZE);
      if (seq !== this.seq) return;
      this.list = withPage(this.list, r, q, more);
    } catch (e) {
      if (seq !== this.seq) return;
      this.list = { ...this.list, loading: false, error: this.errorText(e) };
    }
  }

  /** An attention of mine was ended or transferred: reload the list shortly. */
  refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.load(this.list.q);
    }, 400);
  }

  /** Signed out: forget the list and any answer or refresh on its way. */
  reset(): void {
    this.seq++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.list = emptyAttended();
  }
}
