// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { translate } from '../i18n';
import { namesOf, timelineText } from '../timeline';
import type { TimelineEvent } from '../types';

const t = (k: Parameters<typeof translate>[1], p?: Parameters<typeof translate>[2]) => translate('es', k, p);
const ventas = { id: 1, name: 'Ventas' };
const soporte = { id: 2, name: 'Soporte' };
const sofia = { id: 8, display_name: 'Sofía' };
const luis = { id: 9, display_name: 'Luis' };

function ev(id: number, kind: string, over: Partial<TimelineEvent> = {}): TimelineEvent {
  return { id, kind, at: '2026-11-25T10:00:00Z', actor: null, agent: null, campaign: ventas, data: {}, segment: 1, ...over };
}

describe('timeline texts', () => {
  it('reassignments say why', () => {
    expect(timelineText(ev(1, 'reassigned', { data: { reason: 'timeout' } }), t)).toBe('Reasignada: no se abrió a tiempo');
    expect(timelineText(ev(1, 'reassigned', { data: { reason: 'agent_paused' } }), t)).toBe(
      'Reasignada: el agente se puso en pausa',
    );
    expect(timelineText(ev(1, 'reassigned', { data: { reason: 'orphaned' } }), t)).toBe('Huérfana: el agente se desconectó');
  });

  it('a transfer with names in its data', () => {
    const e = ev(1, 'transferred', {
      data: { from_campaign: ventas, from_agent: sofia, to_campaign: soporte, to_agent: null, note: 'nota…' },
    });
    expect(timelineText(e, t)).toBe('Transferida de Ventas (Sofía) a Soporte: nota…');
  });

  it('a transfer with ids only is named from the rest of the timeline', () => {
    const events = [
      ev(1, 'assigned', { agent: sofia }),
      ev(2, 'transferred', {
        agent: sofia,
        actor: sofia,
        data: { kind: 'transfer', from_campaign_id: 1, from_agent_id: 8, to_campaign_id: 2, to_agent_id: 9, note: null },
      }),
      ev(3, 'assigned', { campaign: soporte, agent: luis }),
    ];
    expect(timelineText(events[1]!, t, namesOf(events))).toBe('Transferida de Ventas (Sofía) a Soporte (Luis)');
  });

  it('a move by a supervisor', () => {
    const e = ev(1, 'transferred', {
      actor: { id: 3, display_name: 'Marta' },
      data: { kind: 'move', from_campaign: 'Ventas', to_campaign: 'Soporte', note: 'carga' },
    });
    expect(timelineText(e, t)).toBe('Movida por Marta de Ventas a Soporte: carga');
  });

  it('the other kinds', () => {
    expect(timelineText(ev(1, 'queued'), t)).toBe('Encolada en Ventas');
    expect(timelineText(ev(1, 'assigned', { agent: sofia }), t)).toBe('Asignada a Sofía');
    expect(timelineText(ev(1, 'offered'), t)).toBe('Ofrecida a los agentes de Ventas');
    expect(timelineText(ev(1, 'opened', { agent: sofia }), t)).toBe('Abierta por Sofía');
    expect(timelineText(ev(1, 'parked'), t)).toBe('En espera en la cola: demasiadas reasignaciones');
    expect(timelineText(ev(1, 'overflowed'), t)).toBe('Desborde en Ventas: se ofrece a todos sus agentes');
    expect(timelineText(ev(1, 'form_submitted', { actor: sofia }), t)).toBe('Formulario guardado por Sofía');
    expect(timelineText(ev(1, 'closed', { actor: sofia }), t)).toBe('Terminada por Sofía');
    expect(timelineText(ev(1, 'something_new'), t)).toBe('something_new');
  });
});
