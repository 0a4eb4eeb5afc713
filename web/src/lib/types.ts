// Shapes of docs/api.md. Times are ISO 8601 UTC strings.

export type Role = 'agent' | 'supervisor' | 'admin';
export type AgentStatus = 'available' | 'paused' | 'offline';

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  status: AgentStatus;
  /** The reason given when pausing, if the server sends it back. */
  pause_reason?: string | null;
}

export interface AuthAnswer {
  user: User;
  csrf_token: string;
}

export type AttentionState = 'queued' | 'assigned' | 'open' | 'closed';

export interface Ref {
  id: number;
  name: string;
}

export interface Customer {
  id: number;
  display_name: string;
  name: string | null;
  username: string | null;
  phone: string | null;
  bsuid: string | null;
}

export interface Attention {
  id: number;
  state: AttentionState;
  version: number;
  campaign: Ref;
  channel: Ref;
  customer: Customer;
  agent_id: number | null;
  queued_at: string;
  assigned_at: string | null;
  opened_at: string | null;
  closed_at: string | null;
  last_customer_message_at: string | null;
  window_ends_at: string | null;
  unread: number;
  // "The whole lifecycle" (docs/api.md). Optional so that an older payload still fits.
  /** Queued and offered to me (campaign mode *a todos* or overflow): the first to open it takes it. */
  offered?: boolean;
  /** The current segment's number, from 1. */
  segment?: number;
  reassignments?: number;
  transfers?: number;
  orphaned?: boolean;
  /** Waits queued after too many reassignments. */
  parked?: boolean;
}

/** An attention I handled that is now closed or transferred away (read-only). */
export interface Attended extends Attention {
  /** When my part ended. */
  left_at: string | null;
  outcome: 'closed' | 'transferred';
}

export interface AttendedPage {
  items: Attended[];
  total: number;
  page: number;
  page_size: number;
}

export interface QueueCount {
  campaign_id: number;
  campaign_name: string;
  queued: number;
}

export interface Snapshot {
  assigned: Attention[];
  open: Attention[];
  queues: QueueCount[];
  /** Queued attentions offered to me. */
  offered?: Attention[];
}

// --- forms ---

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

export interface FormField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  options: string[] | null;
}

export interface Form {
  id: number;
  version: number;
  campaign: Ref;
  fields: FormField[];
}

/** A stored value: text types → string; number → number; date → "YYYY-MM-DD"; select → one
 * option; multi_select → options; checkbox → bool. */
export type FormValue = string | number | boolean | string[] | null;
export type FormValues = Record<string, FormValue>;
export type FieldErrors = Record<string, string>;

export interface FormState {
  form: Form | null;
  values: FormValues;
  submitted_at: string | null;
  segment: number;
  errors: FieldErrors;
}

// --- transfers ---

export interface TransferAgent {
  id: number;
  display_name: string;
  status: AgentStatus;
  free_slots: number;
}

export interface TransferCampaign {
  id: number;
  name: string;
  agents: TransferAgent[];
}

export interface TransferTargets {
  campaigns: TransferCampaign[];
}

export interface TransferRequest {
  campaign_id: number;
  agent_id: number | null;
  note: string | null;
}

// --- timeline ---

export interface Person {
  id: number;
  display_name: string;
}

export type TimelineKind =
  | 'queued'
  | 'assigned'
  | 'offered'
  | 'opened'
  | 'reassigned'
  | 'parked'
  | 'overflowed'
  | 'transferred'
  | 'form_submitted'
  | 'closed';

export interface TimelineEvent {
  id: number;
  /** One of TimelineKind; an unknown kind is shown as is. */
  kind: string;
  at: string;
  actor: Person | null;
  agent: Person | null;
  campaign: Ref | null;
  data: Record<string, unknown> | null;
}

/** `played`: an outgoing voice note the customer listened to (after `read`). */
export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface MessageError {
  code: number | null;
  title: string | null;
}

// --- message content (by `Message.type`) ---
// What the server sends; the client reads it defensively (src/lib/content.ts), so these are
// the documented shapes, not guarantees.

export interface TextContent {
  body: string;
}

/** `image`, `video`, `audio`, `document`, `sticker`. `url` is null until the media is downloaded. */
export interface MediaContent {
  media_id: string;
  mime_type: string | null;
  caption?: string | null;
  filename?: string | null;
  voice?: boolean;
  animated?: boolean;
  url: string | null;
  /** Bytes, when known (files the agent sent). */
  size?: number | null;
}

export interface LocationContent {
  latitude: number;
  longitude: number;
  name?: string | null;
  address?: string | null;
  url?: string | null;
}

export interface ContactEntry {
  name: string;
  phones: string[];
  emails: string[];
}

export interface ContactsContent {
  contacts: ContactEntry[];
}

export interface InteractiveContent {
  /** `button_reply`, `list_reply`, `nfm_reply`, or another. */
  kind: string;
  id: string;
  title: string;
  description?: string | null;
}

export interface ButtonContent {
  text: string;
  payload: string;
}

export interface UnsupportedContent {
  kind: string | null;
  error: string | null;
}

export interface SystemContent {
  kind: string;
  body: string;
}

/** `template`: an approved template the agent sent (`text` is the rendered body). */
export interface TemplateContent {
  name: string;
  language: string;
  params: string[];
}

/** Any other type. */
export interface OtherContent {
  raw_type: string;
}

export type Content =
  | TextContent
  | MediaContent
  | LocationContent
  | ContactsContent
  | InteractiveContent
  | ButtonContent
  | UnsupportedContent
  | SystemContent
  | TemplateContent
  | OtherContent
  | Record<string, never>;

/** The message the customer replied to (WhatsApp "context"). */
export interface ReplyTo {
  /** Null when the quoted message is not known here. */
  message_id: number | null;
  text: string | null;
  type: string | null;
}

export interface Reaction {
  emoji: string;
  by: 'customer' | 'agent';
}

export interface Message {
  id: number;
  attention_id: number;
  direction: 'in' | 'out';
  type: string;
  text: string | null;
  status: MessageStatus;
  error: MessageError | null;
  created_at: string;
  sender: { id: number; display_name: string } | null;
  client_id: string | null;
  // Structured content. Optional so that an older payload still fits.
  /** By `type` (see Content); null for plain outgoing text. */
  content?: Content | null;
  reply_to?: ReplyTo | null;
  forwarded?: boolean;
  reactions?: Reaction[];
  /** The customer edited it: `text` is the new text. */
  edited?: boolean;
  /** The text before the edit. */
  previous_text?: string | null;
  /** The customer deleted it for everyone. */
  deleted?: boolean;
}

// --- templates ---

/** An approved template of the attention's campaign (`params`: how many values it takes). */
export interface Template {
  id: number;
  name: string;
  language: string;
  /** With `{{1}}` … `{{n}}` placeholders. */
  body: string;
  params: number;
}

export interface TemplateSendRequest {
  template_id: number;
  params: string[];
  client_id: string;
}

// WebSocket events (server → client).
export type ServerEvent =
  | { type: 'hello'; user: User }
  | { type: 'pong' }
  | { type: 'attention.updated'; attention: Attention }
  | { type: 'attention.removed'; attention_id: number }
  | { type: 'message.created'; message: Message }
  /** Edited, deleted or reacted to: replaces the message with the same id. */
  | { type: 'message.updated'; message: Message }
  | {
      type: 'message.status';
      message_id: number;
      attention_id: number;
      status: MessageStatus;
      error: MessageError | null;
    }
  | { type: 'queues'; queues: QueueCount[] };
