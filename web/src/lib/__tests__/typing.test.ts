// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { TYPING_EVERY_MS, TypingThrottle } from '../typing';

function setup() {
  let now = 1_000_000;
  const send = vi.fn<(id: number) => Promise<unknown>>().mockResolvedValue({ sent: true });
  const t = new TypingThrottle(send, TYPING_EVERY_MS, () => now);
  return { t, send, advance: (ms: number) => (now += ms) };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('typing throttle', () => {
  it('every 20 s', () => {
    expect(TYPING_EVERY_MS).toBe(20_000);
  });

  it('never for empty or blank text', () => {
    const { t, send } = setup();
    expect(t.typed(1, '')).toBe(false);
    expect(t.typed(1, '  \n ')).toBe(false);
    expect(send).not.toHaveBeenCalled();
    // Blank text does not use up the slot either.
    expect(t.typed(1, 'h')).toBe(true);
    expect(send).toHaveBeenCalledOnce();
  });

  it('at most once every 20 s per attention', () => {
    const { t, send, advance } = setup();
    expect(t.typed(1, 'h')).toBe(true);
    for (let i = 0; i < 10; i++) {
      advance(1_000);
      expect(t.typed(1, 'ho' + i)).toBe(false);
    }
    advance(9_999); // 19.999 s after the first
    expect(t.typed(1, 'hola')).toBe(false);
    advance(1);
    expect(t.typed(1, 'hola ')).toBe(true);
    expect(send.mock.calls).toEqual([[1], [1]]);
  });

  it('each attention has its own slot', () => {
    const { t, send, advance } = setup();
    expect(t.typed(1, 'a')).toBe(true);
    expect(t.typed(2, 'b')).toBe(true);
    advance(5_000);
    expect(t.typed(1, 'aa')).toBe(false);
    expect(t.typed(2, 'bb')).toBe(false);
    expect(send.mock.calls).toEqual([[1], [2]]);
  });

  it('never throws and never waits: a failed or hanging call is ignored', async () => {
    const { t, send, advance } = setup();
    send.mockRejectedValueOnce(new Error('offline'));
    expect(t.typed(1, 'a')).toBe(true);
    await flush();
    advance(TYPING_EVERY_MS);
    send.mockImplementationOnce(() => {
      throw new Error('sync');
    });
    expect(() => t.typed(1, 'b')).not.toThrow();
    advance(TYPING_EVERY_MS);
    send.mockReturnValueOnce(new Promise(() => {}));
    expect(t.typed(1, 'c')).toBe(true);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it('clear forgets every slot', () => {
    const { t, send } = setup();
    t.typed(1, 'a');
    t.clear();
    expect(t.typed(1, 'a')).toBe(true);
    expect(send).toHaveBeenCalledTimes(2);
  });
});
