// The transfer dialog's lists (docs/api.md, "Transfer"), kept pure for tests.

import type { MessageKey, Params } from './i18n';
import type { Attention, TransferCampaign, TransferRequest, TransferTargets } from './types';

type T = (key: MessageKey, params?: Params) => string;

export interface AgentOption {
  /** "" = any agent of the campaign (the attention is queued there). */
  value: string;
  label: string;
  disabled: boolean;
}

const STATUS_KEY = {
  available: 'status.available',
  paused: 'status.paused',
  offline: 'status.offline',
} as const;

/** The campaign preselected: the attention's own if the agent may transfer to it, else the first. */
export function defaultCampaignId(targets: TransferTargets | null, attention: Pick<Attention, 'campaign'>): number | null {
  const list = targets?.campaigns ?? [];
  if (list.some((c) => c.id === attention.campaign.id)) return attention.campaign.id;
  return list[0]?.id ?? null;
}

/**
 * The second list: "Cualquier agente" first (the default), then the campaign's other
 * agents with their status and free slots; those without room cannot be chosen.
 */
export function agentOptions(campaign: TransferCampaign | null | undefined, meId: number | null, t: T): AgentOption[] {
  const out: AgentOption[] = [{ value: '', label: t('transfer.anyAgent'), disabled: false }];
  for (const a of campaign?.agents ?? []) {
    if (a.id === meId) continue;
    const status = STATUS_KEY[a.status] ? t(STATUS_KEY[a.status]) : String(a.status);
    const free = Math.max(0, a.free_slots ?? 0);
    out.push({
      value: String(a.id),
      label:
        free > 0
          ? t('transfer.agentOption', { name: a.display_name, status, n: free })
          : t('transfer.agentFull', { name: a.display_name, status }),
      disabled: free <= 0,
    });
  }
  return out;
}

/** The body of POST /api/attentions/{id}/transfer. */
export function transferBody(campaignId: number, agentValue: string, note: string): TransferRequest {
  const agent = agentValue === '' ? null : Number(agentValue);
  const n = note.trim();
  return { campaign_id: campaignId, agent_id: agent !== null && Number.isFinite(agent) ? agent : null, note: n || null };
}
