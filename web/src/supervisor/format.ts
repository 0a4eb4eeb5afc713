// View helpers of the supervisor pages: the live table's time column and flags, reference
// names. Dates, clock times and durations are lib/time.ts's, shared with the agent panel.

import type { MessageKey } from '../lib/i18n';
import { formatElapsed, parseTime } from '../lib/time';
import type { NamedRef, SupAttention } from './types';

/**
 * The time column of the live table: waiting since queued (queued), since assigned
 * (assigned, not opened yet) or handling since opened (open).
 */
export function attentionClock(
  a: SupAttention,
  now: number,
): { label: MessageKey; since: number | null; elapsed: string } {
  let label: MessageKey = 'att.time.waiting';
  let since: number | null;
  if (a.state === 'open') {
    label = 'att.time.handling';
    since = parseTime(a.opened_at) ?? parseTime(a.assigned_at);
  } else if (a.state === 'assigned') {
    label = 'att.time.unopened';
    since = parseTime(a.assigned_at) ?? parseTime(a.queued_at);
  } else {
    since = parseTime(a.queued_at);
  }
  return { label, since, elapsed: since === null ? '–' : formatElapsed(now - since) };
}

export type FlagName = 'reassigned' | 'orphaned' | 'parked' | 'transferred' | 'offered';

export interface Flag {
  name: FlagName;
  count: number | null;
}

/** The conditions worth a supervisor's eye, in a fixed order. */
export function attentionFlags(a: SupAttention): Flag[] {
  const flags: Flag[] = [];
  if ((a.reassignments ?? 0) > 0) flags.push({ name: 'reassigned', count: a.reassignments ?? null });
  if (a.orphaned) flags.push({ name: 'orphaned', count: null });
  if (a.parked) flags.push({ name: 'parked', count: null });
  if ((a.transfer_count ?? 0) > 0) flags.push({ name: 'transferred', count: a.transfer_count ?? null });
  if (a.offered) flags.push({ name: 'offered', count: null });
  return flags;
}

/** The shown name of a campaign or agent reference. */
export function refName(r: NamedRef | null | undefined): string {
  if (!r) return '';
  return ('display_name' in r ? r.display_name : r.name) || `#${r.id}`;
}
