// Model runs for the web UI, each in its own worker thread: bounded in executions and steps (the
// caller caps them), in wall-clock time (the worker is terminated), and in how many run at once.
// Results are kept in a small cache keyed by their inputs: the model is deterministic, so a page
// view, its JSON twin and its SVG map share one run.
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../ingest/workers/spawn.js';
import { HttpError } from '../errors.js';
import type { CheckRun } from '../../analysis/checks/index.js';
import type { CheckRerunReply, RunReply, RunRequest, WorkerJob } from './runTypes.js';

export interface RunnerOptions {
  /** Wall-clock limit of one run (ms). */
  timeoutMs: number;
  /** Runs in flight at once; more wait their turn. */
  maxConcurrent: number;
  /** Runs waiting for a turn at most; one more is refused with a 503. */
  maxQueued: number;
  /** Finished runs kept for reuse. */
  cacheSize: number;
}

export const DEFAULT_RUNNER: RunnerOptions = { timeoutMs: 15_000, maxConcurrent: 2, maxQueued: 24, cacheSize: 64 };

export type RunOk = Extract<RunReply, { ok: true }>;

/** runWorker.js from dist/, runWorker.ts under tsx (ingest/workers/spawn.ts). */
function startWorker(job: WorkerJob): Worker {
  return spawnWorker(import.meta.url, './runWorker', { workerData: job });
}

export function runKey(req: RunRequest): string {
  const params = Object.keys(req.params)
    .sort()
    .map((k) => [k, req.params[k]]);
  return JSON.stringify([req.scenario, [...req.variants], params, req.bounds.maxExecutions, req.bounds.maxSteps, req.kernel ?? null, req.profile ?? null]);
}

export class ModelRunner {
  private readonly cache = new Map<string, RunOk>();
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly pending = new Map<string, Promise<RunOk>>();
  constructor(readonly opts: RunnerOptions = DEFAULT_RUNNER) {}

  /** The cached run for these inputs, if one was made. */
  cached(req: RunRequest): RunOk | undefined {
    return this.cache.get(runKey(req));
  }

  /** A run for these inputs: the cached one, one already under way, or a new one. */
  async get(req: RunRequest): Promise<RunOk> {
    const key = runKey(req);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const under = this.pending.get(key);
    if (under) return under;
    return this.fresh(req);
  }

  /** Always a new run; it replaces the cached one. */
  async fresh(req: RunRequest): Promise<RunOk> {
    const key = runKey(req);
    const p = this.inSlot(() => this.runInWorker(req)).finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    const reply = await p;
    this.cache.delete(key);
    this.cache.set(key, reply);
    while (this.cache.size > this.opts.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    return reply;
  }

  /** Stored check runs made again from their own inputs, in one worker: never cached, under the same limits. */
  async rerunChecks(runs: CheckRun[]): Promise<CheckRun[]> {
    const reply = await this.inSlot(() => this.inWorker<CheckRerunReply>({ kind: 'check-runs', runs }));
    if (!reply.ok) throw new HttpError(400, `the model refused the run: ${reply.error}`);
    return reply.runs;
  }

  /** Run `f` when fewer than maxConcurrent runs are under way; refuse when too many already wait. */
  private async inSlot<T>(f: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.opts.maxConcurrent) {
      if (this.waiting.length >= this.opts.maxQueued) {
        throw new HttpError(503, `${this.inFlight} model runs are under way and ${this.waiting.length} wait; try again in a few seconds`);
      }
      // The finishing run hands its slot over: inFlight stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.inFlight++;
    try {
      return await f();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.inFlight--;
    }
  }

  private async runInWorker(req: RunRequest): Promise<RunOk> {
    const reply = await this.inWorker<RunReply>({ kind: 'scenario', request: req });
    if (!reply.ok) throw new HttpError(400, `the model refused the run: ${reply.error}`);
    return reply;
  }

  private inWorker<R>(job: WorkerJob): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const worker = startWorker(job);
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        f();
        void worker.terminate();
      };
      const timer = setTimeout(() => {
        settle(() => reject(new HttpError(503, `the run took longer than ${this.opts.timeoutMs / 1000} s and was stopped; lower the bounds or pick fewer variants`)));
      }, this.opts.timeoutMs);
      worker.once('message', (reply: R) => settle(() => resolve(reply)));
      worker.once('error', (err) => settle(() => reject(err)));
      worker.once('exit', (code) => settle(() => reject(new Error(`the model worker exited with code ${code} before answering`))));
    });
  }
}
