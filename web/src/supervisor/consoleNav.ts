// The console's navigation: its views grouped the way a supervisor looks for them (what is
// happening now, finding one attention, reports, settings), which ones a role sees, and the
// address (#/<path>) of each, so a reload, Back or a shared link shows the same view.

import type { MessageKey } from '../lib/i18n';
import { attentionFromHash } from './deepLink';

export type Tab =
  | 'dashboard'
  | 'attentions'
  | 'search'
  | 'campaigns'
  | 'form'
  | 'bases'
  | 'contacts'
  | 'attentionsReport'
  | 'transfers'
  | 'summary'
  | 'agentStates'
  | 'agents'
  | 'users'
  | 'channels'
  | 'pauseReasons'
  | 'audit';

export type SectionId = 'live' | 'search' | 'reports' | 'settings';

export interface NavEntry {
  view: Tab;
  label: MessageKey;
  /** The address after `#/`; stable, since people bookmark and share it. */
  path: string;
  /** Only an admin sees it (the server refuses the rest anyway). */
  adminOnly?: boolean;
}

export interface NavSection {
  id: SectionId;
  /** Null for a section of one entry, shown as that entry alone. */
  title: MessageKey | null;
  entries: readonly NavEntry[];
}

export const SECTIONS: readonly NavSection[] = [
  {
    id: 'live',
    title: 'nav.live',
    entries: [
      { view: 'dashboard', label: 'tab.dashboard', path: 'live/dashboard' },
      { view: 'attentions', label: 'tab.attentions', path: 'live/attentions' },
      { view: 'agents', label: 'tab.agents', path: 'live/agents' },
    ],
  },
  {
    id: 'search',
    title: null,
    entries: [{ view: 'search', label: 'tab.search', path: 'search' }],
  },
  {
    id: 'reports',
    title: 'nav.reports',
    entries: [
      { view: 'summary', label: 'tab.summary', path: 'reports/summary' },
      { view: 'attentionsReport', label: 'nav.reportAttentions', path: 'reports/attentions' },
      { view: 'transfers', label: 'nav.reportTransfers', path: 'reports/transfers' },
      { view: 'agentStates', label: 'tab.agentStates', path: 'reports/agent-states' },
    ],
  },
  {
    id: 'settings',
    title: 'nav.settings',
    entries: [
      { view: 'campaigns', label: 'tab.campaigns', path: 'settings/campaigns' },
      { view: 'form', label: 'tab.form', path: 'settings/forms' },
      { view: 'contacts', label: 'tab.contacts', path: 'settings/contact-fields' },
      { view: 'bases', label: 'tab.bases', path: 'settings/bases' },
      { view: 'pauseReasons', label: 'pr.title', path: 'settings/pause-reasons' },
      { view: 'users', label: 'tab.users', path: 'settings/users', adminOnly: true },
      { view: 'channels', label: 'tab.channels', path: 'settings/channels', adminOnly: true },
      { view: 'audit', label: 'tab.audit', path: 'settings/audit' },
    ],
  },
];

const ENTRIES: readonly NavEntry[] = SECTIONS.flatMap((s) => s.entries);

/** Every view, in the order the navigation shows them. */
export const TABS: readonly Tab[] = ENTRIES.map((e) => e.view);

export const DEFAULT_TAB: Tab = 'dashboard';

/** The sections a role sees: an admin every entry, anyone else all but the admin's own. */
export function navFor(role: string | null | undefined): NavSection[] {
  return SECTIONS.map((s) => ({ ...s, entries: s.entries.filter((e) => !e.adminOnly || role === 'admin') })).filter(
    (s) => s.entries.length > 0,
  );
}

export function tabsFor(role: string | null | undefined): Tab[] {
  return navFor(role).flatMap((s) => s.entries.map((e) => e.view));
}

export function viewHash(tab: Tab): string {
  return `#/${ENTRIES.find((e) => e.view === tab)!.path}`;
}

/** The view a location hash names, if `allowed` has it; null for anything else. */
export function viewFromHash(hash: string, allowed: readonly Tab[]): Tab | null {
  const entry = ENTRIES.find((e) => `#/${e.path}` === hash);
  return entry && allowed.includes(entry.view) ? entry.view : null;
}

/** How the address follows the view shown: null when it already names it, or names an
 * attention (the dialog over the view owns the address until it closes). An address that
 * named a view of this user's is pushed over, so Back returns to it; one that named nothing
 * they may see (a first visit, a view of the admin's) is replaced. */
export function addressFor(hash: string, tab: Tab, allowed: readonly Tab[]): { hash: string; replace: boolean } | null {
  const want = viewHash(tab);
  if (hash === want || attentionFromHash(hash) !== null) return null;
  return { hash: want, replace: viewFromHash(hash, allowed) === null };
}
