// The form of one attention's current segment, as the Form panel edits it: loaded once,
// drafts saved as the agent types (debounced PUT …/form/draft), submitted on demand.
// One controller per attention and segment lives in the store, so switching chats or tabs
// keeps what was typed even before the draft reached the server.

import { ApiError, type Api } from './api';
import { firstErrorKey, fromInputs, isEmptyInput, toInputs, type InputValue, type InputValues } from './form';
import type { FieldCodes, FieldErrors, Form, FormState } from './types';

export type DraftStatus = 'idle' | 'dirty' | 'saving' | 'saved' | 'error';

export interface FormHost {
  api: Api;
  errorText(e: unknown): string;
  /** The server's per-field messages in the UI's language, by their codes. */
  fieldErrorTexts(errors: FieldErrors, codes: FieldCodes | null | undefined): FieldErrors;
}

export const DRAFT_DEBOUNCE_MS = 600;

export class FormController {
  readonly attentionId: number;
  readonly readOnly: boolean;

  phase = $state<'loading' | 'ready' | 'failed'>('loading');
  loadError = $state<string | null>(null);
  form = $state.raw<Form | null>(null);
  segment = $state<number | null>(null);
  values = $state<InputValues>({});
  errors = $state<FieldErrors>({});
  submittedAt = $state<string | null>(null);
  /** What earlier segments submitted in this campaign's form (an attention that came back). */
  earlier = $state.raw<FormState['earlier']>([]);
  /** The earlier segment the values were started from, while nothing is saved yet. */
  prefilledFrom = $state<number | null>(null);
  draft = $state<DraftStatus>('idle');
  submitting = $state(false);
  /** A message about the whole form (submit refused, end refused). */
  message = $state<string | null>(null);

  private readonly host: FormHost;
  private readonly debounceMs: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;
  private loading: Promise<void> | null = null;
  private changeSeq = 0;
  private savedSeq = 0;
  private disposed = false;

  constructor(host: FormHost, attentionId: number, readOnly: boolean, debounceMs = DRAFT_DEBOUNCE_MS) {
    this.host = host;
    this.attentionId = attentionId;
    this.readOnly = readOnly;
    this.debounceMs = debounceMs;
  }

  get dirty(): boolean {
    return this.changeSeq > this.savedSeq;
  }

  /** Settles once the load on its way (if any) has: its answer is then in `phase`. */
  whenLoaded(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  load(): Promise<void> {
    const run = this.fetch().finally(() => {
      if (this.loading === run) this.loading = null;
    });
    this.loading = run;
    return run;
  }

  private async fetch(): Promise<void> {
    this.phase = 'loading';
    this.loadError = null;
    try {
      const st = await this.host.api.form(this.attentionId);
      if (this.disposed) return;
      this.apply(st, true);
      this.earlier = st.earlier ?? [];
      this.prefilledFrom = st.prefilled_from ?? null;
      this.phase = 'ready';
    } catch (e) {
      this.loadError = this.host.errorText(e);
      this.phase = 'failed';
    }
  }

  private apply(st: FormState, withValues: boolean): void {
    this.form = st.form ?? null;
    this.segment = st.segment ?? null;
    if (withValues) this.values = toInputs(st.form?.fields ?? [], st.values);
    this.submittedAt = st.submitted_at ?? null;
    this.errors = this.host.fieldErrorTexts(st.errors ?? {}, st.error_codes);
  }

  private body() {
    return fromInputs(this.form?.fields ?? [], $state.snapshot(this.values) as InputValues);
  }

  /** The agent changed a field: its error goes away until the server says otherwise. */
  change(key: string, v: InputValue): void {
    if (this.readOnly || this.disposed) return;
    this.values[key] = v;
    if (key in this.errors) {
      const rest = { ...this.errors };
      delete rest[key];
      this.errors = rest;
    }
    this.changeSeq++;
    this.draft = 'dirty';
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.debounceMs);
  }

  /** Save the draft now if anything changed since the last save (waits for one on its way). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inflight) await this.inflight;
    if (this.readOnly || !this.form || !this.dirty) return;
    const seq = this.changeSeq;
    const body = this.body();
    this.draft = 'saving';
    this.inflight = (async () => {
      try {
        const st = await this.host.api.saveDraft(this.attentionId, body);
        this.savedSeq = Math.max(this.savedSeq, seq);
        // Errors of required fields still empty (from a refused end) stay until filled in.
        const kept: FieldErrors = {};
        for (const f of this.form?.fields ?? []) {
          const old = this.errors[f.key];
          if (old && f.required && isEmptyInput(f, this.values[f.key])) kept[f.key] = old;
        }
        this.errors = { ...kept, ...this.host.fieldErrorTexts(st.errors ?? {}, st.error_codes) };
        if (st.submitted_at !== undefined) this.submittedAt = st.submitted_at;
        this.draft = this.dirty ? 'dirty' : 'saved';
      } catch {
        this.draft = 'error';
      } finally {
        this.inflight = null;
      }
    })();
    await this.inflight;
  }

  /**
   * Guardar formulario. Returns the first field in error (to focus), or null when saved.
   * Throws only when the server cannot be reached or answers an unexpected error.
   */
  async submit(): Promise<string | null> {
    if (this.readOnly || !this.form || this.submitting) return null;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inflight) await this.inflight;
    const seq = this.changeSeq;
    this.submitting = true;
    this.message = null;
    try {
      const st = await this.host.api.submitForm(this.attentionId, this.body());
      this.savedSeq = Math.max(this.savedSeq, seq);
      this.apply(st, false);
      this.errors = this.host.fieldErrorTexts(st.errors ?? {}, st.error_codes);
      if (!this.dirty) this.draft = 'idle';
      return null;
    } catch (e) {
      if (e instanceof ApiError && e.errors) {
        return this.showErrors(this.host.fieldErrorTexts(e.errors, e.fieldCodes), this.host.errorText(e));
      }
      this.message = this.host.errorText(e);
      return null;
    } finally {
      this.submitting = false;
    }
  }

  /** Show errors the server gave (submit or end refused); the first field in error. */
  showErrors(errors: FieldErrors, message: string | null): string | null {
    this.errors = { ...errors };
    this.message = message;
    return firstErrorKey(this.form?.fields ?? [], errors);
  }

  clearMessage(): void {
    this.message = null;
  }

  /** Forget it: save what is pending first when `save` (the attention is still mine). */
  dispose(save: boolean): void {
    if (this.disposed) return;
    if (save) {
      void this.flush().finally(() => (this.disposed = true));
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.disposed = true;
  }
}
