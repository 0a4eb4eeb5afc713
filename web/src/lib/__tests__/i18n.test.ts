// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANG, dictionaries, errorMessage, isLang, namespaces, translate } from '../i18n';
import { errorCatalogues } from '../i18n/errors';

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

  it('no two namespaces define the same key', () => {
    const seen = new Map<string, string>();
    for (const [name, ns] of Object.entries(namespaces)) {
      for (const key of Object.keys(ns.es)) {
        expect(seen.get(key), `${key} in ${name}`).toBeUndefined();
        seen.set(key, name);
      }
    }
  });

  it('speaks Spanish with the product words (supervisor)', () => {
    expect(translate('es', 'tab.attentions')).toBe('Atenciones en curso');
    expect(translate('es', 'routing.least_busy')).toBe('Al agente con menos atenciones');
    expect(translate('es', 'routing.round_robin')).toBe('Consecutiva');
    expect(translate('es', 'routing.random')).toBe('Aleatorio');
    expect(translate('es', 'routing.offer_all')).toBe('A todos');
    expect(translate('es', 'move.anyAgent')).toBe('Cualquier agente');
    expect(translate('es', 'form.saved', { n: 4 })).toBe('Guardado: versión 4.');
    expect(translate('en', 'form.saved', { n: 4 })).toBe('Saved: version 4.');
  });

  it('the refusal catalogues have the same codes and placeholders in both languages', () => {
    expect(Object.keys(errorCatalogues.en).sort()).toEqual(Object.keys(errorCatalogues.es).sort());
    for (const [code, text] of Object.entries(errorCatalogues.es)) {
      expect(placeholders(errorCatalogues.en[code]!), code).toEqual(placeholders(text));
    }
  });

  it('translates a refusal by its code, the precise cause first, with its params', () => {
    expect(errorMessage('en', 'agent_full')).toBe('The chosen agent has no room or is offline.');
    expect(errorMessage('es', 'file_refused', { reason: 'size', size_mb: 7.5, limit_mb: 5, kind: 'image' })).toBe(
      'El archivo pesa 7.5 MB; WhatsApp admite hasta 5 MB para este tipo de archivo.',
    );
    expect(errorMessage('en', 'file_refused', { reason: 'never_heard_of' })).toBe('WhatsApp does not accept this file.');
    expect(errorMessage('en', 'no_such_code')).toBeNull();
  });
});
