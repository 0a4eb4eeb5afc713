// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { Api } from '../api';
import {
  type BaseImport,
  BasesApi,
  LinkView,
  type LinkedRecord,
  draftFrom,
  errorReportUrl,
  finished,
  follow,
  mappingProblems,
  otherFields,
  progress,
  searchTerm,
  startBody,
} from '../bases';

function job(over: Partial<BaseImport> = {}): BaseImport {
  return {
    id: 5,
    campaign_id: 1,
    base_id: null,
    base_name: null,
    filename: 'clientes 2026.csv',
    format: 'csv',
    columns: ['DNI', 'Nombre', 'Celular'],
    preview: [['1', 'Ana', '987654321']],
    suggestion: { key: 'DNI', phone: 'Celular', name: null },
    state: 'uploaded',
    mode: null,
    key_column: null,
    phone_column: null,
    name_column: null,
    region: null,
    rows_total: 1000,
    rows_read: 0,
    added: 0,
    updated: 0,
    removed: 0,
    error_count: 0,
    failure_code: null,
    failure_params: null,
    errors: [],
    created_at: '2026-12-01T00:00:00Z',
    started_at: null,
    finished_at: null,
    ...over,
  };
}

const linkedRecord = (key: string): LinkedRecord => ({
  record_id: 1,
  base_id: 1,
  base_name: 'Clientes',
  key,
  phone: null,
  name: null,
  fields: {},
  linked_by_id: 7,
  linked_at: '2026-12-01T00:00:00Z',
});

describe('the mapping of a base file', () => {
  it('starts from the server guess, into a new base named after the file', () => {
    expect(draftFrom(job())).toEqual({
      key: 'DNI',
      phone: 'Celular',
      name: '',
      baseId: '',
      baseName: 'clientes 2026',
      mode: 'update',
    });
  });

  it('needs a key and a phone of the file, and a name for a new base', () => {
    const d = draftFrom(job({ suggestion: { key: null, phone: 'Otra', name: null } }));
    expect(mappingProblems(d, job().columns)).toEqual(['key', 'phone']);
    expect(mappingProblems({ ...d, key: 'DNI', phone: 'Celular', baseName: '  ' }, job().columns)).toEqual(['baseName']);
    expect(mappingProblems({ ...d, key: 'DNI', phone: 'Celular', baseName: '', baseId: 3 }, job().columns)).toEqual([]);
  });

  it('sends a new base by name, an existing one by id with its mode', () => {
    const d = draftFrom(job());
    expect(startBody(d)).toEqual({
      key_column: 'DNI',
      phone_column: 'Celular',
      name_column: null,
      base_id: null,
      base_name: 'clientes 2026',
      mode: 'update',
    });
    expect(startBody({ ...d, name: 'Nombre', baseId: 3, mode: 'replace' })).toMatchObject({
      name_column: 'Nombre',
      base_id: 3,
      base_name: null,
      mode: 'replace',
    });
  });
});

describe('an import in progress', () => {
  it('counts its percent, unknown without a total, 100 only when done', () => {
    expect(progress(job({ state: 'running', rows_read: 250 }))).toBe(25);
    expect(progress(job({ state: 'running', rows_read: 1000 }))).toBe(99);
    expect(progress(job({ state: 'running', rows_total: null, rows_read: 10 }))).toBeNull();
    expect(progress(job({ state: 'done', rows_read: 999 }))).toBe(100);
    expect(finished(job({ state: 'failed' }))).toBe(true);
    expect(finished(job({ state: 'running' }))).toBe(false);
    expect(errorReportUrl(5)).toBe('/api/base-imports/5/errors');
  });

  it('is followed until it ends, without waiting in the test', async () => {
    const states = [job({ state: 'running', rows_read: 10 }), job({ state: 'running', rows_read: 600 }), job({ state: 'done' })];
    const seen: number[] = [];
    const slept: number[] = [];
    const end = await follow(
      { import: async () => states.shift()! },
      5,
      (s) => seen.push(s.rows_read),
      async (ms) => void slept.push(ms),
    );
    expect(end?.state).toBe('done');
    expect(seen).toEqual([10, 600, 0]);
    expect(slept).toEqual([400, 400]);
  });

  it('stops following when the page is gone', async () => {
    const end = await follow({ import: async () => job({ state: 'running' }) }, 5, () => {
      throw new Error('not called');
    }, async () => {}, () => true);
    expect(end).toBeNull();
  });
});

describe('Coincidencia', () => {
  it('shows the other columns of a record once', () => {
    const r = { key: '10', phone: '+51987654321', name: 'Ana', fields: { dni: '10', nombre: 'Ana', tel: '987 654 321', plan: 'oro', vacío: '', cuenta: '321' } };
    expect(otherFields(r)).toEqual([
      ['plan', 'oro'],
      ['cuenta', '321'],
    ]);
  });

  it('sends a search only when it says something', () => {
    expect(searchTerm(' a ')).toBeNull();
    expect(searchTerm(' ana ')).toBe('ana');
  });

  it('keeps the newest link by the attention version', () => {
    const view = new LinkView({ version: 3, base_record: null });
    expect(view.take({ version: 5, base_record: linkedRecord('A') })).toBe(true);
    expect(view.linked?.key).toBe('A');
    // An event older than the link's answer arrives late: ignored.
    expect(view.take({ version: 4, base_record: null })).toBe(false);
    expect(view.linked?.key).toBe('A');
    expect(view.take({ version: 6, base_record: null })).toBe(true);
    expect(view.linked).toBeNull();
  });

  it('calls the attention routes and the supervisor ones', async () => {
    const calls: { method: string; url: string; body: unknown }[] = [];
    const fetchImpl = async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = String(input);
      calls.push({ method: init.method ?? 'GET', url, body: init.body instanceof FormData ? 'form' : init.body ? JSON.parse(String(init.body)) : null });
      const answer = url.includes('/match') ? { version: 2, base_record: linkedRecord('A') } : [];
      return new Response(JSON.stringify(answer), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const api = new BasesApi(new Api('', fetchImpl));
    await api.search(4, 'ana ruiz');
    const a = await api.link(4, 9);
    await api.unlink(4);
    await api.upload(2, new Blob(['a,b\n']), 'b.csv');
    await api.start(8, { ...draftFrom(job()), baseId: 3 });
    expect(a.base_record?.key).toBe('A');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/attentions/4/base-records?q=ana+ruiz',
      'PUT /api/attentions/4/match',
      'DELETE /api/attentions/4/match',
      'POST /api/campaigns/2/base-imports',
      'POST /api/base-imports/8/start',
    ]);
    expect(calls[1]!.body).toEqual({ record_id: 9 });
    expect(calls[3]!.body).toBe('form');
    expect(calls[4]!.body).toMatchObject({ key_column: 'DNI', base_id: 3, base_name: null });
  });
});
