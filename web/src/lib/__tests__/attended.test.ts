import { describe, expect, it } from 'vitest';
import { emptyAttended, withPage } from '../attended.svelte';
import type { Attended } from '../types';
import { opened } from './fixtures';

const done = (id: number): Attended => ({ ...opened(id), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' });

describe('withPage', () => {
  it('a first page replaces the list and says what search it answers', () => {
    const before = { ...withPage(emptyAttended(), { items: [done(1)], total: 1, page: 1, page_size: 20 }, '', 1, false), loading: true };
    const next = withPage(before, { items: [done(7)], total: 1, page: 1, page_size: 20 }, 'Ana', 1, false);
    expect(next.items.map((a) => a.id)).toEqual([7]);
    expect(next).toMatchObject({ q: 'Ana', total: 1, page: 1, loading: false, error: null, loaded: true });
  });

  it('a further page is appended without the items already shown', () => {
    const first = withPage(emptyAttended(), { items: [done(1), done(2)], total: 3, page: 1, page_size: 2 }, '', 1, false);
    const next = withPage(first, { items: [done(2), done(3)], total: 3, page: 2, page_size: 2 }, '', 2, true);
    expect(next.items.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(next.page).toBe(2);
  });
});
