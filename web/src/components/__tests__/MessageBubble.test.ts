import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import MessageBubble from '../MessageBubble.svelte';
import { app } from '../../lib/store.svelte';
import type { Message } from '../../lib/types';
import { message } from '../../lib/__tests__/fixtures';

/** Markup that must come out as text, never as elements. */
const EVIL = '<img src=x onerror="window.__pwned=1" data-injected><b data-injected>negrita</b>';

const q = (sel: string) => document.querySelector<HTMLElement>(sel);
const qa = (sel: string) => [...document.querySelectorAll<HTMLElement>(sel)];
const byTestId = (id: string) => q(`[data-testid="${id}"]`);
const text = () => document.body.textContent ?? '';

describe('MessageBubble', () => {
  let cmp: ReturnType<typeof mount> | null = null;

  function render(m: Message, props: Record<string, unknown> = {}) {
    cmp = mount(MessageBubble, { target: document.body, props: { message: m, ...props } });
    flushSync();
    return byTestId('message')!;
  }

  beforeEach(() => app.setLang('es'));
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  const noInjection = () => {
    expect(q('[data-injected]')).toBeNull();
    expect(q('b')).toBeNull();
  };

  it('text: data-type, .text, and markup shown as text', () => {
    const el = render(message(1, 1, { text: EVIL, content: { body: EVIL } }));
    expect(el.dataset.type).toBe('text');
    expect(el.dataset.messageId).toBe('1');
    expect(el.dataset.direction).toBe('in');
    expect(el.querySelector('.text')!.textContent).toBe(EVIL);
    noInjection();
  });

  it("WhatsApp's formatting and http(s) links as elements, the rest as text", () => {
    const text = '*Hola* _tú_ ~no~ `x` ```<b>y</b>``` https://ejemplo.pe/a_b javascript:alert(1) <img src=x onerror=alert(1)>';
    const el = render(message(3, 1, { text, content: { body: text } }));
    const body = el.querySelector('.text')!;
    expect(body.querySelector('strong')!.textContent).toBe('Hola');
    expect(body.querySelector('em')!.textContent).toBe('tú');
    expect(body.querySelector('s')!.textContent).toBe('no');
    expect(body.querySelector('code:not(.mono)')!.textContent).toBe('x');
    expect(body.querySelector('code.mono')!.textContent).toBe('<b>y</b>');
    const links = body.querySelectorAll('a');
    expect(links).toHaveLength(1);
    expect(links[0]!.getAttribute('href')).toBe('https://ejemplo.pe/a_b');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(body.textContent).toContain('javascript:alert(1) <img src=x onerror=alert(1)>');
    expect(body.querySelector('img')).toBeNull();
    noInjection();
  });

  it('plain outgoing text without content', () => {
    const el = render(message(2, 1, { direction: 'out', status: 'read', text: 'listo', content: null }));
    expect(el.dataset.status).toBe('read');
    expect(el.querySelector('.text')!.textContent).toBe('listo');
    expect(byTestId('message-tick')!.classList.contains('read')).toBe(true);
  });

  it('a voice note played: read ticks, a small ▶ and "Reproducido"', () => {
    const el = render(
      message(5, 1, {
        direction: 'out',
        status: 'played',
        type: 'audio',
        text: null,
        content: { media_id: 'm5', mime_type: 'audio/ogg', voice: true, url: '/api/messages/5/media' },
      }),
    );
    expect(el.dataset.status).toBe('played');
    const tick = byTestId('message-tick')!;
    expect(tick.classList.contains('read')).toBe(true);
    expect(tick.textContent).toBe('✓✓▶');
    expect(tick.title).toBe('Reproducido');
  });

  describe('media not downloaded yet: a placeholder card with the caption', () => {
    const media = (type: string, content: Record<string, unknown>, text: string | null = null) =>
      message(3, 1, { type, text, content: { media_id: 'm1', mime_type: 'x/y', url: null, ...content } });

    it.each([
      ['image', {}, 'Imagen recibida'],
      ['audio', { voice: true }, 'Nota de voz'],
      ['audio', {}, 'Audio'],
      ['video', {}, 'Video'],
      ['document', { filename: 'factura.pdf' }, 'Documento «factura.pdf»'],
      ['sticker', { animated: true }, 'Sticker'],
    ])('%s %j → %s', (type, extra, label) => {
      const el = render(media(type, extra));
      expect(el.dataset.type).toBe(type);
      const card = byTestId('message-media')!;
      expect(card.dataset.ready).toBe('false');
      expect(card.textContent).toContain(label);
      expect(card.querySelector('img, audio, video, a')).toBeNull();
    });

    it('the caption (also in text) is shown once, as text', () => {
      render(media('image', { caption: EVIL }, EVIL));
      expect(qa('.text').map((e) => e.textContent)).toEqual([EVIL]);
      noInjection();
    });

    it('a document name with markup stays text', () => {
      render(media('document', { filename: EVIL }));
      expect(byTestId('message-media')!.textContent).toContain(`Documento «${EVIL}»`);
      noInjection();
    });
  });

  describe('downloaded media', () => {
    const media = (type: string, content: Record<string, unknown>) =>
      message(4, 1, { type, text: null, content: { media_id: 'm1', mime_type: 'x/y', url: '/api/media/4', ...content } });

    it('image inline', () => {
      render(media('image', { caption: 'mi foto' }));
      const img = byTestId('message-media')!.querySelector('img')!;
      expect(img.getAttribute('src')).toBe('/api/media/4');
      expect(img.getAttribute('alt')).toBe('mi foto');
      expect(byTestId('message-media')!.dataset.ready).toBe('true');
      expect(q('.text')!.textContent).toBe('mi foto');
    });

    it('sticker small', () => {
      render(media('sticker', {}));
      expect(byTestId('message-media')!.querySelector('img.sticker-img')!.getAttribute('src')).toBe('/api/media/4');
    });

    it('audio and voice notes with controls', () => {
      render(media('audio', { voice: true }));
      const audio = byTestId('message-media')!.querySelector('audio')!;
      expect(audio.hasAttribute('controls')).toBe(true);
      expect(audio.getAttribute('src')).toBe('/api/media/4');
      expect(byTestId('message-media')!.textContent).toContain('Nota de voz');
    });

    it('video with controls', () => {
      render(media('video', {}));
      const video = byTestId('message-media')!.querySelector('video')!;
      expect(video.hasAttribute('controls')).toBe(true);
      expect(video.getAttribute('src')).toBe('/api/media/4');
    });

    it('document: a download link with the file name', () => {
      render(media('document', { filename: 'contrato.pdf' }));
      const a = byTestId('message-media')!.querySelector('a')!;
      expect(a.getAttribute('href')).toBe('/api/media/4');
      expect(a.getAttribute('download')).toBe('contrato.pdf');
      expect(a.textContent).toContain('contrato.pdf');
    });

    it('a javascript: URL is never used: the placeholder stays', () => {
      render(media('document', { filename: 'x.pdf', url: 'javascript:alert(1)' }));
      expect(byTestId('message-media')!.dataset.ready).toBe('false');
      expect(q('a')).toBeNull();
    });
  });

  it('location: name, address and an OpenStreetMap link', () => {
    const el = render(
      message(5, 1, {
        type: 'location',
        text: null,
        content: { latitude: 19.4326, longitude: -99.1332, name: EVIL, address: 'Plaza de la Constitución' },
      }),
    );
    expect(el.dataset.type).toBe('location');
    const card = byTestId('message-location')!;
    expect(card.textContent).toContain(EVIL);
    expect(card.textContent).toContain('Plaza de la Constitución');
    const link = [...card.querySelectorAll('a')].find((a) => a.textContent === 'Ver en el mapa')!;
    expect(link.getAttribute('href')).toBe(
      'https://www.openstreetmap.org/?mlat=19.4326&mlon=-99.1332#map=17/19.4326/-99.1332',
    );
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toContain('noopener');
    noInjection();
  });

  it('contacts: one card per entry', () => {
    render(
      message(6, 1, {
        type: 'contacts',
        text: null,
        content: {
          contacts: [
            { name: 'Ana Pérez', phones: ['+52 55 1234 5678'], emails: ['ana@example.com'] },
            { name: EVIL, phones: [], emails: [] },
          ],
        },
      }),
    );
    const cards = qa('[data-testid="message-contact"]');
    expect(cards).toHaveLength(2);
    expect(cards[0]!.textContent).toContain('Ana Pérez');
    expect(cards[0]!.textContent).toContain('+52 55 1234 5678');
    expect(cards[0]!.textContent).toContain('ana@example.com');
    expect(cards[1]!.textContent).toContain(EVIL);
    noInjection();
  });

  it('interactive: "Respondió: {title}"', () => {
    render(
      message(7, 1, {
        type: 'interactive',
        text: null,
        content: { kind: 'list_reply', id: 'opt-2', title: EVIL, description: 'Segunda opción' },
      }),
    );
    expect(q('.text')!.textContent).toBe(`Respondió: ${EVIL}`);
    expect(text()).toContain('Segunda opción');
    noInjection();
  });

  it('button: "Pulsó: {text}"', () => {
    render(message(8, 1, { type: 'button', text: null, content: { text: 'Sí, confirmo', payload: 'YES' } }));
    expect(q('.text')!.textContent).toBe('Pulsó: Sí, confirmo');
  });

  it('unsupported: the notice and the kind/error in small text', () => {
    render(
      message(9, 1, { type: 'unsupported', text: null, content: { kind: 'poll', error: 'Message type unknown' } }),
    );
    expect(q('.text')!.textContent).toBe('Mensaje no compatible con WhatsApp Cloud API');
    expect(text()).toContain('poll');
    expect(text()).toContain('Message type unknown');
  });

  it('request_welcome: a centred notice, no bubble', () => {
    const el = render(message(10, 1, { type: 'request_welcome', text: null, content: {} }));
    expect(el.dataset.type).toBe('request_welcome');
    expect(byTestId('message-notice')!.textContent).toContain('El cliente abrió el chat');
    expect(el.querySelector('.bubble')).toBeNull();
  });

  it('system: a centred notice with its body', () => {
    render(message(11, 1, { type: 'system', text: null, content: { kind: 'customer_changed_number', body: EVIL } }));
    expect(byTestId('message-notice')!.textContent).toContain(EVIL);
    noInjection();
  });

  it('any other type: "Mensaje de tipo {type}"', () => {
    render(message(12, 1, { type: 'order', text: null, content: { raw_type: 'order' } }));
    expect(q('.text')!.textContent).toBe('Mensaje de tipo order');
  });

  it('deleted: the notice instead of the content', () => {
    render(
      message(13, 1, {
        text: 'secreto',
        content: { body: 'secreto' },
        deleted: true,
        reactions: [{ emoji: '👍', by: 'agent' }],
        reply_to: { message_id: 1, text: 'antes', type: 'text' },
      }),
    );
    expect(byTestId('message-deleted')!.textContent).toBe('🚫 El cliente eliminó este mensaje');
    expect(text()).not.toContain('secreto');
    expect(byTestId('message-reaction')).toBeNull();
    expect(byTestId('message-reply-to')).toBeNull();
  });

  it('edited: an "editado" tag whose title is the previous text; a click shows it', () => {
    render(message(14, 1, { text: 'nuevo texto', edited: true, previous_text: EVIL }));
    expect(q('.text')!.textContent).toBe('nuevo texto');
    const tag = byTestId('message-edited')!;
    expect(tag.textContent).toBe('editado');
    expect(tag.getAttribute('title')).toBe(`Texto anterior: ${EVIL}`);
    expect(byTestId('message-previous')).toBeNull();
    tag.click();
    flushSync();
    expect(byTestId('message-previous')!.textContent).toBe(`Antes: ${EVIL}`);
    noInjection();
  });

  it('reply: a quoted block; "Mensaje" when the text is unknown; a jump when it is in the chat', () => {
    const jumps: number[] = [];
    render(message(15, 1, { reply_to: { message_id: 3, text: EVIL, type: 'text' } }), {
      canJump: (id: number) => id === 3,
      onjump: (id: number) => jumps.push(id),
    });
    const quote = byTestId('message-reply-to')!;
    expect(quote.textContent).toBe(EVIL);
    expect(quote.tagName).toBe('BUTTON');
    quote.click();
    expect(jumps).toEqual([3]);
    noInjection();
    unmount(cmp!);
    document.body.innerHTML = '';

    render(message(16, 1, { reply_to: { message_id: null, text: null, type: null } }));
    expect(byTestId('message-reply-to')!.textContent).toBe('Mensaje');
    expect(byTestId('message-reply-to')!.tagName).toBe('DIV');
  });

  it('forwarded and reactions', () => {
    render(
      message(17, 1, {
        forwarded: true,
        reactions: [
          { emoji: '❤️', by: 'customer' },
          { emoji: '👍', by: 'agent' },
        ],
      }),
    );
    expect(text()).toContain('Reenviado');
    const chips = qa('[data-testid="message-reaction"]');
    expect(chips.map((c) => c.textContent)).toEqual(['❤️', '👍']);
    expect(chips.map((c) => c.dataset.by)).toEqual(['customer', 'agent']);
  });

  it('template: a "Plantilla" tag over the text, like any outgoing message', () => {
    const el = render(
      message(20, 1, {
        direction: 'out',
        status: 'sent',
        type: 'template',
        text: 'Hola Ana, su pedido A-17 sigue pendiente.',
        content: { name: 'recordatorio_pedido', language: 'es_MX', params: ['Ana', 'A-17'] },
        sender: { id: 7, display_name: 'Ana Pérez' },
      }),
    );
    expect(el.dataset.type).toBe('template');
    expect(el.dataset.direction).toBe('out');
    const tag = byTestId('message-template')!;
    expect(tag.textContent).toContain('Plantilla');
    expect(tag.title).toBe('recordatorio_pedido · es_MX');
    expect(el.querySelector('.text')!.textContent).toBe('Hola Ana, su pedido A-17 sigue pendiente.');
    expect(byTestId('message-tick')!.textContent).toBe('✓');
  });

  it('template text with markup stays text', () => {
    render(message(21, 1, { direction: 'out', status: 'pending', type: 'template', text: EVIL, content: { name: 'x', language: 'es', params: [] } }));
    expect(q('.text')!.textContent).toBe(EVIL);
    noInjection();
  });

  it('English too', () => {
    app.setLang('en');
    render(message(18, 1, { type: 'request_welcome', text: null, content: {} }));
    expect(byTestId('message-notice')!.textContent).toContain('The customer opened the chat');
  });

  it('an older payload without the new fields still renders', () => {
    const m = message(19, 1, { type: 'image', text: 'pie de foto' });
    const el = render(m);
    expect(el.dataset.type).toBe('image');
    expect(byTestId('message-media')!.textContent).toContain('Imagen recibida');
    expect(q('.text')!.textContent).toBe('pie de foto');
  });
});
