import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import TransferDialog from '../TransferDialog.svelte';
import { app } from '../../lib/store.svelte';
import { ApiError } from '../../lib/api';
import { opened } from '../../lib/__tests__/fixtures';

const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  flushSync();
};
const byTestId = <T extends Element = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);

function choose(el: HTMLSelectElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event('change', { bubbles: true }));
  flushSync();
}

describe('TransferDialog', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.restoreAllMocks();
  });

  async function setup() {
    vi.spyOn(app.api, 'transferTargets').mockResolvedValue({
      campaigns: [
        { id: 1, name: 'Ventas', agents: [{ id: 8, display_name: 'Sofía', status: 'available', free_slots: 1 }] },
        {
          id: 2,
          name: 'Soporte',
          agents: [
            { id: 9, display_name: 'Luis', status: 'available', free_slots: 2 },
            { id: 10, display_name: 'Rosa', status: 'offline', free_slots: 0 },
          ],
        },
      ],
    });
    const onclose = vi.fn();
    const beforeTransfer = vi.fn().mockResolvedValue(undefined);
    cmp = mount(TransferDialog, { target: document.body, props: { attention: opened(1), onclose, beforeTransfer } });
    await settle();
    return { onclose, beforeTransfer };
  }

  it('lists my campaigns; the agent list defaults to "Cualquier agente"', async () => {
    await setup();
    const campaign = byTestId<HTMLSelectElement>('transfer-campaign')!;
    const agent = byTestId<HTMLSelectElement>('transfer-agent')!;
    expect([...campaign.options].map((o) => o.text)).toEqual(['Ventas', 'Soporte']);
    expect(campaign.value).toBe('1');
    expect(agent.value).toBe('');
    expect(agent.options[0]!.text).toBe('Cualquier agente');

    choose(agent, '8');
    expect(agent.value).toBe('8');
    choose(campaign, '2');
    // Another campaign: its agents, back to the default.
    expect(agent.value).toBe('');
    expect([...agent.options].map((o) => [o.value, o.disabled])).toEqual([
      ['', false],
      ['9', false],
      ['10', true],
    ]);
    expect(agent.options[2]!.text).toBe('Rosa — Desconectado · sin cupo');
  });

  it('confirms with the chosen campaign, agent and note, saving the form first', async () => {
    const { onclose, beforeTransfer } = await setup();
    const transfer = vi.spyOn(app, 'transfer').mockResolvedValue(opened(1, { agent_id: 9 }));
    choose(byTestId<HTMLSelectElement>('transfer-campaign')!, '2');
    choose(byTestId<HTMLSelectElement>('transfer-agent')!, '9');
    const note = byTestId<HTMLTextAreaElement>('transfer-note')!;
    note.value = 'Quiere hablar de la garantía';
    note.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    byTestId<HTMLButtonElement>('transfer-confirm')!.click();
    await settle();
    expect(beforeTransfer).toHaveBeenCalledOnce();
    expect(transfer).toHaveBeenCalledWith(1, { campaign_id: 2, agent_id: 9, note: 'Quiere hablar de la garantía' });
    expect(onclose).toHaveBeenCalledOnce();
  });

  it('shows the server’s detail when refused and stays open', async () => {
    const { onclose } = await setup();
    vi.spyOn(app, 'transfer').mockRejectedValue(new ApiError(409, 'El agente elegido no tiene cupo o está desconectado.', 'agent_full'));
    byTestId<HTMLButtonElement>('transfer-confirm')!.click();
    await settle();
    expect(byTestId('transfer-error')!.textContent).toBe('El agente elegido no tiene cupo o está desconectado.');
    expect(onclose).not.toHaveBeenCalled();
    expect(byTestId<HTMLButtonElement>('transfer-confirm')!.disabled).toBe(false);
  });
});
