import { afterEach, describe, expect, it, vi } from 'vitest';
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
});
