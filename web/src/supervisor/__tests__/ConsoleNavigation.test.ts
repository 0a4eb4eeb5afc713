// The console's navigation as a supervisor and an admin use it: sections by role, the view
// shown named in the address (and the address showing its view), the menu of narrow screens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import SupervisorApp from '../SupervisorApp.svelte';
import { app } from '../../lib/store.svelte';
import { sup } from '../sup.svelte';

// Every view copes with a backend that knows nothing; what is checked here is which one shows.
function fakeFetch(): Promise<Response> {
  return Promise.resolve(
    new Response(JSON.stringify({ detail: 'no existe' }), { status: 404, headers: { 'Content-Type': 'application/json' } }),
  );
}

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const tid = (id: string) => `[data-testid="${id}"]`;
const settle = async () => {
  for (let i = 0; i < 4; i++) {
    await Promise.resolve();
    flushSync();
  }
};
const sections = () =>
  [...document.querySelectorAll<HTMLElement>('[data-testid^="sup-nav-section-"]')].map((s) => ({
    title: s.querySelector('.heading')?.textContent ?? null,
    entries: [...s.querySelectorAll('a')].map((a) => a.textContent),
  }));
const current = () => [...document.querySelectorAll('nav [aria-current="page"]')].map((a) => a.getAttribute('data-testid'));
const shown = () => [...document.querySelectorAll<HTMLElement>('.view:not([hidden])')].map((v) => v.dataset.testid);

function hashTo(hash: string) {
  history.pushState(null, '', hash);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  flushSync();
}

describe('the console navigation', () => {
  let cmp: ReturnType<typeof mount> | null = null;
  const start = async (role: 'admin' | 'supervisor', hash = '') => {
    app.me = { id: 1, username: role, display_name: role, role, status: 'offline' };
    history.replaceState(null, '', `/${hash}`);
    cmp = mount(SupervisorApp, { target: document.body });
    await settle();
  };

  beforeEach(() => {
    vi.stubGlobal('fetch', fakeFetch);
    app.lang = 'es';
  });

  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    app.me = null;
    history.replaceState(null, '', '/');
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  it('a supervisor: four sections in one nav landmark, without the admin views', async () => {
    await start('supervisor');
    const nav = $('nav')!;
    expect(nav.getAttribute('aria-label')).toBe('Secciones de la consola');
    expect(document.querySelectorAll('nav')).toHaveLength(1);
    expect(sections()).toEqual([
      { title: 'En vivo', entries: ['Tablero', 'Atenciones en curso', 'Agentes'] },
      { title: null, entries: ['Buscar atenciones'] },
      { title: 'Reportes', entries: ['Resumen', 'Atenciones', 'Transferencias', 'Estados de agentes'] },
      {
        title: 'Configuración',
        entries: ['Campañas', 'Formularios', 'Campos de contacto', 'Bases de clientes', 'Motivos de pausa', 'Auditoría'],
      },
    ]);
    // Each named section's list is labelled by its name.
    const reports = $(tid('sup-nav-section-reports'))!;
    expect(reports.querySelector('ul')!.getAttribute('aria-labelledby')).toBe(reports.querySelector('.heading')!.id);
    expect($(tid('sup-tab-users'))).toBeNull();
    expect($(tid('sup-tab-channels'))).toBeNull();
  });

  it('an admin sees users and channels too, and the sections in English', async () => {
    await start('admin');
    expect(sections()[3]!.entries).toEqual([
      'Campañas',
      'Formularios',
      'Campos de contacto',
      'Bases de clientes',
      'Motivos de pausa',
      'Usuarios',
      'Canales',
      'Auditoría',
    ]);
    app.setLang('en');
    flushSync();
    expect(sections().map((s) => s.title)).toEqual(['Live', null, 'Reports', 'Settings']);
    expect(sections()[2]!.entries).toEqual(['Summary', 'Attentions', 'Transfers', 'Agent states']);
    expect($('nav')!.getAttribute('aria-label')).toBe('Console sections');
    app.setLang('es');
  });

  it('the view shown is current in the nav and named in the address; Back shows the one before', async () => {
    const entries = history.length;
    await start('supervisor');
    expect(current()).toEqual(['sup-tab-dashboard']);
    expect(shown()).toEqual(['sup-panel-dashboard']);
    // The first address is replaced, not stacked: Back leaves the console as before.
    expect(location.hash).toBe('#/live/dashboard');
    expect(history.length).toBe(entries);
    const link = $<HTMLAnchorElement>(tid('sup-tab-summary'))!;
    expect(link.getAttribute('href')).toBe('#/reports/summary');
    link.click();
    flushSync();
    expect(current()).toEqual(['sup-tab-summary']);
    expect(shown()).toEqual(['sup-panel-summary']);
    expect(location.hash).toBe('#/reports/summary');
    expect(history.length).toBe(entries + 1);
    // Another view moving the supervisor (Campañas → Formularios) moves the address too.
    sup.tab = 'form';
    flushSync();
    expect(location.hash).toBe('#/settings/forms');
    // Back (the address changing under the console) shows what it names.
    hashTo('#/reports/summary');
    expect(current()).toEqual(['sup-tab-summary']);
    expect(shown()).toEqual(['sup-panel-summary']);
  });

  it('an address names the view shown at login; one not the user’s is left for the dashboard', async () => {
    await start('supervisor', '#/reports/agent-states');
    expect(current()).toEqual(['sup-tab-agentStates']);
    expect(shown()).toEqual(['sup-panel-agentStates']);
    unmount(cmp!);
    cmp = null;
    await start('supervisor', '#/settings/users');
    expect(current()).toEqual(['sup-tab-dashboard']);
    expect(location.hash).toBe('#/live/dashboard');
    unmount(cmp!);
    cmp = null;
    await start('admin', '#/settings/users');
    expect(current()).toEqual(['sup-tab-users']);
  });

  it('an attention opens over the view named before it, and closing names that view again', async () => {
    await start('supervisor', '#/search');
    hashTo('#/attention/9');
    expect(sup.viewingAttentionId).toBe(9);
    expect(location.hash).toBe('#/attention/9');
    expect(current()).toEqual(['sup-tab-search']);
    sup.closeAttention();
    flushSync();
    expect(location.hash).toBe('#/search');
  });

  it('a click meant for a new browser tab is left to the browser', async () => {
    await start('supervisor');
    const link = $<HTMLAnchorElement>(tid('sup-tab-audit'))!;
    const e = new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: true });
    link.dispatchEvent(e);
    expect(e.defaultPrevented).toBe(false);
    flushSync();
    expect(current()).toEqual(['sup-tab-dashboard']);
  });

  it('the narrow screen menu: opened from the topbar, closed by a choice or Escape', async () => {
    await start('supervisor');
    const toggle = $<HTMLButtonElement>(tid('sup-nav-toggle'))!;
    const nav = $(tid('sup-nav'))!;
    expect(toggle.getAttribute('aria-controls')).toBe(nav.id);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    toggle.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(nav.classList.contains('open')).toBe(true);
    // The current entry takes the focus.
    expect(document.activeElement).toBe($(tid('sup-tab-dashboard')));
    $<HTMLAnchorElement>(tid('sup-tab-transfers'))!.click();
    await settle();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(current()).toEqual(['sup-tab-transfers']);
    // The entry is hidden with the menu: the view has the focus.
    expect(document.activeElement).toBe($('main'));
    toggle.click();
    await settle();
    document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(toggle);
  });
});
