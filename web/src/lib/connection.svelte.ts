// The panel's real-time link as the agent sees it: up, or lost and coming back
// ("Reconectando…"). The socket itself (lib/ws.ts) reconnects; this store turns its news into
// state and tells the owner when to reload and when the session may have ended.

import type { ServerEvent } from './types';
import { RealtimeSocket, SESSION_ENDED, type SocketHandlers } from './ws';

/** What the store needs from the socket (a fake in tests). */
export interface SocketLike {
  start(): void;
  stop(): void;
  reconnectNow?(): void;
}

export type MakeSocket = (h: SocketHandlers) => SocketLike;

export interface ConnectionHooks {
  onEvent(e: ServerEvent): void;
  /** Connected, the first time or again: the snapshot is to be (re)loaded. */
  onOpen(): void;
  /** The session may have ended (a refused handshake, or the server said so). */
  checkSession(): void;
}

export class ConnectionStore {
  connected = $state(false);
  /** True after the socket was lost or failed: shows "Reconectando…". */
  reconnecting = $state(false);
  private readonly socket: SocketLike;
  private listening = false;

  constructor(hooks: ConnectionHooks, makeSocket: MakeSocket = (h) => new RealtimeSocket(h)) {
    this.socket = makeSocket({
      onEvent: (e) => hooks.onEvent(e),
      onOpen: () => hooks.onOpen(),
      onState: (up) => {
        this.connected = up;
        if (up) this.reconnecting = false;
      },
      onDrop: (neverOpened, code) => {
        this.reconnecting = true;
        // A handshake refused may mean the session expired, and the server closes with 4401
        // a socket whose session ended: ask, and go to login on 401.
        if (neverOpened || code === SESSION_ENDED) hooks.checkSession();
      },
    });
  }

  /** Once per page: back online, do not wait for the backoff timer. */
  listen(): void {
    if (this.listening || typeof window === 'undefined') return;
    this.listening = true;
    window.addEventListener('online', () => this.socket.reconnectNow?.());
  }

  start(): void {
    this.reconnecting = false;
    this.socket.start();
  }

  stop(): void {
    this.socket.stop();
    this.connected = false;
    this.reconnecting = false;
  }
}
