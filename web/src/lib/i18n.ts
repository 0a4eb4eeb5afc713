// Every visible string of the client, in Spanish (default) and English.
// Placeholders are written `{name}` and filled by `translate`.

const es = {
  'app.name': 'atiende',
  'app.loading': 'Cargando…',

  'login.title': 'Iniciar sesión',
  'login.subtitle': 'Panel de atención de WhatsApp',
  'login.username': 'Usuario',
  'login.password': 'Contraseña',
  'login.submit': 'Entrar',
  'login.submitting': 'Entrando…',
  'login.required': 'Ingresa tu usuario y tu contraseña.',
  'login.badCredentials': 'Usuario o contraseña incorrectos.',

  'error.network': 'No se pudo conectar con el servidor.',
  'error.generic': 'Ocurrió un error. Intenta de nuevo.',
  'error.dismiss': 'Cerrar',

  'lang.label': 'Idioma',
  'lang.es': 'Español',
  'lang.en': 'English',

  'agent.status': 'Estado',
  'status.available': 'Disponible',
  'status.paused': 'En pausa',
  'status.offline': 'Desconectado',
  'agent.logout': 'Cerrar sesión',
  'agent.statusFailed': 'No se pudo cambiar el estado: {reason}',

  'queues.title': 'Colas',
  'queues.count': 'Encoladas: {n}',
  'queues.none': 'Sin campañas',

  'list.assigned': 'Asignadas',
  'list.open': 'Abiertas',
  'list.emptyAssigned': 'No tienes atenciones asignadas.',
  'list.emptyOpen': 'No tienes atenciones abiertas.',
  'list.waiting': 'Esperando {time}',
  'list.unread': '{n} sin leer',
  'list.openHint': 'Haz clic para abrir la atención',
  'list.openFailed': 'No se pudo abrir la atención: {reason}',

  'chat.none': 'Selecciona una atención abierta para ver la conversación.',
  'chat.noneHint': 'Las atenciones asignadas parpadean hasta que las abres.',
  'chat.remaining': 'Tiempo restante',
  'chat.windowClosed': 'Ventana de 24 h vencida',
  'chat.attentionId': 'ID de atención: {id}',
  'chat.loading': 'Cargando mensajes…',
  'chat.today': 'Hoy',
  'chat.yesterday': 'Ayer',
  'chat.empty': 'Aún no hay mensajes en esta atención.',
  'chat.unsupported': 'Mensaje de tipo «{type}» (aún no se muestra)',
  'chat.loadFailed': 'No se pudieron cargar los mensajes: {reason}',

  'tick.pending': 'Pendiente',
  'tick.sent': 'Enviado',
  'tick.delivered': 'Entregado',
  'tick.read': 'Leído',
  'tick.failed': 'No enviado',
  'tick.failedWith': 'No enviado: {reason}',

  'composer.placeholder': 'Escribe un mensaje… (Enter envía, Shift+Enter nueva línea)',
  'composer.label': 'Mensaje',
  'composer.send': 'Enviar',
  'composer.sending': 'Enviando…',
  'composer.failed': 'No se pudo enviar el mensaje: {reason}',
  'composer.windowClosed':
    'Pasaron más de 24 horas desde el último mensaje del cliente: WhatsApp no permite enviarle mensajes libres.',

  'tools.form': 'Formulario',
  'tools.contact': 'Contacto',
  'tools.match': 'Coincidencia',
  'tools.history': 'Historial',
  'tools.soon': 'Próximamente',
  'tools.campaign': 'Campaña',
  'tools.channel': 'Canal',
  'tools.customer': 'Cliente',
  'tools.none': 'Sin atención seleccionada.',

  'end.button': 'Terminar atención',
  'end.title': 'Terminar atención',
  'end.body': '¿Seguro que quieres terminar la atención de {name}? La atención se cerrará y no se puede deshacer.',
  'end.cancel': 'Cancelar',
  'end.confirm': 'Terminar',
  'end.ending': 'Terminando…',
  'end.failed': 'No se pudo terminar la atención: {reason}',

  'realtime.reconnecting': 'Reconectando…',

  'notify.title': 'Nueva atención asignada',
  'notify.body': '{name} · {campaign}',
} as const;

export type MessageKey = keyof typeof es;
export type Dictionary = Record<MessageKey, string>;

const en: Dictionary = {
  'app.name': 'atiende',
  'app.loading': 'Loading…',

  'login.title': 'Sign in',
  'login.subtitle': 'WhatsApp contact-center desk',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.required': 'Enter your username and password.',
  'login.badCredentials': 'Wrong username or password.',

  'error.network': 'Could not reach the server.',
  'error.generic': 'Something went wrong. Please try again.',
  'error.dismiss': 'Close',

  'lang.label': 'Language',
  'lang.es': 'Español',
  'lang.en': 'English',

  'agent.status': 'Status',
  'status.available': 'Available',
  'status.paused': 'Paused',
  'status.offline': 'Offline',
  'agent.logout': 'Sign out',
  'agent.statusFailed': 'Could not change the status: {reason}',

  'queues.title': 'Queues',
  'queues.count': 'Queued: {n}',
  'queues.none': 'No campaigns',

  'list.assigned': 'Assigned',
  'list.open': 'Open',
  'list.emptyAssigned': 'No attentions assigned to you.',
  'list.emptyOpen': 'No open attentions.',
  'list.waiting': 'Waiting {time}',
  'list.unread': '{n} unread',
  'list.openHint': 'Click to open the attention',
  'list.openFailed': 'Could not open the attention: {reason}',

  'chat.none': 'Select an open attention to see the conversation.',
  'chat.noneHint': 'Assigned attentions blink until you open them.',
  'chat.remaining': 'Time left',
  'chat.windowClosed': '24-hour window closed',
  'chat.attentionId': 'Attention ID: {id}',
  'chat.loading': 'Loading messages…',
  'chat.today': 'Today',
  'chat.yesterday': 'Yesterday',
  'chat.empty': 'No messages in this attention yet.',
  'chat.unsupported': '“{type}” message (not shown yet)',
  'chat.loadFailed': 'Could not load the messages: {reason}',

  'tick.pending': 'Pending',
  'tick.sent': 'Sent',
  'tick.delivered': 'Delivered',
  'tick.read': 'Read',
  'tick.failed': 'Not sent',
  'tick.failedWith': 'Not sent: {reason}',

  'composer.placeholder': 'Type a message… (Enter sends, Shift+Enter new line)',
  'composer.label': 'Message',
  'composer.send': 'Send',
  'composer.sending': 'Sending…',
  'composer.failed': 'Could not send the message: {reason}',
  'composer.windowClosed':
    "More than 24 hours since the customer's last message: WhatsApp does not allow free-form messages.",

  'tools.form': 'Form',
  'tools.contact': 'Contact',
  'tools.match': 'Match',
  'tools.history': 'History',
  'tools.soon': 'Coming soon',
  'tools.campaign': 'Campaign',
  'tools.channel': 'Channel',
  'tools.customer': 'Customer',
  'tools.none': 'No attention selected.',

  'end.button': 'End attention',
  'end.title': 'End attention',
  'end.body': 'End the attention of {name}? It will be closed; this cannot be undone.',
  'end.cancel': 'Cancel',
  'end.confirm': 'End',
  'end.ending': 'Ending…',
  'end.failed': 'Could not end the attention: {reason}',

  'realtime.reconnecting': 'Reconnecting…',

  'notify.title': 'New attention assigned',
  'notify.body': '{name} · {campaign}',
};

export const dictionaries = { es: es as Dictionary, en } as const;

export type Lang = keyof typeof dictionaries;
export const LANGS: readonly Lang[] = ['es', 'en'];
export const DEFAULT_LANG: Lang = 'es';
export const LANG_STORAGE_KEY = 'atiende.lang';

export function isLang(v: unknown): v is Lang {
  return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

export type Params = Record<string, string | number>;

/** The text of `key` in `lang`, with `{placeholders}` filled from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = dictionaries[lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** The saved language, else Spanish. Never throws (storage may be unavailable). */
export function loadLang(): Lang {
  try {
    const v = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
    if (isLang(v)) return v;
  } catch {
    /* private mode, no storage */
  }
  return DEFAULT_LANG;
}

export function saveLang(lang: Lang): void {
  try {
    globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
}
