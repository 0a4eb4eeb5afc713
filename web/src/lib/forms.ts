// The forms of the attentions I hold: one FormController per open attention's current
// segment, kept while the attention is mine so that what was typed survives switching chats.

import { FormController, type FormHost } from './formController.svelte';
import type { Attention } from './types';

export class FormRegistry {
  /** By `id:segment`. */
  private readonly forms = new Map<string, FormController>();

  constructor(private readonly host: FormHost) {}

  /**
   * The form of an attention's current segment. Open ones are kept per segment; a read-only
   * one is loaded fresh each time. One that failed to load is asked for again.
   */
  formFor(a: Attention, readOnly: boolean): FormController {
    if (readOnly) {
      const ro = new FormController(this.host, a.id, true);
      void ro.load();
      return ro;
    }
    const key = `${a.id}:${a.segment ?? 0}`;
    let f = this.forms.get(key);
    if (!f) {
      f = new FormController(this.host, a.id, false);
      this.forms.set(key, f);
      void f.load();
    } else if (f.phase === 'failed') {
      void f.load();
    }
    return f;
  }

  /** These attentions left my hands (ended, transferred, taken away): their forms are done with. */
  drop(attentionIds: readonly number[]): void {
    for (const [key, f] of this.forms) {
      if (attentionIds.includes(f.attentionId)) {
        f.dispose(false);
        this.forms.delete(key);
      }
    }
  }

  /** Signed out: every form is done with, nothing is saved. */
  clear(): void {
    for (const f of this.forms.values()) f.dispose(false);
    this.forms.clear();
  }
}
