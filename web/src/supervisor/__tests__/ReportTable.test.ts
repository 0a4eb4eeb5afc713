// The summary and agent-states reports share one keyset table (ReportTable.svelte and
// KeysetPager): first page, "Más" appends the next, no rows, a refusal, and a newer search
// winning over an older answer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, tick, unmount } from 'svelte';
import AgentStatesReport from '../AgentStatesReport.svelte';
import SummaryReport from '../SummaryReport.svelte';
import { KeysetPager } from '../keysetPager.svelte';
import { sup } from '../sup.svelte';
import type { AgentDay, AgentStatesPage, SummaryPage, SummaryRow } from '../summaryModel';

const day = (agent: number, d: string, handled = 0): AgentDay => ({
  agent: { id: agent, display_name: `Agente ${agent}` },
  day: d,
  logged_in_seconds: 3600,
  available_seconds: 3000,
  paused_seconds: 600,
  paused_by_reason: { Almuerzo: 600 },
  offline_seconds: 0,
  handled,
  avg_handle_seconds: handled ? 90 : null,
});

const summaryRow = (d: string): SummaryRow => ({
  day: d,
  campaign_id: 1,
  campaign: 'Ventas',
  received: 4,
  answered: 3,
  closed: 2,
  still_open: 2,
  reassigned: 0,
  orphaned: 0,
  transferred: 1,
  messages_in: 9,
  messages_out: 7,
  avg_first_response_seconds: 30,
  avg_wait_seconds: 10,
  avg_handle_seconds: 300,
  billable: { marketing: 2 },
  unpriced_billable: 0,
  cost: '0.50',
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await tick();
  flushSync();
}

const testids = (root: HTMLElement, id: string) => [...root.querySelectorAll(`[data-testid="${id}"]`)];

let component: ReturnType<typeof mount> | null = null;
let target: HTMLElement;

function render(which: typeof AgentStatesReport | typeof SummaryReport): HTMLElement {
  target = document.createElement('div');
  document.body.append(target);
  component = mount(which, { target, props: { active: true } });
  return target;
}

afterEach(() => {
  if (component) unmount(component);
  component = null;
  target?.remove();
  vi.restoreAllMocks();
});

describe('Estados de agentes', () => {
  it('reads a page, appends the next with Más, and says which filters narrow what', async () => {
    const pages: AgentStatesPage[] = [
      { items: [day(11, '2026-11-10', 2), day(11, '2026-11-11')], next_cursor: 'c1' },
      { items: [day(12, '2026-11-10')], next_cursor: null },
    ];
    const calls = vi.spyOn(sup.api, 'agentStates').mockImplementation(async () => pages.shift()!);
    const root = render(AgentStatesReport);
    await settle();
    expect(testids(root, 'agent-states-row')).toHaveLength(2);
    expect(calls.mock.calls[0][0].cursor).toBeNull();
    // Every shared filter is offered, and the page says which columns they narrow.
    for (const id of ['report-state', 'report-condition', 'report-customer', 'report-words']) {
      expect(testids(root, id)).toHaveLength(1);
    }
    expect(testids(root, 'agent-states-filters-hint')[0].textContent).toContain('Atenciones');

    (testids(root, 'agent-states-more')[0] as HTMLButtonElement).click();
    await settle();
    expect(calls.mock.calls[1][0].cursor).toBe('c1');
    expect(testids(root, 'agent-states-row').map((r) => r.textContent)).toEqual([
      expect.stringContaining('Agente 11'),
      expect.stringContaining('Agente 11'),
      expect.stringContaining('Agente 12'),
    ]);
    expect(testids(root, 'agent-states-more')).toHaveLength(0);
  });

  it('says so when nothing matched and when the server refused', async () => {
    const answer = vi.spyOn(sup.api, 'agentStates').mockResolvedValueOnce({ items: [], next_cursor: null });
    const root = render(AgentStatesReport);
    await settle();
    expect(testids(root, 'agent-states-empty')).toHaveLength(1);
    expect(testids(root, 'agent-states-table')).toHaveLength(0);

    answer.mockRejectedValueOnce(new Error('boom'));
    (testids(root, 'report-search')[0] as HTMLButtonElement).click();
    await settle();
    expect(testids(root, 'agent-states-error')).toHaveLength(1);
    expect(testids(root, 'agent-states-empty')).toHaveLength(0);
  });
});

describe('Resumen de atenciones', () => {
  it('shows the rows with the page’s categories and currency, and appends the next page', async () => {
    vi.spyOn(sup.api, 'messagePrices').mockResolvedValue({ currency: 'USD', prices: [], categories: ['marketing'] });
    const page = (items: SummaryRow[], next: string | null): SummaryPage => ({
      items,
      next_cursor: next,
      currency: 'USD',
      categories: ['marketing', 'other'],
    });
    const pages = [page([summaryRow('2026-11-10')], 'c1'), page([summaryRow('2026-11-11')], null)];
    vi.spyOn(sup.api, 'summaryReport').mockImplementation(async () => pages.shift()!);
    const root = render(SummaryReport);
    await settle();
    const rows = testids(root, 'summary-row');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain('0.50 USD');
    (testids(root, 'summary-more')[0] as HTMLButtonElement).click();
    await settle();
    expect(testids(root, 'summary-row').map((r) => r.getAttribute('data-day'))).toEqual(['2026-11-10', '2026-11-11']);
  });
});

describe('KeysetPager', () => {
  it('keeps the newest search when an older answer arrives last', async () => {
    let release: (p: AgentStatesPage) => void = () => {};
    const slow = new Promise<AgentStatesPage>((resolve) => (release = resolve));
    const answers = [slow, Promise.resolve({ items: [day(2, '2026-11-10')], next_cursor: null })];
    const pager = new KeysetPager<AgentDay, AgentStatesPage>(
      () => answers.shift()!,
      () => 'refused',
    );
    const first = pager.load();
    await pager.load();
    release({ items: [day(1, '2026-11-10')], next_cursor: 'old' });
    await first;
    expect(pager.rows.map((r) => r.agent.id)).toEqual([2]);
    expect(pager.next).toBeNull();
    expect(pager.loading).toBe(false);
  });
});
