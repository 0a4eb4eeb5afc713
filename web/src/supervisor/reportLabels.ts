// The reports' column names: the server's own catalogues (atiende/i18n/reports.*.json), so a
// page and its export name each column alike.
import en from '../../../atiende/i18n/reports.en.json';
import es from '../../../atiende/i18n/reports.es.json';

const catalogues: Record<'es' | 'en', Readonly<Record<string, string>>> = { es, en };

export function reportLabel(lang: 'es' | 'en', key: string): string {
  return catalogues[lang][key] ?? catalogues.es[key] ?? key;
}
