import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from '../api';
import { retryOnNetworkError } from '../retry';

describe('retryOnNetworkError', () => {
  afterEach(() => vi.useRealTimers());

  it('tries again after a network failure, waiting one step more each time', async () => {
    vi.useFakeTimers();
    const run = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(new NetworkError(new Error('down')))
      .mockRejectedValueOnce(new NetworkError(new Error('down')))
      .mockResolvedValue('ok');
    const done = retryOnNetworkError(run, { retries: 2, stepMs: 700 });
    await vi.advanceTimersByTimeAsync(699);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1399);
    expect(run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe('ok');
    expect(run).toHaveBeenCalledTimes(3);
  });

  it('gives up after its retries with the last network failure', async () => {
    vi.useFakeTimers();
    const run = vi.fn<() => Promise<string>>().mockRejectedValue(new NetworkError(new Error('down')));
    const done = retryOnNetworkError(run, { retries: 1, stepMs: 700 });
    const seen = expect(done).rejects.toBeInstanceOf(NetworkError);
    await vi.advanceTimersByTimeAsync(700);
    await seen;
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('passes any other failure on at once', async () => {
    const refusal = new ApiError(409, 'window_closed');
    const run = vi.fn<() => Promise<string>>().mockRejectedValue(refusal);
    await expect(retryOnNetworkError(run, { retries: 2, stepMs: 700 })).rejects.toBe(refusal);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
