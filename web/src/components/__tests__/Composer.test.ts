import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Composer from '../Composer.svelte';
import { app } from '../../lib/store.svelte';
import { NetworkError } from '../../lib/api';
import { message } from '../../lib/__tests__/fixtures';

function key(el: Element, init: KeyboardEventInit): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  el.dispatchEvent(e);
  return e;
}

function type(el: HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('Composer', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
  });

  function setup(attentionId = 1, props: Record<string, unknown> = {}) {
    cmp = mount(Composer, { target: document.body, props: { attentionId, ...props } });
    flushSync();
    const input = document.querySelector<HTMLTextAreaElement>('[data-testid="composer-input"]')!;
    const button = document.querySelector<HTMLButtonElement>('[data-testid="composer-send"]')!;
    return { input, button };
  }

  it('Enter sends, Shift+Enter does not; the box clears on success', async () => {
    const send = vi.spyOn(app, 'send').mockResolvedValue(message(5, 1, { direction: 'out', status: 'pending' }));
    const { input } = setup();
    type(input, 'línea 1');

    const shift = key(input, { key: 'Enter', shiftKey: true });
    expect(shift.defaultPrevented).toBe(false);
    expect(send).not.toHaveBeenCalled();

    type(input, 'línea 1\nlínea 2');
    const enter = key(input, { key: 'Enter' });
    expect(enter.defaultPrevented).toBe(true);
    await settle();
    flushSync();
    expect(send).toHaveBeenCalledOnce();
    const [id, text, clientId] = send.mock.calls[0]!;
    expect(id).toBe(1);
    expect(text).toBe('línea 1\nlínea 2');
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(input.value).toBe('');
  });

  it('shows the 4,096-character limit near it and refuses to send past it', async () => {
    const send = vi.spyOn(app, 'send').mockResolvedValue(message(5, 1, { direction: 'out', status: 'pending' }));
    const { input, button } = setup(7);
    const counter = () => document.querySelector('[data-testid="composer-counter"]');
    type(input, 'a'.repeat(100));
    expect(counter()).toBeNull();
    type(input, 'a'.repeat(4000));
    expect(counter()!.textContent).toContain('4000');
    expect(counter()!.classList.contains('over')).toBe(false);
    expect(button.disabled).toBe(false);

    type(input, 'a'.repeat(4097));
    expect(counter()!.classList.contains('over')).toBe(true);
    expect(counter()!.textContent).toContain('4096');
    expect(button.disabled).toBe(true);
    key(input, { key: 'Enter' });
    await settle();
    flushSync();
    expect(send).not.toHaveBeenCalled();
    expect(input.value).toHaveLength(4097);
    type(input, '');
  });

  it('does not send blank text', async () => {
    const send = vi.spyOn(app, 'send');
    const { input, button } = setup();
    type(input, '   \n ');
    key(input, { key: 'Enter' });
    await settle();
    expect(send).not.toHaveBeenCalled();
    expect(button.disabled).toBe(true);
  });

  it('a retry after a failure reuses the client_id; new text gets a new one', async () => {
    const send = vi
      .spyOn(app, 'send')
      .mockRejectedValueOnce(new NetworkError('offline'))
      .mockResolvedValue(message(6, 1, { direction: 'out', status: 'pending' }));
    const { input, button } = setup();
    type(input, 'hola');
    button.click();
    await settle();
    flushSync();
    expect(input.value).toBe('hola');
    expect(document.querySelector('[data-testid="composer-error"]')).not.toBeNull();

    button.click();
    await settle();
    flushSync();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]![2]).toBe(send.mock.calls[0]![2]);
    expect(input.value).toBe('');

    type(input, 'otra');
    button.click();
    await settle();
    expect(send.mock.calls[2]![2]).not.toBe(send.mock.calls[0]![2]);
  });

  describe('typing indicator', () => {
    afterEach(() => {
      app.phase = 'starting';
      app.typingThrottle.clear();
    });

    it('every input tells the store what the box holds', () => {
      const typing = vi.spyOn(app, 'typing');
      const { input } = setup(3);
      type(input, 'h');
      type(input, 'ho');
      type(input, '');
      expect(typing.mock.calls).toEqual([
        [3, 'h'],
        [3, 'ho'],
        [3, ''],
      ]);
    });

    it('one POST …/typing per 20 s, none for blank text, and sending never waits for it', async () => {
      app.phase = 'panel';
      app.typingThrottle.clear();
      let now = 5_000_000;
      vi.spyOn(Date, 'now').mockImplementation(() => now);
      // The typing call never answers: sending must not care.
      const typingCall = vi.spyOn(app.api, 'typing').mockReturnValue(new Promise(() => {}));
      const send = vi.spyOn(app, 'send').mockResolvedValue(message(7, 4, { direction: 'out', status: 'pending' }));
      const { input, button } = setup(4);

      type(input, '   ');
      expect(typingCall).not.toHaveBeenCalled();
      type(input, 'h');
      type(input, 'ho');
      type(input, 'hol');
      expect(typingCall).toHaveBeenCalledOnce();
      expect(typingCall).toHaveBeenCalledWith(4);

      type(input, 'hola');
      button.click();
      await settle();
      flushSync();
      expect(send).toHaveBeenCalledOnce();
      expect(input.value).toBe('');

      now += 19_000;
      type(input, 'otra');
      expect(typingCall).toHaveBeenCalledOnce();
      now += 1_000;
      type(input, 'otra vez');
      expect(typingCall).toHaveBeenCalledTimes(2);
    });

    it('a failing typing call is silent', async () => {
      app.phase = 'panel';
      vi.spyOn(app.api, 'typing').mockRejectedValue(new NetworkError('offline'));
      const { input } = setup(5);
      type(input, 'h');
      await settle();
      flushSync();
      expect(document.querySelector('[data-testid="composer-error"]')).toBeNull();
    });
  });

  describe('templates', () => {
    const byTestId = <T extends Element = HTMLElement>(id: string) =>
      document.querySelector<T>(`[data-testid="${id}"]`);

    it('window over: the reason and a "Enviar plantilla" button open the dialog', async () => {
      vi.spyOn(app.api, 'templates').mockResolvedValue([
        { id: 1, name: 'seguimiento', language: 'es_MX', body: 'Hola {{1}}', params: 1 },
      ]);
      const { input } = setup(1, { disabled: true, disabledReason: 'Ventana vencida.' });
      expect(input.disabled).toBe(true);
      const note = byTestId('composer-window-closed')!;
      expect(note.textContent).toContain('Ventana vencida.');
      expect(note.textContent).toContain('Solo puedes enviarle una plantilla aprobada.');
      expect(byTestId('composer-menu')).toBeNull();
      const open = byTestId<HTMLButtonElement>('template-open')!;
      expect(open.textContent).toBe('Enviar plantilla');
      open.click();
      await settle();
      flushSync();
      const dialog = byTestId('template-dialog')!;
      expect(dialog).not.toBeNull();
      expect(dialog.textContent).toContain('La ventana de 24 horas venció');
      byTestId<HTMLButtonElement>('template-cancel')!.click();
      flushSync();
      expect(byTestId('template-dialog')).toBeNull();
    });

    it('inside the window: from the small menu', async () => {
      vi.spyOn(app.api, 'templates').mockResolvedValue([]);
      setup(1);
      expect(byTestId('composer-window-closed')).toBeNull();
      expect(byTestId('template-open')).toBeNull();
      const menu = byTestId<HTMLButtonElement>('composer-menu')!;
      menu.click();
      flushSync();
      expect(menu.getAttribute('aria-expanded')).toBe('true');
      // A click elsewhere closes the menu.
      document.body.click();
      flushSync();
      expect(byTestId('template-open')).toBeNull();
      menu.click();
      flushSync();
      byTestId<HTMLButtonElement>('template-open')!.click();
      await settle();
      flushSync();
      expect(byTestId('template-dialog')).not.toBeNull();
      expect(byTestId('template-dialog')!.textContent).not.toContain('La ventana de 24 horas venció');
      expect(byTestId('template-open')).toBeNull();
    });
  });

  describe('emoji and attachments', () => {
    const byTestId = <T extends Element = HTMLElement>(id: string) =>
      document.querySelector<T>(`[data-testid="${id}"]`);

    function choose(file: File) {
      const input = byTestId<HTMLInputElement>('attach-input')!;
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      input.dispatchEvent(new Event('change', { bubbles: true }));
      flushSync();
    }

    function bigFile(name: string, type: string, size: number): File {
      const f = new File(['x'], name, { type });
      Object.defineProperty(f, 'size', { value: size });
      return f;
    }

    it('the emoji button opens a floating picker; Escape and a click outside close it', () => {
      setup(1);
      const open = byTestId<HTMLButtonElement>('emoji-open')!;
      open.click();
      flushSync();
      expect(open.getAttribute('aria-expanded')).toBe('true');
      expect(document.querySelector('.emoji-pop')).not.toBeNull();
      key(document.querySelector('.emoji-pop')!, { key: 'Escape' });
      flushSync();
      expect(document.querySelector('.emoji-pop')).toBeNull();
      open.click();
      flushSync();
      expect(document.querySelector('.emoji-pop')).not.toBeNull();
      document.body.click();
      flushSync();
      expect(document.querySelector('.emoji-pop')).toBeNull();
      // Escape also closes it while the focus is in the text box.
      open.click();
      flushSync();
      const e = key(byTestId('composer-input')!, { key: 'Escape' });
      flushSync();
      expect(e.defaultPrevented).toBe(true);
      expect(document.querySelector('.emoji-pop')).toBeNull();
    });

    it('window over: emoji and attach are disabled', () => {
      setup(1, { disabled: true, disabledReason: 'Ventana vencida.' });
      expect(byTestId<HTMLButtonElement>('emoji-open')!.disabled).toBe(true);
      expect(byTestId<HTMLButtonElement>('attach-open')!.disabled).toBe(true);
    });

    it('checks the size first, with the server wording, and sends nothing', async () => {
      const sendMedia = vi.spyOn(app, 'sendMedia');
      setup(1);
      byTestId<HTMLButtonElement>('attach-open')!.click();
      flushSync();
      expect(byTestId('attach-dialog')).not.toBeNull();
      choose(bigFile('foto.png', 'image/png', 6.2 * 1024 * 1024));
      expect(byTestId('attach-error')!.textContent).toBe(
        'El archivo pesa 6.2 MB; WhatsApp admite hasta 5 MB para imágenes.',
      );
      byTestId<HTMLButtonElement>('attach-send')!.click();
      await settle();
      expect(sendMedia).not.toHaveBeenCalled();
      expect(byTestId('attach-dialog')).not.toBeNull();
    });

    it('a refusal shows the server detail and keeps the dialog; the retry reuses the client_id', async () => {
      const { ApiError } = await import('../../lib/api');
      let release: (m: ReturnType<typeof message>) => void = () => {};
      const sendMedia = vi
        .spyOn(app, 'sendMedia')
        .mockRejectedValueOnce(new ApiError(422, 'El video debe ser H.264 con audio AAC para WhatsApp.', 'file_refused', null, null, {
          reason: 'video_codec',
        }))
        .mockImplementationOnce(() => new Promise((r) => (release = r)));
      setup(2);
      byTestId<HTMLButtonElement>('attach-open')!.click();
      flushSync();
      const file = new File(['%PDF-1.4'], 'contrato.pdf', { type: 'application/pdf' });
      choose(file);
      expect(byTestId('attach-name')!.textContent).toBe('contrato.pdf');
      expect(byTestId('attach-size')!.textContent).toBe('8 B');
      const cap = byTestId<HTMLTextAreaElement>('attach-caption')!;
      cap.value = 'Su contrato';
      cap.dispatchEvent(new Event('input', { bubbles: true }));
      flushSync();

      byTestId<HTMLButtonElement>('attach-send')!.click();
      await vi.waitFor(() => expect(byTestId('attach-error')).not.toBeNull());
      expect(byTestId('attach-error')!.textContent).toContain('El video debe ser H.264 con audio AAC para WhatsApp.');
      expect(byTestId('attach-dialog')).not.toBeNull();

      byTestId<HTMLButtonElement>('attach-send')!.click();
      await vi.waitFor(() => expect(byTestId('attach-progress')).not.toBeNull());
      // While uploading: "Enviando…".
      expect(byTestId('attach-progress')!.textContent).toContain('Enviando…');
      expect(byTestId<HTMLButtonElement>('attach-send')!.disabled).toBe(true);
      release(message(30, 2, { direction: 'out', type: 'document', status: 'pending' }));
      await settle();
      flushSync();
      expect(sendMedia).toHaveBeenCalledTimes(2);
      const [id, sentFile, caption, clientId] = sendMedia.mock.calls[0]!;
      expect(id).toBe(2);
      expect(sentFile).toBe(file);
      expect(caption).toBe('Su contrato');
      expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
      expect(sendMedia.mock.calls[1]![3]).toBe(clientId);
      expect(byTestId('attach-dialog')).toBeNull();
    });

    it('refuses a file whose content is not what its name says, before sending it', async () => {
      const sendMedia = vi.spyOn(app, 'sendMedia');
      setup(3);
      byTestId<HTMLButtonElement>('attach-open')!.click();
      flushSync();
      const noise = new Uint8Array(2048).map((_, i) => (i * 7919 + 13) % 251);
      choose(new File([noise], 'foto.jpg', { type: 'image/jpeg' }));
      await vi.waitFor(() => expect(byTestId('attach-error')).not.toBeNull());
      expect(byTestId('attach-error')!.textContent).toBe(
        '«foto.jpg» no es lo que dice su nombre: su contenido no es un archivo JPG.',
      );
      expect(document.querySelector('[data-testid="attach-preview"] img')).toBeNull();
      byTestId<HTMLButtonElement>('attach-send')!.click();
      for (let i = 0; i < 5; i++) await settle();
      expect(sendMedia).not.toHaveBeenCalled();
      expect(byTestId('attach-dialog')).not.toBeNull();
    });

    it('audio has a player and no caption', () => {
      setup(1);
      byTestId<HTMLButtonElement>('attach-open')!.click();
      flushSync();
      const createObjectURL = vi.fn(() => 'blob:x');
      const revoke = vi.fn();
      const saved = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL };
      Object.assign(URL, { createObjectURL, revokeObjectURL: revoke });
      onTestFinished(() => void Object.assign(URL, saved));
      choose(new File(['OggS'], 'nota.ogg', { type: 'audio/ogg' }));
      expect(document.querySelector('[data-testid="attach-preview"] audio')).not.toBeNull();
      expect(byTestId('attach-caption')).toBeNull();
      choose(new File(['\x89PNG'], 'a.png', { type: 'image/png' }));
      expect(document.querySelector('[data-testid="attach-preview"] img')).not.toBeNull();
      expect(byTestId('attach-caption')).not.toBeNull();
      expect(revoke).toHaveBeenCalledWith('blob:x');
    });
  });
});

