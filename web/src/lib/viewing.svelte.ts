// An attention I handled, shown read-only instead of an open chat (Atendidas): its
// conversation is loaded once and kept current by the edits, deletions and reactions that
// arrive for it.

import { type Api, MESSAGE_PAGE } from './api';
import { mergePage, replaceMessage } from './reducer';
import type { Attended, Message } from './types';

export interface ReadOnlyView {
  attention: Attended;
  messages: Message[];
  /** Older messages remain on the server (read a page at a time). */
  hasOlder: boolean;
  loading: boolean;
  error: string | null;
}

export class ViewingStore {
  view = $state.raw<ReadOnlyView | null>(null);
  loadingOlder = $state(false);

  constructor(
    private readonly api: Api,
    /** The text shown when the conversation cannot be loaded. */
    private readonly failedText: (e: unknown) => string,
  ) {}

  async open(a: Attended): Promise<void> {
    this.view = { attention: a, messages: [], hasOlder: false, loading: true, error: null };
    try {
      const page = await this.api.messagesPage(a.id, MESSAGE_PAGE);
      if (this.view?.attention.id !== a.id) return;
      this.view = { ...this.view, ...mergePage([], false, page), loading: false };
    } catch (e) {
      if (this.view?.attention.id !== a.id) return;
      this.view = { ...this.view, loading: false, error: this.failedText(e) };
    }
  }

  /** The page before the oldest message shown. */
  async loadOlder(): Promise<void> {
    const v = this.view;
    const oldest = v?.messages[0];
    if (!v || !oldest || !v.hasOlder || this.loadingOlder) return;
    this.loadingOlder = true;
    try {
      const page = await this.api.messagesPage(v.attention.id, MESSAGE_PAGE, oldest.id);
      if (this.view?.attention.id !== v.attention.id) return;
      this.view = { ...this.view, ...mergePage(this.view.messages, this.view.hasOlder, page) };
    } catch (e) {
      if (this.view?.attention.id !== v.attention.id) return;
      this.view = { ...this.view, error: this.failedText(e) };
    } finally {
      this.loadingOlder = false;
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
