import { describe, expect, it } from 'vitest';
import { emptyAttended, withPage } from '../attended.svelte';
import type { Attended } from '../types';
import { opened } from './fixtures';

const done = (id: number): Attended => ({ ...opened(id), left_at: '2026-11-25T11:00:00Z', outcome: 'closed' });

describe('withPage', () => {
  it('a first page replaces the list and says what search it answers', () => {
    const before = { ...withPage(emptyAttended(), { items: [done(1)], total: 1, next_before: null }, '', false), loading: true };
    const next = withPage(before, { items: [done(7)], total: 1, next_before: null }, 'Ana', false);
    expect(next.items.map((a) => a.id)).toEqual([7]);
    expect(next).toMatchObject({ q: 'Ana', total: 1, next: null, loading: false, error: null, loaded: true });
  });

  it('a further page is appended without the items already shown', () => {
    const first = withPage(emptyAttended(), { items: [done(1), done(2)], total: 3, next_before: '1.2' }, '', false);
    const next = withPage(first, { items: [done(2), done(3)], total: 3, next_before: null }, '', true);
    expect(next.items.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(first.next).toBe('1.2');
    expect(next.next).toBeNull();
  });
});
