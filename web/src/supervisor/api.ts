// Typed calls of the supervisor pages, over the app's one API client (src/lib/api.ts):
// same cookie, CSRF token, Accept-Language and 401 handling as the agent panel.

import { type Api, ApiError } from '../lib/api';
import type { TemplateDraft } from '../lib/templates';
import type { AgentStatus, Message, Role, Template } from '../lib/types';
import { type AttentionFilters, type TransfersFilters, attentionsPath, transfersReportPath } from './requests';
import type {
  Campaign,
  CampaignForm,
  CampaignSettings,
  FormField,
  MemberInput,
  SupAttention,
  TimelineEvent,
  TransferRecord,
  TransferReport,
  UserRow,
} from './types';

/** A list answer, bare or wrapped in an object under one of `keys`. */
function listOf<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    for (const k of keys) {
      const v = (data as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** One row of `GET /api/users`, tolerant of the names the backend may pick for load. */
export function normalizeUser(raw: Record<string, unknown>): UserRow {
  return {
    id: Number(raw.id),
    username: String(raw.username ?? ''),
    display_name: String(raw.display_name ?? raw.username ?? ''),
    role: (raw.role as Role) ?? 'agent',
    status: (raw.status as AgentStatus) ?? 'offline',
    pause_reason: typeof raw.pause_reason === 'string' && raw.pause_reason ? raw.pause_reason : null,
    capacity: numOrNull(raw.capacity),
    load: numOrNull(raw.load) ?? numOrNull(raw.active_count) ?? numOrNull(raw.active),
  };
}

export class SupervisorApi {
  constructor(private readonly api: Api) {}

  // --- attentions ---

  attentions(filters: AttentionFilters): Promise<SupAttention[]> {
    return this.api.call<unknown>('GET', attentionsPath(filters)).then((d) => listOf<SupAttention>(d, 'attentions', 'items'));
  }

  move(id: number, campaignId: number, agentId: number | null, reason: string): Promise<SupAttention> {
    return this.api.call<SupAttention>('POST', `/api/attentions/${id}/move`, {
      body: { campaign_id: campaignId, agent_id: agentId, reason },
    });
  }

  messages(id: number): Promise<Message[]> {
    return this.api.call<unknown>('GET', `/api/attentions/${id}/messages`).then((d) => listOf<Message>(d, 'messages'));
  }

  timeline(id: number): Promise<TimelineEvent[]> {
    return this.api.call<unknown>('GET', `/api/attentions/${id}/timeline`).then((d) => listOf<TimelineEvent>(d, 'events'));
  }

  transfers(id: number): Promise<TransferRecord[]> {
    return this.api
      .call<unknown>('GET', `/api/attentions/${id}/transfers`)
      .then((d) => listOf<TransferRecord>(d, 'transfers', 'items').slice().sort((a, b) => a.sequence - b.sequence));
  }

  // --- campaigns ---

  campaigns(): Promise<Campaign[]> {
    return this.api.call<unknown>('GET', '/api/campaigns').then((d) => listOf<Campaign>(d, 'campaigns', 'items'));
  }

  updateCampaign(id: number, settings: Partial<CampaignSettings>): Promise<Campaign> {
    return this.api.call<Campaign>('PATCH', `/api/campaigns/${id}`, { body: settings });
  }

  setMembers(id: number, members: MemberInput[]): Promise<Campaign> {
    return this.api.call<Campaign>('PUT', `/api/campaigns/${id}/members`, { body: members });
  }

  /** The current form, or null when the campaign has none (null per contract; a 404 is read the same). */
  async form(campaignId: number): Promise<CampaignForm | null> {
    try {
      const f = await this.api.call<CampaignForm | null>('GET', `/api/campaigns/${campaignId}/form`);
      return f && Array.isArray(f.fields) ? f : null;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  saveForm(campaignId: number, fields: FormField[]): Promise<CampaignForm> {
    return this.api.call<CampaignForm>('PUT', `/api/campaigns/${campaignId}/form`, { body: { fields } });
  }

  // --- a campaign's approved templates ---

  templates(campaignId: number): Promise<Template[]> {
    return this.api
      .call<unknown>('GET', `/api/campaigns/${campaignId}/templates`)
      .then((d) => listOf<Template>(d, 'templates', 'items'));
  }

  addTemplate(campaignId: number, draft: TemplateDraft): Promise<Template> {
    return this.api.call<Template>('POST', `/api/campaigns/${campaignId}/templates`, { body: draft });
  }

  deleteTemplate(campaignId: number, templateId: number): Promise<void> {
    return this.api.call<void>('DELETE', `/api/campaigns/${campaignId}/templates/${templateId}`);
  }

  // --- reports and users ---

  transfersReport(filters: TransfersFilters): Promise<TransferReport> {
    return this.api.call<TransferReport>('GET', transfersReportPath(filters)).then((r) => ({
      ...r,
      items: r?.items ?? [],
      total: r?.total ?? 0,
    }));
  }

  users(): Promise<UserRow[]> {
    return this.api
      .call<unknown>('GET', '/api/users')
      .then((d) => listOf<Record<string, unknown>>(d, 'users', 'items').map(normalizeUser));
  }
}
