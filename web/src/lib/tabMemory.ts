// What this browser tab remembers across a reload (sessionStorage): the chat on screen and the
// pause reason I chose. Storage may be missing or refuse (private modes): then nothing is kept.

const CURRENT_KEY = 'atiende.current';
const PAUSE_KEY = 'atiende.pauseReason';

function read(key: string): string | null {
  try {
    return globalThis.sessionStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.sessionStorage?.removeItem(key);
    else globalThis.sessionStorage?.setItem(key, value);
  } catch {
    /* nothing kept */
  }
}

/** The attention shown before the reload, or null. */
export function recallCurrent(): number | null {
  const saved = Number(read(CURRENT_KEY));
  return saved > 0 ? saved : null;
}

export function rememberCurrent(id: number | null): void {
  write(CURRENT_KEY, id === null ? null : String(id));
}

export function recallPauseReason(): string | null {
  return read(PAUSE_KEY);
}

export function rememberPauseReason(reason: string | null): void {
  write(PAUSE_KEY, reason);
}
