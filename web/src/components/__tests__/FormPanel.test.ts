import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import FormPanel from '../FormPanel.svelte';
import { app } from '../../lib/store.svelte';
import { Api, ApiError } from '../../lib/api';
import { FormController } from '../../lib/formController.svelte';
import type { Form } from '../../lib/types';
import { opened } from '../../lib/__tests__/fixtures';
import { FakeServer } from '../../lib/__tests__/fakeServer';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};

const form: Form = {
  id: 3,
  version: 2,
  campaign: { id: 1, name: 'Ventas' },
  fields: [
    { key: 'motivo', label: 'Motivo', type: 'select', required: true, options: ['Compra', 'Queja'] },
    { key: 'documento', label: 'Documento', type: 'text', required: true, options: null },
    { key: 'detalle', label: 'Detalle', type: 'long_text', required: false, options: null },
    { key: 'monto', label: 'Monto', type: 'number', required: false, options: null },
    { key: 'fecha', label: 'Fecha', type: 'date', required: false, options: null },
    { key: 'temas', label: 'Temas', type: 'multi_select', required: false, options: ['Precio', 'Envío', 'Garantía'] },
    { key: 'acepta', label: 'Acepta', type: 'checkbox', required: false, options: null },
    { key: 'telefono', label: 'Teléfono', type: 'phone', required: false, options: null },
    { key: 'correo', label: 'Correo', type: 'email', required: false, options: null },
  ],
};

const byTestId = <T extends Element = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

describe('FormPanel', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  async function setup(readOnly = false, values: Record<string, unknown> = {}) {
    const srv = new FakeServer();
    srv.open = [opened(1)];
    srv.forms.set(1, { form, values: values as never, submitted_at: null, segment: 1 });
    const api = new Api('', srv.fetch);
    const ctl = new FormController(
      { api, errorText: (e) => (e instanceof ApiError && e.detail) || 'error', fieldErrorTexts: (errors) => errors },
      1,
      readOnly,
    );
    vi.spyOn(app, 'formFor').mockImplementation(() => {
      void ctl.load();
      return ctl;
    });
    cmp = mount(FormPanel, { target: document.body, props: { attention: opened(1), readOnly } });
    await settle();
    return { srv, ctl };
  }

  it('renders each field by type, required ones with a red asterisk', async () => {
    await setup();
    expect(byTestId('form-campaign')!.textContent).toBe('Ventas');
    expect(byTestId('form-field-motivo')!.tagName).toBe('SELECT');
    expect(byTestId('form-field-documento')!.getAttribute('type')).toBe('text');
    expect(byTestId('form-field-detalle')!.tagName).toBe('TEXTAREA');
    expect(byTestId('form-field-monto')!.getAttribute('inputmode')).toBe('decimal');
    expect(byTestId('form-field-fecha')!.getAttribute('type')).toBe('date');
    expect(byTestId('form-field-temas')!.querySelectorAll('input[type="checkbox"]')).toHaveLength(3);
    expect(byTestId('form-field-acepta')!.getAttribute('type')).toBe('checkbox');
    expect(byTestId('form-field-telefono')!.getAttribute('type')).toBe('tel');
    expect(byTestId('form-field-correo')!.getAttribute('type')).toBe('email');

    const required = [...document.querySelectorAll('[data-field-key]')]
      .filter((f) => f.querySelector('.req'))
      .map((f) => f.getAttribute('data-field-key'));
    expect(required).toEqual(['motivo', 'documento']);
    expect(byTestId('form-submit')).not.toBeNull();
    expect(byTestId('transfer-open')).not.toBeNull();
    expect(byTestId('end-attention')).not.toBeNull();
  });

  it('saves a draft as the agent types and says so', async () => {
    const { srv } = await setup();
    vi.useFakeTimers();
    type(byTestId<HTMLInputElement>('form-field-documento')!, 'DNI 123');
    const temas = byTestId('form-field-temas')!.querySelectorAll<HTMLInputElement>('input');
    temas[2]!.click();
    temas[0]!.click();
    flushSync();
    expect(byTestId('form-draft-status')).toBeNull();
    await vi.advanceTimersByTimeAsync(650);
    flushSync();
    const puts = srv.requests.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect((puts[0]!.body as { values: Record<string, unknown> }).values).toMatchObject({
      documento: 'DNI 123',
      temas: ['Precio', 'Garantía'],
      acepta: false,
      monto: null,
    });
    expect(byTestId('form-draft-status')!.textContent).toBe('Borrador guardado');
  });

  it('Guardar formulario shows the errors under each field and focuses the first', async () => {
    await setup();
    byTestId<HTMLButtonElement>('form-submit')!.click();
    await settle();
    expect(byTestId('form-error-motivo')!.textContent).toBe('Campo obligatorio.');
    expect(byTestId('form-error-documento')!.textContent).toBe('Campo obligatorio.');
    expect(document.activeElement).toBe(byTestId('form-field-motivo'));
    expect(byTestId('form-field-motivo')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('Terminar atención with a required field empty says so first, without asking "¿Seguro?"', async () => {
    await setup(false, { motivo: 'Compra' });
    const end = vi.spyOn(app, 'end');
    byTestId<HTMLButtonElement>('end-attention')!.click();
    await settle();
    expect(byTestId('end-dialog')).toBeNull();
    expect(end).not.toHaveBeenCalled();
    expect(byTestId('end-error')!.textContent).toBe('Complete los campos obligatorios: Documento.');
    expect(byTestId('form-error-documento')!.textContent).toBe('Campo obligatorio.');
    expect(document.activeElement).toBe(byTestId('form-field-documento'));

    type(byTestId<HTMLInputElement>('form-field-documento')!, '12345678');
    byTestId<HTMLButtonElement>('end-attention')!.click();
    await settle();
    expect(byTestId('end-dialog')).not.toBeNull();
  });

  it('Terminar atención refused by the server (form_incomplete): dialog closed, message, errors, focus', async () => {
    // Filled in here, but the server (the judge) has an older draft without it.
    await setup(false, { motivo: 'Compra', documento: 'X1' });
    vi.spyOn(app, 'end').mockRejectedValue(
      new ApiError(
        422,
        'Complete los campos obligatorios: Documento.',
        'form_incomplete',
        { documento: 'Campo obligatorio.' },
        null,
        { fields: 'Documento', reason: 'missing' },
        { documento: { code: 'required', params: {} } },
      ),
    );
    byTestId<HTMLButtonElement>('end-attention')!.click();
    await settle();
    expect(byTestId('end-dialog')).not.toBeNull();
    byTestId<HTMLButtonElement>('confirm-end')!.click();
    await settle();
    expect(byTestId('end-dialog')).toBeNull();
    expect(byTestId('end-error')!.textContent).toBe('Complete los campos obligatorios: Documento.');
    expect(byTestId('form-error-documento')!.textContent).toBe('Campo obligatorio.');
    expect(document.activeElement).toBe(byTestId('form-field-documento'));
  });

  it('a read-only form is disabled, shows the stored values, and has no actions', async () => {
    await setup(true, { motivo: 'Queja', documento: 'X1', temas: ['Envío'], acepta: true, monto: 7 });
    for (const f of form.fields) {
      const el = byTestId(`form-field-${f.key}`)! as HTMLInputElement;
      expect(el.disabled, f.key).toBe(true);
    }
    expect(byTestId<HTMLSelectElement>('form-field-motivo')!.value).toBe('Queja');
    expect(byTestId<HTMLInputElement>('form-field-documento')!.value).toBe('X1');
    expect(byTestId<HTMLInputElement>('form-field-monto')!.value).toBe('7');
    expect(byTestId<HTMLInputElement>('form-field-acepta')!.checked).toBe(true);
    const temas = [...byTestId('form-field-temas')!.querySelectorAll<HTMLInputElement>('input')].map((i) => i.checked);
    expect(temas).toEqual([false, true, false]);
    expect(byTestId('form-submit')).toBeNull();
    expect(byTestId('transfer-open')).toBeNull();
    expect(byTestId('end-attention')).toBeNull();
    expect(byTestId('form-read-only')).not.toBeNull();
  });
});
