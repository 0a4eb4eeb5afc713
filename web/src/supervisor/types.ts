// The supervisor part of the API ("Supervisors and admins"), named as the pages use them.
// Every shape is the generated schema (src/lib/api-types.ts); the base ones (User, Attention,
// Message) come from src/lib/types.ts.

import type { Query, Schemas } from '../lib/contract';
import type { Attention, FieldType, Form, FormField, Person, Ref } from '../lib/types';

export type { FieldType, FormField };

export type Campaign = Schemas['CampaignOut'];
export type RoutingMode = Campaign['routing_mode'];
export type OverflowMode = Campaign['overflow_mode'];

export const ROUTING_MODES: readonly RoutingMode[] = ['least_busy', 'round_robin', 'random', 'offer_all'];
export const OVERFLOW_MODES: readonly OverflowMode[] = ['none', 'offer_all'];

/** `active`: how many attentions the member is handling now. */
export type CampaignMember = Schemas['MemberOut'];

/** The editable settings of a campaign (`PATCH /api/campaigns/{id}` takes any of them). */
export type CampaignSettings = Pick<
  Campaign,
  | 'routing_mode'
  | 'reassign_after_seconds'
  | 'max_reassignments'
  | 'orphan_after_seconds'
  | 'overflow_after_seconds'
  | 'overflow_mode'
  | 'service_level_seconds'
  | 'service_level_target'
>;

export type MemberInput = Schemas['MemberIn'];

/** A WhatsApp number and the campaign it enters (`GET /api/entry-channels`). */
export type EntryChannel = Schemas['EntryChannelOut'];
/** What `PATCH /api/campaigns/{id}` takes: settings, a new name, archived or not. */
export type CampaignPatch = Schemas['CampaignPatch'];

/** A row of `GET /api/users`: the user plus what the supervisor watches (`active`: his load). */
export type UserRow = Schemas['UserRow'];

/** The supervisor sees the attention as the agent panel does. */
export type SupAttention = Attention;
/** A page of the live list: its rows, how many match in all, where the next page starts. */
export type LiveAttentionsPage = Schemas['LiveAttentionsPage'];

export const FIELD_TYPES: readonly FieldType[] = [
  'text',
  'long_text',
  'number',
  'date',
  'select',
  'multi_select',
  'checkbox',
  'phone',
  'email',
];

export type CampaignForm = Form;

/** A campaign or an agent as the transfer records and the timeline name them. */
export type NamedRef = Ref | Person;

export type TransferRecord = Schemas['TransferOut'];
export type TransferReportItem = Schemas['TransferRow'];
export type TransferReport = Schemas['TransferReport'];
export type TimelineEvent = Schemas['EventOut'];

export type AdminUser = Schemas['AdminUserOut'];
export type Role = AdminUser['role'];
export const ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];
export type MembershipInput = Schemas['MembershipIn'];
export type AuditEntry = Schemas['AuditEntryOut'];
export type AuditPage = Schemas['AuditPage'];
export type AuditQuery = Query<'/api/audit-log', 'GET'>;

/** A report's export being written or ready (`GET /api/exports/{id}`). */
export type ExportJob = Schemas['ExportOut'];
export type ExportFormat = ExportJob['format'];
export type AttentionReportPage = Schemas['AttentionReportPage'];
export type AttentionReportRow = Schemas['AttentionReportRow'];

export type SegmentForm = Schemas['SegmentFormOut'];
export type FoundAttention = Schemas['FoundAttentionOut'];
export type SearchPage = Schemas['AttentionSearchPage'];
export type SearchQuery = Query<'/api/search/attentions', 'GET'>;

export type Channel = Schemas['ChannelOut'];
export type ChannelInput = Schemas['ChannelIn'];
export type ChannelPatch = Schemas['ChannelPatch'];
export type ChannelTest = Schemas['ChannelTestOut'];
