import { describe, expect, it } from 'vitest';
import { isNotice, mapUrl, messageBody, quoteOf, reactionsOf, safeUrl } from '../content';
import type { Message } from '../types';
import { message } from './fixtures';

const body = (over: Partial<Message>) => messageBody(message(1, 1, over));
/** A payload that breaks the contract (the client must still cope). */
const malformed = (c: unknown) => c as Message['content'];

describe('safeUrl', () => {
  it('keeps http(s) and same-site paths', () => {
    expect(safeUrl('https://cdn.example.com/a.jpg')).toBe('https://cdn.example.com/a.jpg');
    expect(safeUrl('/api/media/4')).toBe('/api/media/4');
  });

  it('refuses other schemes and non-strings', () => {
    for (const u of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:x', '', null, 3, {}]) {
      expect(safeUrl(u), String(u)).toBeNull();
    }
  });

  it('absolute only when asked', () => {
    expect(safeUrl('/x', false)).toBeNull();
    expect(safeUrl('www.example.com', false)).toBeNull();
    expect(safeUrl('https://www.example.com', false)).toBe('https://www.example.com');
  });

  it("a customer's link never points at this app", () => {
    const here = globalThis.location.href;
    const { protocol, hostname, host } = new URL(here);
    for (const u of [
      `${protocol}//${host}/api/messages/7/media`,
      `${protocol}//${hostname}:9999/`,
      `${protocol}//${host}/`,
      'https://other.example.com/api/messages/7/media',
      'https://other.example.com/webhooks/whatsapp',
    ]) {
      expect(safeUrl(u, false), u).toBeNull();
    }
    expect(safeUrl('https://maps.example.com/api-docs', false)).toBe('https://maps.example.com/api-docs');
  });
});

describe('mapUrl', () => {
  it('points OpenStreetMap at the coordinates', () => {
    expect(mapUrl(-12.05, -77.04)).toBe('https://www.openstreetmap.org/?mlat=-12.05&mlon=-77.04#map=17/-12.05/-77.04');
  });
  it('none for missing or impossible coordinates', () => {
    expect(mapUrl(null, 1)).toBeNull();
    expect(mapUrl(91, 0)).toBeNull();
    expect(mapUrl(0, 181)).toBeNull();
  });
});

describe('messageBody', () => {
  it('text from `text`, else `content.body`', () => {
    expect(body({ text: 'hola' })).toEqual({ kind: 'text', text: 'hola' });
    expect(body({ text: null, content: { body: 'cuerpo' } })).toEqual({ kind: 'text', text: 'cuerpo' });
  });

  it('media: the URL only when safe, caption from content or text', () => {
    const b = body({
      type: 'image',
      text: 'pie',
      content: { media_id: '1', mime_type: 'image/jpeg', url: 'javascript:alert(1)' },
    });
    expect(b).toMatchObject({ kind: 'media', media: 'image', url: null, caption: 'pie', mimeType: 'image/jpeg' });
    expect(body({ type: 'audio', text: null, content: { media_id: '1', mime_type: 'audio/ogg', voice: true, url: '/m/1' } })).toMatchObject({
      kind: 'media',
      media: 'audio',
      voice: true,
      url: '/m/1',
    });
  });

  it('location with string coordinates and a bad URL', () => {
    expect(
      body({ type: 'location', text: null, content: malformed({ latitude: '10.5', longitude: 'x', url: 'javascript:1' }) }),
    ).toEqual({
      kind: 'location',
      latitude: 10.5,
      longitude: null,
      name: null,
      address: null,
      url: null,
      mapUrl: null,
    });
  });

  it('contacts tolerate missing lists and WhatsApp’s name object', () => {
    expect(
      body({ type: 'contacts', text: null, content: malformed({ contacts: [{ name: { formatted_name: 'Ana' }, phones: ['1', 2] }] }) }),
    ).toEqual({ kind: 'contacts', contacts: [{ name: 'Ana', phones: ['1'], emails: [] }] });
    expect(body({ type: 'contacts', text: null, content: null })).toEqual({ kind: 'contacts', contacts: [] });
  });

  it('interactive, button, unsupported, notices, others', () => {
    expect(body({ type: 'interactive', content: { kind: 'button_reply', id: 'b1', title: 'Sí' } })).toEqual({
      kind: 'interactive',
      title: 'Sí',
      description: null,
    });
    expect(body({ type: 'button', text: null, content: { text: 'Ok', payload: 'OK' } })).toEqual({ kind: 'button', text: 'Ok' });
    expect(body({ type: 'unsupported', content: { kind: null, error: 'x' } })).toEqual({ kind: 'unsupported', reason: null, error: 'x' });
    expect(isNotice(body({ type: 'request_welcome', text: null, content: {} }))).toBe(true);
    expect(body({ type: 'system', text: null, content: { kind: 'user_changed_number', body: 'Cambió' } })).toEqual({
      kind: 'system',
      body: 'Cambió',
    });
    expect(isNotice(body({ type: 'text' }))).toBe(false);
    expect(body({ type: 'order', text: null, content: { raw_type: 'order' } })).toEqual({ kind: 'other', type: 'order' });
    // An older server: an unknown type with only text shows the text.
    expect(body({ type: 'reaction', text: '👍' })).toEqual({ kind: 'text', text: '👍' });
  });

  it('template: the rendered text, its name and language', () => {
    expect(
      body({
        type: 'template',
        direction: 'out',
        text: 'Hola Ana',
        content: { name: 'saludo', language: 'es_MX', params: ['Ana'] },
      }),
    ).toEqual({ kind: 'template', text: 'Hola Ana', name: 'saludo', language: 'es_MX' });
    expect(body({ type: 'template', text: null, content: null })).toEqual({
      kind: 'template',
      text: '',
      name: null,
      language: null,
    });
  });
});

describe('quoteOf / reactionsOf', () => {
  it('reads reply_to', () => {
    expect(quoteOf(message(1, 1))).toBeNull();
    expect(quoteOf(message(1, 1, { reply_to: { message_id: 4, text: 'x', type: 'text' } }))).toEqual({
      messageId: 4,
      text: 'x',
      type: 'text',
    });
    expect(quoteOf(message(1, 1, { reply_to: { message_id: null, text: '', type: null } }))).toEqual({
      messageId: null,
      text: null,
      type: null,
    });
  });

  it('keeps well-formed reactions only', () => {
    const reactions = [
      { emoji: '👍', by: 'customer' },
      { emoji: '', by: 'agent' },
      { emoji: '❤️', by: 'someone' },
      null,
    ] as unknown as Message['reactions'];
    expect(reactionsOf(message(1, 1, { reactions }))).toEqual([{ emoji: '👍', by: 'customer' }]);
    expect(reactionsOf(message(1, 1))).toEqual([]);
  });
});
