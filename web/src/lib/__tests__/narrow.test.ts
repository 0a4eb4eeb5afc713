import { describe, expect, it } from 'vitest';
import { NarrowPanes, paneAfterChatChange } from '../narrow.svelte';

describe('narrow panes', () => {
  it('opening a chat shows it; none on screen goes back to the lists', () => {
    expect(paneAfterChatChange('lists', null, 4)).toBe('chat');
    expect(paneAfterChatChange('tools', 4, 5)).toBe('chat');
    expect(paneAfterChatChange('chat', 4, null)).toBe('lists');
  });

  it('the same chat keeps the pane the agent chose', () => {
    expect(paneAfterChatChange('tools', 4, 4)).toBe('tools');
    const panes = new NarrowPanes();
    panes.chatShown(4);
    expect(panes.pane).toBe('chat');
    panes.show('tools');
    panes.chatShown(4);
    expect(panes.pane).toBe('tools');
    panes.show('lists');
    panes.chatShown(7);
    expect(panes.pane).toBe('chat');
  });
});
