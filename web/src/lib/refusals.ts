// What an error thrown by the API client says to the user, in the UI's language: a refusal
// is translated by its stable `code` and `params`, never shown as the server's `detail`
// (Spanish unless the request asked otherwise, and maybe older than the UI's language).

import { ApiError, NetworkError } from './api';
import { type Lang, type Params, errorMessage, translate } from './i18n';
import type { FieldCodes, FieldErrors } from './types';

/** `fallbackCode` names the refusal when the answer carries no code (a 401 at login). */
export function refusalText(lang: Lang, e: unknown, fallbackCode?: string): string {
  if (e instanceof NetworkError) return translate(lang, 'error.network');
  if (e instanceof ApiError) {
    const code = e.code ?? fallbackCode;
    // A 429 always says how long to wait, in its header even when the body does not.
    const params: Params = { ...(e.retryAfter !== null ? { seconds: e.retryAfter } : {}), ...e.params };
    const text = code ? errorMessage(lang, code, params) : null;
    if (text) return text;
  }
  return translate(lang, 'error.generic');
}

/** The per-field messages of a form in the UI's language, by their codes; a field without a
 * known code says only that its value is not valid. */
export function fieldErrorTexts(lang: Lang, errors: FieldErrors, codes: FieldCodes | null | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const key of Object.keys(errors)) {
    const coded = codes?.[key];
    out[key] =
      (coded && errorMessage(lang, `form_field.${coded.code}`, coded.params)) ??
      errorMessage(lang, 'form_field.invalid') ??
      translate(lang, 'error.generic');
  }
  return out;
}
