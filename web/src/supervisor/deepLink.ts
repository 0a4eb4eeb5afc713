// The address of an attention shown read-only over the console: #/attention/<id>. Pasted in
// a browser, sent in a chat or opened from a report, it shows that attention after login.

const ATTENTION_HASH = /^#\/attention\/([1-9][0-9]{0,15})$/;

/** The attention id in a location hash, or null when the hash names none. */
export function attentionFromHash(hash: string): number | null {
  const m = ATTENTION_HASH.exec(hash);
  if (!m) return null;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) ? id : null;
}

export function attentionHash(id: number): string {
  return `#/attention/${id}`;
}
