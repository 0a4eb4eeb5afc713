// The one retry loop of the client's sends: a request that may be repeated safely (it carries
// a client_id the server deduplicates by) is tried again after a network failure, waiting a
// little longer each time. Any other failure (a refusal, a 5xx) is the caller's at once.

import { NetworkError } from './api';

export interface RetryPolicy {
  /** Tries after the first one. */
  retries: number;
  /** The wait before try n+1 is `stepMs * n`. */
  stepMs: number;
}

/** What a text or a template send uses: two more tries, 0.7 s then 1.4 s later. */
export const SEND_RETRY: RetryPolicy = { retries: 2, stepMs: 700 };
/** A file is heavier to send again: one more try, 0.7 s later. */
export const MEDIA_RETRY: RetryPolicy = { retries: 1, stepMs: 700 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function retryOnNetworkError<T>(run: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof NetworkError) || attempt >= policy.retries) throw e;
      await sleep(policy.stepMs * (attempt + 1));
    }
  }
}
