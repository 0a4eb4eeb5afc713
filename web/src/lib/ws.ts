// One WebSocket per tab to /api/ws. It pings every 8 s and expects an answer (any frame) within
// 4 s: a socket that stays silent is half-open (traffic held somewhere, the operating system
// none the wiser) and is dropped and opened again at once. A drop is retried after a jittered
// pause under a second while the page is visible and the browser online, so the panel is back
// within a second of the server; hidden or offline, the pause grows to 5 s (the `online` event
// and the page showing again reconnect at once). The owner reloads its snapshot in `onOpen`,
// which runs on the first connect and on every reconnect.

import type { ServerEvent } from './types';

export interface SocketHandlers {
  onEvent: (event: ServerEvent) => void;
  /** Connected (first time or again). */
  onOpen: () => void;
  /** Connection state changed (true = open). */
  onState?: (connected: boolean) => void;
  /** A connection attempt failed before opening, or the connection was lost. */
  onDrop?: (neverOpened: boolean, code: number) => void;
}

/** The server closed the socket because its session ended (logout, expiry, deactivation). */
export const SESSION_ENDED = 4401;
/** Our own code for a socket dropped because it went silent (never sent on the wire). */
export const WENT_SILENT = 4000;

export const PING_EVERY_MS = 8000;
export const PONG_WITHIN_MS = 4000;
export const BACKOFF_MAX_MS = 5000;

/** Whether the page can use a fast retry: shown, and the browser thinks it is online. */
export interface Conditions {
  visible: boolean;
  online: boolean;
}

/**
 * The pause before reconnect attempt number `attempt` (0-based). Shown and online: 250 ms to
 * 1 s, spread so a server's restart is not met by every tab at the same instant. Otherwise
 * 0.5 s doubling up to 5 s, with the same spread.
 */
export function retryDelay(attempt: number, when: Conditions, random: () => number = Math.random): number {
  if (when.visible && when.online) return 250 + Math.floor(random() * 750);
  const ceiling = Math.min(BACKOFF_MAX_MS, 500 * 2 ** Math.max(0, attempt));
  return Math.floor(ceiling * (0.5 + random() / 2));
}

export function socketUrl(loc: { protocol: string; host: string } = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api/ws`;
}

function pageConditions(): Conditions {
  return {
    visible: typeof document === 'undefined' || document.visibilityState !== 'hidden',
    online: typeof navigator === 'undefined' || navigator.onLine !== false,
  };
}

export class RealtimeSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly handlers: SocketHandlers;
  private readonly url: () => string;
  private readonly conditions: () => Conditions;

  constructor(
    handlers: SocketHandlers,
    url: () => string = () => socketUrl(),
    conditions: () => Conditions = pageConditions,
  ) {
    this.handlers = handlers;
    this.url = url;
    this.conditions = conditions;
  }

  get connected(): boolean {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.detach();
  }

  /** Connect now if a retry is waiting (back online, the page shown again). */
  reconnectNow(): void {
    if (this.stopped || !this.retryTimer) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.connect();
  }

  /** Ask the server for a sign of life now: none within PONG_WITHIN_MS drops the socket. */
  probe(): void {
    if (!this.connected || this.pongTimer) return;
    this.send({ type: 'ping' });
    this.pongTimer = setTimeout(() => this.lost(WENT_SILENT), PONG_WITHIN_MS);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    this.retryTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
  }

  /** Forget the current socket without waiting for it: a held one may never say it closed. */
  private detach(): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
    try {
      ws.close(1000);
    } catch {
      /* already closed */
    }
  }

  private connect(): void {
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    let opened = false;

    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.pingTimer = setInterval(() => this.probe(), PING_EVERY_MS);
      this.handlers.onState?.(true);
      this.handlers.onOpen();
    };
    ws.onmessage = (e: MessageEvent) => {
      // Any frame is a sign of life.
      if (this.pongTimer) clearTimeout(this.pongTimer);
      this.pongTimer = null;
      if (typeof e.data !== 'string') return;
      let event: ServerEvent;
      try {
        event = JSON.parse(e.data) as ServerEvent;
      } catch {
        return;
      }
      if (event && typeof event === 'object' && typeof event.type === 'string') {
        this.handlers.onEvent(event);
      }
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = (e: CloseEvent) => {
      if (this.ws !== ws) return;
      if (opened) this.lost(e.code);
      else this.failed(e.code);
    };
  }

  /** An open socket closed or went silent. */
  private lost(code: number): void {
    this.clearTimers();
    this.detach();
    this.handlers.onState?.(false);
    this.handlers.onDrop?.(false, code);
    this.scheduleRetry();
  }

  /** An attempt that never opened. */
  private failed(code: number): void {
    this.ws = null;
    this.handlers.onDrop?.(true, code);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = retryDelay(this.attempt, this.conditions());
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private send(data: unknown): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      try {
        this.ws.send(JSON.stringify(data));
      } catch {
        /* the pong never comes: the socket is dropped */
      }
    }
  }
}
