import { describe, expect, it } from 'vitest';
import { Api } from '../api';
import {
  bodyOf,
  changedFieldLabel,
  changedValueText,
  draftOf,
  editContact,
  errorsByInput,
  type Contact,
} from '../contacts';
import type { Customer, FormField } from '../types';

const customer: Customer = {
  id: 3,
  display_name: 'María',
  name: 'María González',
  username: null,
  phone: '5215512345678',
  bsuid: 'MX.1',
  contact_id: null,
  contact_name: null,
};
const fields: FormField[] = [
  { key: 'ruc', label: 'RUC', type: 'number', required: true, options: null },
  { key: 'vip', label: 'VIP', type: 'checkbox', required: false, options: null },
  { key: 'segmento', label: 'Segmento', type: 'select', required: false, options: ['A', 'B'] },
];
const contact: Contact = {
  id: 9,
  customer_id: 3,
  name: 'María G.',
  phones: ['+525512345678', '+51987654321'],
  email: 'maria@example.com',
  document_id: null,
  notes: 'Llamar tarde',
  custom: { ruc: 20123, vip: true },
  version: 4,
  created_at: '2026-11-20T15:00:00Z',
  updated_at: '2026-11-21T15:00:00Z',
  updated_by: { id: 5, display_name: 'Sofía Torres' },
};

describe('contacts', () => {
  it('starts a new contact from what WhatsApp tells, an edit from the contact', () => {
    const fresh = draftOf(null, customer, fields);
    expect(fresh).toMatchObject({ name: 'María González', phones: '+5215512345678', email: '' });
    expect(fresh.custom).toEqual({ ruc: '', vip: false, segmento: '' });
    const edit = draftOf(contact, customer, fields);
    expect(edit.phones).toBe('+525512345678\n+51987654321');
    expect(edit.custom).toEqual({ ruc: '20123', vip: true, segmento: '' });
    expect(edit.document_id).toBe('');
  });

  it('sends one phone per line or comma, empty texts as null, custom values typed', () => {
    const draft = {
      ...draftOf(contact, customer, fields),
      phones: ' 987654321 \n\n+52 55 1234 5678, 55 1111 2222',
      email: '  ',
      custom: { ruc: '20.5', vip: false, segmento: 'B' },
    };
    expect(bodyOf(draft, fields)).toEqual({
      name: 'María G.',
      phones: ['987654321', '+52 55 1234 5678', '55 1111 2222'],
      email: null,
      document_id: null,
      notes: 'Llamar tarde',
      custom: { ruc: 20.5, vip: false, segmento: 'B' },
    });
  });

  it('puts each refusal beside its input, in the UI language', () => {
    const errors = { name: 'x', 'phones.1': 'x', 'phones.2': 'x', 'custom.ruc': 'x' };
    const codes = {
      name: { code: 'required', params: {} },
      'phones.1': { code: 'invalid_phone', params: {} },
      'phones.2': { code: 'invalid_phone', params: {} },
      'custom.ruc': { code: 'not_number', params: {} },
    };
    expect(errorsByInput('es', errors, codes)).toEqual({
      name: 'Campo obligatorio.',
      phones: '2: Teléfono inválido. Teléfono inválido.',
      'custom.ruc': 'Debe ser un número.',
    });
    expect(errorsByInput('en', { email: 'x' }, { email: { code: 'invalid_email', params: {} } })).toEqual({
      email: 'Invalid email address.',
    });
  });

  it('names a changed field and its values', () => {
    expect(changedFieldLabel('custom.ruc', fields, { name: 'Nombre' })).toBe('RUC');
    expect(changedFieldLabel('custom.gone', fields, {})).toBe('gone');
    expect(changedFieldLabel('name', fields, { name: 'Nombre' })).toBe('Nombre');
    expect(changedValueText(['+51987654321', '+525512345678'])).toBe('+51987654321, +525512345678');
    expect(changedValueText([])).toBe('—');
    expect(changedValueText(null)).toBe('—');
  });

  it('edits against the version shown', async () => {
    const sent: { url: string; body: unknown }[] = [];
    const api = new Api('', (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(input), body: JSON.parse(String(init?.body)) });
      return new Response(JSON.stringify(contact), { status: 200 });
    }) as typeof fetch);
    await editContact(api, 3, bodyOf(draftOf(contact, customer, fields), fields), 4);
    expect(sent[0]!.url).toBe('/api/customers/3/contact');
    expect(sent[0]!.body).toMatchObject({ name: 'María G.', version: 4 });
  });
});
