import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealtimeSocket, backoffDelay, socketUrl } from '../ws';

class FakeWS {
  static instances: FakeWS[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  constructor(public url: string) {
    FakeWS.instances.push(this);
  }
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

describe('socket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeWS.instances = [];
    vi.stubGlobal('WebSocket', FakeWS);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('backs off from 0.5 s to 5 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map(backoffDelay)).toEqual([500, 1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it('uses ws or wss by page protocol', () => {
    expect(socketUrl({ protocol: 'http:', host: 'desk:8000' })).toBe('ws://desk:8000/api/ws');
    expect(socketUrl({ protocol: 'https:', host: 'desk.example' })).toBe('wss://desk.example/api/ws');
  });

  it('reconnects after a drop, calls onOpen again, pings every 20 s', () => {
    const onOpen = vi.fn();
    const onEvent = vi.fn();
    const states: boolean[] = [];
    const s = new RealtimeSocket({ onOpen, onEvent, onState: (c) => states.push(c) }, () => 'ws://x/api/ws');
    s.start();
    expect(FakeWS.instances).toHaveLength(1);
    FakeWS.instances[0]!.open();
    expect(onOpen).toHaveBeenCalledTimes(1);

    vi.advanceTimersByTime(20_000);
    expect(FakeWS.instances[0]!.sent).toEqual([JSON.stringify({ type: 'ping' })]);

    FakeWS.instances[0]!.onmessage?.({ data: '{"type":"queues","queues":[]}' });
    FakeWS.instances[0]!.onmessage?.({ data: 'not json' });
    expect(onEvent).toHaveBeenCalledTimes(1);

    FakeWS.instances[0]!.drop();
    vi.advanceTimersByTime(499);
    expect(FakeWS.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWS.instances).toHaveLength(2);
    FakeWS.instances[1]!.drop(); // failed attempt → 1 s
    vi.advanceTimersByTime(999);
    expect(FakeWS.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWS.instances).toHaveLength(3);
    FakeWS.instances[2]!.open();
    expect(onOpen).toHaveBeenCalledTimes(2);
    expect(states).toEqual([true, false, false, true]);

    s.stop();
    FakeWS.instances[2]!.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWS.instances).toHaveLength(3);
  });
});
