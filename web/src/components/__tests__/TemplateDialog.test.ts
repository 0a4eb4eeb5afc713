import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import TemplateDialog from '../TemplateDialog.svelte';
import { app } from '../../lib/store.svelte';
import { ApiError, NetworkError } from '../../lib/api';
import type { Template } from '../../lib/types';
import { message } from '../../lib/__tests__/fixtures';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = <T extends Element = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);
const allByTestId = <T extends Element = HTMLElement>(id: string) => [...document.querySelectorAll<T>(`[data-testid="${id}"]`)];

function type(el: HTMLInputElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

const TEMPLATES: Template[] = [
  {
    id: 2,
    name: 'recordatorio_pedido',
    language: 'es_MX',
    body: 'Hola {{1}}, su pedido {{2}} sigue pendiente.',
    params: 2,
  },
  { id: 3, name: 'saludo', language: 'es_MX', body: 'Buenos días, ¿seguimos?', params: 0 },
  { id: 4, name: 'evil', language: 'en_US', body: '<img src=x onerror="window.__pwned=1" data-injected> {{1}}', params: 1 },
];

describe('TemplateDialog', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  beforeEach(() => app.setLang('es'));
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  async function setup(list: Template[] = TEMPLATES, props: Record<string, unknown> = {}) {
    const templates = vi.spyOn(app.api, 'templates').mockResolvedValue(list);
    const onclose = vi.fn();
    const onsent = vi.fn();
    cmp = mount(TemplateDialog, { target: document.body, props: { attentionId: 5, onclose, onsent, ...props } });
    await settle();
    return { templates, onclose, onsent };
  }

  it('lists the templates of the attention (name, language, body); the first is chosen', async () => {
    const { templates } = await setup();
    expect(templates).toHaveBeenCalledWith(5);
    expect(byTestId('template-dialog')).not.toBeNull();
    const options = allByTestId('template-option');
    expect(options.map((o) => o.dataset.templateId)).toEqual(['2', '3', '4']);
    expect(options[0]!.textContent).toContain('recordatorio_pedido');
    expect(options[0]!.textContent).toContain('es_MX');
    expect(options[0]!.textContent).toContain('Hola {{1}}, su pedido {{2}} sigue pendiente.');
    expect(options[0]!.textContent).toContain('2 valores');
    expect(options[1]!.textContent).toContain('sin valores');
    expect(options[0]!.querySelector<HTMLInputElement>('input')!.checked).toBe(true);
    // One input per placeholder; the first has the focus.
    expect(byTestId('template-param-1')).not.toBeNull();
    expect(byTestId('template-param-2')).not.toBeNull();
    expect(byTestId('template-param-3')).toBeNull();
    expect(document.activeElement).toBe(byTestId('template-param-1'));
  });

  it('the preview follows the values as they are typed', async () => {
    await setup();
    const preview = byTestId('template-preview')!;
    expect(preview.textContent).toBe('Hola {{1}}, su pedido {{2}} sigue pendiente.');
    expect(preview.querySelectorAll('.missing')).toHaveLength(2);
    type(byTestId<HTMLInputElement>('template-param-1')!, 'Ana');
    expect(preview.textContent).toBe('Hola Ana, su pedido {{2}} sigue pendiente.');
    type(byTestId<HTMLInputElement>('template-param-2')!, 'A-17');
    expect(preview.textContent).toBe('Hola Ana, su pedido A-17 sigue pendiente.');
    expect(preview.querySelectorAll('.missing')).toHaveLength(0);
  });

  it('refuses empty values without calling the server', async () => {
    const send = vi.spyOn(app, 'sendTemplate');
    await setup();
    type(byTestId<HTMLInputElement>('template-param-1')!, 'Ana');
    type(byTestId<HTMLInputElement>('template-param-2')!, '   ');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(send).not.toHaveBeenCalled();
    expect(byTestId('template-error')!.textContent).toBe('Completa el valor 2.');
    const second = byTestId<HTMLInputElement>('template-param-2')!;
    expect(second.classList.contains('invalid')).toBe(true);
    expect(document.activeElement).toBe(second);
  });

  it('sends template_id, trimmed params and a client_id; closes', async () => {
    const send = vi.spyOn(app, 'sendTemplate').mockResolvedValue(message(50, 5, { direction: 'out', type: 'template' }));
    const { onclose, onsent } = await setup();
    type(byTestId<HTMLInputElement>('template-param-1')!, ' Ana ');
    type(byTestId<HTMLInputElement>('template-param-2')!, 'A-17');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(send).toHaveBeenCalledOnce();
    const [id, templateId, params, clientId] = send.mock.calls[0]!;
    expect([id, templateId, params]).toEqual([5, 2, ['Ana', 'A-17']]);
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(onsent).toHaveBeenCalledOnce();
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('a template without values sends []', async () => {
    const send = vi.spyOn(app, 'sendTemplate').mockResolvedValue(message(51, 5, { direction: 'out', type: 'template' }));
    await setup();
    const radio = allByTestId('template-option')[1]!.querySelector<HTMLInputElement>('input')!;
    radio.click();
    flushSync();
    expect(byTestId('template-param-1')).toBeNull();
    expect(byTestId('template-preview')!.textContent).toBe('Buenos días, ¿seguimos?');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(send.mock.calls[0]!.slice(1, 3)).toEqual([3, []]);
  });

  it('switching templates keeps what was typed for each', async () => {
    await setup();
    type(byTestId<HTMLInputElement>('template-param-1')!, 'Ana');
    allByTestId('template-option')[2]!.querySelector<HTMLInputElement>('input')!.click();
    flushSync();
    expect(byTestId<HTMLInputElement>('template-param-1')!.value).toBe('');
    allByTestId('template-option')[0]!.querySelector<HTMLInputElement>('input')!.click();
    flushSync();
    expect(byTestId<HTMLInputElement>('template-param-1')!.value).toBe('Ana');
  });

  it('a refusal is shown and the dialog stays; a retry reuses the client_id', async () => {
    const send = vi
      .spyOn(app, 'sendTemplate')
      .mockRejectedValueOnce(new ApiError(422, '…', 'template_params', null, null, { reason: 'empty' }))
      .mockRejectedValueOnce(new NetworkError('offline'))
      .mockResolvedValue(message(52, 5, { direction: 'out', type: 'template' }));
    const { onclose } = await setup();
    type(byTestId<HTMLInputElement>('template-param-1')!, 'Ana');
    type(byTestId<HTMLInputElement>('template-param-2')!, 'A-17');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(byTestId('template-error')!.textContent).toBe(
      'No se pudo enviar la plantilla: Ningún valor de la plantilla puede quedar vacío.',
    );
    expect(onclose).not.toHaveBeenCalled();
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(byTestId('template-error')!.textContent).toContain('No se pudo conectar con el servidor.');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(send).toHaveBeenCalledTimes(3);
    expect(new Set(send.mock.calls.map((c) => c[3])).size).toBe(1);
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('other values get a new client_id', async () => {
    const send = vi
      .spyOn(app, 'sendTemplate')
      .mockRejectedValueOnce(new NetworkError('offline'))
      .mockResolvedValue(message(53, 5, { direction: 'out', type: 'template' }));
    await setup();
    type(byTestId<HTMLInputElement>('template-param-1')!, 'Ana');
    type(byTestId<HTMLInputElement>('template-param-2')!, 'A-17');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    type(byTestId<HTMLInputElement>('template-param-2')!, 'A-18');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(send.mock.calls[1]![3]).not.toBe(send.mock.calls[0]![3]);
  });

  it('bodies and values are text, never markup', async () => {
    await setup();
    allByTestId('template-option')[2]!.querySelector<HTMLInputElement>('input')!.click();
    flushSync();
    type(byTestId<HTMLInputElement>('template-param-1')!, '<b data-injected>x</b>');
    expect(document.querySelector('[data-injected]')).toBeNull();
    expect(byTestId('template-preview')!.textContent).toContain('<b data-injected>x</b>');
  });

  it('no templates; a load failure with retry', async () => {
    await setup([]);
    expect(byTestId('template-none')!.textContent).toBe('Esta campaña no tiene plantillas aprobadas.');
    expect(byTestId<HTMLButtonElement>('template-send')!.disabled).toBe(true);
    unmount(cmp!);
    cmp = null;
    document.body.innerHTML = '';

    const templates = vi.spyOn(app.api, 'templates').mockRejectedValueOnce(new ApiError(404, 'No encontrada', 'attention_not_found'));
    cmp = mount(TemplateDialog, { target: document.body, props: { attentionId: 5, onclose: () => {} } });
    await settle();
    expect(byTestId('template-error')!.textContent).toContain('No se pudieron cargar las plantillas: La atención no existe.');
    templates.mockResolvedValue(TEMPLATES);
    byTestId('template-error')!.querySelector('button')!.click();
    await settle();
    expect(allByTestId('template-option')).toHaveLength(3);
  });

  it('says the window is over when it is; Escape and Cancel close', async () => {
    const { onclose } = await setup(TEMPLATES, { windowClosed: true });
    expect(byTestId('template-dialog')!.textContent).toContain('La ventana de 24 horas venció');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(onclose).toHaveBeenCalledOnce();
    byTestId<HTMLButtonElement>('template-cancel')!.click();
    expect(onclose).toHaveBeenCalledTimes(2);
  });

  it('speaks English', async () => {
    app.setLang('en');
    await setup();
    expect(byTestId('template-dialog')!.querySelector('h2')!.textContent).toBe('Send a template');
    byTestId<HTMLButtonElement>('template-send')!.click();
    await settle();
    expect(byTestId('template-error')!.textContent).toBe('Fill in value 1.');
    app.setLang('es');
  });
});
