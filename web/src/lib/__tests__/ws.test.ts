import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PING_EVERY_MS, PONG_WITHIN_MS, RealtimeSocket, WENT_SILENT, retryDelay, socketUrl } from '../ws';

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
    vi.restoreAllMocks();
  });

  const shown = { visible: true, online: true };

  it('retries within a second while shown and online, spread; otherwise 0.5 s doubling to 5 s', () => {
    expect(retryDelay(0, shown, () => 0)).toBe(250);
    expect(retryDelay(9, shown, () => 0.999)).toBeLessThan(1000);
    const hidden = { visible: false, online: true };
    expect([0, 1, 2, 3, 4, 10].map((n) => retryDelay(n, hidden, () => 1))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
    expect(retryDelay(10, { visible: true, online: false }, () => 0)).toBe(2500);
  });

  it('uses ws or wss by page protocol', () => {
    expect(socketUrl({ protocol: 'http:', host: 'desk:8000' })).toBe('ws://desk:8000/api/ws');
    expect(socketUrl({ protocol: 'https:', host: 'desk.example' })).toBe('wss://desk.example/api/ws');
  });

  function open(conditions = () => shown) {
    const onOpen = vi.fn();
    const onEvent = vi.fn();
    const states: boolean[] = [];
    const drops: [boolean, number][] = [];
    const s = new RealtimeSocket(
      { onOpen, onEvent, onState: (c) => states.push(c), onDrop: (n, c) => drops.push([n, c]) },
      () => 'ws://x/api/ws',
      conditions,
    );
    s.start();
    return { s, onOpen, onEvent, states, drops };
  }

  it('reconnects after a drop within a second, calls onOpen again, and stops when stopped', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.9999);
    const { s, onOpen, onEvent, states } = open();
    expect(FakeWS.instances).toHaveLength(1);
    FakeWS.instances[0]!.open();
    expect(onOpen).toHaveBeenCalledTimes(1);

    FakeWS.instances[0]!.onmessage?.({ data: '{"type":"queues","queues":[]}' });
    FakeWS.instances[0]!.onmessage?.({ data: 'not json' });
    expect(onEvent).toHaveBeenCalledTimes(1);

    FakeWS.instances[0]!.drop();
    vi.advanceTimersByTime(999);
    expect(FakeWS.instances).toHaveLength(2);
    FakeWS.instances[1]!.drop(); // a failed attempt: again within a second
    vi.advanceTimersByTime(999);
    expect(FakeWS.instances).toHaveLength(3);
    FakeWS.instances[2]!.open();
    expect(onOpen).toHaveBeenCalledTimes(2);
    expect(states).toEqual([true, false, true]);

    s.stop();
    FakeWS.instances[2]!.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWS.instances).toHaveLength(3);
  });

  it('pings, and a socket that does not answer within a few seconds is dropped and opened again', () => {
    const { s, states, drops } = open();
    const first = FakeWS.instances[0]!;
    first.open();
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(first.sent).toEqual([JSON.stringify({ type: 'ping' })]);
    first.onmessage?.({ data: '{"type":"pong"}' });
    vi.advanceTimersByTime(PING_EVERY_MS);
    expect(first.sent).toHaveLength(2);
    // Held: no answer to the second ping.
    vi.advanceTimersByTime(PONG_WITHIN_MS);
    expect(states).toEqual([true, false]);
    expect(drops).toEqual([[false, WENT_SILENT]]);
    expect(first.readyState).toBe(3);
    first.onclose?.({ code: 1006 }); // a late close of the old socket changes nothing
    expect(drops).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(FakeWS.instances).toHaveLength(2);
    s.stop();
  });

  it('probe checks at once (back online, page shown); reconnectNow skips the pause', () => {
    const hidden = { visible: false, online: true };
    const { s, drops } = open(() => hidden);
    const first = FakeWS.instances[0]!;
    first.open();
    s.probe();
    s.probe(); // one check at a time
    expect(first.sent).toHaveLength(1);
    vi.advanceTimersByTime(PONG_WITHIN_MS);
    expect(drops).toHaveLength(1);
    expect(FakeWS.instances).toHaveLength(1); // hidden: waiting 0.25–0.5 s… or more later
    s.reconnectNow();
    expect(FakeWS.instances).toHaveLength(2);
    s.stop();
  });
});
