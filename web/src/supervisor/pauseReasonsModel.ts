// The pause reasons' editor as pure functions: rows moved, checked as the server will (a name
// per row, no two alike ignoring case and spaces, at least one active), and the payload.

import type { Schemas } from '../lib/contract';

export type PauseReason = Schemas['PauseReasonOut'];
export type PauseReasonInput = Schemas['PauseReasonIn'];

export interface ReasonDraft {
  /** null for a row added here. */
  id: number | null;
  name: string;
  active: boolean;
  inUse: number;
}

export type ReasonError = 'required' | 'repeated';

export function reasonDrafts(list: PauseReason[]): ReasonDraft[] {
  return list
    .slice()
    .sort((a, b) => a.position - b.position)
    .map((r) => ({ id: r.id, name: r.name, active: r.active, inUse: r.in_use }));
}

/** The list with row `i` moved by `by` places (kept inside the list). */
export function moved<T>(rows: readonly T[], i: number, by: -1 | 1): T[] {
  const j = i + by;
  if (i < 0 || i >= rows.length || j < 0 || j >= rows.length) return rows.slice();
  const out = rows.slice();
  [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

const key = (name: string) => name.trim().toLocaleLowerCase();

/** What is wrong per row index; `noneActive` when every reason is off. */
export function validateReasons(rows: readonly ReasonDraft[]): { rows: Record<number, ReasonError>; noneActive: boolean } {
  const errors: Record<number, ReasonError> = {};
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    if (!r.name.trim()) errors[i] = 'required';
    else if (seen.has(key(r.name))) errors[i] = 'repeated';
    seen.add(key(r.name));
  });
  return { rows: errors, noneActive: rows.length > 0 && !rows.some((r) => r.active) };
}

export function reasonsPayload(rows: readonly ReasonDraft[]): PauseReasonInput[] {
  return rows.map((r) => ({ ...(r.id === null ? {} : { id: r.id }), name: r.name.trim(), active: r.active }));
}
