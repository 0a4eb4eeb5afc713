// Formatting helpers of the supervisor pages (self-contained: the agent panel's modules
// may change independently).

import type { MessageKey } from '../lib/i18n';
import type { NamedRef, SupAttention } from './types';

/** Milliseconds since the epoch of an API time; a string without zone is UTC. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A duration: `0:42`, `12:05`, `1:02:03` (never negative). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium' }).format(ms);
}

/** Date and time without seconds, for dense tables. */
export function formatShortDateTime(iso: string | null | undefined, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(ms);
}

export function formatClock(iso: string | null | undefined, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(ms);
}

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
  if ((a.transfers ?? 0) > 0) flags.push({ name: 'transferred', count: a.transfers ?? null });
  if (a.offered) flags.push({ name: 'offered', count: null });
  return flags;
}

/** The shown name of a campaign or agent reference. */
export function refName(r: NamedRef | null | undefined): string {
  if (!r) return '';
  return ('display_name' in r ? r.display_name : r.name) || `#${r.id}`;
}
