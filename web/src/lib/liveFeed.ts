// The staff room's events (`live.*`: supervisors and admins only) handed to the supervisor
// views that follow them, and the socket's (re)connection, after which each reloads its
// snapshot: an event missed while the socket was down is never replayed.

import type { ServerEvent } from './types';

export type LiveEvent = Extract<ServerEvent, { type: 'live.attention' | 'live.agent' | 'live.campaign' }>;

export interface LiveListener {
  event(e: LiveEvent): void;
  /** The socket (re)connected: reload the snapshot. */
  reopen(): void;
}

export function isLiveEvent(e: ServerEvent): e is LiveEvent {
  return e.type === 'live.attention' || e.type === 'live.agent' || e.type === 'live.campaign';
}

export class LiveFeed {
  private readonly listeners = new Set<LiveListener>();

  /** Follow the feed; returns the function that stops following it. */
  follow(l: LiveListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(e: LiveEvent): void {
    for (const l of [...this.listeners]) l.event(e);
  }

  reopened(): void {
    for (const l of [...this.listeners]) l.reopen();
  }
}
