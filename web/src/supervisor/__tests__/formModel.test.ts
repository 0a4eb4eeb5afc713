import { describe, expect, it } from 'vitest';
import {
  type DraftField,
  draftToField,
  draftsDiffer,
  draftsToFields,
  emptyDraft,
  fieldToDraft,
  fieldsToDrafts,
  isValid,
  deriveKey,
  moveDraft,
  parseOptions,
  suggestKey,
  withDerivedKeys,
  validateDrafts,
} from '../formModel';
import type { FormField } from '../types';

function draft(over: Partial<DraftField> = {}): DraftField {
  return { ...emptyDraft(), key: 'motivo', label: 'Motivo', ...over };
}

const FIELDS: FormField[] = [
  { key: 'motivo', label: 'Motivo', type: 'select', required: true, options: ['Compra', 'Reclamo'] },
  { key: 'documento', label: 'Documento', type: 'text', required: true, options: null },
  { key: 'temas', label: 'Temas', type: 'multi_select', required: false, options: ['A', 'B', 'C'] },
  { key: 'acepta', label: 'Acepta', type: 'checkbox', required: false, options: null },
];

describe('form builder (de)serialisation', () => {
  it('a field becomes a row with its options one per line', () => {
    const d = fieldToDraft(FIELDS[0]!);
    expect(d).toMatchObject({ key: 'motivo', label: 'Motivo', type: 'select', required: true, optionsText: 'Compra\nReclamo' });
    expect(typeof d.uid).toBe('number');
    expect(fieldToDraft(FIELDS[1]!).optionsText).toBe('');
  });

  it('round-trips every field unchanged, in order', () => {
    expect(draftsToFields(fieldsToDrafts(FIELDS))).toEqual(FIELDS);
  });

  it('rows get distinct uids', () => {
    const ds = fieldsToDrafts(FIELDS);
    expect(new Set(ds.map((d) => d.uid)).size).toBe(ds.length);
  });

  it('trims key and label; options trimmed, blank lines dropped (CRLF too)', () => {
    const f = draftToField(draft({ key: ' motivo ', label: '  Motivo ', type: 'select', optionsText: ' Compra \r\n\n Reclamo\n  \n' }));
    expect(f).toEqual({ key: 'motivo', label: 'Motivo', type: 'select', required: false, options: ['Compra', 'Reclamo'] });
  });

  it('options are null for the types without options, even if text was typed before changing type', () => {
    expect(draftToField(draft({ type: 'text', optionsText: 'x\ny' })).options).toBeNull();
    for (const type of ['long_text', 'number', 'date', 'checkbox', 'phone', 'email'] as const) {
      expect(draftToField(draft({ type, optionsText: 'x' })).options).toBeNull();
    }
    expect(draftToField(draft({ type: 'multi_select', optionsText: 'x\ny' })).options).toEqual(['x', 'y']);
  });

  it('no form (null) is an empty list of rows', () => {
    expect(fieldsToDrafts(null)).toEqual([]);
    expect(fieldsToDrafts(undefined)).toEqual([]);
  });

  it('an unknown type from the server falls back to text', () => {
    const d = fieldToDraft({ key: 'x', label: 'X', type: 'weird' as never, required: false, options: null });
    expect(d.type).toBe('text');
  });

  it('parseOptions', () => {
    expect(parseOptions('')).toEqual([]);
    expect(parseOptions('a\n b \n\nc')).toEqual(['a', 'b', 'c']);
  });

  it('draftsDiffer tells unsaved changes apart from mere re-serialisation', () => {
    const ds = fieldsToDrafts(FIELDS);
    expect(draftsDiffer(ds, FIELDS)).toBe(false);
    ds[1]!.required = false;
    expect(draftsDiffer(ds, FIELDS)).toBe(true);
    expect(draftsDiffer([], null)).toBe(false);
    expect(draftsDiffer([draft()], null)).toBe(true);
  });
});

describe('form builder validation', () => {
  it('a valid form has no errors', () => {
    const ds = fieldsToDrafts(FIELDS);
    expect(validateDrafts(ds)).toEqual({});
    expect(isValid(ds)).toBe(true);
    expect(isValid([])).toBe(true);
  });

  it('key required', () => {
    const d = draft({ key: '   ' });
    expect(validateDrafts([d])[d.uid]).toEqual({ key: 'form.err.keyRequired' });
  });

  it('key: a letter, then only [a-z0-9_], as the server checks', () => {
    for (const bad of ['Motivo', 'mo tivo', 'motivo-1', 'número', 'a.b', 'ñ', '_x', '123', 'x'.repeat(65)]) {
      const d = draft({ key: bad });
      expect(validateDrafts([d])[d.uid]?.key, bad).toBe('form.err.keyFormat');
    }
    for (const good of ['motivo', 'doc_2', 'x', 'a123', 'x'.repeat(64)]) {
      expect(isValid([draft({ key: good })]), good).toBe(true);
    }
  });

  it('keys unique (after trimming): both rows are marked', () => {
    const a = draft({ key: 'doc' });
    const b = draft({ key: ' doc ', label: 'Otro' });
    const c = draft({ key: 'otro' });
    const e = validateDrafts([a, b, c]);
    expect(e[a.uid]?.key).toBe('form.err.keyDuplicate');
    expect(e[b.uid]?.key).toBe('form.err.keyDuplicate');
    expect(e[c.uid]).toBeUndefined();
  });

  it('label required', () => {
    const d = draft({ label: ' ' });
    expect(validateDrafts([d])[d.uid]).toEqual({ label: 'form.err.labelRequired' });
  });

  it('options required for select and multi_select, not for the others', () => {
    const s = draft({ type: 'select', optionsText: ' \n ' });
    const m = draft({ key: 'm', type: 'multi_select', optionsText: '' });
    const t = draft({ key: 't', type: 'text', optionsText: '' });
    const e = validateDrafts([s, m, t]);
    expect(e[s.uid]).toEqual({ options: 'form.err.optionsRequired' });
    expect(e[m.uid]).toEqual({ options: 'form.err.optionsRequired' });
    expect(e[t.uid]).toBeUndefined();
  });

  it('repeated options are refused', () => {
    const d = draft({ type: 'select', optionsText: 'Sí\nNo\n Sí ' });
    expect(validateDrafts([d])[d.uid]).toEqual({ options: 'form.err.optionsDuplicate' });
  });

  it('reports several problems of one row at once', () => {
    const d = draft({ key: 'Bad Key', label: '', type: 'select', optionsText: '' });
    expect(validateDrafts([d])[d.uid]).toEqual({
      key: 'form.err.keyFormat',
      label: 'form.err.labelRequired',
      options: 'form.err.optionsRequired',
    });
  });
});

describe('form builder list operations', () => {
  it('moves a row up and down; ends are no-ops; the input is not mutated', () => {
    const list = ['a', 'b', 'c'];
    expect(moveDraft(list, 1, -1)).toEqual(['b', 'a', 'c']);
    expect(moveDraft(list, 1, 1)).toEqual(['a', 'c', 'b']);
    expect(moveDraft(list, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveDraft(list, 2, 1)).toEqual(['a', 'b', 'c']);
    expect(moveDraft(list, 5, 1)).toEqual(['a', 'b', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('suggests a valid key from a Spanish label', () => {
    expect(suggestKey('Número de documento')).toBe('numero_de_documento');
    expect(suggestKey('  ¿Acepta términos?  ')).toBe('acepta_terminos');
    expect(suggestKey('Teléfono (2)')).toBe('telefono_2');
    expect(suggestKey('Año')).toBe('ano');
    expect(suggestKey('!!!')).toBe('');
  });
});

describe('a field key derived from its label', () => {
  const none = new Set<string>();

  it('is the label lowercased, without accents, non-alphanumerics as _', () => {
    expect(deriveKey('Número de contrato', none)).toBe('numero_de_contrato');
    expect(deriveKey('  ¿Acepta términos y condiciones?  ', none)).toBe('acepta_terminos_y_condiciones');
    expect(deriveKey('Ñandú / Pingüino', none)).toBe('nandu_pinguino');
    expect(deriveKey('E-mail (trabajo)', none)).toBe('e_mail_trabajo');
  });

  it('starts with a letter, and says something when the label cannot', () => {
    expect(deriveKey('1er contacto', none)).toBe('campo_1er_contacto');
    expect(deriveKey('¿?', none)).toBe('campo');
  });

  it('is unique within the form by a suffix, and at most 64 long', () => {
    expect(deriveKey('Motivo', new Set(['motivo']))).toBe('motivo_2');
    expect(deriveKey('Motivo', new Set(['motivo', 'motivo_2']))).toBe('motivo_3');
    const long = 'palabra '.repeat(20);
    const first = deriveKey(long, none);
    expect(first.length).toBeLessThanOrEqual(64);
    const second = deriveKey(long, new Set([first]));
    expect(second).toMatch(/_2$/);
    expect(second.length).toBeLessThanOrEqual(64);
    expect(isValid([draft({ key: second })])).toBe(true);
  });

  it('follows the label until edited; a published key never follows', () => {
    const published = fieldToDraft({ key: 'motivo', label: 'Motivo', type: 'text', required: false, options: null });
    const fresh = { ...emptyDraft(), label: 'Motivo' };
    const typed = { ...emptyDraft(), label: 'Otro nombre', key: 'mi_clave', keyFixed: true };
    let rows = withDerivedKeys([published, fresh, typed]);
    expect(rows.map((r) => r.key)).toEqual(['motivo', 'motivo_2', 'mi_clave']);
    // The published field is relabelled: its key stays; the new one follows its own label.
    rows = withDerivedKeys([{ ...rows[0]!, label: 'Motivo de la llamada' }, { ...rows[1]!, label: 'Detalle' }, rows[2]!]);
    expect(rows.map((r) => r.key)).toEqual(['motivo', 'detalle', 'mi_clave']);
    // A cleared label leaves the key empty, to be derived again.
    expect(withDerivedKeys([{ ...fresh, label: '  ' }])[0]!.key).toBe('');
  });

  it('the first row keeps its key when a later one takes the same label', () => {
    const a = { ...emptyDraft(), label: 'Nombre' };
    const b = { ...emptyDraft(), label: 'Nombre' };
    expect(withDerivedKeys([a, b]).map((r) => r.key)).toEqual(['nombre', 'nombre_2']);
  });
});
