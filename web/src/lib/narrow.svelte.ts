// On a narrow screen (a phone, 390 px) the panel shows one of its three columns at a time:
// the lists, the chat or the tools, with a bar to move between them. Which one follows what
// the agent does: opening a chat shows it, closing it goes back to the lists.

export type PaneName = 'lists' | 'chat' | 'tools';

/** The pane to show once the chat on screen changed from `before` to `now` (ids or null). */
export function paneAfterChatChange(pane: PaneName, before: number | null, now: number | null): PaneName {
  if (now === null) return 'lists';
  return now !== before ? 'chat' : pane;
}

export class NarrowPanes {
  pane = $state<PaneName>('lists');
  private shown: number | null = null;

  show(pane: PaneName): void {
    this.pane = pane;
  }

  /** The chat on screen is now `id` (null: none). */
  chatShown(id: number | null): void {
    this.pane = paneAfterChatChange(this.pane, this.shown, id);
    this.shown = id;
  }
}
