// The errors an admin form shows under its fields: its own checks once a submit was tried,
// else what the server refused field by field. Any other refusal is the caller's to say.

import { ApiError } from '../lib/api';
import { fieldErrorTexts } from '../lib/refusals';
import { app } from '../lib/store.svelte';

export class FormErrors {
  /** A submit was tried: the form's own checks show from now on. */
  tried = $state(false);
  server = $state<Record<string, string>>({});

  /** The message under `field`: `local` (the form's own check, translated) once tried. */
  of(field: string, local?: string | null): string | null {
    if (this.tried && local) return local;
    return this.server[field] ?? null;
  }

  submit(): void {
    this.tried = true;
    this.server = {};
  }

  reset(): void {
    this.tried = false;
    this.server = {};
  }

  /** True when `e` refused fields (now shown under each); false for any other error. */
  refused(e: unknown): boolean {
    if (e instanceof ApiError && e.errors) {
      this.server = fieldErrorTexts(app.lang, e.errors, e.fieldCodes);
      return true;
    }
    return false;
  }
}
