// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api';
import { fieldErrorTexts, refusalText } from '../refusals';

describe('refusal texts', () => {
  it('a refusal shows the text of its code in the UI language, never the server detail', () => {
    const e = new ApiError(409, 'Otro agente ya tomó esta atención.', 'already_taken');
    expect(refusalText('en', e)).toBe('Another agent already took this attention.');
    expect(refusalText('es', e)).toBe('Otro agente ya tomó esta atención.');
  });

  it('fills the params the server sent', () => {
    const e = new ApiError(422, 'El archivo pesa…', 'file_refused', null, null, {
      reason: 'size',
      size_mb: 7.2,
      limit_mb: 5,
      kind: 'image',
    });
    expect(refusalText('en', e)).toBe('The file weighs 7.2 MB; WhatsApp accepts up to 5 MB for this kind of file.');
  });

  it('a throttled login says how long to wait, from Retry-After when the body does not', () => {
    const e = new ApiError(429, 'Demasiados intentos…', 'too_many_attempts', null, 12);
    expect(refusalText('en', e)).toBe('Too many failed attempts. Wait 12 s before trying again.');
  });

  it('an unknown code or no code at all shows a generic text in the UI language', () => {
    expect(refusalText('en', new ApiError(409, 'Algo nuevo que el cliente no conoce.', 'brand_new'))).toBe(
      'Something went wrong. Please try again.',
    );
    expect(refusalText('en', new ApiError(500, 'Error interno'))).toBe('Something went wrong. Please try again.');
    expect(refusalText('en', new ApiError(401, null), 'bad_credentials')).toBe('Wrong username or password.');
    expect(refusalText('es', new NetworkError(new Error('down')))).toBe('No se pudo conectar con el servidor.');
  });

  it('field messages are said by their codes; a field without a known code is just not valid', () => {
    const errors = { notas: 'Máximo 500 caracteres.', edad: 'Debe ser un número.', otro: 'Algo raro.' };
    const codes = { notas: { code: 'too_long', params: { max: 500 } }, edad: { code: 'not_number', params: {} } };
    expect(fieldErrorTexts('en', errors, codes)).toEqual({
      notas: 'At most 500 characters.',
      edad: 'Must be a number.',
      otro: 'Not a valid value.',
    });
    expect(fieldErrorTexts('es', errors, codes).notas).toBe('Máximo 500 caracteres.');
  });
});
