// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { agentOptions, defaultCampaignId, transferBody } from '../transfer';
import type { TransferTargets } from '../types';
import { ME, attention } from './fixtures';

const t = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('es', k, p);

const targets: TransferTargets = {
  campaigns: [
    {
      id: 1,
      name: 'Ventas',
      agents: [
        { id: 8, display_name: 'Sofía', status: 'available', free_slots: 2 },
        { id: 9, display_name: 'Luis', status: 'paused', free_slots: 0 },
      ],
    },
    { id: 2, name: 'Soporte', agents: [{ id: ME, display_name: 'Yo', status: 'available', free_slots: 3 }] },
  ],
};

describe('transfer dialog lists', () => {
  it('the agent list starts with "Cualquier agente" (value "")', () => {
    const opts = agentOptions(targets.campaigns[0], ME, t);
    expect(opts[0]).toEqual({ value: '', label: 'Cualquier agente', disabled: false });
    expect(opts.map((o) => o.value)).toEqual(['', '8', '9']);
  });

  it('shows status and free slots; agents without room cannot be chosen', () => {
    const [, sofia, luis] = agentOptions(targets.campaigns[0], ME, t);
    expect(sofia!.label).toBe('Sofía — Disponible · 2 libres');
    expect(sofia!.disabled).toBe(false);
    expect(luis!.label).toBe('Luis — En pausa · sin cupo');
    expect(luis!.disabled).toBe(true);
  });

  it('never offers myself; no campaign means only "any agent"', () => {
    expect(agentOptions(targets.campaigns[1], ME, t).map((o) => o.value)).toEqual(['']);
    expect(agentOptions(null, ME, t).map((o) => o.value)).toEqual(['']);
  });

  it('preselects the attention’s campaign when the agent may transfer there, else the first', () => {
    expect(defaultCampaignId(targets, attention(1, { campaign: { id: 2, name: 'Soporte' } }))).toBe(2);
    expect(defaultCampaignId(targets, attention(1, { campaign: { id: 77, name: 'Otra' } }))).toBe(1);
    expect(defaultCampaignId({ campaigns: [] }, attention(1))).toBeNull();
  });

  it('builds the request: "" is any agent (null), a blank note is null', () => {
    expect(transferBody(2, '', '  ')).toEqual({ campaign_id: 2, agent_id: null, note: null });
    expect(transferBody(1, '8', ' llamar mañana ')).toEqual({ campaign_id: 1, agent_id: 8, note: 'llamar mañana' });
  });
});
