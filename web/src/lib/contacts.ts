// The customer's contact (the Contacto tab): the calls, the editor's inputs and back, and
// how a recorded change is told. Pure except for the calls.

import type { Api } from './api';
import type { Schemas } from './contract';
import type { Lang } from './i18n';
import { fieldErrorTexts } from './refusals';
import { fromInputs, toInputs, type InputValues } from './form';
import type { Customer, FieldCodes, FieldErrors, FormField, FormValue, FormValues } from './types';

export type Contact = Schemas['ContactOut'];
export type ContactView = Schemas['ContactView'];
export type ContactChange = Schemas['ContactChangeOut'];
export type ContactBody = Schemas['ContactIn'];

export function contactView(api: Api, customerId: number): Promise<ContactView> {
  return api.request('GET', '/api/customers/{customer_id}/contact', { params: { customer_id: customerId } });
}

export function addContact(api: Api, customerId: number, body: ContactBody): Promise<Contact> {
  return api.request('POST', '/api/customers/{customer_id}/contact', { params: { customer_id: customerId }, body });
}

export function editContact(api: Api, customerId: number, body: ContactBody, version: number): Promise<Contact> {
  return api.request('PUT', '/api/customers/{customer_id}/contact', {
    params: { customer_id: customerId },
    body: { ...body, version },
  });
}

export function contactChanges(api: Api, customerId: number): Promise<ContactChange[]> {
  return api.request('GET', '/api/customers/{customer_id}/contact/changes', {
    params: { customer_id: customerId },
  });
}

/** What the editor holds: plain strings, one phone per line, custom fields as form inputs. */
export interface ContactDraft {
  name: string;
  phones: string;
  email: string;
  document_id: string;
  notes: string;
  custom: InputValues;
}

/** The editor for an existing contact, or for a new one started from what WhatsApp tells. */
export function draftOf(contact: Contact | null, customer: Customer, fields: FormField[]): ContactDraft {
  if (contact) {
    return {
      name: contact.name,
      phones: contact.phones.join('\n'),
      email: contact.email ?? '',
      document_id: contact.document_id ?? '',
      notes: contact.notes ?? '',
      custom: toInputs(fields, contact.custom as FormValues),
    };
  }
  return {
    name: customer.name ?? customer.username ?? '',
    phones: customer.phone ? `+${customer.phone}` : '',
    email: '',
    document_id: '',
    notes: '',
    custom: toInputs(fields, {}),
  };
}

/** The request body; the server normalizes and checks every value. */
export function bodyOf(draft: ContactDraft, fields: FormField[]): ContactBody {
  const custom: FormValues = fromInputs(fields, draft.custom);
  return {
    name: draft.name,
    phones: draft.phones
      .split(/[\n,;]/)
      .map((p) => p.trim())
      .filter(Boolean),
    email: draft.email.trim() || null,
    document_id: draft.document_id.trim() || null,
    notes: draft.notes.trim() || null,
    custom: Object.fromEntries(Object.entries(custom).filter(([, v]) => v !== null)),
  };
}

/** A refusal's messages per editor input: "phones.1" belongs to the phones box,
 * "custom.ruc" to that field. Said in the UI's language from the codes. */
export function errorsByInput(lang: Lang, errors: FieldErrors, codes: FieldCodes | null): Record<string, string> {
  const texts = fieldErrorTexts(lang, errors, codes);
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(texts)) {
    const input = key.startsWith('phones.') ? 'phones' : key;
    const n = key.startsWith('phones.') ? Number(key.slice(7)) + 1 : null;
    out[input] = out[input] ? `${out[input]} ${text}` : n !== null ? `${n}: ${text}` : text;
  }
  return out;
}

/** A field of the change log by its label: fixed ones by key, custom ones by definition. */
export function changedFieldLabel(key: string, fields: FormField[], fixed: Record<string, string>): string {
  if (key.startsWith('custom.')) {
    const k = key.slice(7);
    return fields.find((f) => f.key === k)?.label ?? k;
  }
  return fixed[key] ?? key;
}

/** A value of the change log as text. */
export function changedValueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  return String(value as FormValue);
}
