// The one place where times are read and written for people, agent panel and supervisor
// console alike: parsing the API's ISO strings, durations, the window countdown, clock
// times, dates and day separators.

/** A moment as the API gives it (ISO string) or as the client keeps it (ms since the epoch). */
export type Instant = string | number | null | undefined;

/** Milliseconds since the epoch of an API time; a string without zone is UTC. */
export function parseTime(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(iso);
  const ms = Date.parse(hasZone ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? null : ms;
}

function toMs(t: Instant): number | null {
  return typeof t === 'number' ? (Number.isFinite(t) ? t : null) : parseTime(t);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Whole hours, minutes and seconds of a duration, never negative. */
function hms(ms: number): [number, number, number] {
  const total = Math.max(0, Math.floor(ms / 1000));
  return [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
}

/**
 * The 24-hour window countdown: always `HH:MM:SS` (`23:59:59`), never negative;
 * `00:00:00` once it is over.
 */
export function formatCountdown(remainingMs: number): string {
  const [h, m, s] = hms(remainingMs);
  return `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** Remaining window time from `window_ends_at` at `now`; null when unknown. */
export function windowRemaining(windowEndsAt: string | null, now: number): number | null {
  const end = parseTime(windowEndsAt);
  return end === null ? null : end - now;
}

/** A time waiting or handling: `0:42`, `12:05`, `1:02:03` (never negative). */
export function formatElapsed(elapsedMs: number): string {
  const [h, m, s] = hms(elapsedMs);
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A clock time in the UI language: `14:05`, or `14:05:09` with seconds (live tables). */
export function formatClock(t: Instant, lang: string, opts: { seconds?: boolean } = {}): string {
  const ms = toMs(t);
  if (ms === null) return '';
  const seconds = opts.seconds ? ({ second: '2-digit' } as const) : {};
  return new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', ...seconds }).format(ms);
}

/**
 * A full date and time: `date: 'medium'` (the default, tooltips) writes the month's name,
 * `'short'` only digits (the supervisor's tables and logs); `seconds: false` drops them.
 */
export function formatDateTime(
  t: Instant,
  lang: string,
  opts: { date?: 'medium' | 'short'; seconds?: boolean } = {},
): string {
  const ms = toMs(t);
  if (ms === null) return '';
  const timeStyle = opts.seconds === false ? 'short' : 'medium';
  return new Intl.DateTimeFormat(lang, { dateStyle: opts.date ?? 'medium', timeStyle }).format(ms);
}

/**
 * When a message was written, for its clock time and its day: an inbound one by WhatsApp's
 * timestamp (it may reach us hours late, after an outage or a phone offline), an outbound one
 * when the agent wrote it.
 */
export function writtenAt(m: { direction: string; created_at: string; sent_at?: string | null }): string {
  return (m.direction === 'in' && m.sent_at) || m.created_at;
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
    return formatClock(ms, lang);
  }
  return new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(ms);
}
