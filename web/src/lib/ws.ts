// One WebSocket per tab to /api/ws, with reconnect (0.5 s doubling to 5 s) and a ping
// every 20 s. The owner reloads its snapshot in `onOpen`, which runs on the first
// connect and on every reconnect.

import type { ServerEvent } from './types';

export interface SocketHandlers {
  onEvent: (event: ServerEvent) => void;
  /** Connected (first time or again). */
  onOpen: () => void;
  /** Connection state changed (true = open). */
  onState?: (connected: boolean) => void;
  /** A connection attempt failed before opening, or the server closed it. */
  onDrop?: (neverOpened: boolean, code: number) => void;
}

/** The server closed the socket because its session ended (logout, expiry, deactivation). */
export const SESSION_ENDED = 4401;

export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 5000;
export const PING_EVERY_MS = 20_000;

/** Delay before reconnect attempt number `attempt` (0-based): 0.5 s, 1 s, 2 s, 4 s, 5 s… */
export function backoffDelay(attempt: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, attempt));
}

export function socketUrl(loc: { protocol: string; host: string } = window.location): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${loc.host}/api/ws`;
}

export class RealtimeSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private stopped = true;
  private readonly handlers: SocketHandlers;
  private readonly url: () => string;

  constructor(handlers: SocketHandlers, url: () => string = () => socketUrl()) {
    this.handlers = handlers;
    this.url = url;
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
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onclose = ws.onerror = ws.onmessage = null;
      try {
        ws.close(1000);
      } catch {
        /* already closed */
      }
    }
  }

  /** Drop the current connection and connect again now (e.g. when the tab wakes up). */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.attempt = 0;
      this.connect();
    }
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
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
      this.pingTimer = setInterval(() => this.send({ type: 'ping' }), PING_EVERY_MS);
      this.handlers.onState?.(true);
      this.handlers.onOpen();
    };
    ws.onmessage = (e: MessageEvent) => {
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
      this.ws = null;
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      this.handlers.onState?.(false);
      this.handlers.onDrop?.(!opened, e.code);
      this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt);
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
        /* the close handler reconnects */
      }
    }
  }
}
