// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  MAX_PARAM,
  cleanParams,
  draftPayload,
  draftProblems,
  paramsFor,
  placeholderCount,
  renderTemplate,
  templateProblem,
  templateSegments,
} from '../templates';

const BODY = 'Hola {{1}}, su pedido {{2}} sigue pendiente.';

describe('templates: placeholders', () => {
  it('counts by the highest placeholder, like the server', () => {
    expect(placeholderCount('Sin valores.')).toBe(0);
    expect(placeholderCount(BODY)).toBe(2);
    expect(placeholderCount('{{1}} y otra vez {{1}}')).toBe(1);
    expect(placeholderCount('{{1}} … {{3}}')).toBe(3);
    expect(placeholderCount('{{10}} {{2}}')).toBe(10);
    // Not placeholders: single braces, names, spaces inside.
    expect(placeholderCount('{1} {{nombre}} {{ 2 }}')).toBe(0);
  });

  it('one input per placeholder, keeping what was typed', () => {
    expect(paramsFor({ body: BODY, params: 2 })).toEqual(['', '']);
    expect(paramsFor({ body: BODY, params: 2 }, ['Ana'])).toEqual(['Ana', '']);
    expect(paramsFor({ body: 'Hola', params: 0 }, ['x'])).toEqual([]);
    // The server's count wins if it says more (and the body, if the count is missing).
    expect(paramsFor({ body: '{{1}}', params: 2 })).toEqual(['', '']);
    expect(paramsFor({ body: '{{1}} {{2}}', params: undefined as unknown as number })).toEqual(['', '']);
  });
});

describe('templates: rendering', () => {
  it('fills every occurrence; a blank value leaves its {{n}}', () => {
    expect(renderTemplate(BODY, ['Ana', 'A-17'])).toBe('Hola Ana, su pedido A-17 sigue pendiente.');
    expect(renderTemplate(BODY, ['Ana', '  '])).toBe('Hola Ana, su pedido {{2}} sigue pendiente.');
    expect(renderTemplate(BODY, [])).toBe(BODY);
    expect(renderTemplate('{{1}}/{{1}}', ['x'])).toBe('x/x');
  });

  it('values are text: markup and $-patterns are not interpreted', () => {
    expect(renderTemplate('A {{1}} B', ['$& <b>x</b> $1'])).toBe('A $& <b>x</b> $1 B');
  });

  it('segments mark which placeholders are filled', () => {
    expect(templateSegments(BODY, ['Ana', ''])).toEqual([
      { kind: 'text', text: 'Hola ' },
      { kind: 'param', n: 1, value: 'Ana', filled: true },
      { kind: 'text', text: ', su pedido ' },
      { kind: 'param', n: 2, value: '{{2}}', filled: false },
      { kind: 'text', text: ' sigue pendiente.' },
    ]);
    expect(templateSegments('{{1}}', ['x'])).toEqual([{ kind: 'param', n: 1, value: 'x', filled: true }]);
  });
});

describe('templates: validation', () => {
  it('refuses a wrong number of values', () => {
    expect(templateProblem(BODY, ['Ana'])).toEqual({ code: 'count', needed: 2, given: 1 });
    expect(templateProblem(BODY, ['a', 'b', 'c'])).toEqual({ code: 'count', needed: 2, given: 3 });
    expect(templateProblem('Sin valores', [])).toBeNull();
  });

  it('refuses empty (or blank) values, naming the first one', () => {
    expect(templateProblem(BODY, ['', ''])).toEqual({ code: 'empty', n: 1 });
    expect(templateProblem(BODY, ['Ana', '   '])).toEqual({ code: 'empty', n: 2 });
  });

  it('refuses line breaks and values over 1024 characters', () => {
    expect(templateProblem(BODY, ['Ana', 'a\nb'])).toEqual({ code: 'newline', n: 2 });
    expect(templateProblem(BODY, ['x'.repeat(MAX_PARAM + 1), 'b'])).toEqual({ code: 'tooLong', n: 1 });
    expect(templateProblem(BODY, ['x'.repeat(MAX_PARAM), 'b'])).toBeNull();
  });

  it('accepts filled values; sent trimmed', () => {
    expect(templateProblem(BODY, ['Ana', 'A-17'])).toBeNull();
    expect(cleanParams([' Ana ', 'A-17'])).toEqual(['Ana', 'A-17']);
  });
});

describe('templates: a new one (supervisors)', () => {
  const ok = { name: 'recordatorio_pedido', language: 'es_MX', body: BODY };

  it('accepts what the server accepts', () => {
    expect(draftProblems(ok)).toEqual({});
    expect(draftProblems({ ...ok, language: 'es' })).toEqual({});
    expect(draftProblems({ ...ok, body: 'Sin valores' })).toEqual({});
  });

  it('names as in Meta, languages like es_MX, a body', () => {
    expect(draftProblems({ ...ok, name: 'Recordatorio Pedido' }).name).toBe('name');
    expect(draftProblems({ ...ok, name: '' }).name).toBe('name');
    expect(draftProblems({ ...ok, language: 'es-MX' }).language).toBe('language');
    expect(draftProblems({ ...ok, language: 'ES' }).language).toBe('language');
    expect(draftProblems({ ...ok, body: '  ' }).body).toBe('bodyEmpty');
    expect(draftProblems({ ...ok, body: 'x'.repeat(1025) }).body).toBe('bodyTooLong');
  });

  it('placeholders numbered from 1 without gaps', () => {
    expect(draftProblems({ ...ok, body: 'Hola {{1}} y {{3}}' }).body).toBe('bodyGap');
    expect(draftProblems({ ...ok, body: 'Hola {{0}}' }).body).toBe('bodyGap');
    expect(draftProblems({ ...ok, body: '{{2}} {{1}}' }).body).toBeUndefined();
  });

  it('sends trimmed fields', () => {
    expect(draftPayload({ name: ' a_b ', language: ' es ', body: ' Hola \n' })).toEqual({
      name: 'a_b',
      language: 'es',
      body: 'Hola',
    });
  });
});
