// The form of an attention's current segment: conversion between the values the API stores
// (docs/api.md, "Form of the current segment") and what the inputs hold.
//
//   type          API value              input value
//   text, long_text, phone, email
//                 string                 string
//   number        number | null          string ("" = empty; not a number → sent as typed)
//   date          "YYYY-MM-DD" | null    string ("" = empty)
//   select        option | null          string ("" = none)
//   multi_select  [option]               [option]
//   checkbox      bool                   bool

import type { FieldErrors, FormField, FormValue, FormValues } from './types';

export type InputValue = string | boolean | string[];
export type InputValues = Record<string, InputValue>;

const DATE = /^(\d{4}-\d{2}-\d{2})/;

/** What an input shows for a stored value (missing and malformed values show empty). */
export function toInput(field: FormField, v: FormValue | undefined): InputValue {
  switch (field.type) {
    case 'checkbox':
      return v === true || v === 'true';
    case 'multi_select':
      if (Array.isArray(v)) return v.map(String);
      return typeof v === 'string' && v !== '' ? [v] : [];
    case 'number':
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
      return typeof v === 'string' ? v : '';
    case 'date': {
      const m = typeof v === 'string' ? DATE.exec(v) : null;
      return m ? m[1]! : '';
    }
    default:
      if (v === null || v === undefined || typeof v === 'boolean' || Array.isArray(v)) return '';
      return String(v);
  }
}

/** Parse a number as typed: `3,5` is accepted like `3.5`; anything else is no number. */
export function parseNumber(s: string): number | null {
  let t = s.trim().replace(/\s/g, '');
  if (t === '') return null;
  if (t.includes(',') && !t.includes('.')) t = t.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** The value stored for what an input holds. */
export function fromInput(field: FormField, v: InputValue): FormValue {
  switch (field.type) {
    case 'checkbox':
      return v === true;
    case 'multi_select': {
      const chosen = Array.isArray(v) ? v : typeof v === 'string' && v !== '' ? [v] : [];
      // In the order of the options (stable whatever the order of the clicks).
      const opts = field.options ?? [];
      const known = opts.filter((o) => chosen.includes(o));
      return [...known, ...chosen.filter((c) => !opts.includes(c))];
    }
    case 'number': {
      // Something typed that is not a number is sent as typed: the server says what is wrong.
      if (typeof v !== 'string' || v.trim() === '') return null;
      return parseNumber(v) ?? v.trim();
    }
    case 'date':
      return typeof v === 'string' && DATE.test(v) ? DATE.exec(v)![1]! : null;
    case 'select':
      return typeof v === 'string' && v !== '' ? v : null;
    default:
      return typeof v === 'string' ? v : '';
  }
}

export function toInputs(fields: FormField[], values: FormValues | null | undefined): InputValues {
  const out: InputValues = {};
  for (const f of fields) out[f.key] = toInput(f, values?.[f.key]);
  return out;
}

/** The body of a draft or a submission: one value per field of the form, nothing else. */
export function fromInputs(fields: FormField[], inputs: InputValues): FormValues {
  const out: FormValues = {};
  for (const f of fields) out[f.key] = fromInput(f, inputs[f.key] ?? toInput(f, undefined));
  return out;
}

/** True when a required field would count as not filled in. */
export function isEmptyInput(field: FormField, v: InputValue | undefined): boolean {
  if (v === undefined) return true;
  if (field.type === 'checkbox') return v !== true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v !== 'string' || v.trim() === '';
}

/** The first field (in the form's order) that has an error, for focusing it. */
export function firstErrorKey(fields: FormField[], errors: FieldErrors): string | null {
  return fields.find((f) => errors[f.key])?.key ?? Object.keys(errors)[0] ?? null;
}

/**
 * The required fields still empty in what the agent typed, in the form's order: Terminar
 * atención names them before asking "¿Seguro?" (the server checks again and is the judge).
 */
export function missingRequired(fields: FormField[], inputs: InputValues): FormField[] {
  return fields.filter((f) => f.required && isEmptyInput(f, inputs[f.key]));
}
