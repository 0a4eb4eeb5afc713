// Typed calls of the supervisor pages, over the app's one API client (src/lib/api.ts):
// same cookie, CSRF token, Accept-Language and 401 handling as the agent panel. Every call
// names a route of the generated contract, so its answer has the server's shape.

import { type Api, ApiError } from '../lib/api';
import { fillPath } from '../lib/contract';
import type { TemplateDraft } from '../lib/templates';
import type { MessagePage } from '../lib/reducer';
import type { Message, Template } from '../lib/types';
import {
  ATTENTIONS,
  type AttentionFilters,
  type LiveCursor,
  type ReportParams,
  attentionsQuery,
} from './requests';
import type { UserDraft } from './adminModel';
import type { DashboardSnapshot } from './dashboard';
import type { AgentStatesPage, AgentTimeline, MessagePrices, SummaryPage } from './summaryModel';
import type { Lang } from '../lib/i18n';
import type { PauseReason, PauseReasonInput } from './pauseReasonsModel';
import type {
  AdminUser,
  AuditPage,
  AuditQuery,
  Campaign,
  CampaignForm,
  AttentionReportPage,
  CampaignPatch,
  CampaignSettings,
  Channel,
  ChannelInput,
  ChannelPatch,
  ChannelTest,
  EntryChannel,
  ExportFormat,
  ExportJob,
  FormField,
  LiveAttentionsPage,
  MemberInput,
  MembershipInput,
  Role,
  SearchPage,
  SearchQuery,
  SegmentForm,
  SupAttention,
  TimelineEvent,
  TransferRecord,
  TransferReport,
  UserRow,
} from './types';

const EXPORT_FILE = '/api/exports/{export_id}/file';

export class SupervisorApi {
  constructor(private readonly api: Api) {}

  // --- live ---

  /** The dashboard's snapshot; "today" is the supervisor's day in his time zone. */
  dashboard(tz: string): Promise<DashboardSnapshot> {
    return this.api.request('GET', '/api/supervisor/dashboard', { query: { tz } });
  }

  // --- attentions ---

  /** One page of the live list, oldest in the queue first, with how many match in all. */
  attentions(filters: AttentionFilters, after: LiveCursor | null = null, limit?: number): Promise<LiveAttentionsPage> {
    return this.api.request('GET', ATTENTIONS, { query: attentionsQuery(filters, after, limit) });
  }

  move(id: number, campaignId: number, agentId: number | null, reason: string): Promise<SupAttention> {
    return this.api.request('POST', '/api/attentions/{attention_id}/move', {
      params: { attention_id: id },
      body: { campaign_id: campaignId, agent_id: agentId, reason },
    });
  }

  /** Any attention, live or closed (supervisors read every one). */
  attention(id: number): Promise<SupAttention> {
    return this.api.request('GET', '/api/attentions/{attention_id}', { params: { attention_id: id } });
  }

  /** The newest `limit` messages (before `beforeId`), oldest first, and whether older ones remain. */
  messagesPage(id: number, limit: number, beforeId?: number): Promise<MessagePage> {
    return this.api.messagesPage(id, limit, beforeId);
  }

  /** Every segment's form with what was filled, in the form version it was filled against. */
  forms(id: number): Promise<SegmentForm[]> {
    return this.api.request('GET', '/api/attentions/{attention_id}/forms', { params: { attention_id: id } });
  }

  search(query: SearchQuery): Promise<SearchPage> {
    return this.api.request('GET', '/api/search/attentions', { query });
  }

  async messages(id: number): Promise<Message[]> {
    const r = await this.api.request('GET', '/api/attentions/{attention_id}/messages', { params: { attention_id: id } });
    return r.messages;
  }

  async timeline(id: number): Promise<TimelineEvent[]> {
    const r = await this.api.request('GET', '/api/attentions/{attention_id}/timeline', { params: { attention_id: id } });
    return r.events;
  }

  async transfers(id: number): Promise<TransferRecord[]> {
    const list = await this.api.request('GET', '/api/attentions/{attention_id}/transfers', {
      params: { attention_id: id },
    });
    return list.slice().sort((a, b) => a.sequence - b.sequence);
  }

  // --- campaigns ---

  campaigns(): Promise<Campaign[]> {
    return this.api.request('GET', '/api/campaigns');
  }

  updateCampaign(id: number, settings: Partial<CampaignSettings> | CampaignPatch): Promise<Campaign> {
    return this.api.request('PATCH', '/api/campaigns/{campaign_id}', { params: { campaign_id: id }, body: settings });
  }

  createCampaign(name: string): Promise<Campaign> {
    return this.api.request('POST', '/api/campaigns', { body: { name } });
  }

  entryChannels(): Promise<EntryChannel[]> {
    return this.api.request('GET', '/api/entry-channels');
  }

  setEntryChannels(id: number, channelIds: number[]): Promise<Campaign> {
    return this.api.request('PUT', '/api/campaigns/{campaign_id}/entry-channels', {
      params: { campaign_id: id },
      body: { channel_ids: channelIds },
    });
  }

  setMembers(id: number, members: MemberInput[]): Promise<Campaign> {
    return this.api.request('PUT', '/api/campaigns/{campaign_id}/members', {
      params: { campaign_id: id },
      body: members,
    });
  }

  /** The current form, or null when the campaign has none (null per contract; a 404 is read the same). */
  async form(campaignId: number): Promise<CampaignForm | null> {
    try {
      return await this.api.request('GET', '/api/campaigns/{campaign_id}/form', { params: { campaign_id: campaignId } });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
  }

  /** The fields every contact has beside the fixed ones. */
  contactFields(): Promise<FormField[]> {
    return this.api.request('GET', '/api/contact-fields');
  }

  saveContactFields(fields: FormField[]): Promise<FormField[]> {
    return this.api.request('PUT', '/api/contact-fields', { body: { fields } });
  }

  saveForm(campaignId: number, fields: FormField[]): Promise<CampaignForm> {
    return this.api.request('PUT', '/api/campaigns/{campaign_id}/form', {
      params: { campaign_id: campaignId },
      body: { fields },
    });
  }

  // --- a campaign's approved templates ---

  templates(campaignId: number): Promise<Template[]> {
    return this.api.request('GET', '/api/campaigns/{campaign_id}/templates', { params: { campaign_id: campaignId } });
  }

  addTemplate(campaignId: number, draft: TemplateDraft): Promise<Template> {
    return this.api.request('POST', '/api/campaigns/{campaign_id}/templates', {
      params: { campaign_id: campaignId },
      body: draft,
    });
  }

  deleteTemplate(campaignId: number, templateId: number): Promise<void> {
    return this.api.request('DELETE', '/api/campaigns/{campaign_id}/templates/{template_id}', {
      params: { campaign_id: campaignId, template_id: templateId },
    });
  }

  // --- reports and users ---

  // --- exports of any report (started by each report's own call) ---

  exportStatus(id: number): Promise<ExportJob> {
    return this.api.request('GET', '/api/exports/{export_id}', { params: { export_id: id } });
  }

  async dropExport(id: number): Promise<void> {
    await this.api.request('DELETE', '/api/exports/{export_id}', { params: { export_id: id } });
  }

  /** Where the finished file is downloaded (a plain link: same cookie). */
  exportFileUrl(id: number): string {
    return fillPath(EXPORT_FILE, { export_id: id });
  }

  attentionsReport(params: ReportParams): Promise<AttentionReportPage> {
    return this.api.request('GET', '/api/reports/attentions', { query: params });
  }

  exportAttentions(format: ExportFormat, params: ReportParams, lang: 'es' | 'en'): Promise<ExportJob> {
    // An export has every row: no cursor (the server ignores the limit).
    const filters = { ...params, cursor: null };
    return this.api.request('POST', '/api/reports/attentions/exports', { body: { format, filters, lang } });
  }

  transfersReport(params: ReportParams): Promise<TransferReport> {
    return this.api.request('GET', '/api/reports/transfers', { query: params });
  }

  exportTransfers(format: ExportFormat, params: ReportParams, lang: 'es' | 'en'): Promise<ExportJob> {
    const filters = { ...params, cursor: null };
    return this.api.request('POST', '/api/reports/transfers/exports', { body: { format, filters, lang } });
  }

  users(): Promise<UserRow[]> {
    return this.api.request('GET', '/api/users');
  }

  // --- the summary reports (the shared filters; both days required) ---

  summaryReport(params: ReportParams): Promise<SummaryPage> {
    return this.api.request('GET', '/api/reports/summary', { query: params });
  }

  agentStates(params: ReportParams): Promise<AgentStatesPage> {
    return this.api.request('GET', '/api/reports/agent-states', { query: params });
  }

  agentTimeline(agentId: number, params: ReportParams): Promise<AgentTimeline> {
    return this.api.request('GET', '/api/reports/agent-states/{agent_id}/timeline', {
      params: { agent_id: agentId },
      query: { ...params, cursor: null },
    });
  }

  exportSummary(format: ExportFormat, filters: ReportParams, lang: Lang): Promise<ExportJob> {
    return this.api.request('POST', '/api/reports/summary/exports', { body: { format, filters, lang } });
  }

  exportAgentStates(format: ExportFormat, filters: ReportParams, lang: Lang): Promise<ExportJob> {
    return this.api.request('POST', '/api/reports/agent-states/exports', { body: { format, filters, lang } });
  }

  messagePrices(): Promise<MessagePrices> {
    return this.api.request('GET', '/api/reports/message-prices');
  }

  setMessagePrices(body: { currency: string; prices: { category: string; price: string }[] }): Promise<MessagePrices> {
    return this.api.request('PUT', '/api/reports/message-prices', { body });
  }

  // --- users (admin) and the audit log ---

  adminUsers(): Promise<AdminUser[]> {
    return this.api.request('GET', '/api/admin/users');
  }

  createUser(draft: UserDraft, memberships: MembershipInput[]): Promise<AdminUser> {
    return this.api.request('POST', '/api/admin/users', { body: { ...draft, memberships } });
  }

  updateUser(id: number, change: { display_name?: string; role?: Role }): Promise<AdminUser> {
    return this.api.request('PATCH', '/api/admin/users/{user_id}', { params: { user_id: id }, body: change });
  }

  setMemberships(id: number, memberships: MembershipInput[]): Promise<AdminUser> {
    return this.api.request('PUT', '/api/admin/users/{user_id}/memberships', {
      params: { user_id: id },
      body: memberships,
    });
  }

  resetPassword(id: number, password: string): Promise<void> {
    return this.api.request('POST', '/api/admin/users/{user_id}/password', { params: { user_id: id }, body: { password } });
  }

  async setActive(id: number, active: boolean): Promise<void> {
    const route = active ? '/api/admin/users/{user_id}/reactivate' : '/api/admin/users/{user_id}/deactivate';
    await this.api.request('POST', route, { params: { user_id: id } });
  }

  // --- pause reasons ---

  pauseReasons(): Promise<PauseReason[]> {
    return this.api.request('GET', '/api/supervisor/pause-reasons');
  }

  savePauseReasons(reasons: PauseReasonInput[]): Promise<PauseReason[]> {
    return this.api.request('PUT', '/api/supervisor/pause-reasons', { body: { reasons } });
  }

  // --- channels (admin) ---

  channels(): Promise<Channel[]> {
    return this.api.request('GET', '/api/admin/channels');
  }

  createChannel(body: ChannelInput): Promise<Channel> {
    return this.api.request('POST', '/api/admin/channels', { body });
  }

  updateChannel(id: number, body: ChannelPatch): Promise<Channel> {
    return this.api.request('PATCH', '/api/admin/channels/{channel_id}', { params: { channel_id: id }, body });
  }

  testChannel(id: number): Promise<ChannelTest> {
    return this.api.request('POST', '/api/admin/channels/{channel_id}/test', { params: { channel_id: id } });
  }

  auditLog(query: AuditQuery): Promise<AuditPage> {
    return this.api.request('GET', '/api/audit-log', { query });
  }
}
