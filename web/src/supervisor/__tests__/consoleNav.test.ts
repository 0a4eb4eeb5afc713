// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { translate } from '../../lib/i18n';
import { SECTIONS, TABS, addressFor, navFor, tabsFor, viewFromHash, viewHash } from '../consoleNav';
import { attentionHash } from '../deepLink';

const shape = (role: string | undefined) =>
  navFor(role).map((s) => [s.id, s.entries.map((e) => e.view)] as const);

describe('the console navigation', () => {
  it('groups every view once, in named sections', () => {
    expect([...TABS].sort()).toEqual([...new Set(TABS)].sort());
    expect(TABS).toHaveLength(16);
    expect(SECTIONS.map((s) => s.id)).toEqual(['live', 'search', 'reports', 'settings']);
    // A section of one entry is that entry; the others are named.
    for (const s of SECTIONS) expect(s.title === null, s.id).toBe(s.entries.length === 1);
  });

  it('an admin sees every view; a supervisor all but users and channels', () => {
    expect(shape('admin')).toEqual([
      ['live', ['dashboard', 'attentions', 'agents']],
      ['search', ['search']],
      ['reports', ['summary', 'attentionsReport', 'transfers', 'agentStates']],
      ['settings', ['campaigns', 'form', 'contacts', 'bases', 'pauseReasons', 'users', 'channels', 'audit']],
    ]);
    expect(shape('supervisor')).toEqual([
      ['live', ['dashboard', 'attentions', 'agents']],
      ['search', ['search']],
      ['reports', ['summary', 'attentionsReport', 'transfers', 'agentStates']],
      ['settings', ['campaigns', 'form', 'contacts', 'bases', 'pauseReasons', 'audit']],
    ]);
    for (const role of [undefined, 'agent']) {
      expect(tabsFor(role)).not.toContain('users');
      expect(tabsFor(role)).not.toContain('channels');
    }
  });

  it('names sections and entries in Spanish and English', () => {
    const titles = (lang: 'es' | 'en') => SECTIONS.flatMap((s) => (s.title ? [translate(lang, s.title)] : []));
    expect(titles('es')).toEqual(['En vivo', 'Reportes', 'Configuración']);
    expect(titles('en')).toEqual(['Live', 'Reports', 'Settings']);
    const reports = SECTIONS.find((s) => s.id === 'reports')!.entries.map((e) => translate('es', e.label));
    expect(reports).toEqual(['Resumen', 'Atenciones', 'Transferencias', 'Estados de agentes']);
  });

  it('each view has its own address, read back only for a role that sees it', () => {
    const hashes = TABS.map(viewHash);
    expect(new Set(hashes).size).toBe(TABS.length);
    expect(viewHash('summary')).toBe('#/reports/summary');
    for (const tab of TABS) expect(viewFromHash(viewHash(tab), TABS)).toBe(tab);
    expect(viewFromHash('#/settings/users', tabsFor('admin'))).toBe('users');
    expect(viewFromHash('#/settings/users', tabsFor('supervisor'))).toBeNull();
    for (const other of ['', '#', '#/', '#/reports', '#/reports/summary/', '#/attention/9', 'reports/summary'])
      expect(viewFromHash(other, TABS), other).toBeNull();
  });

  it('the address follows the view: pushed over a view, replacing anything else, never over an attention', () => {
    const all = tabsFor('admin');
    expect(addressFor('#/live/dashboard', 'dashboard', all)).toBeNull();
    expect(addressFor(attentionHash(9), 'summary', all)).toBeNull();
    expect(addressFor('#/live/dashboard', 'summary', all)).toEqual({ hash: '#/reports/summary', replace: false });
    expect(addressFor('', 'dashboard', all)).toEqual({ hash: '#/live/dashboard', replace: true });
    expect(addressFor('#/nowhere', 'dashboard', all)).toEqual({ hash: '#/live/dashboard', replace: true });
    // A supervisor sent to the admin's users page stays where they were; Back does not return there.
    expect(addressFor('#/settings/users', 'dashboard', tabsFor('supervisor'))).toEqual({
      hash: '#/live/dashboard',
      replace: true,
    });
  });
});
