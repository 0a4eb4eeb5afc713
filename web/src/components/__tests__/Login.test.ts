import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import Login from '../Login.svelte';
import { app } from '../../lib/store.svelte';
import { ApiError } from '../../lib/api';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = <T extends Element = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);

describe('Login', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
    app.setLang('es');
  });

  async function refusedWith(error: ApiError): Promise<string> {
    vi.spyOn(app, 'login').mockRejectedValue(error);
    cmp = mount(Login, { target: document.body });
    const form = document.querySelector('form')!;
    const [user, pass] = [...form.querySelectorAll('input')];
    user!.value = 'agente1';
    user!.dispatchEvent(new Event('input', { bubbles: true }));
    pass!.value = 'secreto';
    pass!.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    form.requestSubmit();
    await settle();
    return byTestId('login-error')?.textContent?.trim() ?? '';
  }

  it('a throttled login says in English how long to wait', async () => {
    app.setLang('en');
    const text = await refusedWith(
      new ApiError(429, 'Demasiados intentos fallidos. Espere 7 s…', 'too_many_attempts', null, 7, { seconds: 7 }),
    );
    expect(text).toBe('Too many failed attempts. Wait 7 s before trying again.');
  });

  it('bad credentials are said in the UI language', async () => {
    app.setLang('en');
    expect(await refusedWith(new ApiError(401, 'Usuario o contraseña incorrectos.', 'bad_credentials'))).toBe(
      'Wrong username or password.',
    );
  });
});
