// The admin's users view against a fake backend: deactivating asks in the shared dialog.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import UsersView from '../UsersView.svelte';
import { app } from '../../lib/store.svelte';
import { sup } from '../sup.svelte';
import type { AdminUser, Campaign } from '../types';

interface Req {
  method: string;
  path: string;
  body: unknown;
}

const campaign = (id: number, name: string, archived = false): Campaign =>
  ({
    id,
    name,
    routing_mode: 'least_busy',
    reassign_after_seconds: 0,
    max_reassignments: 0,
    orphan_after_seconds: 0,
    overflow_after_seconds: 0,
    overflow_mode: 'none',
    default_region: 'PE',
    archived,
    entry_channels: [],
    queued: 0,
    members: [],
  }) as unknown as Campaign;

let campaigns: Campaign[] = [];
let users: AdminUser[] = [];
let requests: Req[] = [];

function fakeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const req: Req = { method: init?.method ?? 'GET', path: String(input), body: init?.body ? JSON.parse(String(init.body)) : undefined };
  requests.push(req);
  const p = req.path.split('?')[0]!;
  let status = 200;
  let body: unknown = null;
  if (req.method === 'GET' && p === '/api/admin/users') body = users;
  else if (req.method === 'GET' && p === '/api/campaigns') body = campaigns;
  else if (req.method === 'GET' && p === '/api/users') body = [];
  else if (req.method === 'PUT' && p === '/api/admin/users/11/memberships') {
    const taken = req.body as { campaign_id: number; capacity: number }[];
    users = users.map((u) =>
      u.id === 11
        ? { ...u, memberships: taken.map((m) => ({ ...m, campaign_name: campaigns.find((c) => c.id === m.campaign_id)!.name })) }
        : u,
    );
    body = users.find((u) => u.id === 11);
  }
  else if (req.method === 'POST' && p === '/api/admin/users') {
    status = 422;
    body = {
      code: 'user_invalid',
      detail: 'Revise los datos del usuario.',
      errors: { username: 'Ese usuario ya existe.' },
      error_codes: { username: { code: 'username_taken', params: {} } },
    };
  } else if (req.method === 'POST' && /^\/api\/admin\/users\/\d+\/deactivate$/.test(p)) {
    const id = Number(p.split('/')[4]);
    users = users.map((u) => (u.id === id ? { ...u, active: false } : u));
    status = 204;
  } else {
    status = 404;
    body = { detail: 'no existe' };
  }
  return Promise.resolve(
    new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
  );
}

const settle = async (n = 6) => {
  for (let i = 0; i < n; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
};
const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T>(sel);
const tid = (id: string) => `[data-testid="${id}"]`;
function click(el: Element | null) {
  expect(el).not.toBeNull();
  (el as HTMLElement).click();
  flushSync();
}
const deactivations = () => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/deactivate'));

describe('UsersView', () => {
  let cmp: ReturnType<typeof mount> | null = null;

  beforeEach(async () => {
    campaigns = [campaign(1, 'Ventas'), campaign(2, 'Soporte'), campaign(3, 'Verano', true), campaign(4, 'Navidad', true)];
    users = [
      {
        id: 11,
        username: 'ana',
        display_name: 'Ana',
        role: 'agent',
        active: true,
        status: 'offline',
        memberships: [
          { campaign_id: 1, campaign_name: 'Ventas', capacity: 3 },
          { campaign_id: 4, campaign_name: 'Navidad', capacity: 2 },
        ],
      },
    ];
    requests = [];
    sup.campaigns = [];
    vi.stubGlobal('fetch', fakeFetch);
    app.api.csrfToken = 'tok-admin';
    app.lang = 'es';
    cmp = mount(UsersView, { target: document.body, props: { active: true } });
    await settle();
  });

  afterEach(() => {
    if (cmp) unmount(cmp);
    cmp = null;
    document.body.innerHTML = '';
    vi.unstubAllGlobals();
  });

  async function openAna() {
    click($(`${tid('user-row')}[data-username="ana"]`));
    await settle();
  }

  it('deactivating asks in the dialog: cancel sends nothing, confirm deactivates', async () => {
    const confirmSpy = vi.fn(() => true);
    vi.stubGlobal('confirm', confirmSpy);
    await openAna();
    click($(tid('user-toggle-active')));
    const dialog = $(tid('user-deactivate-dialog'));
    expect(dialog?.hasAttribute('open')).toBe(true);
    expect(dialog?.textContent).toContain('¿Desactivar a Ana?');

    click($(tid('user-deactivate-cancel')));
    expect($(tid('user-deactivate-dialog'))).toBeNull();
    expect(deactivations()).toEqual([]);

    click($(tid('user-toggle-active')));
    click($(tid('user-deactivate-confirm')));
    await settle();
    expect(deactivations().map((r) => r.path)).toEqual(['/api/admin/users/11/deactivate']);
    expect($(tid('user-deactivate-dialog'))).toBeNull();
    expect($(`${tid('user-row')}[data-username="ana"]`)?.dataset.active).toBe('false');
    // The browser's own confirm is never used.
    expect(confirmSpy).not.toHaveBeenCalled();
  });

  it('Escape closes the dialog without deactivating, in English too', async () => {
    app.lang = 'en';
    await openAna();
    click($(tid('user-toggle-active')));
    expect($(tid('user-deactivate-dialog'))?.textContent).toContain('Deactivate Ana?');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    flushSync();
    expect($(tid('user-deactivate-dialog'))).toBeNull();
    expect(deactivations()).toEqual([]);
  });

  it("the form's own checks show under their fields once submitted, then the server's refusal field by field", async () => {
    const username = () => $<HTMLInputElement>(tid('user-username'))!;
    expect($(tid('user-username-error'))).toBeNull();
    click($(tid('user-create-submit')));
    await settle();
    expect($(tid('user-username-error'))?.textContent).toBe('De 3 a 40 caracteres: minúsculas, números, punto, guion o guion bajo.');
    expect(username().getAttribute('aria-invalid')).toBe('true');
    expect(requests.filter((r) => r.method === 'POST')).toEqual([]);

    username().value = 'ana';
    username().dispatchEvent(new Event('input'));
    const name = $<HTMLInputElement>(tid('user-name'))!;
    name.value = 'Ana Bis';
    name.dispatchEvent(new Event('input'));
    const password = $<HTMLInputElement>(tid('user-password-input'))!;
    password.value = 'una-clave-larga';
    password.dispatchEvent(new Event('input'));
    flushSync();
    click($(tid('user-create-submit')));
    await settle();
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/api/admin/users']);
    expect($(tid('user-username-error'))?.textContent).toBe('Ese usuario ya existe.');
    expect(username().getAttribute('aria-invalid')).toBe('true');
    expect(name.getAttribute('aria-invalid')).toBe('false');
    // The draft stays as typed; choosing a user clears the errors.
    expect(username().value).toBe('ana');
    await openAna();
    click($(tid('users-new')));
    expect($(tid('user-username-error'))).toBeNull();
  });

  it('memberships: archived campaigns hidden, unless he is a member (marked, so he can be taken out)', async () => {
    // A new user: no archived campaign to join.
    expect($(tid('user-new-member-Ventas'))).not.toBeNull();
    expect($(tid('user-new-member-Verano'))).toBeNull();
    expect($(tid('user-new-member-Navidad'))).toBeNull();

    await openAna();
    expect($(tid('user-edit-member-Verano'))).toBeNull();
    const navidad = $<HTMLInputElement>(tid('user-edit-member-Navidad'))!;
    expect(navidad.checked).toBe(true);
    expect($(tid('user-edit-archived-Navidad'))?.textContent).toBe('archivada');
    expect($(tid('user-edit-archived-Ventas'))).toBeNull();

    click(navidad);
    click($(tid('user-save-memberships')));
    await settle();
    const put = requests.filter((r) => r.method === 'PUT').at(-1)!;
    expect(put.body).toEqual([{ campaign_id: 1, capacity: 3 }]);
    // Out of it, the archived campaign is no longer offered.
    expect($(tid('user-edit-member-Navidad'))).toBeNull();
  });
});
