// Customer bases and Coincidencia, on the client: the typed calls (agent and supervisor),
// and the pure rules the pages follow (a mapping is complete, an import's progress, when to
// stop polling). Every shape is the server's (src/lib/api-types.ts).

import type { Api } from './api';
import type { Schemas } from './contract';
import type { Attention } from './types';

export type BaseInfo = Schemas['BaseOut'];
export type BaseImport = Schemas['ImportOut'];
export type ImportMode = BaseImport['mode'] & string;
export type RowError = Schemas['RowErrorOut'];
export type BaseRecord = Schemas['RecordOut'];
export type LinkedRecord = Schemas['LinkedRecord'];
export type Matches = Schemas['MatchesOut'];

/** The shortest search the agent's box sends (one letter finds half a base). */
export const MIN_SEARCH = 2;

export interface MappingDraft {
  key: string;
  phone: string;
  name: string;
  /** '' = a new base named `baseName`; else re-import into this base. */
  baseId: number | '';
  baseName: string;
  mode: ImportMode;
}

export type MappingProblem = 'key' | 'phone' | 'baseName';

/** The first mapping offered: the server's guess from the header, into a new base. */
export function draftFrom(upload: BaseImport): MappingDraft {
  const stem = upload.filename.replace(/\.[^.]+$/, '').slice(0, 120);
  return {
    key: upload.suggestion.key ?? '',
    phone: upload.suggestion.phone ?? '',
    name: upload.suggestion.name ?? '',
    baseId: '',
    baseName: stem,
    mode: 'update',
  };
}

/** What the supervisor must still choose before the import can start. */
export function mappingProblems(d: MappingDraft, columns: readonly string[]): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (!columns.includes(d.key)) problems.push('key');
  if (!columns.includes(d.phone)) problems.push('phone');
  if (d.baseId === '' && !d.baseName.trim()) problems.push('baseName');
  return problems;
}

export function startBody(d: MappingDraft): Schemas['ImportStart'] {
  return {
    key_column: d.key,
    phone_column: d.phone,
    name_column: d.name || null,
    base_id: d.baseId === '' ? null : d.baseId,
    base_name: d.baseId === '' ? d.baseName.trim() : null,
    mode: d.mode,
  };
}

/** Percent read, or null while the total is unknown (an XLSX that does not state it). */
export function progress(i: BaseImport): number | null {
  if (i.state === 'done') return 100;
  if (!i.rows_total) return null;
  return Math.min(99, Math.floor((i.rows_read / i.rows_total) * 100));
}

export function finished(i: BaseImport): boolean {
  return i.state === 'done' || i.state === 'failed';
}

/** Where the whole per-row report is downloaded (same-origin GET, the session's cookie). */
export function errorReportUrl(importId: number): string {
  return `/api/base-imports/${importId}/errors`;
}

/** The record's columns to show under its key, phone and name (which head the card): a
 * column that only repeats one of them, the phone as written included, is left out. */
export function otherFields(r: Pick<BaseRecord, 'fields' | 'key' | 'phone' | 'name'>): [string, string][] {
  const shown = new Set([r.key, r.phone ?? '', r.name ?? '']);
  const phoneDigits = (r.phone ?? '').replace(/\D/g, '');
  const isPhone = (v: string) => {
    const digits = v.replace(/\D/g, '');
    return phoneDigits !== '' && digits.length >= 6 && phoneDigits.endsWith(digits);
  };
  return Object.entries(r.fields).filter(([, v]) => v !== '' && !shown.has(v) && !isPhone(v));
}

/** Which link to show: the newest word of the server, from an answer or an event, by the
 * attention's version (an older `attention.updated` arriving late changes nothing). */
export class LinkView {
  version: number;
  linked: LinkedRecord | null;

  constructor(a: Pick<Attention, 'version' | 'base_record'>) {
    this.version = a.version;
    this.linked = a.base_record ?? null;
  }

  /** True when `a` is newer and so replaced what is shown. */
  take(a: Pick<Attention, 'version' | 'base_record'>): boolean {
    if (a.version <= this.version) return false;
    this.version = a.version;
    this.linked = a.base_record ?? null;
    return true;
  }
}

/** A search worth sending: trimmed and long enough. */
export function searchTerm(q: string): string | null {
  const t = q.trim();
  return t.length >= MIN_SEARCH ? t : null;
}

export class BasesApi {
  constructor(private readonly api: Api) {}

  // --- the agent, through the attention he holds ---

  matches(attentionId: number): Promise<Matches> {
    return this.api.request('GET', '/api/attentions/{attention_id}/matches', { params: { attention_id: attentionId } });
  }

  search(attentionId: number, q: string): Promise<BaseRecord[]> {
    return this.api.request('GET', '/api/attentions/{attention_id}/base-records', {
      params: { attention_id: attentionId },
      query: { q },
    });
  }

  /** The attention as it is now, with its `base_record` and `version`. */
  link(attentionId: number, recordId: number): Promise<Attention> {
    return this.api.request('PUT', '/api/attentions/{attention_id}/match', {
      params: { attention_id: attentionId },
      body: { record_id: recordId },
    });
  }

  unlink(attentionId: number): Promise<Attention> {
    return this.api.request('DELETE', '/api/attentions/{attention_id}/match', { params: { attention_id: attentionId } });
  }

  // --- supervisors ---

  bases(campaignId: number): Promise<BaseInfo[]> {
    return this.api.request('GET', '/api/campaigns/{campaign_id}/bases', { params: { campaign_id: campaignId } });
  }

  remove(campaignId: number, baseId: number): Promise<void> {
    return this.api.request('DELETE', '/api/campaigns/{campaign_id}/bases/{base_id}', {
      params: { campaign_id: campaignId, base_id: baseId },
    });
  }

  upload(campaignId: number, file: Blob, name: string): Promise<BaseImport> {
    const form = new FormData();
    form.append('file', file, name);
    return this.api.request('POST', '/api/campaigns/{campaign_id}/base-imports', {
      params: { campaign_id: campaignId },
      form,
    });
  }

  start(importId: number, d: MappingDraft): Promise<BaseImport> {
    return this.api.request('POST', '/api/base-imports/{import_id}/start', {
      params: { import_id: importId },
      body: startBody(d),
    });
  }

  import(importId: number): Promise<BaseImport> {
    return this.api.request('GET', '/api/base-imports/{import_id}', { params: { import_id: importId } });
  }

  setRegion(campaignId: number, region: string): Promise<unknown> {
    return this.api.request('PATCH', '/api/campaigns/{campaign_id}', {
      params: { campaign_id: campaignId },
      body: { default_region: region },
    });
  }
}

/** Follow an import until it ends, calling `onChange` with each state; `sleep` is injected
 * so tests run it without waiting. Stops early when `cancelled()` says so. */
export async function follow(
  api: Pick<BasesApi, 'import'>,
  importId: number,
  onChange: (i: BaseImport) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  cancelled: () => boolean = () => false,
  everyMs = 400,
): Promise<BaseImport | null> {
  for (;;) {
    const state = await api.import(importId);
    if (cancelled()) return null;
    onChange(state);
    if (finished(state)) return state;
    await sleep(everyMs);
  }
}
