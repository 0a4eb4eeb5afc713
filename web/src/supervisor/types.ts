// Shapes of the supervisor part of docs/api.md ("Supervisors and admins").
// The base shapes (User, Attention, Message) come from src/lib/types.ts.

import type { AgentStatus, Attention, Role } from '../lib/types';

export type RoutingMode = 'least_busy' | 'round_robin' | 'random' | 'offer_all';
export type OverflowMode = 'none' | 'offer_all';

export const ROUTING_MODES: readonly RoutingMode[] = ['least_busy', 'round_robin', 'random', 'offer_all'];
export const OVERFLOW_MODES: readonly OverflowMode[] = ['none', 'offer_all'];

export interface CampaignMember {
  user_id: number;
  display_name: string;
  capacity: number;
  /** The contract names it without a type: a flag or a count of active attentions. */
  active?: boolean | number;
}

/** The editable settings of a campaign (`PATCH /api/campaigns/{id}` takes any of them). */
export interface CampaignSettings {
  routing_mode: RoutingMode;
  reassign_after_seconds: number;
  max_reassignments: number;
  orphan_after_seconds: number;
  overflow_after_seconds: number;
  overflow_mode: OverflowMode;
}

export interface Campaign extends CampaignSettings {
  id: number;
  name: string;
  queued: number;
  members: CampaignMember[];
}

export interface MemberInput {
  user_id: number;
  capacity: number;
}

/** A row of `GET /api/users`: the user plus what the supervisor watches. */
export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  status: AgentStatus;
  pause_reason: string | null;
  capacity: number | null;
  load: number | null;
}

/** `Attention` with the lifecycle fields ("Attention, extended"). */
export interface SupAttention extends Attention {
  offered?: boolean;
  segment?: number;
  reassignments?: number;
  transfers?: number;
  orphaned?: boolean;
  parked?: boolean;
  /** Not in the contract; used when the server sends it. */
  agent?: { id: number; display_name: string } | null;
}

export type FieldType =
  | 'text'
  | 'long_text'
  | 'number'
  | 'date'
  | 'select'
  | 'multi_select'
  | 'checkbox'
  | 'phone'
  | 'email';

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

export interface FormField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: string[] | null;
}

export interface CampaignForm {
  id: number;
  version: number;
  campaign: { id: number; name: string };
  fields: FormField[];
}

/** A campaign or an agent as the transfer records and the timeline name them. */
export interface NamedRef {
  id: number;
  name?: string;
  display_name?: string;
}

export interface TransferRecord {
  sequence: number;
  at: string;
  from_campaign: NamedRef | null;
  from_agent: NamedRef | null;
  to_campaign: NamedRef | null;
  to_agent: NamedRef | null;
  by: NamedRef | null;
  note: string | null;
  kind: 'transfer' | 'move';
}

export interface TransferReportItem {
  attention: SupAttention;
  transfers: number;
  last_transfer_at: string | null;
}

export interface TransferReport {
  items: TransferReportItem[];
  total: number;
  page?: number;
  page_size?: number;
}

export interface TimelineEvent {
  id: number;
  kind: string;
  at: string;
  actor: NamedRef | null;
  agent: NamedRef | null;
  campaign: NamedRef | null;
  data: Record<string, unknown> | null;
}
