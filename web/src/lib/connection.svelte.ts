// The panel's real-time link as the agent sees it: up, offline (the browser says so), or lost
// and coming back ("Reconectando…"). The socket itself (lib/ws.ts) reconnects and checks its
// pongs; this store turns its news and the browser's online/offline/visibility events into
// state, and tells the owner when to reload and when the session may have ended.

import type { ServerEvent } from './types';
import { RealtimeSocket, SESSION_ENDED, type SocketHandlers } from './ws';

/** What the store needs from the socket (a fake in tests). */
export interface SocketLike {
  start(): void;
  stop(): void;
  reconnectNow?(): void;
  probe?(): void;
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
  /** The browser says it has no network: shown at once, before any socket notices. */
  offline = $state(typeof navigator !== 'undefined' && navigator.onLine === false);
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

  /** What the agent is told: null while the panel is live. */
  get trouble(): 'offline' | 'reconnecting' | null {
    if (this.offline) return 'offline';
    return this.reconnecting ? 'reconnecting' : null;
  }

  /**
   * Once per page. Offline: say so now, and check the socket (it may be dead already). Back
   * online or shown again: reconnect now rather than after the pause, and check a socket that
   * looks open, since it may have died unnoticed meanwhile.
   */
  listen(): void {
    if (this.listening || typeof window === 'undefined') return;
    this.listening = true;
    window.addEventListener('offline', () => {
      this.offline = true;
      this.socket.probe?.();
    });
    window.addEventListener('online', () => this.wake());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.wake();
    });
  }

  private wake(): void {
    this.offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.socket.reconnectNow?.();
    this.socket.probe?.();
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
