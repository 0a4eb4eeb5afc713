import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRawSnippet, flushSync, mount, unmount } from 'svelte';
import Dialog from '../Dialog.svelte';

const body = createRawSnippet(() => ({ render: () => '<button type="button" data-testid="inside">ok</button>' }));
const escape = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));

describe('Dialog', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
  });

  function open(busy = false) {
    const oncancel = vi.fn();
    cmp = mount(Dialog, {
      target: document.body,
      props: { testid: 'd', labelledby: 't', describedby: 'b', width: 420, busy, oncancel, children: body },
    });
    flushSync();
    return { oncancel, dialog: document.querySelector<HTMLDialogElement>('[data-testid="d"]')! };
  }

  it('opens a native <dialog> labelled by the given ids, with its content', () => {
    const { dialog } = open();
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-labelledby')).toBe('t');
    expect(dialog.getAttribute('aria-describedby')).toBe('b');
    expect(dialog.style.width).toBe('420px');
    expect(dialog.querySelector('[data-testid="inside"]')).not.toBeNull();
  });

  it('Escape and a close request ask to cancel; the dialog itself stays open', () => {
    const { oncancel, dialog } = open();
    escape();
    expect(oncancel).toHaveBeenCalledTimes(1);
    const request = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(request);
    expect(request.defaultPrevented).toBe(true);
    expect(oncancel).toHaveBeenCalledTimes(2);
    expect(dialog.open).toBe(true);
  });

  it('while busy, Escape does nothing', () => {
    const { oncancel } = open(true);
    escape();
    expect(oncancel).not.toHaveBeenCalled();
  });

  it('gives the focus back to what had it when it goes away', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    open();
    (document.querySelector('[data-testid="inside"]') as HTMLElement).focus();
    unmount(cmp!);
    cmp = null;
    expect(document.activeElement).toBe(opener);
  });
});
