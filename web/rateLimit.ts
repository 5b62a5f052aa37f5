// A fixed budget of actions per sliding window for the whole server (re-runs of the model): beyond
// it the caller gets a 429 and how long to wait.
import { HttpError } from './errors.js';

export class RateLimitError extends HttpError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(429, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class SlidingWindowLimit {
  private readonly times: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Count one action, or throw a RateLimitError when the window is full. */
  take(what: string): void {
    const t = this.now();
    while (this.times.length > 0 && this.times[0] <= t - this.windowMs) this.times.shift();
    if (this.times.length >= this.limit) {
      const wait = Math.max(1, Math.ceil((this.times[0] + this.windowMs - t) / 1000));
      throw new RateLimitError(`at most ${this.limit} ${what} per ${this.windowMs / 1000} s on this server; try again in ${wait} s`, wait);
    }
    this.times.push(t);
  }

  remaining(): number {
    const t = this.now();
    return Math.max(0, this.limit - this.times.filter((x) => x > t - this.windowMs).length);
  }
}
