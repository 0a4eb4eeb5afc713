import { describe, expect, it } from 'vitest';
import { type SupKey, supDictionaries, supTranslate } from '../../lib/i18n-supervisor';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('supervisor i18n', () => {
  it('es and en have exactly the same keys', () => {
    expect(Object.keys(supDictionaries.en).sort()).toEqual(Object.keys(supDictionaries.es).sort());
  });

  it('no text is empty', () => {
    for (const [lang, dict] of Object.entries(supDictionaries)) {
      for (const [key, text] of Object.entries(dict)) expect(text.trim(), `${lang}:${key}`).not.toBe('');
    }
  });

  it('both languages use the same placeholders', () => {
    for (const key of Object.keys(supDictionaries.es) as SupKey[]) {
      expect(placeholders(supDictionaries.en[key]), key).toEqual(placeholders(supDictionaries.es[key]));
    }
  });

  it('speaks Spanish with the product words', () => {
    expect(supTranslate('es', 'tab.attentions')).toBe('Atenciones en curso');
    expect(supTranslate('es', 'routing.least_busy')).toBe('Al agente con menos atenciones');
    expect(supTranslate('es', 'routing.round_robin')).toBe('Consecutiva');
    expect(supTranslate('es', 'routing.random')).toBe('Aleatorio');
    expect(supTranslate('es', 'routing.offer_all')).toBe('A todos');
    expect(supTranslate('es', 'move.anyAgent')).toBe('Cualquier agente');
    expect(supTranslate('es', 'form.saved', { n: 4 })).toBe('Guardado: versión 4.');
    expect(supTranslate('en', 'form.saved', { n: 4 })).toBe('Saved: version 4.');
  });
});
