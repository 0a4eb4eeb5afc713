// The server's shapes, named as the client uses them. Every one is the generated schema of
// the API (src/lib/api-types.ts, from the server by `make api`); only what the server leaves
// open (a form's values, a timeline kind) is narrowed here. Times are ISO 8601 UTC strings.

import type { Schemas } from './contract';

export type User = Schemas['UserOut'];
export type Role = User['role'];
export type AgentStatus = User['status'];
export type AuthAnswer = Schemas['SessionOut'];

export type Ref = Schemas['Ref'];
export type Customer = Schemas['CustomerOut'];
export type Attention = Schemas['AttentionOut'];
export type AttentionState = Attention['state'];
/** An attention I handled that is now closed or transferred away (read-only). */
export type Attended = Schemas['AttendedOut'];
export type AttendedPage = Schemas['AttendedPage'];
export type QueueCount = Schemas['QueueCount'];
export type Snapshot = Schemas['DeskOut'];

// --- forms ---

export type FormField = Schemas['FieldOut'];
export type FieldType = FormField['type'];
export type Form = Schemas['FormOut'];

/** A stored value: text types → string; number → number; date → "YYYY-MM-DD"; select → one
 * option; multi_select → options; checkbox → bool. */
export type FormValue = string | number | boolean | string[] | null;
export type FormValues = Record<string, FormValue>;
export type FieldErrors = Schemas['FormState']['errors'];
/** What is wrong per field, as codes the client translates (`form_field.<code>`). */
export type FieldCodes = Schemas['FormState']['error_codes'];

/** The server declares the values as any JSON; they are FormValues (see `formState` in api.ts). */
export type FormState = Omit<Schemas['FormState'], 'values'> & { values: FormValues };

// --- transfers ---

export type TransferAgent = Schemas['TargetAgent'];
export type TransferCampaign = Schemas['TargetCampaign'];
export type TransferTargets = Schemas['TargetsOut'];
export type TransferRequest = Schemas['TransferIn'];

// --- timeline ---

export type Person = Schemas['Person'];

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

/** `kind` is one of TimelineKind; an unknown kind is shown as is. */
export type TimelineEvent = Schemas['EventOut'];

// --- messages ---

export type Message = Schemas['MessageOut'];
/** `played`: an outgoing voice note the customer listened to (after `read`). */
export type MessageStatus = Message['status'];
export type MessageError = Schemas['MessageError'];
/** The message the customer replied to (WhatsApp "context"). */
export type ReplyTo = Schemas['ReplyTo'];
export type Reaction = Schemas['Reaction'];

// --- templates ---

/** An approved template of the attention's campaign (`params`: how many values it takes). */
export type Template = Schemas['TemplateOut'];
export type TemplateSendRequest = Schemas['TemplateSendIn'];

/** WebSocket events (server → client), from the events' schemas (atiende/realtime/events.py). */
export type ServerEvent = Schemas['ServerEvent'];
