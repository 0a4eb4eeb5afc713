// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { Api } from '../api';
import {
  arrivalNote,
  datesText,
  historyPage,
  outcomeText,
  pathText,
  summary,
  valueText,
  type HistoryItem,
  type Transfer,
} from '../history';
import { translate, type MessageKey, type Params } from '../i18n';

const t = (key: MessageKey, params?: Params) => translate('es', key, params);

function stub(answer: unknown) {
  const urls: string[] = [];
  const fetchImpl = (async (input: RequestInfo | URL) => {
    urls.push(String(input));
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  return { api: new Api('', fetchImpl), urls };
}

function item(over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    id: 12,
    state: 'closed',
    channel: { id: 1, name: 'WhatsApp Ventas' },
    started_at: '2026-11-20T15:00:00Z',
    closed_at: '2026-11-20T15:40:00Z',
    closed_by: { id: 7, display_name: 'Diego Morales' },
    segments: [
      { number: 1, campaign: { id: 1, name: 'Ventas' }, agent: { id: 5, display_name: 'Sofía Torres' } },
      { number: 2, campaign: { id: 2, name: 'Soporte' }, agent: { id: 7, display_name: 'Diego Morales' } },
    ],
    forms: [
      {
        segment: 2,
        campaign: { id: 2, name: 'Soporte' },
        submitted_at: '2026-11-20T15:39:00Z',
        values: [
          { key: 'pedido', label: 'Número de pedido', type: 'text', value: 'A-1' },
          { key: 'resuelto', label: 'Resuelto', type: 'checkbox', value: true },
          { key: 'temas', label: 'Temas', type: 'multi_select', value: ['Entrega', 'Factura'] },
        ],
      },
    ],
    ...over,
  };
}

describe('history', () => {
  it('asks for a page before an attention, or the newest without a cursor', async () => {
    const { api, urls } = stub({ items: [], next_before_id: null });
    await historyPage(api, 5, 40, 1);
    await historyPage(api, 5);
    expect(urls).toEqual(['/api/customers/5/attentions?before_id=40&limit=1', '/api/customers/5/attentions?limit=20']);
  });

  it('tells the path, the outcome and the dates', () => {
    expect(pathText(item(), t)).toBe('Ventas · Sofía Torres → Soporte · Diego Morales');
    expect(pathText(item({ segments: [{ number: 1, campaign: { id: 1, name: 'Ventas' }, agent: null }] }), t)).toBe(
      'Ventas · sin agente',
    );
    expect(outcomeText(item(), t)).toBe('Terminada por Diego Morales');
    expect(outcomeText(item({ closed_by: null }), t)).toBe('Terminada');
    expect(outcomeText(item({ state: 'open', closed_at: null }), t)).toBe('Abierta');
    expect(datesText(item(), 'es')).toContain('–');
    expect(datesText(item({ closed_at: null }), 'es')).not.toContain('–');
  });

  it('sums up the submitted values as a person reads them, a few at most', () => {
    expect(summary(item(), t)).toEqual(['Número de pedido: A-1', 'Resuelto: Sí', 'Temas: Entrega, Factura']);
    expect(summary(item(), t, 2)).toEqual(['Número de pedido: A-1', 'Resuelto: Sí', '+1 más']);
    expect(summary(item({ forms: [] }), t)).toEqual([]);
    expect(valueText(false, t)).toBe('No');
    expect(valueText(null, t)).toBe('—');
    expect(valueText(42, t)).toBe('42');
  });

  it('finds the note of the transfer that started this segment', () => {
    const transfer = (sequence: number, note: string | null): Transfer => ({
      sequence,
      kind: 'transfer',
      at: '2026-11-20T15:10:00Z',
      from_campaign: { id: 1, name: 'Ventas' },
      from_agent: { id: 5, display_name: 'Sofía Torres' },
      to_campaign: { id: 2, name: 'Soporte' },
      to_agent: null,
      by: { id: 5, display_name: 'Sofía Torres' },
      note,
    });
    const list = [transfer(1, 'Revisar pedido'), transfer(2, null)];
    expect(arrivalNote(list, 2)?.note).toBe('Revisar pedido');
    expect(arrivalNote(list, 3)).toBeNull(); // the latest carried no note
    expect(arrivalNote(list, 1)).toBeNull();
  });
});
