// Time helpers: parsing the API's ISO strings and formatting durations.

/** Milliseconds since the epoch of an API time; a string without zone is UTC. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The 24-hour window countdown: always `HH:MM:SS` (`23:59:59`), never negative;
 * `00:00:00` once it is over.
 */
export function formatCountdown(remainingMs: number): string {
  const total = Math.max(0, Math.floor(remainingMs / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Remaining window time from `window_ends_at` at `now`; null when unknown. */
export function windowRemaining(windowEndsAt: string | null, now: number): number | null {
  const end = parseTime(windowEndsAt);
  return end === null ? null : end - now;
}

/** A time waiting: `0:42`, `12:05`, `1:02:03` (never negative). */
export function formatElapsed(elapsedMs: number): string {
  const total = Math.max(0, Math.floor(elapsedMs / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A message's clock time in the UI language (`14:05`). */
export function formatClock(iso: string, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** A full date and time, for tooltips. */
export function formatDateTime(iso: string, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(ms);
}

/** The day a message belongs to, for separators in the conversation. */
export function dayKey(iso: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatDay(iso: string, lang: string): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  const s = new Intl.DateTimeFormat(lang, { weekday: 'long', day: 'numeric', month: 'long' }).format(ms);
  return s.charAt(0).toLocaleUpperCase(lang) + s.slice(1);
}

/** "Hoy", "Ayer" or the date, for the separators in the conversation. */
export function dayLabel(iso: string, lang: string, now: number, today: string, yesterday: string): string {
  const key = dayKey(iso);
  if (key === dayKey(new Date(now).toISOString())) return today;
  const y = new Date(now);
  y.setDate(y.getDate() - 1);
  if (key === dayKey(y.toISOString())) return yesterday;
  return formatDay(iso, lang);
}

/** A compact date for lists: the clock time if it is today, else day, month and time. */
export function formatShortDateTime(iso: string | null | undefined, lang: string, now: number): string {
  const ms = parseTime(iso);
  if (ms === null) return '';
  if (dayKey(new Date(ms).toISOString()) === dayKey(new Date(now).toISOString())) {
    return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(ms);
  }
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(ms);
}
