// The form builder's model: the editable rows, their (de)serialisation to the API's
// `Field`, local validation and the list operations. Pure functions, unit-tested.

import type { MessageKey } from '../lib/i18n';
import { FIELD_TYPES, type FieldType, type FormField } from './types';

/** A field as edited: options as text, one per line; `uid` keys the row in the UI. */
export interface DraftField {
  uid: number;
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  optionsText: string;
  /** The key follows the label until someone types in it, and never once published (its
   * values and reports are filed under it). */
  keyFixed: boolean;
}

/** What the server accepts: a letter first, then a-z, 0-9 or _, 64 at most. */
export const KEY_RE = /^[a-z][a-z0-9_]{0,63}$/;
export const KEY_MAX = 64;

export function hasOptions(type: FieldType): boolean {
  return type === 'select' || type === 'multi_select';
}

export function isFieldType(v: unknown): v is FieldType {
  return typeof v === 'string' && (FIELD_TYPES as readonly string[]).includes(v);
}

let nextUid = 1;
function uid(): number {
  return nextUid++;
}

/** The options of a text area: one per line, trimmed, blank lines dropped. */
export function parseOptions(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function emptyDraft(): DraftField {
  return { uid: uid(), key: '', label: '', type: 'text', required: false, optionsText: '', keyFixed: false };
}

/** A field of the API as an editable row. */
export function fieldToDraft(f: FormField): DraftField {
  return {
    uid: uid(),
    key: f.key ?? '',
    label: f.label ?? '',
    type: isFieldType(f.type) ? f.type : 'text',
    required: !!f.required,
    optionsText: (f.options ?? []).join('\n'),
    keyFixed: true,
  };
}

/** An editable row as the API's field: trimmed; options only for the select types. */
export function draftToField(d: DraftField): FormField {
  return {
    key: d.key.trim(),
    label: d.label.trim(),
    type: d.type,
    required: d.required,
    options: hasOptions(d.type) ? parseOptions(d.optionsText) : null,
  };
}

export const fieldsToDrafts = (fields: readonly FormField[] | null | undefined): DraftField[] =>
  (fields ?? []).map(fieldToDraft);

export const draftsToFields = (drafts: readonly DraftField[]): FormField[] => drafts.map(draftToField);

export interface DraftErrors {
  key?: MessageKey;
  label?: MessageKey;
  options?: MessageKey;
}

/** Errors by row `uid`; an empty object when the form can be saved. */
export function validateDrafts(drafts: readonly DraftField[]): Record<number, DraftErrors> {
  const errors: Record<number, DraftErrors> = {};
  const seen = new Map<string, number>();
  for (const d of drafts) {
    const key = d.key.trim();
    if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const d of drafts) {
    const e: DraftErrors = {};
    const key = d.key.trim();
    if (!key) e.key = 'form.err.keyRequired';
    else if (!KEY_RE.test(key)) e.key = 'form.err.keyFormat';
    else if ((seen.get(key) ?? 0) > 1) e.key = 'form.err.keyDuplicate';
    if (!d.label.trim()) e.label = 'form.err.labelRequired';
    if (hasOptions(d.type)) {
      const opts = parseOptions(d.optionsText);
      if (opts.length === 0) e.options = 'form.err.optionsRequired';
      else if (new Set(opts).size !== opts.length) e.options = 'form.err.optionsDuplicate';
    }
    if (e.key || e.label || e.options) errors[d.uid] = e;
  }
  return errors;
}

export function isValid(drafts: readonly DraftField[]): boolean {
  return Object.keys(validateDrafts(drafts)).length === 0;
}

/** A key suggested from a label: `Número de documento` → `numero_de_documento`. */
export function suggestKey(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
}

/** The key a label gives: its slug (`suggestKey`), starting with a letter (`campo` when the
 * label has none to give), made unique among `taken` by a suffix `_2`, `_3`… within 64. */
export function deriveKey(label: string, taken: ReadonlySet<string>): string {
  let base = suggestKey(label) || 'campo';
  if (!/^[a-z]/.test(base)) base = `campo_${base}`;
  base = base.slice(0, KEY_MAX).replace(/_+$/, '');
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const key = `${base.slice(0, KEY_MAX - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(key)) return key;
  }
}

/** The rows with every key that still follows its label derived again: fixed keys first
 * claim theirs, then each following row, top to bottom, takes the first free one. */
export function withDerivedKeys(drafts: readonly DraftField[]): DraftField[] {
  const taken = new Set(drafts.filter((d) => d.keyFixed).map((d) => d.key.trim()));
  return drafts.map((d) => {
    if (d.keyFixed) return d;
    const key = d.label.trim() ? deriveKey(d.label, taken) : '';
    if (key) taken.add(key);
    return key === d.key ? d : { ...d, key };
  });
}

/** The list with the row at `index` moved by `delta` (-1 up, +1 down); unchanged at the ends. */
export function moveDraft<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return list.slice();
  const next = list.slice();
  const [item] = next.splice(index, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** True when the rows would save something different from `fields`. */
export function draftsDiffer(drafts: readonly DraftField[], fields: readonly FormField[] | null | undefined): boolean {
  return JSON.stringify(draftsToFields(drafts)) !== JSON.stringify((fields ?? []).map((f) => draftToField(fieldToDraft(f))));
}
