// The limits on model runs, each on the real thing: the re-run budget over a sliding minute, and a
// run in a real worker stopped at its time limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SlidingWindowLimit, RateLimitError } from './rateLimit.js';
import { ModelRunner } from './model/runner.js';
import { HttpError } from './errors.js';

test('the re-run budget refills as the window slides', () => {
  let now = 1_000_000;
  const limit = new SlidingWindowLimit(2, 60_000, () => now);
  limit.take('re-runs');
  now += 10_000;
  limit.take('re-runs');
  assert.equal(limit.remaining(), 0);
  assert.throws(
    () => limit.take('re-runs'),
    (e: unknown) => e instanceof RateLimitError && e.status === 429 && e.retryAfterSeconds === 50,
  );
  now += 50_000;
  assert.equal(limit.remaining(), 1);
  limit.take('re-runs');
});

test('a run longer than the time limit is stopped with a 503, and the runner takes runs again', async () => {
  const runner = new ModelRunner({ timeoutMs: 300, maxConcurrent: 1, maxQueued: 0, cacheSize: 4 });
  const long = { scenario: 'early-section-invariant', variants: [], params: {}, bounds: { maxExecutions: 20_000, maxSteps: 10_000 } };
  await assert.rejects(runner.fresh(long), (e: unknown) => e instanceof HttpError && e.status === 503 && /longer than 0\.3 s/.test(e.message));
  assert.equal(runner.cached(long), undefined);
  const quick = new ModelRunner({ timeoutMs: 30_000, maxConcurrent: 1, maxQueued: 1, cacheSize: 4 });
  const small = { scenario: 'arm64-pfn-valid-oob', variants: [], params: {}, bounds: { maxExecutions: 10, maxSteps: 1000 } };
  const at = (n: number) => ({ ...small, bounds: { maxExecutions: n, maxSteps: 1000 } });
  const [a, b, c] = await Promise.allSettled([quick.fresh(at(10)), quick.fresh(at(11)), quick.fresh(at(12))]);
  assert.equal(a.status, 'fulfilled');
  assert.equal(b.status, 'fulfilled', 'one run at a time: the second waits its turn');
  assert.equal(c.status, 'rejected', 'a third, with one already waiting, is refused');
  assert.equal((c as PromiseRejectedResult).reason.status, 503);
  assert.ok(quick.cached(small));
});
