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

  function setup(attentionId = 1) {
    cmp = mount(Composer, { target: document.body, props: { attentionId } });
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
});
