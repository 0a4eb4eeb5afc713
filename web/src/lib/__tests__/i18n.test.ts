import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, dictionaries, isLang, translate } from '../i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('es and en have exactly the same keys', () => {
    expect(Object.keys(dictionaries.en).sort()).toEqual(Object.keys(dictionaries.es).sort());
  });

  it('no text is empty', () => {
    for (const [lang, dict] of Object.entries(dictionaries)) {
      for (const [key, text] of Object.entries(dict)) {
        expect(text.trim(), `${lang}:${key}`).not.toBe('');
      }
    }
  });

  it('both languages use the same placeholders', () => {
    for (const key of Object.keys(dictionaries.es) as (keyof typeof dictionaries.es)[]) {
      expect(placeholders(dictionaries.en[key]), key).toEqual(placeholders(dictionaries.es[key]));
    }
  });

  it('Spanish is the default', () => {
    expect(DEFAULT_LANG).toBe('es');
    expect(translate('es', 'status.available')).toBe('Disponible');
    expect(translate('es', 'status.paused')).toBe('En pausa');
    expect(translate('es', 'status.offline')).toBe('Desconectado');
    expect(translate('es', 'end.button')).toBe('Terminar atención');
  });

  it('fills placeholders', () => {
    expect(translate('es', 'queues.count', { n: 3 })).toBe('Encoladas: 3');
    expect(translate('es', 'chat.attentionId', { id: 42 })).toBe('ID de atención: 42');
    expect(translate('en', 'chat.attentionId', { id: 42 })).toBe('Attention ID: 42');
    expect(translate('en', 'queues.count')).toBe('Queued: {n}');
  });

  it('recognises languages', () => {
    expect(isLang('es')).toBe(true);
    expect(isLang('en')).toBe(true);
    expect(isLang('fr')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});
