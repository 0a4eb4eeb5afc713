// Running the center from the supervisor console: campaigns created, renamed and archived,
// the numbers that enter each, and the pause reasons (src/supervisor/), in Spanish and English.

export const es = {
  'pr.title': 'Motivos de pausa',
  'pr.hint': 'Lo que el agente elige al pausar, en este orden. Un motivo no se borra: se desactiva.',
  'pr.name': 'Motivo',
  'pr.active': 'Activo',
  'pr.inUse': '{n} en pausa con él',
  'pr.up': 'Subir {name}',
  'pr.down': 'Bajar {name}',
  'pr.add': '+ Agregar motivo',
  'pr.save': 'Guardar motivos',
  'pr.saved': 'Motivos de pausa guardados.',
  'pr.failed': 'No se pudieron guardar los motivos: {reason}',
  'pr.loadFailed': 'No se pudieron cargar los motivos de pausa: {reason}',
  'pr.err.required': 'Escriba el motivo.',
  'pr.err.repeated': 'Ese nombre ya está en la lista.',
  'pr.err.noneActive': 'Deje al menos un motivo activo.',
} as const;

export const en: Record<keyof typeof es, string> = {
  'pr.title': 'Pause reasons',
  'pr.hint': 'What agents choose when they pause, in this order. A reason is not deleted: deactivate it.',
  'pr.name': 'Reason',
  'pr.active': 'Active',
  'pr.inUse': '{n} paused with it',
  'pr.up': 'Move {name} up',
  'pr.down': 'Move {name} down',
  'pr.add': '+ Add reason',
  'pr.save': 'Save reasons',
  'pr.saved': 'Pause reasons saved.',
  'pr.failed': 'Could not save the reasons: {reason}',
  'pr.loadFailed': 'Could not load the pause reasons: {reason}',
  'pr.err.required': 'Write the reason.',
  'pr.err.repeated': 'That name is already in the list.',
  'pr.err.noneActive': 'Leave at least one reason active.',
};
