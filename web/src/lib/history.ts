// The customer's earlier attentions (Historial, and the earlier conversations above the
// chat): the calls, and how an item is told in one line. Pure except for the calls.

import type { Api } from './api';
import type { Schemas } from './contract';
import type { Lang, MessageKey, Params } from './i18n';
import type { FormValue, Message } from './types';
import { formatDateTime } from './time';

export type HistoryItem = Schemas['HistoryItemOut'];
export type HistoryPage = Schemas['HistoryPage'];
export type SegmentForm = Schemas['SegmentFormOut'];
export type Transfer = Schemas['TransferOut'];
type Translate = (key: MessageKey, params?: Params) => string;

/** One page of his attentions, newest first; `beforeId` pages back (keyset on the id). */
export function historyPage(api: Api, customerId: number, beforeId?: number, limit = 20): Promise<HistoryPage> {
  return api.request('GET', '/api/customers/{customer_id}/attentions', {
    params: { customer_id: customerId },
    query: { before_id: beforeId, limit },
  });
}

export function segmentForms(api: Api, attentionId: number): Promise<SegmentForm[]> {
  return api.request('GET', '/api/attentions/{attention_id}/forms', { params: { attention_id: attentionId } });
}

export async function conversation(api: Api, attentionId: number): Promise<Message[]> {
  const r = await api.request('GET', '/api/attentions/{attention_id}/messages', {
    params: { attention_id: attentionId },
  });
  return r.messages;
}

export function transfers(api: Api, attentionId: number): Promise<Transfer[]> {
  return api.request('GET', '/api/attentions/{attention_id}/transfers', { params: { attention_id: attentionId } });
}

/** "Ventas · Sofía → Soporte · Diego": the campaigns and agents it went through. */
export function pathText(item: Pick<HistoryItem, 'segments'>, t: Translate): string {
  return item.segments
    .map((s) => `${s.campaign.name} · ${s.agent?.display_name ?? t('history.noAgent')}`)
    .join(' → ');
}

/** How it ended, or that it has not. */
export function outcomeText(item: HistoryItem, t: Translate): string {
  if (item.state !== 'closed') return t(`history.state.${item.state}`);
  return item.closed_by ? t('history.closedBy', { name: item.closed_by.display_name }) : t('history.closed');
}

/** "25/11/2026 10:02 – 10:40" (or to another day's date and time). */
export function datesText(item: Pick<HistoryItem, 'started_at' | 'closed_at'>, lang: Lang): string {
  const start = formatDateTime(item.started_at, lang);
  if (!item.closed_at) return start;
  return `${start} – ${formatDateTime(item.closed_at, lang)}`;
}

/** A submitted value as a person reads it (a list joined, a checkbox as yes/no). */
export function valueText(value: FormValue | undefined, t: Translate): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'history.yes' : 'history.no');
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** The filled fields of every submitted form, "Label: value", at most `max` of them. */
export function summary(item: Pick<HistoryItem, 'forms'>, t: Translate, max = 4): string[] {
  const lines = item.forms.flatMap((f) =>
    f.values.map((v) => `${v.label}: ${valueText(v.value as FormValue, t)}`),
  );
  return lines.length > max ? [...lines.slice(0, max), t('history.more', { n: lines.length - max })] : lines;
}

/** The transfer that started this segment, if it carried a note: what the receiving agent
 * reads on top of the chat. */
export function arrivalNote(list: Transfer[], segment: number): Transfer | null {
  const t = list.find((x) => x.sequence === segment - 1);
  return t && t.note ? t : null;
}
