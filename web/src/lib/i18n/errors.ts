// The text of every refusal code the server can give, in the server's own catalogues
// (atiende/i18n/): one list for both sides, and a server test fails when a code it can
// raise has no text here. Keys are a code, or `code.reason` for a refusal with several
// causes (`file_refused.size`); placeholders are written `{name}` and filled from `params`.

import en from '../../../../atiende/i18n/errors.en.json';
import es from '../../../../atiende/i18n/errors.es.json';

export const errorCatalogues: Record<'es' | 'en', Readonly<Record<string, string>>> = { es, en };
