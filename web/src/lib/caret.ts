// Inserting text (an emoji) where the caret is in a text box. Pure.

export interface Inserted {
  value: string;
  /** Where the caret goes: right after what was inserted. */
  caret: number;
}

/**
 * `insert` replaces the selection `start`…`end` of `value` (just goes in at the caret when
 * they are equal). Out-of-range or missing positions put it at the end.
 */
export function insertAtCaret(value: string, insert: string, start?: number | null, end?: number | null): Inserted {
  const len = value.length;
  let s = typeof start === 'number' && start >= 0 && start <= len ? start : len;
  let e = typeof end === 'number' && end >= 0 && end <= len ? end : s;
  if (e < s) [s, e] = [e, s];
  return { value: value.slice(0, s) + insert + value.slice(e), caret: s + insert.length };
}
