// Shapes of docs/api.md. Times are ISO 8601 UTC strings.

export type Role = 'agent' | 'supervisor' | 'admin';
export type AgentStatus = 'available' | 'paused' | 'offline';

export interface User {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  status: AgentStatus;
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
}

export type MessageStatus = 'received' | 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageError {
  code: number | null;
  title: string | null;
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
}

// WebSocket events (server → client).
export type ServerEvent =
  | { type: 'hello'; user: User }
  | { type: 'pong' }
  | { type: 'attention.updated'; attention: Attention }
  | { type: 'attention.removed'; attention_id: number }
  | { type: 'message.created'; message: Message }
  | {
      type: 'message.status';
      message_id: number;
      attention_id: number;
      status: MessageStatus;
      error: MessageError | null;
    }
  | { type: 'queues'; queues: QueueCount[] };
