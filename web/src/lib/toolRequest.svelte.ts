// A request from elsewhere in the panel (the chat header's *Agregar a contactos*) that the
// tools beside the chat show a tab, and the contact editor open for a new contact. Whoever
// acts on a request clears it.

export type ToolTab = 'form' | 'contact' | 'match' | 'history';

export const toolRequest = $state<{ tab: ToolTab | null; addContact: boolean }>({ tab: null, addContact: false });

export function askToAddContact(): void {
  toolRequest.tab = 'contact';
  toolRequest.addContact = true;
}
