// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { firstErrorKey, fromInput, fromInputs, isEmptyInput, parseNumber, toInput, toInputs } from '../form';
import type { FieldType, FormField } from '../types';

const field = (type: FieldType, over: Partial<FormField> = {}): FormField => ({
  key: type,
  label: type,
  type,
  required: false,
  options: type === 'select' || type === 'multi_select' ? ['Rojo', 'Verde', 'Azul'] : null,
  ...over,
});

describe('form values: stored → input', () => {
  it('text types show strings; nothing shows empty', () => {
    for (const t of ['text', 'long_text', 'phone', 'email'] as const) {
      expect(toInput(field(t), 'hola')).toBe('hola');
      expect(toInput(field(t), null)).toBe('');
      expect(toInput(field(t), undefined)).toBe('');
    }
    expect(toInput(field('text'), 42)).toBe('42');
  });

  it('number shows its digits', () => {
    expect(toInput(field('number'), 3.5)).toBe('3.5');
    expect(toInput(field('number'), 0)).toBe('0');
    expect(toInput(field('number'), null)).toBe('');
    expect(toInput(field('number'), Number.NaN)).toBe('');
  });

  it('date keeps YYYY-MM-DD (a datetime is cut to its day)', () => {
    expect(toInput(field('date'), '2026-11-25')).toBe('2026-11-25');
    expect(toInput(field('date'), '2026-11-25T10:00:00Z')).toBe('2026-11-25');
    expect(toInput(field('date'), 'ayer')).toBe('');
    expect(toInput(field('date'), null)).toBe('');
  });

  it('select shows the option or none', () => {
    expect(toInput(field('select'), 'Verde')).toBe('Verde');
    expect(toInput(field('select'), null)).toBe('');
  });

  it('multi_select is a list (a lone string counts as one)', () => {
    expect(toInput(field('multi_select'), ['Rojo', 'Azul'])).toEqual(['Rojo', 'Azul']);
    expect(toInput(field('multi_select'), 'Rojo')).toEqual(['Rojo']);
    expect(toInput(field('multi_select'), null)).toEqual([]);
  });

  it('checkbox is a bool', () => {
    expect(toInput(field('checkbox'), true)).toBe(true);
    expect(toInput(field('checkbox'), false)).toBe(false);
    expect(toInput(field('checkbox'), null)).toBe(false);
  });
});

describe('form values: input → stored', () => {
  it('text types stay strings as typed', () => {
    expect(fromInput(field('text'), 'Juan ')).toBe('Juan ');
    expect(fromInput(field('long_text'), 'a\nb')).toBe('a\nb');
    expect(fromInput(field('phone'), '+52 55 1234 5678')).toBe('+52 55 1234 5678');
    expect(fromInput(field('email'), 'a@b.co')).toBe('a@b.co');
    expect(fromInput(field('text'), '')).toBe('');
  });

  it('number becomes a number; empty is null; a decimal comma is accepted', () => {
    expect(fromInput(field('number'), '42')).toBe(42);
    expect(fromInput(field('number'), ' 3,5 ')).toBe(3.5);
    expect(fromInput(field('number'), '-0.25')).toBe(-0.25);
    expect(fromInput(field('number'), '')).toBeNull();
    expect(fromInput(field('number'), '  ')).toBeNull();
  });

  it('something that is not a number is sent as typed, for the server to refuse', () => {
    expect(fromInput(field('number'), 'doce')).toBe('doce');
  });

  it('date is YYYY-MM-DD or null', () => {
    expect(fromInput(field('date'), '2026-11-25')).toBe('2026-11-25');
    expect(fromInput(field('date'), '')).toBeNull();
  });

  it('select is one option or null', () => {
    expect(fromInput(field('select'), 'Azul')).toBe('Azul');
    expect(fromInput(field('select'), '')).toBeNull();
  });

  it('multi_select is a list in the order of the options', () => {
    expect(fromInput(field('multi_select'), ['Azul', 'Rojo'])).toEqual(['Rojo', 'Azul']);
    expect(fromInput(field('multi_select'), [])).toEqual([]);
  });

  it('checkbox is true or false', () => {
    expect(fromInput(field('checkbox'), true)).toBe(true);
    expect(fromInput(field('checkbox'), false)).toBe(false);
  });

  it('round-trips every type', () => {
    const fields = (['text', 'long_text', 'number', 'date', 'select', 'multi_select', 'checkbox', 'phone', 'email'] as const).map((t) =>
      field(t),
    );
    const stored = {
      text: 'Juan',
      long_text: 'línea 1\nlínea 2',
      number: 12.5,
      date: '2026-01-31',
      select: 'Verde',
      multi_select: ['Rojo', 'Azul'],
      checkbox: true,
      phone: '+5215550001',
      email: 'juan@example.com',
    };
    expect(fromInputs(fields, toInputs(fields, stored))).toEqual(stored);
  });

  it('sends one value per field of the form, nothing else', () => {
    const fields = [field('text'), field('checkbox'), field('multi_select')];
    expect(fromInputs(fields, { text: 'x', stray: 'y' })).toEqual({ text: 'x', checkbox: false, multi_select: [] });
  });
});

describe('form helpers', () => {
  it('parseNumber', () => {
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('1.234,5')).toBeNull();
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('abc')).toBeNull();
  });

  it('isEmptyInput per type', () => {
    expect(isEmptyInput(field('text'), '  ')).toBe(true);
    expect(isEmptyInput(field('text'), 'a')).toBe(false);
    expect(isEmptyInput(field('checkbox'), false)).toBe(true);
    expect(isEmptyInput(field('checkbox'), true)).toBe(false);
    expect(isEmptyInput(field('multi_select'), [])).toBe(true);
    expect(isEmptyInput(field('select'), undefined)).toBe(true);
  });

  it('firstErrorKey follows the order of the form', () => {
    const fields = [field('text', { key: 'a' }), field('text', { key: 'b' }), field('text', { key: 'c' })];
    expect(firstErrorKey(fields, { c: 'x', b: 'y' })).toBe('b');
    expect(firstErrorKey(fields, {})).toBeNull();
    expect(firstErrorKey(fields, { z: 'x' })).toBe('z');
  });
});
