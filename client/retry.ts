/**
 * Retries `rate_limited` (429) answers after `Retry-After`, for requests whose body can be sent
 * again. Nothing else is retried: an error is an answer, and a network failure may have reached
 * the server.
 */

/** How 429 answers are retried. */
export interface RetryOptions {
  /** Attempts after the first (default 2; 0 disables retries). */
  retries?: number;
  /** Longest wait honoured; a longer `Retry-After` is not waited for (default 60 000 ms). */
  maxDelayMs?: number;
}

/** Milliseconds to wait according to `Retry-After` (seconds or an HTTP date), or undefined. */
export function retryAfterMs(response: Response, now = Date.now()): number | undefined {
  const value = response.headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Wraps `fetch` so that a 429 is retried (the `Request` is cloned before each attempt). */
export function withRateLimitRetry(
  fetchImpl: (input: Request) => Promise<Response>,
  options: RetryOptions = {},
): (input: Request) => Promise<Response> {
  const retries = options.retries ?? 2;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  return async (request) => {
    for (let attempt = 0; ; attempt++) {
      const response = await fetchImpl(attempt < retries ? request.clone() : request);
      if (response.status !== 429 || attempt >= retries) return response;
      const delay = retryAfterMs(response) ?? 1000;
      if (delay > maxDelayMs) return response;
      await response.body?.cancel();
      await sleep(delay, request.signal);
    }
  };
}
