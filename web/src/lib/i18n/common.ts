// Texts both consoles show (src/components/ and src/supervisor/), in Spanish and English.

export const es = {
  // Shared by both consoles.
  'status.available': 'Disponible',
  'status.paused': 'En pausa',
  'status.offline': 'Desconectado',

  'common.loading': 'Cargando…',
  'common.cancel': 'Cancelar',
  'common.close': 'Cerrar',
  'common.logout': 'Cerrar sesión',

  'lang.label': 'Idioma',
  'lang.es': 'Español',
  'lang.en': 'English',

  'error.network': 'No se pudo conectar con el servidor.',
  'error.generic': 'Ocurrió un error. Intenta de nuevo.',

  // Why an attention was reassigned or moved (timeline events).
  'reason.timeout': 'no se abrió a tiempo',
  'reason.agent_paused': 'el agente se puso en pausa',
  'reason.agent_offline': 'el agente se desconectó',
  'reason.orphaned': 'el agente se desconectó',
  'reason.overflow': 'desborde',
  'reason.moved_by_supervisor': 'la movió un supervisor',

  'form.loadFailed': 'No se pudo cargar el formulario: {reason}',
} as const;

export const en: Record<keyof typeof es, string> = {
  // Shared by both consoles.
  'status.available': 'Available',
  'status.paused': 'Paused',
  'status.offline': 'Offline',

  'common.loading': 'Loading…',
  'common.cancel': 'Cancel',
  'common.close': 'Close',
  'common.logout': 'Sign out',

  'lang.label': 'Language',
  'lang.es': 'Español',
  'lang.en': 'English',

  'error.network': 'Could not reach the server.',
  'error.generic': 'Something went wrong. Please try again.',

  // Why an attention was reassigned or moved (timeline events).
  'reason.timeout': 'not opened in time',
  'reason.agent_paused': 'the agent paused',
  'reason.agent_offline': 'the agent went offline',
  'reason.orphaned': 'the agent went offline',
  'reason.overflow': 'overflow',
  'reason.moved_by_supervisor': 'moved by a supervisor',

  'form.loadFailed': 'Could not load the form: {reason}',
};
