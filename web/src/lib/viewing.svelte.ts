// An attention I handled, shown read-only instead of an open chat (Atendidas): its
// conversation is loaded once and kept current by the edits, deletions and reactions that
// arrive for it.

import type { Api } from './api';
import { mergeMessages, replaceMessage } from './reducer';
import type { Attended, Message } from './types';

export interface ReadOnlyView {
  attention: Attended;
  messages: Message[];
  loading: boolean;
  error: string | null;
}

export class ViewingStore {
  view = $state.raw<ReadOnlyView | null>(null);

  constructor(
    private readonly api: Api,
    /** The text shown when the conversation cannot be loaded. */
    private readonly failedText: (e: unknown) => string,
  ) {}

  async open(a: Attended): Promise<void> {
    this.view = { attention: a, messages: [], loading: true, error: null };
    try {
      const list = await this.api.messages(a.id);
      if (this.view?.attention.id !== a.id) return;
      this.view = { ...this.view, messages: mergeMessages([], list), loading: false };
    } catch (e) {
      if (this.view?.attention.id !== a.id) return;
      this.view = { ...this.view, loading: false, error: this.failedText(e) };
    }
  }

  close(): void {
    this.view = null;
  }

  /** An edit, deletion or reaction: applied when it belongs to the conversation shown. */
  messageUpdated(m: Message): void {
    if (this.view?.attention.id !== m.attention_id) return;
    const messages = replaceMessage(this.view.messages, m);
    if (messages !== this.view.messages) this.view = { ...this.view, messages };
  }
}
